"""Drafting and the documents as background jobs, and the XLSX of the items.

`request_draft` and `request_document` queue a job inside the caller's transaction (the page
then shows its progress at /jobs/<id>); the job runs `draft_plan` or `make_document`. Without a
broker the job runs in-process right after the commit. A document is stored once per revision,
format and content stamp: asking again for an unchanged plan serves the stored file.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from app import jobs
from app.errors import ServiceError
from app.extensions import db
from app.planning import documents, services
from app.planning.audit import PlanActor
from app.planning.documents import DocumentData
from app.planning.models import PlanDocument, Revision
from app.web import exports

MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": exports.XLSX_MIMETYPE,
}


def request_draft(instansi_id: int, year: int, actor: PlanActor) -> jobs.Job:
    """Queue the drafting (or refresh) of an instansi's plan for `year`; commits."""
    if year not in services.YEARS:
        raise ServiceError(_("Choose a year from 2000 to 2100."), field="year")
    plan = services.plan_for(instansi_id, year)
    state = "new"
    if plan is not None:
        revision = services.latest_revision(plan.id)
        assert revision is not None
        services.ensure_editable(revision)
        state = f"{revision.id}:{revision.version}:{revision.refreshes}"
    job = jobs.enqueue(
        "planning.draft",
        key=f"planning.draft:{instansi_id}:{year}:{state}",
        instansi_id=instansi_id,
        created_by_id=actor.user_id,
        plan_instansi=instansi_id,
        year=year,
        user_id=actor.user_id,
        name=actor.name,
    )
    db.session.commit()
    return job


def request_document(revision: Revision, fmt: str, user_id: int | None) -> jobs.Job:
    """Queue the making of a document of the revision; commits."""
    if fmt not in documents.FORMATS:
        raise ServiceError(_("Choose PDF, DOCX or XLSX."), field="fmt")
    stamp = documents.content_stamp(revision)
    job = jobs.enqueue(
        "planning.document",
        key=f"planning.document:{revision.id}:{fmt}:{stamp}",
        instansi_id=revision.plan.instansi_id,
        created_by_id=user_id,
        revision_id=revision.id,
        fmt=fmt,
        stamp=stamp,
    )
    db.session.commit()
    return job


def render(data: DocumentData, fmt: str) -> bytes:
    """The document's bytes in one of the three formats."""
    if fmt == "pdf":
        return documents.pdf_bytes(data)
    if fmt == "docx":
        from app.planning.word import docx_bytes

        return docx_bytes(data)
    path = exports.write_xlsx(lambda book: fill_xlsx(book, data), prefix="rpk-")
    try:
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def make_document(revision_id: int, fmt: str, stamp: str, user_id: int | None) -> PlanDocument:
    """Make and store the document (once per stamp); commits."""
    found = db.session.scalar(
        select(PlanDocument).where(
            PlanDocument.revision_id == revision_id,
            PlanDocument.fmt == fmt,
            PlanDocument.stamp == stamp,
        )
    )
    if found is not None:
        return found
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        raise jobs.PermanentFailure("the plan revision no longer exists")
    data = documents.document_data(revision)
    content = render(data, fmt)
    document = PlanDocument(
        revision_id=revision_id,
        fmt=fmt,
        stamp=stamp,
        filename=documents.file_name(data, fmt),
        size=len(content),
        content=content,
        created_by_id=user_id,
    )
    db.session.add(document)
    db.session.commit()
    return document


def write_file(revision: Revision, fmt: str, out: Path) -> int:
    """Write a document straight to a file (the CLI); the number of bytes written."""
    content = render(documents.document_data(revision), fmt)
    out.write_bytes(content)
    return len(content)


ITEM_HEADER = (
    "No",
    "Kegiatan",
    "(a) Jenis kompetensi",
    "(b) Sasaran pegawai",
    "Jumlah peserta",
    "(c) Bentuk",
    "(c) Jalur",
    "(d) Penyelenggara",
    "(e) Jadwal",
    "(f) Kesesuaian kurikulum dan standar kompetensi",
    "(g) JP",
    "(g) Biaya satuan",
    "(g) Jumlah anggaran",
    "(g) Sumber dana",
    "(g) Mata anggaran",
)


def fill_xlsx(book: exports.Workbook, data: DocumentData) -> None:
    """Items with the seven contents as columns; summaries, participation and totals."""
    sheet = book.sheet("Kegiatan")
    sheet.header([data.title])
    sheet.header(ITEM_HEADER)
    sheet.rows(
        (
            i.number, i.title, i.competency, i.targets, i.participants, i.form, i.path,
            i.provider, i.schedule, i.conformity, i.jp, i.unit_cost, i.total_cost, i.source,
            i.line,
        )
        for i in data.items
    )  # fmt: skip
    totals = data.totals
    sheet.row(("", _("Total"), "", "", totals.participants, "", "", "", "", "", "", "",
               totals.cost), bold=True)  # fmt: skip
    sources = book.sheet("Sumber dana")
    sources.header((_("Funding source"), _("JP × participants"), _("Budget")))
    sources.rows((s.label, round(s.jp_hours, 1), s.cost) for s in data.sources)
    sources.row((_("Total"), round(totals.jp_hours, 1), totals.cost), bold=True)
    units = book.sheet("Per unit")
    units.header((_("Unit"), _("Activities"), _("Participants"), _("Budget")))
    units.rows(data.by_unit)
    competencies = book.sheet("Per kompetensi")
    competencies.header(
        ("Kode", _("Competency"), _("Activities"), _("Participants"), _("JP × participants"),
         _("Budget"))
    )  # fmt: skip
    competencies.rows(data.by_competency)
    part = data.participation
    consulted = book.sheet("Partisipasi")
    consulted.header((_("Campaign"), _("Period"), _("Invited"), _("Responses")))
    consulted.rows(
        (c.title, f"{c.opens_on:%d/%m/%Y} – {c.closes_on:%d/%m/%Y}", c.invited, c.submitted)
        for c in part.campaigns
    )
    consulted.row(())
    consulted.header((_("Group"), _("Invited"), _("Responses")))
    consulted.rows((g.label, g.invited, g.submitted) for g in part.groups)
    consulted.row(())
    consulted.header((_("Unit"), *(g.label for g in part.groups), _("Total")))
    consulted.rows(
        (u.name or _("No unit (public link)"), *(u.submitted.get(g.key, 0) for g in part.groups),
         u.total)
        for u in part.units
    )  # fmt: skip
    consulted.row(())
    consulted.header(
        (_("Activity"), _("Competency"), _("Importance"), _("Stakeholders"), _("Given by"),
         _("Reference"))
    )  # fmt: skip
    consulted.rows(
        (r.title, f"{r.code} {r.competency}", round(r.importance, 2), r.respondents,
         r.source_unit or _("the whole instansi"), r.explain_path)
        for r in part.raised
    )  # fmt: skip
