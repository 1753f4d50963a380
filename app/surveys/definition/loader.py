"""The loader proper: top-level keys, scales, choice lists, pages, items, references."""

from __future__ import annotations

import difflib
import re
from types import MappingProxyType

from app.surveys.definition.base import _ITEM_KEYS, _LENIENT, _STRICT, _TOP_KEYS, _Ref
from app.surveys.definition.model import (
    ACCESS_MODES,
    CHOICE_VARIABLE,
    CODE_RE,
    DEFAULT_OTHER_LABEL,
    ERROR,
    ITEM_TYPES,
    KINDS,
    LANG_RE,
    MAX_SCALE_POINTS,
    OTHER_CODE,
    OTHER_SUFFIX,
    RATER_ROLES,
    WARNING,
    Access,
    Choice,
    Definition,
    Item,
    LangText,
    MatrixColumn,
    MatrixRow,
    Page,
    Scale,
)
from app.surveys.definition.repeats import RepeatLoader
from app.surveys.definition.scored import ScoredLoader
from app.surveys.definition.scoring import ScoringLoader
from app.surveys.definition.yaml_source import _written, _written_key, _yaml_repr, _yaml_type
from app.surveys.expressions import Expression


class _Loader(ScoringLoader, ScoredLoader, RepeatLoader):
    """Builds a Definition from parsed YAML, collecting every problem instead of stopping."""

    # ------------------------------------------------------------------- top

    def load(self, data: object, expected_id: str | None) -> Definition | None:
        """Validate the whole file; None when any error was found."""
        top = self.mapping(data, "-", "the file")
        if top is None:
            return None
        self.keys(top, "-", _TOP_KEYS, ("id", "version", "title", "pages"))

        survey_id = (
            self.ident(top.get("id"), "-", "id", _written(top, "id", None)) if "id" in top else None
        )
        if survey_id and expected_id is not None and survey_id != expected_id:
            self.error("-", f"id '{survey_id}' does not match the file name '{expected_id}.yaml'")
        version = self.integer(top.get("version"), "-", "version") if "version" in top else None
        if version is not None and version < 1:
            self.error("-", "version must be at least 1")

        default = top.get("default_language", "id")
        if not isinstance(default, str) or not LANG_RE.match(default):
            self.error(
                "-",
                f"default_language must be a language code like 'id', got `{_yaml_repr(default)}`",
            )
            default = "id"
        self.default_language = default
        languages = top.get("languages", [default])
        langs: list[str] = []
        if not isinstance(languages, list) or not languages:
            self.error("-", "languages must be a non-empty list of language codes")
        else:
            for index, lang in enumerate(languages):
                if not isinstance(lang, str) or not LANG_RE.match(lang):
                    self.error(
                        "-",
                        f"language must be a quoted language code (YAML read "
                        f"`{_written(languages, index, lang)}` as {_yaml_type(lang)})"
                        if not isinstance(lang, str)
                        else f"invalid language code '{lang}'",
                    )
                elif lang in langs:
                    self.error("-", f"language '{lang}' is listed twice")
                else:
                    langs.append(lang)
        if default not in langs:
            self.error("-", f"languages must include default_language '{default}'")
            langs.insert(0, default)
        self.languages = tuple(langs)

        title = self.text(top.get("title"), "-", "title")
        description = self.text(top.get("description"), "-", "description", required=False)

        kind = top.get("kind", "generic")
        if kind not in KINDS:
            self.error("-", f"kind must be one of {', '.join(KINDS)}, got `{_yaml_repr(kind)}`")
            kind = "generic"

        access = self.access(top.get("access", {}))
        raters = self.raters(top.get("raters", []))
        min_group = top.get("min_group_size", 1)
        min_group_size = self.integer(min_group, "-", "min_group_size")
        if min_group_size is not None and min_group_size < 1:
            self.error("-", "min_group_size must be at least 1")

        self.load_scales(top.get("scales", {}))
        self.load_choice_lists(top.get("choice_lists", {}))
        pages = self.load_pages(top.get("pages"))
        self.check_references()
        self.check_piping()
        scoring = self.load_scoring(top["scoring"], raters) if "scoring" in top else None
        quiz = self.load_quiz(top["quiz"], self.items) if "quiz" in top else None

        if any(p.severity == ERROR for p in self.problems):
            return None
        assert survey_id is not None and version is not None and title is not None
        return Definition(
            id=survey_id,
            version=version,
            title=title,
            description=description,
            languages=self.languages,
            default_language=self.default_language,
            kind=kind,
            access=access,
            raters=raters,
            min_group_size=min_group_size or 1,
            scales=MappingProxyType(self.scales),
            choice_lists=MappingProxyType(self.choice_lists),
            pages=pages,
            scoring=scoring,
            quiz=quiz,
            source=self.file,
            warnings=tuple(p for p in self.problems if p.severity == WARNING),
        )

    def access(self, value: object) -> Access:
        """Access block: mode token|public|login, anonymous, resume."""
        data = self.mapping(value, "access", "access")
        if data is None:
            return Access()
        self.keys(data, "access", ("mode", "anonymous", "resume"))
        mode = data.get("mode", "token")
        if mode not in ACCESS_MODES:
            self.error("access", f"mode must be one of {', '.join(ACCESS_MODES)}")
            mode = "token"
        anonymous = self.boolean(data.get("anonymous", False), "access", "anonymous")
        resume = self.boolean(data.get("resume", True), "access", "resume")
        return Access(mode=mode, anonymous=anonymous, resume=resume)

    def raters(self, value: object) -> tuple[str, ...]:
        """Rater roles from the fixed list, each at most once."""
        if not isinstance(value, list):
            self.error("raters", "raters must be a list of rater roles")
            return ()
        out: list[str] = []
        for role in value:
            if role not in RATER_ROLES:
                self.error(
                    "raters",
                    f"unknown rater role `{_yaml_repr(role)}` (allowed: {', '.join(RATER_ROLES)})",
                )
            elif role in out:
                self.error("raters", f"rater role '{role}' is listed twice")
            else:
                out.append(role)
        return tuple(out)

    # ---------------------------------------------------------- scales/lists

    def load_scales(self, value: object) -> None:
        """Integer scales with min < max and labels only for points on the scale."""
        data = self.mapping(value, "scales", "scales")
        if data is None:
            return
        for key, spec in data.items():
            where = f"scale {_yaml_repr(key)}"
            scale_id = self.ident(key, where, "scale id", _written_key(data, key))
            spec = self.mapping(spec, where, "a scale")
            if scale_id is None or spec is None:
                continue
            self.keys(spec, where, ("min", "max", "labels"), ("min", "max"))
            low = self.integer(spec.get("min"), where, "min") if "min" in spec else None
            high = self.integer(spec.get("max"), where, "max") if "max" in spec else None
            if low is None or high is None:
                continue
            if low >= high:
                self.error(where, "min must be less than max")
                continue
            if high - low + 1 > MAX_SCALE_POINTS:
                self.error(where, f"a scale may have at most {MAX_SCALE_POINTS} points")
                continue
            labels: dict[int, LangText] = {}
            raw_labels = self.mapping(spec.get("labels", {}), where, "labels") or {}
            for point, label in raw_labels.items():
                number: int | None = None
                if isinstance(point, int) and not isinstance(point, bool):
                    number = point
                elif isinstance(point, str) and re.fullmatch(r"-?[0-9]+", point):
                    number = int(point)
                if number is None:
                    self.error(where, f"label key `{_yaml_repr(point)}` is not a scale point")
                    continue
                if not low <= number <= high:
                    self.error(where, f"label key {number} is outside {low}..{high}")
                    continue
                text = self.text(label, where, f"label of point {number}")
                if text is not None:
                    labels[number] = text
            self.scales[scale_id] = Scale(scale_id, low, high, MappingProxyType(labels))

    def load_choices(self, value: object, where: str) -> tuple[Choice, ...] | None:
        """Choices with unique string codes (YAML yes/no/01 are rejected)."""
        if not isinstance(value, list) or not value:
            self.error(where, "choices must be a non-empty list of {code, label}")
            return None
        out: list[Choice] = []
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        codes: set[str] = set()
        for entry in value:
            spec = self.mapping(entry, where, "a choice")
            if spec is None:
                continue
            self.keys(spec, where, ("code", "label", "points", "properties"), ("code", "label"))
            if "code" not in spec:
                continue
            code = spec["code"]
            if not isinstance(code, str):
                self.error(
                    where,
                    "choice code must be a quoted string (YAML read "
                    f"`{_written(spec, 'code', code)}` as {_yaml_type(code)})",
                )
                continue
            if not CODE_RE.match(code):
                self.error(
                    where,
                    f"choice code '{code}' may only contain letters, digits, '_', '.' and '-'",
                )
                continue
            properties = self.choice_properties(spec, where) if "properties" in spec else {}
            # a code may repeat when its properties differ (cascading selects: the same
            # county name in two states), as XLSForm allows
            key = (code, tuple(sorted(properties.items())))
            if key in seen or (code, ()) in seen or (not properties and code in codes):
                self.error(where, f"duplicate choice code '{code}'")
                continue
            seen.add(key)
            codes.add(code)
            label = self.text(spec.get("label"), where, f"label of choice '{code}'")
            points = (
                self.number(spec["points"], where, f"points of choice '{code}'")
                if "points" in spec
                else None
            )
            if label is not None:
                out.append(Choice(code, label, points, MappingProxyType(properties)))
        return tuple(out)

    def load_choice_lists(self, value: object) -> None:
        """Named choice lists shared by several items."""
        data = self.mapping(value, "choice_lists", "choice_lists")
        if data is None:
            return
        for key, entries in data.items():
            where = f"choice_list {_yaml_repr(key)}"
            list_id = self.ident(key, where, "choice list id", _written_key(data, key))
            choices = self.load_choices(entries, where)
            if list_id is not None and choices is not None:
                self.choice_lists[list_id] = choices

    # ------------------------------------------------------------ pages/items

    def load_pages(self, value: object) -> tuple[Page, ...]:
        """Pages with unique ids, a title and at least one item."""
        if not isinstance(value, list) or not value:
            if value is not None:
                self.error("-", "pages must be a non-empty list")
            return ()
        pages: list[Page] = []
        for index, entry in enumerate(value):
            where = f"page #{index + 1}"
            spec = self.mapping(entry, where, "a page")
            if spec is None:
                continue
            page_id = (
                self.ident(spec.get("id"), where, "page id", _written(spec, "id", None))
                if "id" in spec
                else None
            )
            if "id" not in spec:
                self.error(where, "missing required key 'id'")
            if page_id is not None:
                where = f"page {page_id}"
                if page_id in self.page_ids:
                    self.error(where, f"duplicate page id '{page_id}'")
                self.page_ids[page_id] = index
            self.keys(
                spec,
                where,
                ("id", "title", "description", "relevant", "items", "repeat"),
                ("title", "items"),
            )
            title = self.text(spec.get("title"), where, "title")
            description = self.text(spec.get("description"), where, "description", False)
            self.pipe_texts(description, where, index)
            relevant = None
            if "relevant" in spec:
                relevant = self.expression(
                    spec["relevant"], where, "relevant", index, None, _STRICT
                )
            repeat = None
            if "repeat" in spec:
                repeat = self.load_repeat(spec["repeat"], where, index)
                if page_id is not None:
                    self.repeat_ids[page_id] = index
            raw_items = spec.get("items")
            items: list[Item] = []
            if not isinstance(raw_items, list) or not raw_items:
                if "items" in spec:
                    self.error(where, "items must be a non-empty list")
            else:
                for raw in raw_items:
                    item = self.load_item(
                        raw, page_id or f"page{index + 1}", index, repeat is not None
                    )
                    if item is not None:
                        items.append(item)
            pages.append(
                Page(
                    id=page_id or f"page{index + 1}",
                    index=index,
                    title=title or MappingProxyType({}),
                    description=description,
                    relevant=relevant,
                    items=tuple(items),
                    repeat=repeat,
                )
            )
        return tuple(pages)

    def load_item(
        self, raw: object, page_id: str, page_index: int, repeated: bool = False
    ) -> Item | None:
        """One item; keys are checked against its type."""
        where = f"page {page_id}"
        spec = self.mapping(raw, where, "an item")
        if spec is None:
            return None
        if "id" not in spec:
            self.error(where, "item without 'id'")
            return None
        item_id = self.ident(spec["id"], where, "item id", _written(spec, "id", None))
        if item_id is None:
            return None
        where = item_id
        if item_id == CHOICE_VARIABLE:
            self.error(where, f"'{CHOICE_VARIABLE}' is reserved for ${{choice}} in choice_filter")
            return None
        if item_id in self.items or item_id in self.item_order:
            first = self.items.get(item_id)
            also = f" (also on page '{first.page_id}')" if first else ""
            self.error(where, f"duplicate item id '{item_id}'{also}")
            return None
        item_type = spec.get("type")
        if "repeat" in spec or item_type in ("repeat", "group"):
            self.error(
                where,
                "repeats nest at most 1 deep: only a page can repeat, not an item inside it",
            )
            return None
        if item_type not in ITEM_TYPES:
            self.error(
                where,
                f"type must be one of {', '.join(ITEM_TYPES)}, got `{_yaml_repr(item_type)}`",
            )
            return None
        order = len(self.item_order)
        self.item_order[item_id] = order
        self.keys(spec, where, _ITEM_KEYS[item_type], ("type",), f"{item_type} items")

        def expr(attr: str, mode: str) -> Expression | None:
            """Parse one expression attribute of this item, if present."""
            if attr not in spec:
                return None
            return self.expression(spec[attr], where, attr, page_index, order, mode)

        label = self.text(spec.get("label"), where, "label", required=item_type != "calculate")
        hint = self.text(spec.get("hint"), where, "hint", required=False)
        self.pipe_texts(label, where, page_index)
        self.pipe_texts(hint, where, page_index)
        relevant = expr("relevant", _STRICT)
        calculate = expr("calculate", _STRICT)
        if item_type == "calculate" and calculate is None and "calculate" not in spec:
            self.error(where, "calculate items need a 'calculate' expression")
        constraint = expr("constraint", _LENIENT)
        required: bool | Expression = False
        if "required" in spec:
            raw_required = spec["required"]
            if isinstance(raw_required, bool):
                required = raw_required
            else:
                required = expr("required", _LENIENT) or False
        if calculate is not None and (required is not False or constraint is not None):
            self.error(where, "a calculated item cannot be required or have a constraint")
        required_message = self.text(spec.get("required_message"), where, "required_message", False)
        constraint_message = self.text(
            spec.get("constraint_message"), where, "constraint_message", False
        )
        if constraint_message is not None and constraint is None and "constraint" not in spec:
            self.error(where, "constraint_message without a constraint")

        choices: tuple[Choice, ...] = ()
        choice_list = None
        other = False
        choice_filter = None
        if item_type in ("single", "multiple"):
            if ("choices" in spec) == ("choice_list" in spec):
                self.error(where, "give exactly one of 'choices' or 'choice_list'")
            elif "choices" in spec:
                choices = self.load_choices(spec["choices"], where) or ()
            else:
                choice_list = self.ident(spec["choice_list"], where, "choice_list")
                if choice_list is not None:
                    if choice_list not in self.choice_lists:
                        self.error(where, f"unknown choice list '{choice_list}'")
                    choices = self.choice_lists.get(choice_list, ())
            other = self.boolean(spec.get("other", False), where, "other")
            if other:
                if any(c.code == OTHER_CODE for c in choices):
                    self.error(
                        where,
                        f"other: true adds the code '{OTHER_CODE}', which the choices already use",
                    )
                label_other = self.text(
                    spec.get("other_label"), where, "other_label", required=False
                ) or MappingProxyType(
                    {k: v for k, v in DEFAULT_OTHER_LABEL.items() if k in self.languages}
                    or {self.default_language: DEFAULT_OTHER_LABEL["en"]}
                )
                choices = choices + (Choice(OTHER_CODE, label_other),)
            elif "other_label" in spec:
                self.error(where, "other_label without other: true")
            choice_filter = expr("choice_filter", _STRICT)

        scale = None
        if item_type == "rating":
            if "scale" not in spec:
                self.error(where, "rating items need a 'scale'")
            else:
                scale = self.ident(spec["scale"], where, "scale")
                if scale is not None and scale not in self.scales:
                    self.error(where, f"unknown scale '{scale}'")
        competency = self.competency(spec.get("competency"), where)

        rows: tuple[MatrixRow, ...] = ()
        columns: tuple[MatrixColumn, ...] = ()
        if item_type == "matrix":
            rows = self.matrix_rows(spec.get("rows"), where)
            columns = self.matrix_columns(spec.get("columns"), where)

        correct, points = self.scored(spec, where, item_type, choices)
        if correct and calculate is not None:
            self.error(where, "a calculated item cannot have a correct answer")
        item = Item(
            id=item_id,
            type=item_type,
            page_id=page_id,
            page_index=page_index,
            label=label,
            hint=hint,
            required=required,
            required_message=required_message,
            relevant=relevant,
            constraint=constraint,
            constraint_message=constraint_message,
            calculate=calculate,
            choices=choices,
            choice_list=choice_list,
            other=other,
            choice_filter=choice_filter,
            scale=scale,
            competency=competency,
            rows=rows,
            columns=columns,
            correct=correct,
            points=points,
            repeat=page_id if repeated else None,
        )
        self.items[item_id] = item
        for path in item.fields():
            self.refs[path] = _Ref(item, order)
        return item

    def competency(self, value: object, where: str) -> str | None:
        """A competency code; checked against the dictionary only when one is given."""
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(where, f"competency must be a quoted code string, got `{_yaml_repr(value)}`")
            return None
        if self.known_competencies is not None and value not in self.known_competencies:
            self.error(where, f"unknown competency code '{value}'")
        return value

    def matrix_rows(self, value: object, where: str) -> tuple[MatrixRow, ...]:
        """Matrix rows with unique ids, labels and optional competency codes."""
        if not isinstance(value, list) or not value:
            self.error(where, "matrix needs a non-empty list of rows")
            return ()
        rows: list[MatrixRow] = []
        for entry in value:
            spec = self.mapping(entry, where, "a matrix row")
            if spec is None:
                continue
            self.keys(spec, where, ("id", "label", "competency"), ("id", "label"))
            row_id = (
                self.ident(spec.get("id"), where, "row id", _written(spec, "id", None))
                if "id" in spec
                else None
            )
            if row_id is None:
                continue
            row_where = f"{where}.{row_id}"
            if any(r.id == row_id for r in rows):
                self.error(row_where, f"duplicate row id '{row_id}'")
                continue
            label = self.text(spec.get("label"), row_where, "label")
            competency = self.competency(spec.get("competency"), row_where)
            rows.append(MatrixRow(row_id, label or MappingProxyType({}), competency))
        return tuple(rows)

    def matrix_columns(self, value: object, where: str) -> tuple[MatrixColumn, ...]:
        """Matrix columns with unique ids, each on a known scale."""
        if not isinstance(value, list) or not value:
            self.error(where, "matrix needs a non-empty list of columns")
            return ()
        columns: list[MatrixColumn] = []
        for entry in value:
            spec = self.mapping(entry, where, "a matrix column")
            if spec is None:
                continue
            self.keys(spec, where, ("id", "label", "scale"), ("id", "label", "scale"))
            col_id = (
                self.ident(spec.get("id"), where, "column id", _written(spec, "id", None))
                if "id" in spec
                else None
            )
            if col_id is None:
                continue
            col_where = f"{where}.{col_id}"
            if any(c.id == col_id for c in columns):
                self.error(col_where, f"duplicate column id '{col_id}'")
                continue
            label = self.text(spec.get("label"), col_where, "label")
            scale = self.ident(spec.get("scale"), col_where, "scale") if "scale" in spec else None
            if scale is None:
                continue
            if scale not in self.scales:
                self.error(col_where, f"unknown scale '{scale}'")
                continue
            columns.append(MatrixColumn(col_id, label or MappingProxyType({}), scale))
        return tuple(columns)

    # ------------------------------------------------------------ references

    def describe_unknown(self, path: str) -> str:
        """Say precisely why a path does not resolve (row, column, note, typo)."""
        parts = path.split(".")
        head = self.items.get(parts[0])
        if head is not None and head.type == "matrix":
            if len(parts) != 3:
                return f"'{parts[0]}' is a matrix; refer to a cell as ${{{parts[0]}.row.column}}"
            if not any(r.id == parts[1] for r in head.rows):
                return f"matrix '{parts[0]}' has no row '{parts[1]}'"
            return f"matrix '{parts[0]}' has no column '{parts[2]}'"
        if head is not None and len(parts) == 2 and parts[1] == OTHER_SUFFIX:
            return f"'{parts[0]}' has no 'other' choice, so ${{{path}}} does not exist"
        if head is not None and head.type == "note":
            return f"'{path}' is a note and has no value"
        close = difflib.get_close_matches(path, list(self.refs), n=1)
        suggestion = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown field '{path}'{suggestion}"

    def check_choice_property(self, where: str, path: str) -> None:
        """``${choice.key}`` must name a property some choice of the item has."""
        key = path.split(".", 1)[1]
        item = self.items.get(where)
        if item is not None and not any(key in c.properties for c in item.choices):
            self.error(where, f"choice_filter: no choice of '{where}' has the property '{key}'")

    def check_references(self) -> None:
        """Every reference must exist and must not point forward (see module doc)."""
        for pending in self.pending:
            where, attr, expr = pending.owner, pending.attr, pending.expr
            if expr.uses_current and attr != "constraint":
                self.error(where, f"{attr}: '.' (the current value) is only allowed in constraint")
            for path in sorted(expr.references):
                if path == CHOICE_VARIABLE or path.startswith(f"{CHOICE_VARIABLE}."):
                    if attr != "choice_filter":
                        self.error(where, f"{attr}: ${{{path}}} is only available in choice_filter")
                    elif path != CHOICE_VARIABLE:
                        self.check_choice_property(where, path)
                    continue
                if path in self.repeat_ids:
                    continue  # a repeated page: the list of its instance numbers
                ref = self.refs.get(path)
                if ref is None:
                    self.error(where, f"{attr}: {self.describe_unknown(path)}")
                    continue
                target = ref.item
                if pending.order is None:  # page-level relevant
                    if target.page_index >= pending.page_index:
                        self.error(
                            where,
                            f"{attr}: page relevance may only use earlier pages, but '{path}' is "
                            f"on page '{target.page_id}'",
                        )
                    continue
                if target.page_index > pending.page_index:
                    self.error(
                        where,
                        f"{attr}: forward reference to '{path}' on a later page "
                        f"('{target.page_id}')",
                    )
                elif pending.mode == _STRICT and target.id == where:
                    self.error(where, f"{attr}: refers to its own item '{path}'")
                elif pending.mode == _STRICT and ref.order > pending.order:
                    self.error(
                        where,
                        f"{attr}: refers to '{path}', which comes later on the same page "
                        f"({attr} may only use earlier items)",
                    )
