"""Runtime evaluation of a loaded definition against a respondent's answers (server side only).

Input answers are a flat mapping ``field path → value`` where values are raw form strings (a list
of strings for ``multiple``, as from ``request.form.getlist``) or already-typed stored values.
Paths are item ids, ``<item>.other`` for the free text of an "other" choice and
``<matrix>.<row>.<column>`` for matrix cells; unknown paths (CSRF token, buttons …) are ignored.

One pass in form order, which the loader's reference rules make exact: page relevance, item
relevance (an item on an irrelevant page is irrelevant), then coercion or calculation. Irrelevant
answers are dropped and listed in ``cleared``; choices removed by a ``choice_filter`` are dropped
the same way. ``required`` and ``constraint`` are checked afterwards, with every value known.
A constraint is only checked on a non-empty, well-typed value (as in XLSForm). ``answers`` keeps
every well-typed relevant value, including one that fails its constraint, so the form can show it
again next to its error; raw input that could not be coerced is in ``rejected``.

Normalised answers are JSON-safe: ``int``, ``float``, ``str``, ``list[str]``, ``bool`` and ISO
date strings. Error texts come from the definition (``required_message``,
``constraint_message``) or from ``MESSAGES`` in the requested language.
"""

from __future__ import annotations

import math
import re
from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from types import MappingProxyType

from app.surveys.definition import (
    OTHER_CODE,
    POSITION_KEY,
    Choice,
    Definition,
    Item,
    Page,
    count_path,
    instance_path,
)
from app.surveys.expressions import (
    Expression,
    evaluate,
    format_value,
    is_empty,
    to_boolean,
    to_number,
)

MAX_TEXT = 1000
MAX_TEXTAREA = 10000
MAX_NUMBER_DIGITS = 15

MESSAGES: dict[str, dict[str, str]] = {
    "required": {"id": "Wajib diisi", "en": "This field is required"},
    "integer": {"id": "Masukkan bilangan bulat", "en": "Enter a whole number"},
    "decimal": {
        "id": "Masukkan angka (pakai koma atau titik untuk desimal)",
        "en": "Enter a number (use a comma or a point for decimals)",
    },
    "date": {
        "id": "Masukkan tanggal dengan format TTTT-BB-HH",
        "en": "Enter a date as YYYY-MM-DD",
    },
    "choice": {"id": "Pilihan tidak valid", "en": "This choice is not valid"},
    "one_choice": {"id": "Pilih satu jawaban saja", "en": "Choose only one answer"},
    "rating": {
        "id": "Pilih nilai antara {min} dan {max}",
        "en": "Choose a value between {min} and {max}",
    },
    "text": {"id": "Masukkan teks", "en": "Enter text"},
    "too_long": {"id": "Maksimal {max} karakter", "en": "At most {max} characters"},
    "constraint": {"id": "Jawaban tidak sesuai ketentuan", "en": "This answer is not valid"},
    "other": {"id": "Sebutkan pilihan lainnya", "en": "Please specify the other option"},
}


def message(key: str, lang: str | None, **params: object) -> str:
    """Respondent-facing message in ``lang`` (Indonesian when the language is unknown)."""
    texts = MESSAGES[key]
    text = texts.get(lang or "id") or texts["id"]
    return text.format(**params) if params else text


@dataclass(frozen=True)
class ItemState:
    """What the web layer needs to render one item."""

    item: Item
    visible: bool
    required: bool
    choices: tuple[Choice, ...] = ()
    value: object = None  # normalised value; a {cell path: value} dict for a matrix
    errors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    instance: int = 0  # 1-based instance number inside a repeated page, else 0
    label: str = ""  # label and hint in the respondent's language, ${field} piped as text
    hint: str = ""

    @property
    def id(self) -> str:
        """The item id."""
        return self.item.id

    @property
    def suffix(self) -> str:
        """Suffix of this state's field paths: ``[2]`` in instance 2 of a repeat, else ''."""
        return f"[{self.instance}]" if self.instance else ""

    def path(self, base: str) -> str:
        """A field path of this item in this instance (``nama`` → ``nama[2]``)."""
        return base + self.suffix


