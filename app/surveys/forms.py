"""Forms of the survey pages: WTForms for HR, and the respondent's page built from a definition.

A survey page is not a WTForms class: its questions come from the definition and its logic is
evaluated by ``app.surveys.logic``. ``page_questions`` turns an evaluated page into plain view
objects (labels in the respondent's language, the values as typed, errors beside the field),
so the template only lays them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.surveys.definition import OTHER_CODE, Definition, count_path
from app.surveys.logic import FormState, ItemState, PageState
from app.web.forms import BaseForm

# ------------------------------------------------------------------------------ HR forms


class CampaignForm(BaseForm):
    definition_id = SelectField(_l("Survey definition"), validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    audience = SelectField(_l("Audience"), validators=[InputRequired()])
    cycle_year = IntegerField(
        _l("Cycle year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)]
    )
    opens_on = DateField(_l("Opens on"), validators=[InputRequired()])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired()])
    audience_unit_id = SelectField(_l("Limit to a unit and its sub-units"), coerce=int, default=0)
    anonymous = BooleanField(_l("Anonymous responses (no link to a person, date only)"))
    public_link = BooleanField(_l("Open public link (with a QR code)"))


class DefinitionUploadForm(BaseForm):
    file = FileField(
        _l("XLSForm or YAML file"),
        validators=[FileRequired(_l("Choose a file to upload."))],
    )


class InvitationsForm(BaseForm):
    lines = TextAreaField(
        _l("Stakeholders to invite"),
        validators=[InputRequired(), Length(max=60_000)],
        render_kw={"rows": 6},
    )
    group = SelectField(_l("Stakeholder group"), validators=[Optional()], default="")
    unit_id = SelectField(_l("Unit the input is about"), coerce=int, default=0)


class ResumeEmailForm(BaseForm):
    email = EmailField(_l("Your email address"), validators=[InputRequired(), Length(max=254)])


# ------------------------------------------------------------------- respondent's page


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    id: str
    hint: str = ""


@dataclass
class Question:
    """One question as rendered: a control (or a group of radios/boxes) with its error."""

    id: str
    name: str
    type: str
    label: str
    hint: str = ""
    required: bool = False
    error: str | None = None
    value: str = ""
    options: list[Option] = field(default_factory=list)
    other: Question | None = None
    rows: list[MatrixRow] = field(default_factory=list)
    legend: list[Option] = field(default_factory=list)
    maxlength: int | None = None
    instance: int = 0  # instance number inside a repeated page

    @property
    def described_by(self) -> str:
        """ids for aria-describedby: the hint and the error when present."""
        parts = []
        if self.hint:
            parts.append(f"{self.id}-hint")
        if self.error:
            parts.append(f"{self.id}-error")
        return " ".join(parts)


@dataclass
class MatrixRow:
    id: str
    label: str
    columns: list[Question]

    @property
    def error(self) -> str | None:
        return next((c.error for c in self.columns if c.error), None)


def html_id(path: str) -> str:
    """Field paths use dots; HTML ids here use dashes (item ids never contain one); repeat
    instance paths ``nama[2]`` become ``q-nama--i2``."""
    return "q-" + path.replace(".", "-").replace("[", "--i").replace("]", "")


def display_value(raw: object) -> str:
    """A stored or typed value as it goes back into an input."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, list):
        return " ".join(str(v) for v in raw)
    return str(raw)


def _codes(raw: object) -> set[str]:
    if raw is None:
        return set()
    if isinstance(raw, list | tuple):
        return {str(v) for v in raw}
    return {display_value(raw)}


def errors_to_show(page: PageState, draft: Mapping[str, object], mode: str) -> dict[str, str]:
    """Which errors the respondent sees: all of the page after Next/Submit, only those of
    fields already filled in while answering (a blank required field is not yet a mistake),
    none on a first visit."""
    if mode == "all":
        return dict(page.errors)
    if mode == "touched":
        return {
            path: message
            for path, message in page.errors.items()
            if display_value(draft.get(path)).strip()
        }
    return {}


