"""CSV and XLSX exports of a campaign's submitted responses, in constant memory.

One row per response: who/what it is about (as far as anonymity allows), then one column per
field of the definition: codes, with a label column next to every choice question, numbers as
numbers. Responses are streamed from the database in id order (``yield_per``) and their answers
fetched per batch, so memory does not grow with the number of responses. CSV is a generator
for a streamed HTTP response; XLSX is written by XlsxWriter in ``constant_memory`` mode to a
temporary file, with a second sheet as the codebook (questions and the label of every code)
and one sheet per repeated page (``repeat_exports``: one row per repeat instance).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Integer, case, cast, func, select

from app.access.policy import Principal
from app.extensions import db
from app.org.models import Employee, OrgUnit
from app.surveys.definition import Definition
from app.surveys.models import Answer, Campaign, Invitation, Response
from app.surveys.services.definitions import campaign_definition
from app.surveys.services.repeat_exports import repeat_header, repeat_rows
from app.surveys.services.results import ResultFilters, response_conditions
from app.surveys.services.vocabulary import EMPLOYEE_AUDIENCES
from app.web import exports as web_exports

BATCH = 2000  # responses per round trip; one batch of rows is held in memory
Value = float | int | str | None


@dataclass(frozen=True)
class Column:
    """An export column: its header (a code), whether it holds numbers, and a label."""

    key: str
    numeric: bool
    label: str


@dataclass(frozen=True)
class Layout:
    """The columns of one export and how each response row is filled."""

    columns: list[Column]
    show_subject: bool
    show_respondent: bool
    fields: list[tuple[str, str, dict[str, str] | None]]  # (path, kind, code → label)
    with_labels: bool = True

    @property
    def segments(self) -> list[tuple[str, list[str], dict[str, str] | None]]:
        """Runs of plain fields, and each choice field on its own: a row is filled run by run."""
        runs: list[tuple[str, list[str], dict[str, str] | None]] = []
        for path, kind, labels in self.fields:
            if labels is None:
                if runs and runs[-1][0] == "plain":
                    runs[-1][1].append(path)
                else:
                    runs.append(("plain", [path], None))
            else:
                runs.append((kind, [path], labels))
        return runs


OTHER_TEXT = _l("other, specified")
LABEL_TEXT = _l("label of the answer")
META_COLUMNS = (
    ("response_id", True, _l("Response number")),
    ("submitted_on", False, _l("Submitted on")),
    ("language", False, _l("Language")),
    ("rater_role", False, _l("Rater role")),
    ("stakeholder_group", False, _l("Stakeholder group")),
    ("unit", False, _l("Unit")),
)
SUBJECT_COLUMNS = (
    ("subject_nip", False, _l("NIP of the employee rated")),
    ("subject_name", False, _l("Employee rated")),
)
RESPONDENT_COLUMNS = (
    ("respondent_nip", False, _l("Respondent NIP")),
    ("respondent_name", False, _l("Respondent")),
    ("respondent_organisation", False, _l("Respondent's organisation")),
)


def layout_for(
    campaign: Campaign, definition: Definition, lang: str, with_labels: bool = True
) -> Layout:
    """Anonymous campaigns name nobody; peers are never named; the rated employee stays.

    Choice questions get a label column next to their codes, unless ``with_labels`` is off
    (the XLSX, whose codebook sheet carries the labels: fewer cells keep it fast).
    """
    show_subject = campaign.audience in EMPLOYEE_AUDIENCES or not campaign.anonymous
    show_respondent = not campaign.anonymous and campaign.audience.value != "peer"
    columns = [Column(key, numeric, str(label)) for key, numeric, label in META_COLUMNS]
    if show_subject:
        columns += [Column(key, numeric, str(label)) for key, numeric, label in SUBJECT_COLUMNS]
    if show_respondent:
        columns += [Column(key, numeric, str(label)) for key, numeric, label in RESPONDENT_COLUMNS]
    fields: list[tuple[str, str, dict[str, str] | None]] = []
    for path in definition.fields():
        item = definition.field_item(path)
        label = definition.text(item.label, lang) or item.id
        if item.type == "matrix":
            _, row_id, column_id = path.split(".")
            row = next(r for r in item.rows if r.id == row_id)
            column = next(c for c in item.columns if c.id == column_id)
            label = f"{label} — {definition.text(row.label, lang)} ({definition.text(column.label, lang)})"
        if path != item.id and item.type != "matrix":  # the free text of "other"
            fields.append((path, "text", None))
            columns.append(Column(path, False, label + " — " + str(OTHER_TEXT)))
            continue
        if item.type in ("single", "multiple"):
            labels = {choice.code: definition.text(choice.label, lang) for choice in item.choices}
            fields.append((path, item.type, labels))
            columns.append(Column(path, False, label))
            if with_labels:
                columns.append(Column(f"{path}:label", False, label + " — " + str(LABEL_TEXT)))
            continue
        numeric = item.type in ("rating", "matrix", "integer", "decimal", "calculate")
        fields.append((path, "number" if numeric else "text", None))
        columns.append(Column(path, numeric, label))
    return Layout(columns, show_subject, show_respondent, fields, with_labels)


def answers_object(dialect: str) -> ColumnElement[object]:
    """One JSON object per response (field → value), built by the database.

    Pivoting three million answer rows in Python costs seconds; an aggregate in SQL returns
    one row per response instead. Whole numbers come back as integers (ratings are stored as
    floats), so the files show 4, not 4.0.
    """
    if dialect == "postgresql":
        value = case(
            (Answer.value_number.is_not(None), func.to_json(Answer.value_number)),
            else_=func.to_json(Answer.value_text),
        )
        return func.json_object_agg(Answer.field, value)
    whole = cast(Answer.value_number, Integer)
    number = case((Answer.value_number == whole, whole), else_=Answer.value_number)
    return func.json_group_object(Answer.field, func.coalesce(number, Answer.value_text))


def export_count(principal: Principal, campaign: Campaign, filters: ResultFilters) -> int:
    """Submitted responses an export of these filters holds (one COUNT statement)."""
    selection = ResultFilters(
        campaign.id, filters.unit_id, filters.rater_role, filters.group, "submitted"
    )
    query = (
        select(func.count(Response.id))
        .select_from(Response)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .where(*response_conditions(principal, selection))
    )
    return int(db.session.scalar(query) or 0)


def export_rows(
    principal: Principal,
    campaign: Campaign,
    filters: ResultFilters,
    lang: str,
    with_labels: bool = True,
) -> tuple[Layout, Iterator[list[list[Value]]]]:
    """The layout and a generator of row batches (values in column order), in id order."""
    definition = campaign_definition(campaign)
    layout = layout_for(campaign, definition, lang, with_labels)
    selection = ResultFilters(
        campaign.id, filters.unit_id, filters.rater_role, filters.group, "submitted"
    )

    def rows() -> Iterator[list[list[Value]]]:
        connection = db.session.connection()
        subject = db.aliased(Employee)
        respondent = db.aliased(Employee)
        query = (
            select(
                Response.id,
                Response.submitted_on,
                Response.language,
                Response.rater_role,
                Response.stakeholder_group,
                OrgUnit.name,
                subject.nip,
                subject.name,
                respondent.nip,
                respondent.name,
                Invitation.name,
                Invitation.organisation,
            )
            .select_from(Response)
            .join(Campaign, Response.campaign_id == Campaign.id)
            .outerjoin(OrgUnit, Response.org_unit_id == OrgUnit.id)
            .outerjoin(subject, Response.subject_employee_id == subject.id)
            .outerjoin(respondent, Response.respondent_employee_id == respondent.id)
            .outerjoin(Invitation, Response.invitation_id == Invitation.id)
            .where(*response_conditions(principal, selection))
            .order_by(Response.id)
            .execution_options(yield_per=BATCH)
        )
        aggregate = answers_object(connection.dialect.name)
        segments = layout.segments
        result = connection.execute(query)
        try:
            for batch in result.partitions(BATCH):
                ids = [row[0] for row in batch]
                answers: dict[int, object] = dict(
                    connection.execute(
                        select(Answer.response_id, aggregate)
                        .where(Answer.response_id.in_(ids))
                        .group_by(Answer.response_id)
                    ).all()
                )
                rows_out = []
                for row in batch:
                    values = answers.get(row[0]) or {}
                    if isinstance(values, str):  # SQLite returns the JSON text
                        values = json.loads(values)
                    rows_out.append(_row(layout, segments, row, values))  # type: ignore[arg-type]
                yield rows_out
        finally:
            result.close()

    return layout, rows()


def _row(
    layout: Layout,
    segments: list[tuple[str, list[str], dict[str, str] | None]],
    meta: Sequence[object],
    values: dict[str, Value],
) -> list[Value]:
    (rid, day, language, role, group, unit, s_nip, s_name, r_nip, r_name, i_name, i_org) = meta
    out: list[Value] = [rid, day.isoformat() if day else None, language, role, group, unit]  # type: ignore[list-item,attr-defined]
    if layout.show_subject:
        out += [s_nip, s_name]  # type: ignore[list-item]
    if layout.show_respondent:
        if role == "peer":
            out += [None, None, None]
        else:
            out += [r_nip, r_name or i_name, i_org]  # type: ignore[list-item]
    get = values.get
    for kind, paths, labels in segments:
        if labels is None:
            out.extend(map(get, paths))
            continue
        value = get(paths[0])
        if not layout.with_labels:
            out.append(str(value).replace("\n", " ") if kind == "multiple" and value else value)
        elif value is None:
            out += [None, None]
        elif kind == "multiple":
            codes = str(value).split("\n")
            out += [" ".join(codes), "; ".join(labels.get(code, code) for code in codes)]
        else:
            out += [value, labels.get(str(value), str(value))]
    return out


def csv_rows(
    principal: Principal, campaign: Campaign, filters: ResultFilters, lang: str
) -> tuple[list[str], Iterator[list[list[Value]]]]:
    """Header and batches of rows for `app.web.exports.csv_response` (streamed)."""
    layout, batches = export_rows(principal, campaign, filters, lang)
    return [column.key for column in layout.columns], batches


def repeat_csv(
    principal: Principal,
    campaign: Campaign,
    definition: Definition,
    page_id: str,
    filters: ResultFilters,
) -> tuple[list[str], Iterator[list[list[Value]]]]:
    """Header and batches of the long-format CSV of one repeated page."""
    return repeat_header(definition, page_id), repeat_rows(
        principal, campaign, definition, page_id, filters
    )


def write_xlsx(
    principal: Principal,
    campaign: Campaign,
    filters: ResultFilters,
    lang: str,
) -> Path:
    """The export as an XLSX file in a temporary folder (the caller deletes it)."""
    layout, batches = export_rows(principal, campaign, filters, lang, with_labels=False)
    definition = campaign_definition(campaign)
    text_columns = {col for col, column in enumerate(layout.columns) if not column.numeric}

    def fill(book: web_exports.Workbook) -> None:
        sheet = book.sheet(str(_l("Responses")))
        sheet.header([column.key for column in layout.columns])
        for batch in batches:
            sheet.rows(batch, text_columns)
        _codebook(book.sheet(str(_l("Codebook"))), definition, layout, lang)
        for page in definition.repeat_pages:  # one row per repeat instance
            sheet = book.sheet(page.id)
            sheet.header(repeat_header(definition, page.id))
            for rows in repeat_rows(principal, campaign, definition, page.id, filters):
                sheet.rows(rows)

    return web_exports.write_xlsx(fill, prefix="bangkom-survey-")


def _codebook(sheet: web_exports.Sheet, definition: Definition, layout: Layout, lang: str) -> None:
    """Second sheet: every column with its question text, and every code with its label."""
    sheet.header([str(_l("Column")), str(_l("Question")), str(_l("Code")), str(_l("Label"))])
    for column in layout.columns:
        sheet.row([column.key, column.label])
        if column.key.endswith(":label"):
            continue
        code_labels = next((lbl for path, _, lbl in layout.fields if path == column.key), None)
        for code, label in (code_labels or {}).items():
            sheet.row([None, None, code, label])
    for item in definition.items:
        if item.type == "rating" and item.scale:
            scale = definition.scales[item.scale]
            for point, point_label in scale.labels.items():
                sheet.row([item.id, None, str(point), definition.text(point_label, lang)])
