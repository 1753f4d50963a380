"""Survey definitions: typed model (frozen dataclasses) and a validating loader for YAML files.

One instrument per file, ``surveys/<id>.yaml``. Top-level keys::

    id, version, title, description?, languages, default_language, kind, access?, raters?,
    min_group_size?, scales?, choice_lists?, pages, scoring?

* Text fields (``title``, ``label``, ``hint``, messages …) are *language maps*
  (``{id: "…", en: "…"}``; the key ``id`` there is the language Indonesian) or a plain string,
  read as the default language. A missing translation falls back to ``default_language`` and is
  reported as a warning.
* Item types: ``text textarea integer decimal single multiple rating matrix date note calculate``.
  ``calculate: <expr>`` on an integer/decimal/text item makes it a read-only computed value; a
  ``type: calculate`` item is a hidden computed value.
* ``single``/``multiple`` take inline ``choices`` or a ``choice_list`` id; ``other: true`` appends
  the code ``other`` whose free text is the field ``<item>.other``; ``choice_filter`` is evaluated
  once per choice with the candidate code as ``${choice}`` (so ``choice`` is a reserved item id)
  and keeps the choices for which it is true; the ``other`` choice is never filtered out.
* ``rating`` takes a ``scale``; ``matrix`` takes ``rows`` (id, label, competency?) and ``columns``
  (id, label, scale) and yields one field per cell, ``<matrix>.<row>.<column>``.
* Expressions (see ``expressions``) are parsed at load time. ``relevant``, ``calculate`` and
  ``choice_filter`` may only use items that come earlier in the form; ``required`` and
  ``constraint`` may also use later items on the same page; nothing may use a later page; a page's
  ``relevant`` may only use earlier pages; ``.`` is only allowed in ``constraint``.
* ``scoring`` is validated structurally here; the scoring engine lives elsewhere.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from app.surveys.expressions import Expression, ParseError, parse

ERROR = "error"
WARNING = "warning"

ITEM_TYPES = (
    "text",
    "textarea",
    "integer",
    "decimal",
    "single",
    "multiple",
    "rating",
    "matrix",
    "date",
    "note",
    "calculate",
)
KINDS = (
    "self_assessment",
    "rating_360",
    "stakeholder",
    "post_training",
    "follow_up",
    "mentoring_feedback",
    "generic",
)
ACCESS_MODES = ("token", "public", "login")
RATER_ROLES = ("self", "supervisor", "peer", "subordinate", "stakeholder", "participant", "mentee")
SCORING_METHODS = ("regulatory_gap", "difference", "borich_mwds", "priority_product", "mean")
OTHER_CODE = "other"
OTHER_SUFFIX = "other"  # the free text of an "other" choice is the field "<item>.other"
CHOICE_VARIABLE = "choice"  # ${choice} inside choice_filter
DEFAULT_OTHER_LABEL = {"id": "Lainnya", "en": "Other"}
MAX_SCALE_POINTS = 21

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

CORE_COMPETENCIES: dict[str, dict[str, str]] = {
    "M.01": {"id": "Integritas", "en": "Integrity"},
    "M.02": {"id": "Kerja Sama", "en": "Cooperation"},
    "M.03": {"id": "Komunikasi", "en": "Communication"},
    "M.04": {"id": "Orientasi pada Hasil", "en": "Results Orientation"},
    "M.05": {"id": "Pelayanan Publik", "en": "Public Service"},
    "M.06": {"id": "Pengembangan Diri dan Orang Lain", "en": "Developing Self and Others"},
    "M.07": {"id": "Mengelola Perubahan", "en": "Managing Change"},
    "M.08": {"id": "Pengambilan Keputusan", "en": "Decision Making"},
    "SK.01": {"id": "Perekat Bangsa", "en": "National Unifier"},
}

LangText = Mapping[str, str]


# ------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Problem:
    """One validation finding; ``item`` locates it (item id, ``page <id>``, ``scoring…``, ``-``)."""

    file: str
    item: str
    reason: str
    severity: str = ERROR

    def __str__(self) -> str:
        """The `file: item: reason` line printed by `flask surveys check`."""
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{self.file}: {self.item}: {prefix}{self.reason}"


class DefinitionError(Exception):
    """Raised by the loader when a definition has at least one error."""

    def __init__(self, problems: list[Problem]) -> None:
        """Keep every problem; the message lists the errors."""
        self.problems = problems
        errors = [p for p in problems if p.severity == ERROR]
        super().__init__("\n".join(str(p) for p in errors) or "invalid definition")


@dataclass(frozen=True)
class Choice:
    """An answer option; ``code`` is what gets stored."""

    code: str
    label: LangText


@dataclass(frozen=True)
class Scale:
    """An integer rating scale with optional labels per point."""

    id: str
    min: int
    max: int
    labels: Mapping[int, LangText] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def points(self) -> tuple[int, ...]:
        """All values of the scale, ascending."""
        return tuple(range(self.min, self.max + 1))


@dataclass(frozen=True)
class MatrixRow:
    """A matrix row (usually one competency or task)."""

    id: str
    label: LangText
    competency: str | None = None


@dataclass(frozen=True)
class MatrixColumn:
    """A matrix column: one rating dimension (e.g. importance, performance) on a scale."""

    id: str
    label: LangText
    scale: str


@dataclass(frozen=True)
class Item:
    """A question, note or calculated value; ``required`` is a bool or an Expression."""

    id: str
    type: str
    page_id: str
    page_index: int
    label: LangText | None = None
    hint: LangText | None = None
    required: bool | Expression = False
    required_message: LangText | None = None
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: LangText | None = None
    calculate: Expression | None = None
    choices: tuple[Choice, ...] = ()
    choice_list: str | None = None
    other: bool = False
    choice_filter: Expression | None = None
    scale: str | None = None
    competency: str | None = None
    rows: tuple[MatrixRow, ...] = ()
    columns: tuple[MatrixColumn, ...] = ()

    @property
    def is_calculated(self) -> bool:
        """Calculated items are read-only: their value comes from ``calculate``."""
        return self.calculate is not None

    @property
    def has_value(self) -> bool:
        """Notes carry no value; every other item yields at least one field."""
        return self.type != "note"

    @property
    def other_path(self) -> str | None:
        """Field path of the free text for the "other" choice, if enabled."""
        return f"{self.id}.{OTHER_SUFFIX}" if self.other else None

    def fields(self) -> tuple[str, ...]:
        """Field paths stored for this item (matrix cells as ``item.row.column``)."""
        if self.type == "note":
            return ()
        if self.type == "matrix":
            return tuple(f"{self.id}.{r.id}.{c.id}" for r in self.rows for c in self.columns)
        if self.other:
            return (self.id, f"{self.id}.{OTHER_SUFFIX}")
        return (self.id,)


@dataclass(frozen=True)
class Page:
    """A page (group) shown as one screen; ``index`` is its 0-based position."""

    id: str
    index: int
    title: LangText
    items: tuple[Item, ...]
    description: LangText | None = None
    relevant: Expression | None = None


@dataclass(frozen=True)
class Access:
    """How respondents reach the survey."""

    mode: str = "token"
    anonymous: bool = False
    resume: bool = True


@dataclass(frozen=True)
class ScoringRule:
    """A declarative scoring rule; ``params`` holds the method-specific inputs."""

    id: str
    method: str
    label: LangText | None = None
    over: str | None = None
    items: tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    group_by: str = "competency"


@dataclass(frozen=True)
class Band:
    """Label for scores with ``min <= score < max`` (``max`` open when None)."""

    min: float
    label: LangText
    max: float | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Scoring:
    """Scoring block: rules, per-role weights, roles supplied by other instruments, bands."""

    rules: tuple[ScoringRule, ...] = ()
    rater_weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    external_raters: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Definition:
    """A loaded, validated instrument."""

    id: str
    version: int
    title: LangText
    languages: tuple[str, ...]
    default_language: str
    kind: str
    pages: tuple[Page, ...]
    description: LangText | None = None
    access: Access = field(default_factory=Access)
    raters: tuple[str, ...] = ()
    min_group_size: int = 1
    scales: Mapping[str, Scale] = field(default_factory=lambda: MappingProxyType({}))
    choice_lists: Mapping[str, tuple[Choice, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    scoring: Scoring | None = None
    source: str = ""
    warnings: tuple[Problem, ...] = ()
    _items: Mapping[str, Item] = field(init=False, repr=False, compare=False)
    _fields: Mapping[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index items and field paths once; the dataclass stays frozen."""
        items: dict[str, Item] = {}
        fields: dict[str, Item] = {}
        for page in self.pages:
            for item in page.items:
                items[item.id] = item
                for path in item.fields():
                    fields[path] = item
        object.__setattr__(self, "_items", MappingProxyType(items))
        object.__setattr__(self, "_fields", MappingProxyType(fields))

    def text(self, value: LangText | str | None, lang: str | None = None) -> str:
        """Text in ``lang``, falling back to the default language, then to any language."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        for code in (lang, self.default_language):
            if code and value.get(code):
                return value[code]
        return next((text for text in value.values() if text), "")

    @property
    def items(self) -> tuple[Item, ...]:
        """All items in form order."""
        return tuple(self._items.values())

    def item(self, item_id: str) -> Item:
        """Item by id (KeyError if unknown)."""
        return self._items[item_id]

    def page(self, page_id: str) -> Page:
        """Page by id (KeyError if unknown)."""
        for page in self.pages:
            if page.id == page_id:
                return page
        raise KeyError(page_id)

    def page_index(self, item_id: str) -> int:
        """0-based index of the page holding an item."""
        return self._items[item_id].page_index

    def field_item(self, path: str) -> Item:
        """The item owning a field path (``q``, ``q.other``, ``grid.row.col``)."""
        return self._fields[path]

    def fields(self, calculated: bool = True) -> list[str]:
        """Ordered field paths for exporters: answerable fields and (optionally) calculated ones."""
        return [path for path, item in self._fields.items() if calculated or not item.is_calculated]

    def scale_of(self, item: Item, column: str | None = None) -> Scale:
        """Scale of a rating item, or of a matrix column."""
        if item.type == "matrix":
            col = next(c for c in item.columns if c.id == column)
            return self.scales[col.scale]
        assert item.scale is not None
        return self.scales[item.scale]


# ------------------------------------------------------------------------------------ loader


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys and remembers the source text of scalars."""


