"""Loader part for the scoring block (rules, rater weights, bands)."""

from __future__ import annotations

from types import MappingProxyType

from app.surveys.definition.base import LoaderBase
from app.surveys.definition.model import RATER_ROLES, SCORING_METHODS, Band, Scoring, ScoringRule
from app.surveys.definition.yaml_source import _yaml_repr


class ScoringLoader(LoaderBase):
    """Validates the scoring block against the loaded items."""

    def load_scoring(self, value: object, raters: tuple[str, ...]) -> Scoring | None:
        """Scoring block: rules, rater weights (> 0, known roles), bands."""
        data = self.mapping(value, "scoring", "scoring")
        if data is None:
            return None
        self.keys(
            data, "scoring", ("rules", "rater_weights", "external_raters", "bands"), ("rules",)
        )
        external: dict[str, str] = {}
        ext = (
            self.mapping(
                data.get("external_raters", {}), "scoring.external_raters", "external_raters"
            )
            or {}
        )
        for role, survey in ext.items():
            where = "scoring.external_raters"
            if role not in RATER_ROLES:
                self.error(where, f"unknown rater role `{_yaml_repr(role)}`")
            elif role in raters:
                self.error(where, f"role '{role}' already answers this survey (see raters)")
            elif self.ident(survey, where, f"survey id for role '{role}'") is not None:
                external[role] = survey
        weights: dict[str, float] = {}
        raw_weights = (
            self.mapping(data.get("rater_weights", {}), "scoring.rater_weights", "rater_weights")
            or {}
        )
        for role, weight in raw_weights.items():
            where = "scoring.rater_weights"
            if role not in raters and role not in external:
                self.error(
                    where,
                    f"weight for role `{_yaml_repr(role)}`, which is neither in raters nor in "
                    "external_raters",
                )
                continue
            if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
                self.error(where, f"weight for '{role}' must be a number > 0")
                continue
            weights[role] = float(weight)

        rules: list[ScoringRule] = []
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            if "rules" in data:
                self.error("scoring", "rules must be a non-empty list")
        else:
            for index, raw in enumerate(raw_rules):
                rule = self.scoring_rule(raw, index)
                if rule is not None:
                    if any(r.id == rule.id for r in rules):
                        self.error(f"scoring.rules.{rule.id}", f"duplicate rule id '{rule.id}'")
                    rules.append(rule)

        bands: list[Band] = []
        raw_bands = data.get("bands", [])
        if not isinstance(raw_bands, list):
            self.error("scoring.bands", "bands must be a list")
            raw_bands = []
        for index, raw in enumerate(raw_bands):
            where = f"scoring.bands[{index}]"
            spec = self.mapping(raw, where, "a band")
            if spec is None:
                continue
            self.keys(spec, where, ("min", "max", "label", "rule"), ("min", "label"))
            low, high = spec.get("min"), spec.get("max")
            if isinstance(low, bool) or not isinstance(low, int | float):
                self.error(where, "min must be a number")
                continue
            if high is not None and (isinstance(high, bool) or not isinstance(high, int | float)):
                self.error(where, "max must be a number")
                continue
            if high is not None and high <= low:
                self.error(where, "max must be greater than min")
            rule_id = spec.get("rule")
            if rule_id is not None and not any(r.id == rule_id for r in rules):
                self.error(where, f"unknown scoring rule `{_yaml_repr(rule_id)}`")
            label = self.text(spec.get("label"), where, "label")
            if label is not None:
                bands.append(
                    Band(float(low), label, None if high is None else float(high), rule_id)
                )
        return Scoring(
            rules=tuple(rules),
            rater_weights=MappingProxyType(weights),
            external_raters=MappingProxyType(external),
            bands=tuple(bands),
        )

    _RULE_COLUMNS: dict[str, tuple[str, ...]] = {
        "regulatory_gap": ("current",),
        "difference": ("importance", "performance"),
        "borich_mwds": ("importance", "ability"),
        "priority_product": ("importance", "performance"),
        "mean": ("column",),
    }
    _NUMERIC_TYPES = ("rating", "integer", "decimal", "calculate")

    def scoring_rule(self, raw: object, index: int) -> ScoringRule | None:
        """One rule; its inputs must name existing matrix columns or numeric items."""
        where = f"scoring.rules[{index}]"
        spec = self.mapping(raw, where, "a scoring rule")
        if spec is None:
            return None
        rule_id = self.ident(spec.get("id"), where, "rule id") if "id" in spec else None
        if rule_id is None:
            if "id" not in spec:
                self.error(where, "missing required key 'id'")
            return None
        where = f"scoring.rules.{rule_id}"
        method = spec.get("method")
        if method not in SCORING_METHODS:
            self.error(
                where,
                f"method must be one of {', '.join(SCORING_METHODS)}, got `{_yaml_repr(method)}`",
            )
            return None
        column_keys = self._RULE_COLUMNS[method]
        matrix_only = method in ("difference", "borich_mwds", "priority_product")
        allowed = ("id", "method", "label", "over", "group_by") + column_keys
        if not matrix_only:
            allowed += ("items",)
        self.keys(spec, where, allowed, ("method",))
        label = self.text(spec.get("label"), where, "label", required=False)
        group_by = spec.get("group_by", "competency")
        if group_by not in ("competency", "item"):
            self.error(where, "group_by must be 'competency' or 'item'")
        needs_competency = method == "regulatory_gap" or group_by == "competency"

        over = spec.get("over")
        items: tuple[str, ...] = ()
        params: dict[str, str] = {}
        if over is not None and "items" in spec:
            self.error(where, "give either 'over' (a matrix) or 'items', not both")
            return None
        if over is None and "items" not in spec:
            self.error(
                where, "missing input: 'over' (a matrix)" + ("" if matrix_only else " or 'items'")
            )
            return None
        if over is not None:
            matrix = self.items.get(over) if isinstance(over, str) else None
            if matrix is None or matrix.type != "matrix":
                self.error(where, f"over: `{_yaml_repr(over)}` is not a matrix item")
                return None
            for key in column_keys:
                column = spec.get(key)
                if column is None:
                    self.error(where, f"missing required key '{key}' (a column of '{over}')")
                elif not any(c.id == column for c in matrix.columns):
                    self.error(
                        where, f"{key}: matrix '{over}' has no column `{_yaml_repr(column)}`"
                    )
                else:
                    params[key] = column
            if needs_competency:
                for row in matrix.rows:
                    if row.competency is None:
                        self.error(
                            where,
                            f"row '{over}.{row.id}' has no competency, which "
                            f"{method} grouped by competency needs",
                        )
        else:
            for key in column_keys:
                if key in spec:
                    self.error(where, f"'{key}' only applies with 'over' (a matrix)")
            raw_items = spec.get("items")
            if not isinstance(raw_items, list) or not raw_items:
                self.error(where, "items must be a non-empty list of item ids")
                return None
            for item_id in raw_items:
                item = self.items.get(item_id) if isinstance(item_id, str) else None
                if item is None:
                    self.error(where, f"items: unknown item `{_yaml_repr(item_id)}`")
                elif item.type not in self._NUMERIC_TYPES:
                    self.error(where, f"items: '{item_id}' is a {item.type} item, not numeric")
                elif needs_competency and item.competency is None:
                    self.error(
                        where,
                        f"items: '{item_id}' has no competency, which {method} "
                        "grouped by competency needs",
                    )
                else:
                    items += (item_id,)
        return ScoringRule(
            id=rule_id,
            method=method,
            label=label,
            over=over,
            items=items,
            params=MappingProxyType(params),
            group_by=group_by if group_by in ("competency", "item") else "competency",
        )


# ------------------------------------------------------------------------------- public API
