"""From survey definitions to a scoring plan: which answer field means what.

The plan is small (one row per scored field and rater role) and is written to the scratch
table `needs_field_map` at recompute time; the SQL then joins the answers to it, so a corrected
definition re-scores everything without code changes.

Rules of the plan:

* The regulatory gap comes from the `regulatory_gap` rules of the cycle's definitions. A
  definition named by another one's `external_raters` (the self-assessment, for the 360°
  rating) is folded into that rule instead of being scored on its own.
* Rater weights come from `rater_weights`; without weights every role counts equally. Self and
  supervisor ratings always count; other groups (peers) only with `min_group_size` raters.
* Levels are read on the item's scale and mapped linearly onto the 1–5 level scale.
* `difference`, `borich_mwds`, `priority_product` and `mean` rules are scored per unit and for
  the whole instansi. The first competency `mean` rule of a `stakeholder` definition gives the
  importance used in priority = gap × importance.
* Competency codes that the instansi's dictionary lacks are not scored; they are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.surveys.definition import (
    Band,
    Definition,
    DefinitionError,
    Item,
    ScoringRule,
    load_definition,
)

GAP = "gap"
UNKNOWN = "unknown"  # purpose prefix of fields whose competency the dictionary lacks
LEVEL_MIN, LEVEL_MAX = 1.0, 5.0
ALWAYS_COUNTED_ROLES = ("self", "supervisor")  # named raters: never hidden behind a group size
RULE_METHODS = ("difference", "borich_mwds", "priority_product", "mean")

_cache: dict[Path, tuple[int, Definition | None, str]] = {}


def load_cached(directory: str | Path, definition_id: str) -> tuple[Definition | None, str]:
    """The definition `<id>.yaml` (re-read when the file changes), or None and why not."""
    path = Path(directory) / f"{definition_id}.yaml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None, "file not found"
    cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1], cached[2]
    try:
        definition: Definition | None = load_definition(path)
        reason = ""
    except DefinitionError as error:
        definition, reason = None, str(error).splitlines()[0][:250] if str(error) else "invalid"
    _cache[path] = (stamp, definition, reason)
    return definition, reason


def band_key(band: Band) -> str:
    """A stable key for a band, from its English label (e.g. 'high_priority')."""
    label = band.label.get("en") or next(iter(band.label.values()), "")
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    return key[:40] or f"band_{band.min:g}"


@dataclass(frozen=True)
class BandSpec:
    """A band of a rule: scores with min ≤ score < max get `key` (labels for display)."""

    key: str
    min: float
    max: float | None
    labels: dict[str, str]


@dataclass(frozen=True)
class MapRow:
    """One row of the scratch mapping table (see FieldMap)."""

    purpose: str
    definition_id: str
    item_id: str
    row_key: str
    column_key: str
    rater_role: str
    group_key: str
    observation: str
    dimension: str
    weight: float
    min_group: int
    scale_min: float
    scale_max: float

    def as_dict(self, run_id: int) -> dict[str, object]:
        """Insert parameters for the scratch table."""
        return {"run_id": run_id, **self.__dict__}


@dataclass
class RoleSpec:
    """How one rater group enters the blended current level."""

    role: str
    weight: float
    min_group: int
    definition_id: str


@dataclass
class GapPlan:
    """The regulatory gap: blended current level vs the position standard."""

    definition_id: str
    rule_id: str
    roles: dict[str, RoleSpec]
    rows: list[MapRow]
    bands: list[BandSpec]
    codes: list[str]  # competency codes the rule scores (known to the dictionary)

    @property
    def one_field_per_rater(self) -> bool:
        """True when no rater answers two fields of one competency (one aggregation suffices)."""
        keys = [(r.definition_id, r.rater_role, r.group_key) for r in self.rows]
        return len(keys) == len(set(keys))


@dataclass
class RulePlan:
    """A group-level rule (Hennessy-Hicks, Borich, priority product, mean)."""

    definition_id: str
    rule_id: str
    method: str
    group_by: str
    labels: dict[str, str]
    rows: list[MapRow]
    bands: list[BandSpec]
    min_group: int

    @property
    def purpose(self) -> str:
        return f"{self.definition_id}:{self.rule_id}"


@dataclass
class AnalysisPlan:
    """Everything the recompute needs from the definitions of one cycle."""

    definitions: dict[str, Definition] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # definition id → why it is unusable
    gap: GapPlan | None = None
    rules: list[RulePlan] = field(default_factory=list)
    importance: RulePlan | None = None
    unknown_rows: list[MapRow] = field(default_factory=list)

    def all_rows(self) -> list[MapRow]:
        """Every mapping row to write to the scratch table."""
        rows = list(self.gap.rows) if self.gap else []
        for rule in self.rules:
            rows.extend(rule.rows)
        return rows + self.unknown_rows


def _bands(definition: Definition, rule_id: str) -> list[BandSpec]:
    scoring = definition.scoring
    if scoring is None:
        return []
    return [
        BandSpec(band_key(b), b.min, b.max, dict(b.label))
        for b in scoring.bands
        if b.rule in (None, rule_id)
    ]


def _scale_bounds(
    definition: Definition, item: Item, column: str | None = None
) -> tuple[float, float]:
    """(min, max) of the scale answering a field; numeric items without a scale read as levels."""
    if item.type == "matrix" or item.scale:
        try:
            scale = definition.scale_of(item, column)
        except (KeyError, StopIteration, AssertionError):
            return LEVEL_MIN, LEVEL_MAX
        return float(scale.min), float(scale.max)
    return LEVEL_MIN, LEVEL_MAX


@dataclass(frozen=True)
class _Field:
    item_id: str
    row_key: str
    column_key: str
    competency: str | None
    group_key: str
    observation: str
    scale: tuple[float, float]


def _rule_fields(definition: Definition, rule: ScoringRule, column_param: str) -> list[_Field]:
    """The fields a rule reads for one of its inputs (a matrix column, or its items)."""
    fields: list[_Field] = []
    if rule.over:
        matrix = definition.item(rule.over)
        column = rule.params.get(column_param, "")
        bounds = _scale_bounds(definition, matrix, column)
        for row in matrix.rows:
            key = row.competency if rule.group_by == "competency" else row.id
            fields.append(
                _Field(matrix.id, row.id, column, row.competency, key or row.id, row.id, bounds)
            )
        return fields
    for item_id in rule.items:
        item = definition.item(item_id)
        key = item.competency if rule.group_by == "competency" else item.id
        fields.append(
            _Field(
                item.id,
                "",
                "",
                item.competency,
                key or item.id,
                item.id,
                _scale_bounds(definition, item),
            )
        )
    return fields


def _gap_fields(definition: Definition) -> list[_Field]:
    """Fields of a definition that rate competency levels (its gap rule, else its rated items)."""
    if definition.scoring is not None:
        for rule in definition.scoring.rules:
            if rule.method == "regulatory_gap":
                return _rule_fields(definition, rule, "current")
    return [
        _Field(i.id, "", "", i.competency, i.competency, i.id, _scale_bounds(definition, i))
        for i in definition.items
        if i.type == "rating" and i.competency
    ]


def build_plan(
    definitions: dict[str, Definition],
    known_codes: set[str],
    missing: dict[str, str] | None = None,
) -> AnalysisPlan:
    """Turn the cycle's definitions into mapping rows for the gap and the group rules."""
    plan = AnalysisPlan(definitions=dict(definitions), missing=dict(missing or {}))
    gap_rules = [
        (d, r)
        for d in sorted(definitions.values(), key=lambda d: d.id)
        if d.scoring is not None
        for r in d.scoring.rules
        if r.method == "regulatory_gap"
    ]
    absorbed = {
        source
        for d, _ in gap_rules
        for source in (d.scoring.external_raters.values() if d.scoring else ())
    }
    primary = [(d, r) for d, r in gap_rules if d.id not in absorbed] or gap_rules[:1]
    if primary:
        plan.gap = _gap_plan(primary, definitions, known_codes, plan)
    for definition in sorted(definitions.values(), key=lambda d: d.id):
        if definition.scoring is None:
            continue
        for rule in definition.scoring.rules:
            if rule.method not in RULE_METHODS:
                continue
            rule_plan = _rule_plan(definition, rule, known_codes, plan)
            plan.rules.append(rule_plan)
            if (
                plan.importance is None
                and definition.kind == "stakeholder"
                and rule.method == "mean"
                and rule.group_by == "competency"
            ):
                plan.importance = rule_plan
    return plan