def page_questions(
    definition: Definition,
    page: PageState,
    draft: Mapping[str, object],
    errors: Mapping[str, str],
    lang: str,
) -> list[Question]:
    """The visible questions of a page, ready for the template.

    A repeated page yields, per instance, a heading (type ``instance``) and its questions, then
    the "add another" / "remove the last" buttons (type ``repeat_controls``) when the
    respondent chooses the number of instances. The buttons post the new count in the field
    ``<page>[]``, so they work without JavaScript.
    """
    if page.page.repeat is None:
        return [_question(definition, state, draft, errors, lang) for state in page.visible_items]
    out: list[Question] = []
    page_id = page.page.id
    for number in range(1, page.instances + 1):
        out.append(
            Question(
                id=html_id(f"{page_id}[{number}]"),
                name="",
                type="instance",
                label=page.titles[number - 1],
                instance=number,
            )
        )
        out.extend(
            _question(definition, state, draft, errors, lang)
            for state in page.instance_items(number)
        )
    repeat = page.page.repeat
    if repeat.open_ended:
        controls = Question(
            id=html_id(f"{page_id}-controls"),
            name=count_path(page_id),
            type="repeat_controls",
            label=page.title,
            value=str(page.instances),
        )
        if page.instances < repeat.max:
            controls.options.append(
                Option(str(page.instances + 1), str(_l("Add another")), False, "add")
            )
        if page.instances > repeat.min:
            controls.options.append(
                Option(str(page.instances - 1), str(_l("Remove the last one")), False, "remove")
            )
        out.append(controls)
    return out


def _question(
    definition: Definition,
    state: ItemState,
    draft: Mapping[str, object],
    errors: Mapping[str, str],
    lang: str,
) -> Question:
    item = state.item
    text = definition.text
    name = state.path(item.id)
    question = Question(
        id=html_id(name),
        name=name,
        type="calculated" if item.is_calculated else item.type,
        label=state.label or text(item.label, lang) or item.id,
        hint=state.hint,
        required=state.required,
        error=errors.get(name),
        instance=state.instance,
    )
    if item.is_calculated:
        question.value = display_value(state.value) or "–"
    elif item.type in ("single", "multiple"):
        chosen = _codes(draft.get(name))
        # ids follow the full choice list, so a choice keeps its id when a filter hides others
        position = {choice.code: index for index, choice in enumerate(item.choices)}
        question.options = [
            Option(
                choice.code,
                text(choice.label, lang),
                choice.code in chosen,
                f"{question.id}--{position.get(choice.code, 0)}",
            )
            for choice in state.choices
        ]
        if item.other:
            path = state.path(item.other_path or "")
            question.other = Question(
                id=html_id(path),
                name=path,
                type="text",
                label=str(_l("If other, please specify")),
                value=display_value(draft.get(path)),
                error=errors.get(path),
                maxlength=1000,
            )
    elif item.type == "rating":
        scale = definition.scale_of(item)
        chosen = _codes(draft.get(name))
        question.options = [
            Option(
                str(point),
                str(point),
                str(point) in chosen,
                f"{question.id}--{point}",
                text(scale.labels.get(point), lang) if point in scale.labels else "",
            )
            for point in scale.points
        ]
    elif item.type == "matrix":
        _matrix(definition, state, question, draft, errors, lang)
    else:
        question.value = display_value(draft.get(name))
        question.maxlength = {"text": 1000, "textarea": 10000}.get(item.type)
    return question