@dataclass(frozen=True)
class PageState:
    """State of one page: relevance, items, and the errors of its fields."""

    page: Page
    relevant: bool
    items: tuple[ItemState, ...]
    errors: Mapping[str, str]
    instances: int = 0  # number of instances of a repeated page
    titles: tuple[str, ...] = ()  # title of each instance (repeat label, piped)
    title: str = ""  # page title in the respondent's language, piped
    description: str = ""

    def instance_items(self, number: int) -> tuple[ItemState, ...]:
        """Visible items of one instance of a repeated page."""
        return tuple(s for s in self.visible_items if s.instance == number)

    @property
    def id(self) -> str:
        """The page id."""
        return self.page.id

    @property
    def visible_items(self) -> tuple[ItemState, ...]:
        """Items to render (empty when the page itself is irrelevant)."""
        return tuple(state for state in self.items if state.visible)

    @property
    def is_valid(self) -> bool:
        """True when no field on this page has an error."""
        return not self.errors


@dataclass(frozen=True)
class FormState:
    """Whole-form result: cleaned answers, calculated values, errors, and per-page states."""

    pages: tuple[PageState, ...]
    answers: Mapping[str, object]
    calculated: Mapping[str, object]
    errors: Mapping[str, str]
    cleared: frozenset[str]
    rejected: Mapping[str, object]

    @property
    def is_complete(self) -> bool:
        """True when every relevant field is valid (required answered, constraints met)."""
        return not self.errors

    @property
    def values(self) -> dict[str, object]:
        """Answers and calculated values together (e.g. for exports and scoring)."""
        return {**self.answers, **self.calculated}

    def page(self, page_id: str) -> PageState:
        """State of one page (KeyError if unknown)."""
        for state in self.pages:
            if state.id == page_id:
                return state
        raise KeyError(page_id)

    @property
    def relevant_pages(self) -> tuple[PageState, ...]:
        """Pages to show, in order."""
        return tuple(state for state in self.pages if state.relevant)

    def next_page_id(self, page_id: str | None) -> str | None:
        """Next relevant page after ``page_id`` (first page when None); None at the end."""
        ids = [state.id for state in self.pages]
        start = 0 if page_id is None else ids.index(page_id) + 1
        return next((s.id for s in self.pages[start:] if s.relevant), None)

    def previous_page_id(self, page_id: str) -> str | None:
        """Previous relevant page before ``page_id``; None at the start."""
        ids = [state.id for state in self.pages]
        before = self.pages[: ids.index(page_id)]
        return next((s.id for s in reversed(before) if s.relevant), None)


# ---------------------------------------------------------------------------------- coercion


class _Invalid(Exception):
    """A raw value that cannot be coerced; carries a MESSAGES key and its parameters."""

    def __init__(self, key: str, **params: object) -> None:
        """Carry the message key and its format parameters."""
        super().__init__(key)
        self.key = key
        self.params = params


_INT_RE = re.compile(rf"[+-]?[0-9]{{1,{MAX_NUMBER_DIGITS}}}")
_DEC_RE = re.compile(
    rf"[+-]?(?:[0-9]{{1,{MAX_NUMBER_DIGITS}}}(?:[.,][0-9]{{1,10}})?|[.,][0-9]{{1,10}})"
)


def _scalar(raw: object) -> object:
    """A single form value: one-element lists are unwrapped, longer ones rejected."""
    if isinstance(raw, list | tuple):
        if len(raw) > 1:
            raise _Invalid("one_choice")
        return raw[0] if raw else None
    return raw


def _text(raw: object, limit: int) -> str | None:
    """Trimmed text with unified newlines; blank is empty; longer than `limit` is invalid."""
    raw = _scalar(raw)
    if raw is None:
        return None
    if not isinstance(raw, str):
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise _Invalid("text")
        raw = format_value(raw)
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    if len(text) > limit:
        raise _Invalid("too_long", max=limit)
    return text


