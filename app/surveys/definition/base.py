"""Loader state, key tables and the small validating helpers every loader part uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from app.surveys.definition.model import (
    ERROR,
    ID_RE,
    WARNING,
    Choice,
    Item,
    LangText,
    Problem,
    Scale,
)
from app.surveys.definition.yaml_source import _written, _written_key, _yaml_repr, _yaml_type
from app.surveys.expressions import Expression, ParseError, parse

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
    "quiz",
)
_COMMON_ITEM_KEYS = ("id", "type", "label", "hint", "relevant")
_ANSWER_KEYS = ("required", "required_message", "constraint", "constraint_message")
_CHOICE_KEYS = ("choices", "choice_list", "other", "other_label", "choice_filter")
_SCORED_KEYS = ("correct", "points")
_ITEM_KEYS: dict[str, tuple[str, ...]] = {
    "text": _COMMON_ITEM_KEYS + _ANSWER_KEYS + _SCORED_KEYS + ("calculate",),
    "textarea": _COMMON_ITEM_KEYS + _ANSWER_KEYS,
    "integer": _COMMON_ITEM_KEYS + _ANSWER_KEYS + _SCORED_KEYS + ("calculate",),
    "decimal": _COMMON_ITEM_KEYS + _ANSWER_KEYS + _SCORED_KEYS + ("calculate",),
    "date": _COMMON_ITEM_KEYS + _ANSWER_KEYS,
    "single": _COMMON_ITEM_KEYS + _ANSWER_KEYS + _CHOICE_KEYS + _SCORED_KEYS,
    "multiple": _COMMON_ITEM_KEYS + _ANSWER_KEYS + _CHOICE_KEYS + _SCORED_KEYS,
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


class LoaderBase:
    """Loader state and the helpers shared by every part of the loader."""

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
        self.repeat_ids: dict[str, int] = {}  # repeated page id → page index
        self.piped: list[tuple[str, str, int]] = []  # (where, piped path, page index)

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

    def number(self, value: object, where: str, what: str) -> float | None:
        """An int or float that is not a bool."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(where, f"{what} must be a number, not {_yaml_type(value)}")
            return None
        return float(value)

    def boolean(self, value: object, where: str, what: str) -> bool:
        """A real YAML boolean."""
        if not isinstance(value, bool):
            self.error(where, f"{what} must be true or false")
            return False
        return value