class _YDict(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers how each scalar value and key was written."""

    source: dict[Any, str]
    key_source: dict[Any, str]


class _YList(list):  # type: ignore[type-arg]
    """A YAML sequence that remembers how each scalar element was written."""

    source: list[str | None]


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> _YDict:
    """Build a mapping, rejecting duplicate keys and remembering scalar spellings."""
    loader.flatten_mapping(node)
    result = _YDict()
    result.source, result.key_source = {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in result
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "unhashable mapping key", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        if isinstance(key_node, yaml.ScalarNode):
            result.key_source[key] = key_node.value
        if isinstance(value_node, yaml.ScalarNode):
            result.source[key] = value_node.value
    return result


def _construct_sequence(loader: _UniqueKeyLoader, node: yaml.SequenceNode) -> _YList:
    """Build a list, remembering how each scalar element was written."""
    result = _YList(loader.construct_object(child, deep=True) for child in node.value)
    result.source = [c.value if isinstance(c, yaml.ScalarNode) else None for c in node.value]
    return result


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence
)


def _written(container: object, key: object, value: object) -> str:
    """How a scalar was written in the YAML file (falls back to its YAML spelling)."""
    if isinstance(container, _YDict) and key in container.source:
        return container.source[key]
    if isinstance(container, _YList) and isinstance(key, int) and key < len(container.source):
        written = container.source[key]
        if written is not None:
            return written
    return _yaml_repr(value)


def _written_key(container: object, key: object) -> str:
    """How a mapping key was written in the YAML file."""
    if isinstance(container, _YDict) and key in container.key_source:
        return container.key_source[key]
    return _yaml_repr(key)


def _yaml_type(value: object) -> str:
    """Explain what PyYAML produced, for 'must be a quoted string' messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"


def _yaml_repr(value: object) -> str:
    """YAML spelling of a constructed value (true/false/null), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


_TOP_KEYS = (
    "id",
    "version",
    "title",
    "description",
    "languages",
    "default_language",
    "kind",
    "access",
    "raters",
    "min_group_size",
    "scales",
    "choice_lists",
    "pages",
    "scoring",
)
_COMMON_ITEM_KEYS = ("id", "type", "label", "hint", "relevant")
_ANSWER_KEYS = ("required", "required_message", "constraint", "constraint_message")
_CHOICE_KEYS = ("choices", "choice_list", "other", "other_label", "choice_filter")
_ITEM_KEYS: dict[str, tuple[str, ...]] = {
    "text": _COMMON_ITEM_KEYS + _ANSWER_KEYS + ("calculate",),
    "textarea": _COMMON_ITEM_KEYS + _ANSWER_KEYS,
    "integer": _COMMON_ITEM_KEYS + _ANSWER_KEYS + ("calculate",),
    "decimal": _COMMON_ITEM_KEYS + _ANSWER_KEYS + ("calculate",),
    "date": _COMMON_ITEM_KEYS + _ANSWER_KEYS,
    "single": _COMMON_ITEM_KEYS + _ANSWER_KEYS + _CHOICE_KEYS,
    "multiple": _COMMON_ITEM_KEYS + _ANSWER_KEYS + _CHOICE_KEYS,
    "rating": _COMMON_ITEM_KEYS + _ANSWER_KEYS + ("scale", "competency"),
    "matrix": _COMMON_ITEM_KEYS + ("required", "required_message", "rows", "columns"),
    "note": _COMMON_ITEM_KEYS,
    "calculate": ("id", "type", "label", "hint", "relevant", "calculate"),
}
_ALL_ITEM_KEYS = set().union(*_ITEM_KEYS.values())

# How each expression attribute may reference other fields.
_STRICT = "strict"  # earlier items only
_LENIENT = "lenient"  # earlier items and later items on the same page


@dataclass
class _Ref:
    """Where a field path lives, for reference checks."""

    item: Item
    order: int


@dataclass
class _PendingExpr:
    owner: str
    attr: str
    expr: Expression
    page_index: int
    order: int | None  # None for page-level expressions
    mode: str


class _Loader:
    """Builds a Definition from parsed YAML, collecting every problem instead of stopping."""

    def __init__(self, file: str, known_competencies: set[str] | None) -> None:
        """Start with the default language 'id' until the file says otherwise."""
        self.file = file
        self.known_competencies = known_competencies
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ("id",)
        self.default_language = "id"
        self.scales: dict[str, Scale] = {}
        self.choice_lists: dict[str, tuple[Choice, ...]] = {}
        self.pending: list[_PendingExpr] = []
        self.refs: dict[str, _Ref] = {}
        self.items: dict[str, Item] = {}
        self.item_order: dict[str, int] = {}
        self.page_ids: dict[str, int] = {}

    # ---------------------------------------------------------------- helpers

    def error(self, item: str, reason: str) -> None:
        """Record an error; loading continues so every problem is reported."""
        self.problems.append(Problem(self.file, item, reason, ERROR))

    def warn(self, item: str, reason: str) -> None:
        """Record a warning (missing translations); the definition still loads."""
        self.problems.append(Problem(self.file, item, reason, WARNING))

    def mapping(self, value: object, where: str, what: str) -> dict[str, Any] | None:
        """The value if it is a mapping, else an error and None."""
        if not isinstance(value, dict):
            self.error(where, f"{what} must be a mapping, not {_yaml_type(value)}")
            return None
        return value

    def keys(
        self,
        data: dict[Any, Any],
        where: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        context: str = "",
    ) -> None:
        """Reject unknown keys (or keys of another item type) and report missing ones."""
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                if isinstance(key, str) and key in _ALL_ITEM_KEYS and context:
                    self.error(where, f"key '{key}' does not apply to {context}")
                else:
                    self.error(where, f"unknown key '{_written_key(data, key)}'")
        for key in required:
            if key not in data:
                self.error(where, f"missing required key '{key}'")

    def ident(
        self, value: object, where: str, what: str = "id", written: str | None = None
    ) -> str | None:
        """An id must be a string matching ^[a-z][a-z0-9_]*$; YAML booleans are explained."""
        if not isinstance(value, str):
            self.error(
                where,
                f"{what} must be a quoted string (YAML read `{written or _yaml_repr(value)}` as "
                f"{_yaml_type(value)})",
            )
            return None
        if not ID_RE.match(value):
            self.error(where, f"{what} '{value}' must match ^[a-z][a-z0-9_]*$")
            return None
        return value

    def text(self, value: object, where: str, what: str, required: bool = True) -> LangText | None:
        """Parse a language map (or plain default-language string); warn on missing languages."""
        if value is None:
            if required:
                self.error(where, f"missing {what}")
            return None
        if isinstance(value, str):
            value = {self.default_language: value}
        if not isinstance(value, dict):
            self.error(where, f"{what} must be a language map like {{id: ..., en: ...}}")
            return None
        out: dict[str, str] = {}
        for lang, text in value.items():
            if not isinstance(lang, str) or lang not in self.languages:
                self.error(
                    where,
                    f"{what} has language '{_written_key(value, lang)}', which is not in "
                    f"languages {list(self.languages)}",
                )
                continue
            if not isinstance(text, str):
                self.error(
                    where,
                    f"{what} in '{lang}' must be a quoted string (YAML read "
                    f"`{_written(value, lang, text)}` as {_yaml_type(text)})",
                )
                continue
            if not text.strip():
                self.error(where, f"{what} in '{lang}' must not be empty")
                continue
            out[lang] = text
        if not out:
            if not value:
                self.error(where, f"{what} is empty")
            return None
        for lang in self.languages:
            if lang not in out:
                self.warn(where, f"missing '{lang}' translation of {what}")
        return MappingProxyType(out)

    def expression(
        self,
        value: object,
        where: str,
        attr: str,
        page_index: int,
        order: int | None,
        mode: str,
    ) -> Expression | None:
        """Parse an expression now (never at runtime); reference checks run later."""
        if isinstance(value, bool):
            self.error(where, f"{attr} must be an expression string, not a boolean")
            return None
        if isinstance(value, int | float):
            value = str(value)
        if not isinstance(value, str):
            self.error(where, f"{attr} must be an expression string")
            return None
        try:
            expr = parse(value)
        except ParseError as exc:
            self.error(where, f"{attr}: {exc}")
            return None
        self.pending.append(_PendingExpr(where, attr, expr, page_index, order, mode))
        return expr

    def integer(self, value: object, where: str, what: str) -> int | None:
        """An int that is not a bool (YAML `yes` is not 1)."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"{what} must be an integer, not {_yaml_type(value)}")
            return None
        return value

    def boolean(self, value: object, where: str, what: str) -> bool:
        """A real YAML boolean."""
        if not isinstance(value, bool):
            self.error(where, f"{what} must be true or false")
            return False
        return value

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
        scoring = self.load_scoring(top["scoring"], raters) if "scoring" in top else None

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
        seen: set[str] = set()
        for entry in value:
            spec = self.mapping(entry, where, "a choice")
            if spec is None:
                continue
            self.keys(spec, where, ("code", "label"), ("code", "label"))
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
            if code in seen:
                self.error(where, f"duplicate choice code '{code}'")
                continue
            seen.add(code)
            label = self.text(spec.get("label"), where, f"label of choice '{code}'")
            if label is not None:
                out.append(Choice(code, label))
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
                spec, where, ("id", "title", "description", "relevant", "items"), ("title", "items")
            )
            title = self.text(spec.get("title"), where, "title")
            description = self.text(spec.get("description"), where, "description", False)
            relevant = None
            if "relevant" in spec:
                relevant = self.expression(
                    spec["relevant"], where, "relevant", index, None, _STRICT
                )
            raw_items = spec.get("items")
            items: list[Item] = []
            if not isinstance(raw_items, list) or not raw_items:
                if "items" in spec:
                    self.error(where, "items must be a non-empty list")
            else:
                for raw in raw_items:
                    item = self.load_item(raw, page_id or f"page{index + 1}", index)
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
                )
            )
        return tuple(pages)

    def load_item(self, raw: object, page_id: str, page_index: int) -> Item | None:
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
            other = self.items.get(item_id)
            also = f" (also on page '{other.page_id}')" if other else ""
            self.error(where, f"duplicate item id '{item_id}'{also}")
            return None
        item_type = spec.get("type")
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

    def check_references(self) -> None:
        """Every reference must exist and must not point forward (see module doc)."""
        for pending in self.pending:
            where, attr, expr = pending.owner, pending.attr, pending.expr
            if expr.uses_current and attr != "constraint":
                self.error(where, f"{attr}: '.' (the current value) is only allowed in constraint")
            for path in sorted(expr.references):
                if path == CHOICE_VARIABLE:
                    if attr != "choice_filter":
                        self.error(where, f"{attr}: ${{choice}} is only available in choice_filter")
                    continue
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

    # --------------------------------------------------------------- scoring

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


