"""Survey definition model: constants and frozen dataclasses (see the package doc)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from app.surveys.expressions import Expression

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
MAX_REPEAT_INSTANCES = 100  # hard cap on a repeat's instances, whatever its max says
POSITION_KEY = "#position"  # expression context key of position() inside a repeat instance

_INSTANCE_RE = re.compile(r"^(?P<base>[^\[\]]+)\[(?P<n>[1-9][0-9]{0,3})\]$")


def instance_path(path: str, number: int) -> str:
    """Field path of one repeat instance: ``nama`` in instance 2 is ``nama[2]``."""
    return f"{path}[{number}]"


@functools.lru_cache(maxsize=65536)
def split_instance(path: str) -> tuple[str, int | None]:
    """``nama[2]`` → (``nama``, 2); a path outside a repeat → (path, None). Cached: a submit
    of a form with repeats splits the same few thousand paths several times."""
    match = _INSTANCE_RE.match(path)
    if match is None:
        return path, None
    return match.group("base"), int(match.group("n"))


def count_path(page_id: str) -> str:
    """Where an open-ended repeat stores how many instances the respondent added."""
    return f"{page_id}[]"


ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

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
    points: float | None = None  # points earned by choosing it (scored items)
    properties: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


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
    repeat: str | None = None  # id of the repeated page holding this item
    correct: tuple[str, ...] = ()  # correct answer(s) of a scored item
    points: float | None = None  # points of a correct answer (default 1 when ``correct``)

    @property
    def is_scored(self) -> bool:
        """A scored (quiz) item: it has a correct answer or points on its choices."""
        return bool(self.correct) or any(c.points is not None for c in self.choices)

    @property
    def max_points(self) -> float:
        """The most this item can earn (0 for an unscored item)."""
        if self.correct:
            return 1.0 if self.points is None else self.points
        earned = [c.points for c in self.choices if c.points is not None and c.points > 0]
        if not earned:
            return 0.0
        return sum(earned) if self.type == "multiple" else max(earned)

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
    repeat: Repeat | None = None


@dataclass(frozen=True)
class Repeat:
    """A repeated page: ``count`` (an expression) fixes the number of instances, otherwise the
    respondent adds instances ("add another") between ``min`` and ``max``."""

    max: int
    min: int = 0
    count: Expression | None = None
    label: LangText | None = None  # title of one instance, piped (``Anggota ${nama}``)

    @property
    def open_ended(self) -> bool:
        """True when the respondent decides how many instances there are."""
        return self.count is None


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
class Quiz:
    """Settings of a scored form (pre/post test); ``total`` is the sum of the items' maximums.

    ``pass_mark`` is in points (``pass_percent`` in the file is converted to points at load
    time); ``show_result`` shows the respondent their score right after submitting.
    """

    total: float
    pass_mark: float | None = None
    show_result: bool = False
    show_correct: bool = False


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
    quiz: Quiz | None = None
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

    @property
    def scored_items(self) -> tuple[Item, ...]:
        """Items with a correct answer or choice points, in form order."""
        return tuple(item for item in self._items.values() if item.is_scored)

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
        """The item owning a field path (``q``, ``q.other``, ``grid.row.col``, ``q[2]``)."""
        item = self._fields.get(path)
        if item is None:
            base, number = split_instance(path)
            item = self._fields.get(base) if number is not None else None
            if item is None or item.repeat is None:
                raise KeyError(path)
        return item

    def fields(self, calculated: bool = True) -> list[str]:
        """Ordered field paths outside repeats (one value per response), for exporters and
        scoring: answerable fields and (optionally) calculated ones."""
        return [
            path
            for path, item in self._fields.items()
            if item.repeat is None and (calculated or not item.is_calculated)
        ]

    def repeat_fields(self, page_id: str, calculated: bool = True) -> list[str]:
        """Base field paths of one repeated page (``nama``; stored as ``nama[1]``, ``nama[2]``)."""
        return [
            path
            for path, item in self._fields.items()
            if item.repeat == page_id and (calculated or not item.is_calculated)
        ]

    @property
    def repeat_pages(self) -> tuple[Page, ...]:
        """Repeated pages, in form order."""
        return tuple(page for page in self.pages if page.repeat is not None)

    def scale_of(self, item: Item, column: str | None = None) -> Scale:
        """Scale of a rating item, or of a matrix column."""
        if item.type == "matrix":
            col = next(c for c in item.columns if c.id == column)
            return self.scales[col.scale]
        assert item.scale is not None
        return self.scales[item.scale]


# ------------------------------------------------------------------------------------ loader
