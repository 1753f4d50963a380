"""The optimiser's pages: scenarios side by side, one explained, apply, XLSX, settings."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.optimiser import settings
from app.optimiser.models import Scenario, ScenarioStatus
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.unit.optimiser.factories import drafted

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def _setup(app, client, world, **kwargs) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        revision_id = drafted(world, **kwargs).id
        db.session.remove()
    login(client, ROLE_EMAILS["hr_admin"])
    return revision_id


def _run(client, revision_id: int, name: str, percent: int = 100, partner: int = 0) -> int:  # type: ignore[no-untyped-def]
    path = f"/optimiser/revisions/{revision_id}"
    token = csrf_token(client, path)
    response = client.post(
        f"{path}/scenarios",
        data={
            "csrf_token": token,
            "name": name,
            "budget_percent": percent,
            "partner_amount": partner,
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_two_scenarios_compared_explained_and_applied(app, client, world):
    revision_id = _setup(app, client, world, budget=1_500_000)
    first = _run(client, revision_id, "Anggaran tetap")
    second = _run(client, revision_id, "Anggaran -20", percent=80)
    page = client.get(f"/optimiser/revisions/{revision_id}").get_data(as_text=True)
    assert "Anggaran tetap" in page and "Anggaran -20" in page
    assert "Berdampingan" in page  # the comparison table
    partial = client.get(f"/optimiser/revisions/{revision_id}", headers=PARTIAL).get_data(
        as_text=True
    )
    assert partial.lstrip().startswith('<section id="scenarios">')
    detail = client.get(f"/optimiser/scenarios/{second}?show=all").get_data(as_text=True)
    assert "Didanai" in detail or "Tidak didanai" in detail
    listed = client.get(f"/optimiser/scenarios/{second}?show=unfunded", headers=PARTIAL)
    assert listed.get_data(as_text=True).lstrip().startswith('<section id="choice-list">')
    export = client.get(f"/optimiser/scenarios/{first}/export.xlsx")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.data))
    export.close()
    assert len(book.sheetnames) == 3
    token = csrf_token(client, f"/optimiser/scenarios/{first}")
    applied = client.post(f"/optimiser/scenarios/{first}/apply", data={"csrf_token": token})
    assert applied.status_code == 303 and "/planning/" in applied.headers["Location"]
    with app.app_context():
        scenario = db.session.get(Scenario, first)
        assert scenario.applied_at is not None
        db.session.remove()


def test_bad_scenario_input_is_422(app, client, world):
    revision_id = _setup(app, client, world)
    path = f"/optimiser/revisions/{revision_id}"
    token = csrf_token(client, path)
    response = client.post(
        f"{path}/scenarios",
        data={"csrf_token": token, "name": "", "budget_percent": -5, "partner_amount": 0},
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_conflicting_rules_are_shown_never_an_empty_plan(app, client, world):
    revision_id = _setup(app, client, world, budget=1_000_000)
    with app.app_context():
        settings.save_rules(world.a.id, 80, 20, 0, 10, 1, ["need:M.03:classical"])
        db.session.remove()
    scenario_id = _run(client, revision_id, "Wajib")
    page = client.get(f"/optimiser/scenarios/{scenario_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Rp 2.000.000" in html and "Rp 1.000.000" in html  # mandatory cost vs the line
    assert "Terapkan" not in html  # nothing to apply
    with app.app_context():
        found = db.session.scalar(select(Scenario).where(Scenario.id == scenario_id))
        assert found.status == ScenarioStatus.INFEASIBLE
        db.session.remove()
    token = csrf_token(client, f"/optimiser/scenarios/{scenario_id}")
    refused = client.post(f"/optimiser/scenarios/{scenario_id}/apply", data={"csrf_token": token})
    assert refused.status_code == 422


def test_settings_save_and_refuse(app, client, world):
    _setup(app, client, world)
    path = f"/optimiser/settings/{world.a.id}"
    html = client.get(path).get_data(as_text=True)
    assert "forms-0-effect" in html
    token = csrf_token(client, path)
    bad = client.post(
        f"{path}/rules",
        data={
            "csrf_token": token,
            "min_jp": 20,
            "non_classical_share": 150,
            "time_limit": 30,
            "mip_gap": 1,
        },
        headers=PARTIAL,
    )
    assert bad.status_code == 422
    assert bad.get_data(as_text=True).lstrip().startswith('<section id="rules-form">')
    good = client.post(
        f"{path}/rules",
        data={"csrf_token": token, "jp_ceiling": 60, "min_jp": 20, "non_classical_share": 30,
              "time_limit": 30, "mip_gap": 1},
    )  # fmt: skip
    assert good.status_code == 303
    forms = client.post(
        f"{path}/forms",
        data={"csrf_token": token, "forms-0-code": "mentoring", "forms-0-effect": 0.7,
              "forms-0-unit_cost": 100000, "forms-0-jp": 12, "forms-0-alternative": "y"},
    )  # fmt: skip
    assert forms.status_code == 303
    wrong = client.post(
        f"{path}/forms",
        data={"csrf_token": token, "forms-0-code": "mentoring", "forms-0-effect": 3,
              "forms-0-unit_cost": 100000, "forms-0-jp": 12},
    )  # fmt: skip
    assert wrong.status_code == 422
    with app.app_context():
        assert settings.form_terms(world.a.id)["mentoring"].effect == 0.7
        assert settings.rules_for(world.a.id).non_classical_share == 0.3
        db.session.remove()


def test_missing_costs_refused_then_estimated(app, client, world):
    from app.planning.models import PlanItem

    revision_id = _setup(app, client, world)
    with app.app_context():
        item = db.session.scalar(select(PlanItem).where(PlanItem.key == "need:M.03:classical"))
        item.unit_cost = None
        db.session.commit()
        item_id = item.id
        db.session.remove()
    refused = _run(client, revision_id, "Tanpa biaya")
    html = client.get(f"/optimiser/scenarios/{refused}").get_data(as_text=True)
    assert "belum berbiaya" in html and "/estimate" in html
    token = csrf_token(client, f"/optimiser/scenarios/{refused}")
    response = client.post(
        f"/optimiser/revisions/{revision_id}/estimate", data={"csrf_token": token}
    )
    assert response.status_code == 303
    again = _run(client, revision_id, "Dengan perkiraan")
    with app.app_context():
        assert db.session.get(Scenario, again).status == ScenarioStatus.DONE
        assert db.session.get(PlanItem, item_id).unit_cost == 3_000_000  # the classical estimate
        db.session.remove()


def test_measured_effect_shown_and_adopted(app, client, world):
    from tests.unit.evaluation.factories import answer_tests, rated_program
    from tests.unit.evaluation.test_feeds import POST, PRE

    _setup(app, client, world)
    path = f"/optimiser/settings/{world.a.id}"
    assert 'data-measured="classical"' not in client.get(path).get_data(as_text=True)
    with app.app_context():
        event = rated_program(world, [{}] * 5, code="PP-L2", tests=True)
        answer_tests(event.id, PRE, POST)
        db.session.remove()
    html = client.get(path).get_data(as_text=True)
    # (0.5 + 0.4 + 1/3 + 0 + 0.6) / 5 = 0.367, from 5 participants of 1 program
    assert 'data-measured="classical">0,37' in html and "5 peserta, 1 program" in html
    assert f'action="/optimiser/settings/{world.a.id}/forms/classical/adopt"' in html
    assert 'name="effect" value="0.37"' in html and "flagged_percent" in html
    token = csrf_token(client, path)
    adopt = f"{path}/forms/classical/adopt"
    assert client.post(adopt, data={"effect": "0.37"}).status_code == 400  # no CSRF token
    bad = client.post(adopt, data={"csrf_token": token, "effect": "7"}, headers=PARTIAL)
    assert bad.status_code == 422
    assert bad.get_data(as_text=True).lstrip().startswith('<section id="forms-table">')
    full_bad = client.post(adopt, data={"csrf_token": token, "effect": "x"})
    assert full_bad.status_code == 422 and "<html" in full_bad.get_data(as_text=True)
    assert client.post(f"{path}/forms/unknown/adopt", data={"csrf_token": token}).status_code == 404
    good = client.post(adopt, data={"csrf_token": token, "effect": "0.37"})
    assert good.status_code == 303
    with app.app_context():
        terms = settings.form_terms(world.a.id)["classical"]
        default = settings.DEFAULT_FORMS["classical"]
        assert terms.effect == 0.37 and terms.unit_cost == default.unit_cost
        db.session.remove()


def test_flagged_share_is_a_rule(app, client, world):
    _setup(app, client, world)
    path = f"/optimiser/settings/{world.a.id}"
    token = csrf_token(client, path)
    data = {"csrf_token": token, "min_jp": 20, "non_classical_share": 20, "time_limit": 30,
            "mip_gap": 1}  # fmt: skip
    bad = client.post(f"{path}/rules", data={**data, "flagged_percent": 120}, headers=PARTIAL)
    assert bad.status_code == 422 and 'id="flagged_percent"' in bad.get_data(as_text=True)
    assert client.post(f"{path}/rules", data={**data, "flagged_percent": 30}).status_code == 303
    with app.app_context():
        assert settings.rules_for(world.a.id).flagged_factor == 0.3
        db.session.remove()