def _matrix(
    definition: Definition,
    state: ItemState,
    question: Question,
    draft: Mapping[str, object],
    errors: Mapping[str, str],
    lang: str,
) -> None:
    text = definition.text
    item = state.item
    scales = {column.scale for column in item.columns}
    if len(scales) == 1:
        scale = definition.scales[next(iter(scales))]
        question.legend = [
            Option(str(p), str(p), False, "", text(scale.labels.get(p), lang))
            for p in scale.points
            if p in scale.labels
        ]
    for row in item.rows:
        columns = []
        for column in item.columns:
            path = state.path(f"{item.id}.{row.id}.{column.id}")
            scale = definition.scales[column.scale]
            chosen = _codes(draft.get(path))
            cell_id = html_id(path)
            columns.append(
                Question(
                    id=cell_id,
                    name=path,
                    type="rating",
                    label=text(column.label, lang),
                    required=question.required,
                    error=errors.get(path),
                    options=[
                        Option(
                            str(p),
                            str(p),
                            str(p) in chosen,
                            f"{cell_id}--{p}",
                            text(scale.labels.get(p), lang) if p in scale.labels else "",
                        )
                        for p in scale.points
                    ],
                )
            )
        question.rows.append(
            MatrixRow(html_id(state.path(f"{item.id}.{row.id}")), text(row.label, lang), columns)
        )
    question.error = next((r.error for r in question.rows if r.error), None)


# --------------------------------------------------------------------------- review page


@dataclass
class ReviewItem:
    label: str
    answer: str
    error: str | None = None
    lines: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReviewPage:
    id: str
    title: str
    items: list[ReviewItem]

    @property
    def has_errors(self) -> bool:
        return any(item.error for item in self.items)


def review_pages(definition: Definition, state: FormState, lang: str) -> list[ReviewPage]:
    """Every relevant page with the answers as the respondent will submit them."""
    text = definition.text
    values = state.values
    pages = []
    for page_state in state.relevant_pages:
        items = []
        for item_state in page_state.visible_items:
            item = item_state.item
            if not item.has_value or item.type == "calculate":
                continue
            error = next(iter(item_state.errors.values()), None)
            label = item_state.label or text(item.label, lang) or item.id
            if item_state.instance:
                label = f"{label} ({item_state.instance})"
            entry = ReviewItem(label, "–", error)
            value = values.get(item_state.path(item.id))
            other = values.get(item_state.path(item.other_path)) if item.other_path else None
            if item.type == "single":
                labels = {c.code: text(c.label, lang) for c in item.choices}
                if value is not None:
                    entry.answer = labels.get(str(value), str(value))
                    if value == OTHER_CODE and item.other_path:
                        entry.answer += f": {other or ''}"
            elif item.type == "multiple":
                labels = {c.code: text(c.label, lang) for c in item.choices}
                if isinstance(value, list) and value:
                    chosen = [labels.get(str(code), str(code)) for code in value]
                    if OTHER_CODE in value and item.other_path:
                        chosen[value.index(OTHER_CODE)] += f": {other or ''}"
                    entry.answer = ", ".join(chosen)
            elif item.type == "rating":
                scale = definition.scale_of(item)
                if value is not None:
                    point = int(value)  # type: ignore[call-overload]
                    label = text(scale.labels.get(point), lang) if point in scale.labels else ""
                    entry.answer = f"{point}" + (f" – {label}" if label else "")
            elif item.type == "matrix":
                answered = []
                for row in item.rows:
                    cells = []
                    for column in item.columns:
                        cell = values.get(item_state.path(f"{item.id}.{row.id}.{column.id}"))
                        cells.append(display_value(cell) if cell is not None else "–")
                    answered.append((text(row.label, lang), " / ".join(cells)))
                entry.lines = answered
                entry.answer = ""
            elif value is not None:
                entry.answer = display_value(value)
            items.append(entry)
        pages.append(ReviewPage(page_state.id, page_state.title, items))
    return pages


class BrandingForm(BaseForm):
    display_name = StringField(
        _l("Name shown to respondents and as the mail sender"),
        validators=[Optional(), Length(max=200)],
    )
    logo = FileField(_l("Logo (PNG or JPEG, at most 256 KB, 16–1024 pixels a side)"))
    remove_logo = BooleanField(_l("Remove the logo"))