def _gap_plan(
    primary: list[tuple[Definition, ScoringRule]],
    definitions: dict[str, Definition],
    known_codes: set[str],
    plan: AnalysisPlan,
) -> GapPlan:
    first_definition, first_rule = primary[0]
    roles: dict[str, RoleSpec] = {}
    rows: list[MapRow] = []
    codes: list[str] = []
    for definition, rule in primary:
        scoring = definition.scoring
        assert scoring is not None
        weights = dict(scoring.rater_weights)
        sources: list[tuple[str, Definition, list[_Field]]] = [
            (role, definition, _rule_fields(definition, rule, "current"))
            for role in definition.raters
        ]
        for role, source_id in scoring.external_raters.items():
            source = definitions.get(source_id)
            if source is None:
                plan.missing.setdefault(source_id, "file not found")
                continue
            sources.append((role, source, _gap_fields(source)))
        for role, source, fields in sources:
            if weights and role not in weights:
                continue  # declared weights leave this role out of the blend
            weight = weights.get(role, 1.0)
            min_group = 1 if role in ALWAYS_COUNTED_ROLES else max(source.min_group_size, 1)
            roles.setdefault(role, RoleSpec(role, weight, min_group, source.id))
            spec = roles[role]
            for f in fields:
                if not f.competency:
                    continue
                known = f.competency in known_codes
                if known and f.competency not in codes:
                    codes.append(f.competency)
                rows.append(
                    MapRow(
                        GAP if known else f"{UNKNOWN}:{GAP}",
                        source.id,
                        f.item_id,
                        f.row_key,
                        f.column_key,
                        role,
                        f.competency,
                        f.observation,
                        "a",
                        spec.weight,
                        spec.min_group,
                        *f.scale,
                    )
                )
    gap = GapPlan(
        definition_id=first_definition.id,
        rule_id=first_rule.id,
        roles=roles,
        rows=[r for r in rows if r.purpose == GAP],
        bands=_bands(first_definition, first_rule.id),
        codes=codes,
    )
    plan.unknown_rows.extend(r for r in rows if r.purpose != GAP)
    return gap


