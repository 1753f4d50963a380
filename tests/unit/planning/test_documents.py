"""The participation section and the plan's documents: PDF (read back with poppler), DOCX, XLSX,
made by a background job and by `flask plan export`."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.needs.models import UnitImportance
from app.planning import documents, publishing, services
from app.planning.models import PlanItem, Revision
from app.planning.participation import participation
from app.surveys.models import (
    Audience,
    Campaign,
    CampaignStatus,
    Invitation,
    Response,
    ResponseStatus,
)
from tests.unit.planning.factories import HR, evidence, year

SEVEN = (
    "Jenis kompetensi",
    "Sasaran pegawai",
    "Bentuk dan jalur",
    "Penyelenggara",
    "Jadwal",
    "Kesesuaian kurikulum",
    "Anggaran",
)


def consultation(world) -> None:  # type: ignore[no-untyped-def]
    """A stakeholder campaign and a self-assessment of the cycle, with responses."""
    day = date(year(), 2, 1)
    stakeholders = Campaign(
        instansi_id=world.a.id, definition_id="konsultasi", definition_version=1,
        title="Konsultasi pemangku kepentingan", audience=Audience.STAKEHOLDER,
        cycle_year=year(), opens_on=day, closes_on=day + timedelta(days=30),
        status=CampaignStatus.CLOSED, published_at=utcnow(),
    )  # fmt: skip
    self_rating = Campaign(
        instansi_id=world.a.id, definition_id="self", definition_version=1,
        title="Penilaian diri", audience=Audience.SELF, cycle_year=year(), opens_on=day,
        closes_on=day + timedelta(days=30), status=CampaignStatus.CLOSED, published_at=utcnow(),
    )  # fmt: skip
    db.session.add_all([stakeholders, self_rating])
    db.session.flush()
    rows = [
        (stakeholders, "stakeholder", "akademisi", world.opd.id),
        (stakeholders, "stakeholder", "akademisi", world.opd.id),
        (stakeholders, "stakeholder", "swasta", world.opd.id),
        (stakeholders, "stakeholder", "masyarakat", None),
        (self_rating, "self", None, world.opd.id),
    ]
    for number, (campaign, role, group, unit) in enumerate(rows):
        invitation = Invitation(
            campaign_id=campaign.id, token_hash=f"t{number}", rater_role=role,
            stakeholder_group=group, org_unit_id=unit, expires_at=utcnow() + timedelta(days=9),
        )  # fmt: skip
        db.session.add(invitation)
        db.session.flush()
        db.session.add(
            Response(
                campaign_id=campaign.id, definition_id=campaign.definition_id,
                definition_version=1, rater_role=role, stakeholder_group=group,
                org_unit_id=unit, invitation_id=invitation.id, status=ResponseStatus.SUBMITTED,
                submitted_on=day,
            )
        )  # fmt: skip
    for unit in (world.opd.id, world.bidang.id):  # the bidang takes its OPD's importance
        db.session.add(
            UnitImportance(
                instansi_id=world.a.id, cycle_year=year(), org_unit_id=unit,
                competency_code="M.03", importance=4.6, source_unit_id=world.opd.id,
                respondents=3,
            )
        )  # fmt: skip
    db.session.commit()


def drafted(world) -> Revision:  # type: ignore[no-untyped-def]
    evidence(world)
    consultation(world)
    result = services.draft_plan(world.a.id, year(), HR)
    revision = db.session.get(Revision, result.revision_id)
    assert revision is not None
    return revision


def test_participation_counts_groups_units_and_raised_items(ctx, world):
    revision = drafted(world)
    part = participation(revision)
    assert [c.title for c in part.campaigns] == [
        "Konsultasi pemangku kepentingan",
        "Penilaian diri",
    ]
    assert part.campaigns[0].invited == 4 and part.campaigns[0].submitted == 4
    groups = {g.key: (g.invited, g.submitted) for g in part.groups}
    assert groups["akademisi"] == (2, 2) and groups["swasta"] == (1, 1)
    assert groups["masyarakat"] == (1, 1) and groups["self"] == (1, 1)
    assert groups["supervisor"] == (0, 0)  # named even when nobody answered
    assert [g.key for g in part.groups][:5] == [
        "masyarakat", "akademisi", "swasta", "self", "supervisor",
    ]  # fmt: skip
    opd = next(u for u in part.units if u.name)
    assert opd.submitted == {"akademisi": 2, "swasta": 1, "self": 1}
    assert any(u.name == "" and u.total == 1 for u in part.units)  # the public link
    (raised,) = part.raised
    item = db.session.get(PlanItem, raised.item_id)
    assert item.key == "need:M.03:classical" and raised.importance == pytest.approx(4.6)
    assert raised.employee_id in (world.staff.id, world.staff2.id)
    assert raised.explain_path == (
        f"/needs/employees/{raised.employee_id}/explain/M.03?year={year()}"
    )


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_pdf_carries_the_seven_contents_participation_and_totals(ctx, world, tmp_path):
    revision = drafted(world)
    services.save_settings(world.a.id, None, "Dr. H. Kepala Daerah", "", "Dumai")
    content = publishing.render(documents.document_data(revision), "pdf")
    path = tmp_path / "rpk.pdf"
    path.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    assert (tmp_path / "p-1.png").stat().st_size > 1000
    text = " ".join(_pdf_text(path).split())
    for heading in SEVEN:
        assert heading in text, heading
    assert "Partisipasi pemangku kepentingan" in text
    assert "Konsultasi pemangku kepentingan" in text and "Akademisi" in text
    assert "Pelatihan RPK-01" in text
    assert "Rp2.000.000" in text  # the item's total, and the plan's
    assert "Dr. H. Kepala Daerah" in text and "Dumai" in text
    assert world.a.name in text


def test_docx_and_xlsx_carry_the_contents(ctx, world):
    revision = drafted(world)
    data = documents.document_data(revision)
    docx = publishing.render(data, "docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = archive.read("word/document.xml").decode()
    for heading in ("Jenis kompetensi", "Penyelenggara", "Anggaran", "Partisipasi"):
        assert heading in body
    assert "Pelatihan RPK-01" in body and "Konsultasi pemangku kepentingan" in body
    xlsx = publishing.render(data, "xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    assert book.sheetnames[:2] == ["Kegiatan", "Sumber dana"]
    rows = list(book["Kegiatan"].iter_rows(values_only=True))
    assert rows[1][2] == "(a) Jenis kompetensi" and rows[1][14] == "(g) Mata anggaran"
    assert any(row[1] == "Pelatihan RPK-01" and row[12] == 2_000_000 for row in rows[2:])


def test_document_job_stores_once_per_content(ctx, world):
    revision = drafted(world)
    job = publishing.request_document(revision, "xlsx", None)
    db.session.expire_all()
    assert job.state.value == "succeeded", job.last_error
    assert "/planning/documents/" in job.result["url"]
    again = publishing.request_document(db.session.get(Revision, revision.id), "xlsx", None)
    assert again.id == job.id  # unchanged plan: the same job and file
    item = db.session.scalar(select(PlanItem).where(PlanItem.revision_id == revision.id))
    services.set_item_status(revision, item, "dropped", "Tidak prioritas", item.version, HR)
    third = publishing.request_document(db.session.get(Revision, revision.id), "xlsx", None)
    assert third.id != job.id


def test_cli_list_draft_and_export(app, world, tmp_path):
    with app.app_context():
        evidence(world)
        db.session.remove()
    runner = app.test_cli_runner()
    helped = runner.invoke(args=["plan", "--help"]).output
    assert "optimise" in helped and "export" in helped  # the optimiser's command stays
    code = world.a.code
    result = runner.invoke(args=["plan", "draft", "--instansi", code, "--year", str(year())])
    assert result.exit_code == 0, result.output
    assert "3 accepted needs, 2 items" in result.output
    listed = runner.invoke(args=["plan", "list"])
    assert (
        listed.exit_code == 0 and f"{code}\t{year()}\tdraft\t2 items\tRp2.000.000" in listed.output
    )
    for fmt in ("xlsx", "docx", "pdf"):
        out = tmp_path / f"rpk.{fmt}"
        done = runner.invoke(
            args=["plan", "export", "--instansi", code, "--year", str(year()), "--format", fmt,
                  "--out", str(out)]
        )  # fmt: skip
        assert done.exit_code == 0, done.output
        assert out.stat().st_size > 1000
    missing = runner.invoke(args=["plan", "export", "--instansi", code, "--year", "2001",
                                  "--format", "pdf", "--out", str(tmp_path / "x.pdf")])  # fmt: skip
    assert missing.exit_code != 0 and "no plan for 2001" in missing.output