def _integer(raw: object) -> int | None:
    """Whole numbers only (at most 15 digits); '12.5' and '3,0' are invalid."""
    raw = _scalar(raw)
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise _Invalid("integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer() and abs(raw) < 10**MAX_NUMBER_DIGITS:
            return int(raw)
        raise _Invalid("integer")
    if isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        if not text:
            return None
        if _INT_RE.fullmatch(text):
            return int(text)
    raise _Invalid("integer")


def _decimal(raw: object) -> float | None:
    """A number with one optional decimal comma or point; no thousands separators."""
    raw = _scalar(raw)
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise _Invalid("decimal")
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise _Invalid("decimal")
        return float(raw)
    if isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        if not text:
            return None
        if _DEC_RE.fullmatch(text):
            return float(text.replace(",", "."))
    raise _Invalid("decimal")


def _date(raw: object) -> date | None:
    """ISO YYYY-MM-DD (or a date object)."""
    raw = _scalar(raw)
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
    raise _Invalid("date")


def _rating(raw: object, low: int, high: int) -> int | None:
    """An integer within the scale's bounds."""
    try:
        value = _integer(raw)
    except _Invalid:
        raise _Invalid("rating", min=low, max=high) from None
    if value is None:
        return None
    if not low <= value <= high:
        raise _Invalid("rating", min=low, max=high)
    return value


def _codes(raw: object) -> list[str]:
    """Selected codes as strings, deduplicated, in submitted order."""
    if raw is None:
        return []
    values = list(raw) if isinstance(raw, list | tuple) else [raw]
    out: list[str] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise _Invalid("choice")
        code = str(value).strip()
        if code and code not in out:
            out.append(code)
    return out


def _jsonable(value: object) -> object:
    """Normalised, JSON-safe form of a typed value."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _cast_calculated(item: Item, value: object) -> object:
    """Calculated integer/decimal/text items get their declared type; empty stays empty."""
    if is_empty(value):
        return None
    if item.type == "integer":
        number = to_number(value)
        if number is None:
            return None
        return int(Decimal(repr(number)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if item.type == "decimal":
        number = to_number(value)
        return None if number is None else float(number)
    if item.type == "text":
        return format_value(value)
    return list(value) if isinstance(value, tuple) else value


# --------------------------------------------------------------------------------- evaluation


class _Run:
    """One evaluation of a definition against answers.

    Inside a repeated page every item is evaluated once per instance with a context in which
    ``${x}`` is that instance's ``x`` (its paths end in ``[n]``); after the page, ``${x}`` is the
    tuple of every instance's value and ``${page}`` the tuple of instance numbers.
    """

    def __init__(
        self,
        defn: Definition,
        answers: Mapping[str, object],
        lang: str | None,
        today: date | None,
    ) -> None:
        """Unknown languages fall back to the definition's default language."""
        self.defn = defn
        self.answers = answers
        self.lang = lang if lang in defn.languages else defn.default_language
        self.today = today
        self.values: dict[str, object] = {}  # typed values, the expression context
        self.calculated: dict[str, object] = {}
        self.errors: dict[str, str] = {}
        self.rejected: dict[str, object] = {}
        self.cleared: set[str] = set()
        self.visible: dict[str, bool] = {}  # by item id + instance suffix
        self.page_relevant: dict[str, bool] = {}
        self.choices: dict[str, tuple[Choice, ...]] = {}
        self.required: dict[str, bool] = {}
        self.instances: dict[str, int] = {}
        self.contexts: dict[str, MutableMapping[str, object]] = {}  # instance suffix → context
        self.visits: list[tuple[Item, str]] = []

    def eval_bool(
        self,
        expr: Expression,
        context: Mapping[str, object] | None = None,
        current: object = None,
    ) -> bool:
        """Evaluate an expression as a boolean against the current values."""
        values = self.values if context is None else context
        return to_boolean(evaluate(expr, values, current=current, today=self.today))

    def msg(self, key: str, **params: object) -> str:
        """A built-in message in the respondent's language."""
        return message(key, self.lang, **params)

    def clear(self, item: Item, sfx: str) -> None:
        """Record the non-empty answers of an irrelevant item as cleared."""
        for path in item.fields():
            if not is_empty(self.answers.get(path + sfx)):
                self.cleared.add(path + sfx)

    def run(self) -> FormState:
        """Values in form order first, then required/constraint checks on final values."""
        self.contexts[""] = self.values
        for page in self.defn.pages:
            relevant = page.relevant is None or self.eval_bool(page.relevant)
            self.page_relevant[page.id] = relevant
            if page.repeat is None:
                for item in page.items:
                    self.visit(item, relevant, "", self.values)
            else:
                self.repeat(page, relevant)
        for item, sfx in self.visits:
            if item.has_value and not item.is_calculated:
                self.validate(item, sfx)
        return self.state()

    def visit(self, item: Item, relevant: bool, sfx: str, ctx: MutableMapping[str, object]) -> None:
        """Relevance, then the values of one item in one instance."""
        visible = relevant and (item.relevant is None or self.eval_bool(item.relevant, ctx))
        self.visible[item.id + sfx] = visible
        if not visible:
            self.clear(item, sfx)
            return
        self.visits.append((item, sfx))
        self.fill(item, sfx, ctx)

    def instance_count(self, page: Page) -> int:
        """Instances of a repeated page: its count expression, or what the respondent added."""
        repeat = page.repeat
        assert repeat is not None
        if repeat.count is not None:
            number = to_number(evaluate(repeat.count, self.values, today=self.today))
        else:
            number = to_number(self.answers.get(count_path(page.id)))
            number = repeat.min if number is None else number
        return max(repeat.min, min(repeat.max, int(number or 0)))

    def repeat(self, page: Page, relevant: bool) -> None:
        """Evaluate every instance; stored answers of instances beyond the count are cleared."""
        count = self.instance_count(page) if relevant else 0
        self.instances[page.id] = count
        own = [path for item in page.items for path in item.fields()]
        for number in range(1, count + 1):
            sfx = f"[{number}]"
            # the instance's own fields shadow the form-wide lists, even while still empty
            local: dict[str, object] = dict.fromkeys(own)
            local[POSITION_KEY] = number
            ctx = ChainMap(local, self.values)
            self.contexts[sfx + page.id] = ctx
            for item in page.items:
                self.visit(item, True, sfx, ctx)
        for item in page.items:
            for path in item.fields():
                self.values[path] = tuple(
                    self.values.get(instance_path(path, n)) for n in range(1, count + 1)
                )
                for key in self.answers:
                    if key.startswith(f"{path}[") and key[len(path) + 1 : -1].isdigit():
                        if int(key[len(path) + 1 : -1]) > count:
                            self.cleared.add(key)
        self.values[page.id] = tuple(range(1, count + 1))

    def context(self, item: Item, sfx: str) -> MutableMapping[str, object]:
        """The expression context of an item in one instance."""
        return self.contexts[sfx + item.repeat] if sfx and item.repeat else self.values

    def store(self, path: str, sfx: str, value: object, ctx: MutableMapping[str, object]) -> None:
        """Keep a typed value under its instance path, and bare inside the instance context."""
        self.values[path + sfx] = value
        if sfx and isinstance(ctx, ChainMap):
            ctx.maps[0][path] = value

    # ------------------------------------------------------------- values

    def fill(self, item: Item, sfx: str, ctx: MutableMapping[str, object]) -> None:
        """Compute or coerce the values of one relevant item."""
        if item.type == "note":
            return
        if item.calculate is not None:
            value = _cast_calculated(item, evaluate(item.calculate, ctx, today=self.today))
            self.store(item.id, sfx, value, ctx)
            self.calculated[item.id + sfx] = _jsonable(value)
            return
        if item.type == "matrix":
            for row in item.rows:
                for column in item.columns:
                    scale = self.defn.scales[column.scale]
                    path = f"{item.id}.{row.id}.{column.id}"
                    self.coerce(path, sfx, ctx, partial(_rating, low=scale.min, high=scale.max))
            return
        if item.type in ("single", "multiple"):
            self.fill_choice(item, sfx, ctx)
            return
        if item.type == "rating":
            scale = self.defn.scale_of(item)
            self.coerce(item.id, sfx, ctx, lambda raw: _rating(raw, scale.min, scale.max))
            return
        converters: dict[str, Callable[[object], object]] = {
            "text": lambda raw: _text(raw, MAX_TEXT),
            "textarea": lambda raw: _text(raw, MAX_TEXTAREA),
            "integer": _integer,
            "decimal": _decimal,
            "date": _date,
        }
        self.coerce(item.id, sfx, ctx, converters[item.type])

    def coerce(
        self,
        path: str,
        sfx: str,
        ctx: MutableMapping[str, object],
        convert: Callable[[object], object],
    ) -> None:
        """Coerce one raw value; failures become an error and keep the raw input."""
        raw = self.answers.get(path + sfx)
        try:
            value = convert(raw)
        except _Invalid as exc:
            self.errors[path + sfx] = self.msg(exc.key, **exc.params)
            self.rejected[path + sfx] = raw
            return
        if value is not None:
            self.store(path, sfx, value, ctx)

    def available_choices(self, item: Item, ctx: MutableMapping[str, object]) -> tuple[Choice, ...]:
        """Choices kept by choice_filter (``${choice}`` = candidate code, ``${choice.key}`` its
        properties); 'other' always stays."""
        if item.choice_filter is None:
            return item.choices
        kept = []
        for choice in item.choices:
            if choice.code == OTHER_CODE and item.other:
                kept.append(choice)
                continue
            own: dict[str, object] = {"choice": choice.code}
            for key, value in choice.properties.items():
                own[f"choice.{key}"] = value
            if self.eval_bool(item.choice_filter, ChainMap(own, ctx)):
                kept.append(choice)
        return tuple(kept)

    def fill_choice(self, item: Item, sfx: str, ctx: MutableMapping[str, object]) -> None:
        """Unknown codes are errors; codes removed by the filter are dropped and cleared."""
        path = item.id + sfx
        choices = self.available_choices(item, ctx)
        self.choices[path] = choices
        allowed = {c.code for c in choices}
        known = {c.code for c in item.choices}
        raw = self.answers.get(path)
        try:
            if item.type == "single":
                codes = _codes(_scalar(raw))
            else:
                codes = _codes(raw)
        except _Invalid as exc:
            self.errors[path] = self.msg(exc.key, **exc.params)
            self.rejected[path] = raw
            codes = []
        if any(code not in known for code in codes):
            self.errors[path] = self.msg("choice")
            self.rejected[path] = raw
            codes = []
        kept = [code for code in codes if code in allowed]
        if len(kept) < len(codes):
            self.cleared.add(path)  # selections removed by choice_filter
        if kept:
            if item.type == "single":
                self.store(item.id, sfx, kept[0], ctx)
            else:
                order = {c.code: i for i, c in enumerate(item.choices)}
                self.store(item.id, sfx, sorted(kept, key=order.__getitem__), ctx)
        if item.other:
            other_path = item.other_path
            assert other_path is not None
            if OTHER_CODE in kept:
                self.coerce(other_path, sfx, ctx, lambda raw: _text(raw, MAX_TEXT))
            elif not is_empty(self.answers.get(other_path + sfx)):
                self.cleared.add(other_path + sfx)

    # --------------------------------------------------------- validation

    def validate(self, item: Item, sfx: str) -> None:
        """Required, then constraint (only on non-empty valid values), then the other text."""
        ctx = self.context(item, sfx)
        required = item.required
        if not isinstance(required, bool):
            required = self.eval_bool(required, ctx)
        self.required[item.id + sfx] = required
        required_text = (
            self.defn.text(item.required_message, self.lang)
            if item.required_message
            else self.msg("required")
        )
        paths = [f + sfx for f in item.fields() if f != item.other_path]
        for path in paths:
            if path in self.errors:
                continue
            value = self.values.get(path)
            if is_empty(value):
                if required:
                    self.errors[path] = required_text
                continue
            if item.constraint is not None and not self.eval_bool(
                item.constraint, ctx, current=value
            ):
                self.errors[path] = (
                    self.defn.text(item.constraint_message, self.lang)
                    if item.constraint_message
                    else self.msg("constraint")
                )
        other_path = item.other_path and item.other_path + sfx
        if other_path and other_path not in self.errors:
            selected = self.values.get(item.id + sfx)
            chosen = selected == OTHER_CODE or (
                isinstance(selected, list) and OTHER_CODE in selected
            )
            if chosen and is_empty(self.values.get(other_path)):
                self.errors[other_path] = self.msg("other")

    # -------------------------------------------------------------- output

    def pipe(self, text: object, ctx: Mapping[str, object]) -> str:
        """A text in the respondent's language with ``${field}`` replaced by its value."""
        raw = self.defn.text(text, self.lang)  # type: ignore[arg-type]
        if "${" not in raw:
            return raw
        return _PIPE_RE.sub(lambda m: _piped_value(ctx.get(m.group(1))), raw)

    def item_state(
        self, item: Item, sfx: str, number: int, answers: Mapping[str, object]
    ) -> ItemState:
        """The state of one item in one instance (number 0 outside repeats)."""
        paths = [p + sfx for p in item.fields()]
        item_errors = {p: self.errors[p] for p in paths if p in self.errors}
        if item.type == "matrix":
            value: object = {p: answers[p] for p in paths if p in answers}
        elif item.is_calculated:
            value = self.calculated.get(item.id + sfx)
        else:
            value = answers.get(item.id + sfx)
        ctx = (
            self.context(item, sfx)
            if (not sfx or (sfx + str(item.repeat)) in self.contexts)
            else self.values
        )
        return ItemState(
            item=item,
            visible=self.visible.get(item.id + sfx, False),
            required=self.required.get(item.id + sfx, item.required is True),
            choices=self.choices.get(item.id + sfx, item.choices),
            value=value,
            errors=MappingProxyType(item_errors),
            instance=number,
            label=self.pipe(item.label, ctx) or item.id,
            hint=self.pipe(item.hint, ctx),
        )

    def state(self) -> FormState:
        """Assemble the immutable FormState the web layer renders."""
        answers: dict[str, object] = {}
        for item, sfx in self.visits:
            if item.is_calculated:
                continue
            for path in item.fields():
                if path + sfx in self.values:
                    answers[path + sfx] = _jsonable(self.values[path + sfx])
        for page in self.defn.repeat_pages:
            if page.repeat is not None and page.repeat.open_ended and self.instances[page.id]:
                answers[count_path(page.id)] = self.instances[page.id]
        order = {path: i for i, path in enumerate(self.defn.fields())}
        errors = MappingProxyType(
            dict(sorted(self.errors.items(), key=lambda kv: order.get(kv[0], len(order))))
        )
        pages = []
        for page in self.defn.pages:
            count = self.instances.get(page.id, 0)
            numbers = range(1, count + 1) if page.repeat is not None else (0,)
            states = [
                self.item_state(item, f"[{n}]" if n else "", n, answers)
                for n in numbers
                for item in page.items
            ]
            page_errors: dict[str, str] = {}
            for item_state in states:
                page_errors.update(item_state.errors)
            titles: tuple[str, ...] = ()
            if page.repeat is not None:
                titles = tuple(
                    self.pipe(page.repeat.label, self.contexts[f"[{n}]{page.id}"])
                    if page.repeat.label
                    else f"{self.defn.text(page.title, self.lang)} {n}"
                    for n in range(1, count + 1)
                )
            pages.append(
                PageState(
                    page=page,
                    relevant=self.page_relevant[page.id],
                    items=tuple(states),
                    errors=MappingProxyType(page_errors),
                    instances=count,
                    titles=titles,
                    title=self.pipe(page.title, self.values),
                    description=self.pipe(page.description, self.values),
                )
            )
        return FormState(
            pages=tuple(pages),
            answers=MappingProxyType(answers),
            calculated=MappingProxyType(dict(self.calculated)),
            errors=errors,
            cleared=frozenset(self.cleared),
            rejected=MappingProxyType(dict(self.rejected)),
        )


_PIPE_RE = re.compile(r"\$\{\s*([^}]*?)\s*\}")


def _piped_value(value: object) -> str:
    """A value as piped into a text (lists joined, empty as nothing); escaped by the template."""
    if is_empty(value):
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value if not is_empty(v))
    return format_value(value)


