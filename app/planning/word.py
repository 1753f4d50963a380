"""The plan as a Word document (python-docx), for BKPSDM to paste into the official decree
template: the same sections as the PDF, the item table in a landscape section."""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import deepcopy

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask_babel import gettext as _

from app.planning.documents import DocumentData
from app.planning.labels import plan_label
from app.planning.services import rupiah


def _jp(value: float | None) -> str:
    return f"{value or 0:.1f}"


def _table(document: object, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A bordered table; rows are cloned from one template row (fast for thousands of rows)."""
    table = document.add_table(rows=2, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(title)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    head = table.rows[0]._tr
    trPr = head.get_or_add_trPr()
    repeat = trPr.makeelement(qn("w:tblHeader"), {})
    trPr.append(repeat)
    template = table.rows[1]._tr
    parent = template.getparent()
    parent.remove(template)
    for values in rows:
        tr = deepcopy(template)
        for tc, value in zip(tr.iter(qn("w:tc")), values, strict=True):
            paragraph = tc.find(qn("w:p"))
            run = paragraph.makeelement(qn("w:r"), {})
            text = run.makeelement(qn("w:t"), {qn("xml:space"): "preserve"})
            text.text = "" if value is None else str(value)
            run.append(text)
            paragraph.append(run)
        parent.append(tr)


def docx_bytes(doc: DocumentData) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(9)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(16))

    title = document.add_heading(_("COMPETENCY DEVELOPMENT PLAN FOR CIVIL SERVANTS"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (
        doc.instansi_name,
        _("Year %(year)d", year=doc.year)
        + (f" · {_('Revision %(n)d', n=doc.revision_number)}" if doc.revision_number else ""),
        doc.status
        + (
            " · "
            + _(
                "Decree %(no)s of %(day)s",
                no=doc.decree_number,
                day=doc.decree_date.strftime("%d/%m/%Y") if doc.decree_date else "",
            )
            if doc.decree_number
            else ""
        ),
    ):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("1. " + _("Basis and contents"), level=1)
    document.add_paragraph(
        _(
            "This plan is drafted by BKPSDM and adopted by the %(ppk)s under PP 11/2017 Articles "
            "205 to 207. It covers one year, is funded in the annual budget, and states for each "
            "activity: (a) the type of competency to develop, (b) the target civil servants, (c) "
            "the type and path of development, (d) the provider, (e) the schedule, (f) the "
            "conformity with the curriculum standard and the position's competency standard, and "
            "(g) the budget.",
            ppk=doc.ppk_title,
        )
    )
    document.add_heading("2. " + _("Summary"), level=1)
    totals = doc.totals
    _table(
        document,
        [_("Activities in the plan"), _("Participants"), _("JP planned (JP × participants)"),
         _("Total budget")],
        [[totals.active, totals.participants, _jp(totals.jp_hours), rupiah(totals.cost)]],
    )  # fmt: skip
    document.add_heading(_("Totals of JP and budget per funding source"), level=2)
    _table(
        document,
        [_("Funding source"), _("JP × participants"), _("Budget")],
        [[s.label, _jp(s.jp_hours), rupiah(s.cost)] for s in doc.sources]
        + [[_("Total"), _jp(totals.jp_hours), rupiah(totals.cost)]],
    )
    document.add_heading(_("Budget lines"), level=2)
    _table(
        document,
        [_("Budget line"), _("Unit"), _("Funding source"), _("Available"), _("Planned")],
        [
            [f"{u.line.code} {u.line.name}".strip(), u.unit_name or _("The whole instansi"),
             str(plan_label(u.line.source)), rupiah(u.line.amount), rupiah(u.planned)]
            for u in doc.lines
        ],
    )  # fmt: skip
    document.add_heading("3. " + _("Summary per unit"), level=1)
    _table(
        document,
        [_("Unit"), _("Activities"), _("Participants"), _("Budget")],
        [[name, n, people, rupiah(cost)] for name, n, people, cost in doc.by_unit],
    )
    document.add_heading("4. " + _("Summary per competency"), level=1)
    _table(
        document,
        [_("Competency"), _("Activities"), _("Participants"), _("JP × participants"), _("Budget")],
        [
            [f"{code} {name}", n, people, _jp(hours), rupiah(cost)]
            for code, name, n, people, hours, cost in doc.by_competency
        ],
    )
    _participation(document, doc)

    items = document.add_section()
    items.orientation = WD_ORIENT.LANDSCAPE
    items.page_width, items.page_height = Mm(297), Mm(210)
    document.add_heading("6. " + _("Development activities"), level=1)
    _table(
        document,
        [
            _("No."),
            "(a) " + _("Type of competency"),
            "(b) " + _("Target employees"),
            "(c) " + _("Type and path"),
            "(d) " + _("Provider"),
            "(e) " + _("Schedule"),
            "(f) " + _("Curriculum conformity"),
            "(g) " + _("Budget"),
        ],
        [
            [
                i.number,
                f"{i.title} — {i.competency}" if i.competency else i.title,
                i.targets,
                f"{i.form} ({i.path})" if i.path else i.form,
                i.provider,
                i.schedule,
                i.conformity,
                f"{_jp(i.jp)} JP · {rupiah(i.unit_cost)} × {i.participants} = "
                f"{rupiah(i.total_cost)} · {i.source} {i.line}".strip(),
            ]
            for i in doc.items
        ],
    )

    back = document.add_section()
    back.orientation = WD_ORIENT.PORTRAIT
    back.page_width, back.page_height = Mm(210), Mm(297)
    document.add_heading("7. " + _("Closing"), level=1)
    document.add_paragraph(
        _(
            "This plan comprises %(n)d activities for %(people)d participants, %(jp)s JP and a "
            "budget of %(cost)s.",
            n=totals.active,
            people=totals.participants,
            jp=_jp(totals.jp_hours),
            cost=rupiah(totals.cost),
        )
    )
    for text, bold in (
        (
            _(
                "Adopted in %(place)s on %(day)s",
                place=doc.place or "……………",
                day=doc.sign_date.strftime("%d/%m/%Y"),
            ),
            False,
        ),
        (doc.ppk_title, True),
        (doc.instansi_name, False),
        ("\n\n\n", False),
        (doc.signatory_name or "……………………………", True),
        (f"{_('NIP')} {doc.signatory_nip}" if doc.signatory_nip else "", False),
    ):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(95)
        paragraph.add_run(text).bold = bold
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _participation(document: object, doc: DocumentData) -> None:
    part = doc.participation
    document.add_heading("5. " + _("Participation of stakeholders"), level=1)  # type: ignore[attr-defined]
    document.add_paragraph(  # type: ignore[attr-defined]
        _(
            "The needs behind this plan were identified with %(n)d responses to the survey "
            "campaigns of %(year)d, from the groups below.",
            n=part.submitted,
            year=part.year,
        )
    )
    document.add_heading(_("Survey campaigns used"), level=2)  # type: ignore[attr-defined]
    _table(
        document,
        [_("Campaign"), _("Period"), _("Invited"), _("Responses")],
        [
            [c.title, f"{c.opens_on:%d/%m/%Y} – {c.closes_on:%d/%m/%Y}", c.invited, c.submitted]
            for c in part.campaigns
        ],
    )
    document.add_heading(_("Responses per stakeholder group"), level=2)  # type: ignore[attr-defined]
    _table(
        document,
        [_("Group"), _("Invited"), _("Responses")],
        [[g.label, g.invited, g.submitted] for g in part.groups]
        + [[_("Total"), part.invited, part.submitted]],
    )
    if part.units:
        document.add_heading(_("Responses per unit"), level=2)  # type: ignore[attr-defined]
        _table(
            document,
            [_("Unit"), *(g.label for g in part.groups), _("Total")],
            [
                [u.name or _("No unit (public link)"),
                 *(u.submitted.get(g.key, 0) for g in part.groups), u.total]
                for u in part.units
            ],
        )  # fmt: skip
    document.add_heading(_("Activities raised by stakeholder priorities"), level=2)  # type: ignore[attr-defined]
    _table(
        document,
        [_("Activity"), _("Competency"), _("Importance"), _("Stakeholders"), _("Given by"),
         _("Reference")],
        [
            [r.title, f"{r.code} {r.competency}", f"{r.importance:.2f}", r.respondents,
             r.source_unit or _("the whole instansi"), r.explain_path]
            for r in part.raised
        ],
    )  # fmt: skip
