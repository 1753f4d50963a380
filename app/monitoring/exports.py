"""Cockpit tables as XLSX: a header and rows built from the computed figures, written safely."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Response
from flask_babel import gettext as _

from app.monitoring.cockpit import Cockpit
from app.org.models import Instansi
from app.web import exports

Row = Sequence[object]


def _participation(c: Cockpit) -> tuple[list[str], list[Row]]:
    head = [_("Group"), _("Invited"), _("Started"), _("Submitted"), _("Response rate")]
    rows: list[Row] = [
        [r.label, r.invited, r.started, r.submitted, round(r.rate, 3) if r.rate is not None else ""]
        for r in c.participation
    ]
    return head, rows


def _jp_units(c: Cockpit) -> tuple[list[str], list[Row]]:
    head = [_("Unit"), _("Employees"), _("At 20 JP or more"), _("Share (%)"), _("Average JP")]
    rows: list[Row] = [
        [u.unit, u.summary.employees, u.summary.met, u.summary.percent_met, u.summary.average]
        for u in c.jp_units
    ]
    return head, rows


def _jp_below(c: Cockpit) -> tuple[list[str], list[Row]]:
    head = [_("NIP"), _("Name"), _("Unit"), _("JP this year")]
    return head, [[r.nip, r.name, r.unit, r.jp] for r in c.jp_below]


def _budget(c: Cockpit) -> tuple[list[str], list[Row]]:
    head = [
        _("Unit"),
        _("Code"),
        _("Budget line"),
        _("Source"),
        _("Allocated"),
        _("Committed"),
        _("Realised"),
        _("Remaining"),
    ]
    rows: list[Row] = [
        [b.unit, b.code, b.name, b.source.upper(), b.amount, b.committed, b.realised, b.remaining]
        for b in c.budget
    ]
    return head, rows


def _pipeline(c: Cockpit) -> tuple[list[str], list[Row]]:
    return [_("State"), _("Nominations")], [[k, v] for k, v in c.pipeline.by_state.items()]


def _mentoring(c: Cockpit) -> tuple[list[str], list[Row]]:
    head = [_("Mentor"), _("Mentee"), _("Last session")]
    rows: list[Row] = [
        [p.mentor, p.mentee, p.last_session.isoformat() if p.last_session else ""]
        for p in c.mentoring.silent
    ]
    return head, rows


TABLES: dict[str, Callable[[Cockpit], tuple[list[str], list[Row]]]] = {
    "participation": _participation,
    "jp-units": _jp_units,
    "jp-below": _jp_below,
    "budget": _budget,
    "pipeline": _pipeline,
    "mentoring-silent": _mentoring,
}


def xlsx_response(table: str, cockpit: Cockpit, instansi: Instansi) -> Response:
    """The table as a workbook through the shared formula-safe writer."""
    head, rows = TABLES[table](cockpit)

    def fill(book: exports.Workbook) -> None:
        sheet = book.sheet(table)
        sheet.header(head)
        sheet.rows(rows)

    name = f"cockpit-{table}-{instansi.code}-{cockpit.scope.year}"
    return exports.xlsx_response(name, exports.write_xlsx(fill))