def definition_from_data(
    data: object,
    file: str = "<data>",
    known_competencies: set[str] | None = None,
    expected_id: str | None = None,
) -> tuple[Definition | None, list[Problem]]:
    """Validate already-parsed YAML data; returns (definition or None on errors, problems)."""
    loader = _Loader(file, known_competencies)
    definition = loader.load(data, expected_id)
    return definition, loader.problems


def load_yaml_text(text: str, file: str = "<string>") -> tuple[object, list[Problem]]:
    """Parse YAML safely (duplicate keys rejected); returns (data, problems)."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "-"
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(file, where, f"invalid YAML: {problem}")]


def definition_from_text(
    text: str,
    file: str = "<string>",
    known_competencies: set[str] | None = None,
    expected_id: str | None = None,
) -> Definition:
    """Load a definition from YAML text; raises DefinitionError listing every problem."""
    data, problems = load_yaml_text(text, file)
    if problems:
        raise DefinitionError(problems)
    definition, problems = definition_from_data(data, file, known_competencies, expected_id)
    if definition is None:
        raise DefinitionError(problems)
    return definition


def load_definition(path: str | Path, known_competencies: set[str] | None = None) -> Definition:
    """Load ``<id>.yaml``; raises DefinitionError (with all problems) if anything is an error."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([Problem(path.name, "-", f"cannot read file: {exc}")]) from None
    return definition_from_text(text, path.name, known_competencies, expected_id=path.stem)