def _rule_plan(
    definition: Definition, rule: ScoringRule, known_codes: set[str], plan: AnalysisPlan
) -> RulePlan:
    inputs = {
        "difference": (("importance", "a"), ("performance", "b")),
        "borich_mwds": (("importance", "a"), ("ability", "b")),
        "priority_product": (("importance", "a"), ("performance", "b")),
        "mean": (("column", "a"),),
    }[rule.method]
    purpose = f"{definition.id}:{rule.id}"
    rows: list[MapRow] = []
    for param, dimension in inputs:
        for f in _rule_fields(definition, rule, param):
            unknown = rule.group_by == "competency" and f.group_key not in known_codes
            rows.append(
                MapRow(
                    f"{UNKNOWN}:{purpose}" if unknown else purpose,
                    definition.id,
                    f.item_id,
                    f.row_key,
                    f.column_key,
                    "",
                    f.group_key,
                    f.observation,
                    dimension,
                    1.0,
                    max(definition.min_group_size, 1),
                    *f.scale,
                )
            )
    plan.unknown_rows.extend(r for r in rows if r.purpose != purpose)
    return RulePlan(
        definition_id=definition.id,
        rule_id=rule.id,
        method=rule.method,
        group_by=rule.group_by,
        labels=dict(rule.label or {}),
        rows=[r for r in rows if r.purpose == purpose],
        bands=_bands(definition, rule.id),
        min_group=max(definition.min_group_size, 1),
    )