def evaluate_all(
    defn: Definition,
    answers: Mapping[str, object],
    lang: str | None = None,
    *,
    today: date | None = None,
) -> FormState:
    """Evaluate relevance, calculations, coercion and validation for the whole form.

    The state of an empty form (every public visit and submit starts from one) is computed
    once per definition, language and day; FormState is immutable, so it is shared."""
    if answers or today is None:
        return _Run(defn, answers, lang, today).run()
    key = (id(defn), lang, today)
    cached = _EMPTY_STATES.get(key)
    if cached is not None and cached[0] is defn:
        return cached[1]
    state = _Run(defn, answers, lang, today).run()
    if len(_EMPTY_STATES) >= 64:
        _EMPTY_STATES.clear()
    _EMPTY_STATES[key] = (defn, state)
    return state


_EMPTY_STATES: dict[tuple[int, str | None, date], tuple[Definition, FormState]] = {}


def evaluate_page(
    defn: Definition,
    page_id: str,
    answers: Mapping[str, object],
    lang: str | None = None,
    *,
    today: date | None = None,
) -> PageState:
    """State of one page; the whole form is evaluated since relevance depends on earlier pages."""
    return evaluate_all(defn, answers, lang, today=today).page(page_id)


def is_complete(
    defn: Definition, answers: Mapping[str, object], *, today: date | None = None
) -> bool:
    """True when the answers can be submitted: no errors on any relevant field."""
    return evaluate_all(defn, answers, today=today).is_complete