def check_file(path: str | Path, known_competencies: set[str] | None = None) -> list[Problem]:
    """All problems (errors and warnings) of one file."""
    try:
        definition = load_definition(path, known_competencies)
    except DefinitionError as exc:
        return list(exc.problems)
    return list(definition.warnings)


def load_directory(
    directory: str | Path, known_competencies: set[str] | None = None
) -> dict[str, Definition]:
    """Load every ``*.yaml`` in a directory; raises DefinitionError if any file has errors."""
    problems = check_directory(directory, known_competencies)
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise DefinitionError(problems)
    return {
        path.stem: load_definition(path, known_competencies)
        for path in sorted(Path(directory).glob("*.yaml"))
    }


def check_directory(
    directory: str | Path, known_competencies: set[str] | None = None
) -> list[Problem]:
    """Problems of every ``*.yaml`` in a directory, plus cross-file checks (external raters)."""
    directory = Path(directory)
    if not directory.is_dir():
        return [Problem(str(directory), "-", "surveys directory does not exist")]
    problems: list[Problem] = []
    loaded: dict[str, Definition] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            definition = load_definition(path, known_competencies)
        except DefinitionError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(definition.warnings)
        loaded[definition.id] = definition
    for definition in loaded.values():
        if definition.scoring is None:
            continue
        for role, survey_id in definition.scoring.external_raters.items():
            other = loaded.get(survey_id)
            where = "scoring.external_raters"
            if other is None:
                problems.append(
                    Problem(
                        f"{definition.id}.yaml",
                        where,
                        f"role '{role}' comes from survey '{survey_id}', which is not in the "
                        "directory",
                    )
                )
            elif role not in other.raters:
                problems.append(
                    Problem(
                        f"{definition.id}.yaml",
                        where,
                        f"role '{role}' comes from survey '{survey_id}', whose raters do not "
                        "include it",
                    )
                )
    return problems
