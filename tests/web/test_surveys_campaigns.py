"""HR campaigns: publishing (refused for broken definitions), assignments from the position
tree, stakeholder invitations, emails and idempotent reminders, the QR code, permissions."""

from __future__ import annotations

import email
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.accounts.models import Role
from app.clock import local_today, utcnow
from app.extensions import db
from app.org.hierarchy import supervisor_of
from app.org.models import Employee
from app.surveys import services
from app.surveys.models import Audience, Campaign, CampaignStatus, Invitation, Response
from tests.conftest import csrf_token, login
from tests.factories import make_user
from tests.web.matrix.surveys import invite, open_campaign

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def campaign_form(**overrides):
    today = local_today()
    data = {
        "definition_id": "penilaian_diri_kompetensi",
        "title": "Penilaian diri 2026",
        "audience": "self",
        "cycle_year": str(today.year),
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "audience_unit_id": "0",
    }
    data.update(overrides)
    return data


def outbox(app) -> list[email.message.Message]:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    if not folder.exists():
        return []
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


@pytest.fixture(autouse=True)
def empty_outbox(app):
    shutil.rmtree(app.config["MAIL_OUTBOX_DIR"], ignore_errors=True)


def test_hr_drafts_publishes_and_assigns_every_employee(app, client, world):
    login(client, "hr@test.example")
    page = client.get("/surveys/campaigns/new")
    assert page.status_code == 200 and "penilaian_diri_kompetensi" in page.get_data(as_text=True)
    response = client.post(
        "/surveys/campaigns/new",
        data={**campaign_form(), "csrf_token": csrf_token(client, "/surveys/campaigns/new")},
    )
    assert response.status_code == 303
    detail = response.headers["Location"]
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        assert campaign.status == CampaignStatus.DRAFT and campaign.instansi_id == world.a.id
        assert campaign.definition_text.startswith("#") and len(campaign.definition_sha) == 64
        campaign_id = campaign.id
    published = client.post(
        f"/surveys/campaigns/{campaign_id}/publish", data={"csrf_token": csrf_token(client, detail)}
    )
    assert published.status_code == 303
    with app.app_context():
        rows = db.session.execute(
            select(Invitation.respondent_employee_id, Invitation.subject_employee_id)
        ).all()
        active_a = set(
            db.session.scalars(
                select(Employee.id).where(Employee.instansi_id == world.a.id, Employee.active)
            )
        )
        assert {r for r, s in rows} == active_a and all(r == s for r, s in rows)
        assert db.session.scalar(select(Campaign.status)) == CampaignStatus.OPEN
    html = client.get(detail).get_data(as_text=True)
    assert "5 undangan" in html and "Staf Satu" in html


def test_supervisor_campaign_derives_one_rating_per_subordinate(app, world):
    with app.app_context():
        campaign = open_campaign(
            world.a.id, "penilaian_atasan_rekan", Audience.SUPERVISOR, public_link=False
        )
        pairs = set(
            db.session.execute(
                select(Invitation.respondent_employee_id, Invitation.subject_employee_id).where(
                    Invitation.campaign_id == campaign.id
                )
            ).all()
        )
        expected = set()
        for employee in db.session.scalars(
            select(Employee).where(Employee.instansi_id == world.a.id)
        ):
            boss = supervisor_of(employee)
            if boss is not None:
                expected.add((boss.id, employee.id))
        assert pairs == expected
        assert (world.kabid.id, world.staff.id) in pairs and (
            world.head.id,
            world.kabid.id,
        ) in pairs


def test_peer_campaign_pairs_colleagues_only(app, world):
    with app.app_context():
        campaign = open_campaign(
            world.a.id, "penilaian_atasan_rekan", Audience.PEER, public_link=False
        )
        pairs = db.session.execute(
            select(Invitation.respondent_employee_id, Invitation.subject_employee_id).where(
                Invitation.campaign_id == campaign.id
            )
        ).all()
        assert set(pairs) == {(world.staff.id, world.staff2.id), (world.staff2.id, world.staff.id)}


def test_broken_definition_is_refused_with_the_checker_message(app, client, world, tmp_path):
    for path in Path(app.config["SURVEYS_DIR"]).glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    broken = (
        (tmp_path / "penilaian_diri_kompetensi.yaml")
        .read_text()
        .replace("${m01} + ${m02}", "${m01} + ${m99}")
    )
    before = app.config["SURVEYS_DIR"]
    app.config["SURVEYS_DIR"] = str(tmp_path)
    try:
        login(client, "hr@test.example")
        with app.app_context():
            campaign = open_campaign(
                world.a.id,
                "penilaian_diri_kompetensi",
                Audience.SELF,
                public_link=False,
                publish=False,
            )
            campaign_id = campaign.id
        (tmp_path / "penilaian_diri_kompetensi.yaml").write_text(broken)
        from app.surveys.cli import run_check

        lines: list[str] = []
        run_check(tmp_path, echo=lines.append)
        message = next(line for line in lines if "m99" in line)
        response = client.post(
            "/surveys/campaigns/new",
            data={**campaign_form(), "csrf_token": csrf_token(client, "/surveys/campaigns/new")},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert message.replace("'", "&#39;") in html
        refused = client.post(
            f"/surveys/campaigns/{campaign_id}/publish",
            data={"csrf_token": csrf_token(client, f"/surveys/campaigns/{campaign_id}")},
        )
        assert refused.status_code == 422 and message.replace("'", "&#39;") in refused.get_data(
            as_text=True
        )
        with app.app_context():
            assert (
                db.session.scalar(select(Campaign.status).where(Campaign.id == campaign_id))
                == CampaignStatus.DRAFT
            )
            assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    finally:
        app.config["SURVEYS_DIR"] = before


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"closes_on": "2000-01-01"}, "closes_on"),
        ({"audience": "stakeholder"}, "audience"),
        ({"public_link": "y"}, "public_link"),
        ({"anonymous": "y"}, "anonymous"),
        ({"definition_id": "nope"}, "definition_id"),
        ({"title": ""}, "title"),
        ({"audience_unit_id": "999999"}, "audience_unit_id"),
    ],
)
def test_invalid_campaigns_are_refused_beside_the_field(app, client, world, overrides, field):
    login(client, "hr@test.example")
    response = client.post(
        "/surveys/campaigns/new",
        data={
            **campaign_form(**overrides),
            "csrf_token": csrf_token(client, "/surveys/campaigns/new"),
        },
    )
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(
        as_text=True
    ) or "error-summary" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_stakeholders_are_invited_and_emailed_a_link_only_they_hold(app, client, world):
    with app.app_context():
        campaign = open_campaign(world.a.id)
        campaign_id = campaign.id
        db.session.commit()
    login(client, "hr@test.example")
    url = f"/surveys/campaigns/{campaign_id}"
    bad = client.post(
        f"{url}/invitations",
        data={
            "lines": "rektor@unri.example\nnot-an-email\nrektor@unri.example",
            "group": "",
            "unit_id": "0",
            "csrf_token": csrf_token(client, url),
        },
    )
    html = bad.get_data(as_text=True)
    assert (
        bad.status_code == 422
        and "Baris 2: bukan alamat email." in html
        and "Baris 3: tercantum dua kali." in html
    )
    good = client.post(
        f"{url}/invitations",
        data={
            "lines": "rektor@unri.example; Prof. Ani; Universitas Riau; akademisi\nketua@kadin.example;;KADIN",
            "group": "swasta",
            "unit_id": str(world.opd.id),
            "csrf_token": csrf_token(client, url),
        },
    )
    assert good.status_code == 303
    again = client.post(
        f"{url}/invitations",
        data={
            "lines": "REKTOR@unri.example",
            "group": "",
            "unit_id": "0",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert again.status_code == 422 and "Sudah diundang" in again.get_data(as_text=True)
    sent = client.post(f"{url}/send", data={"csrf_token": csrf_token(client, url)})
    assert sent.status_code == 303 and len(outbox(app)) == 2
    assert (
        client.post(f"{url}/send", data={"csrf_token": csrf_token(client, url)}).status_code == 303
    )
    assert len(outbox(app)) == 2  # nothing is sent twice
    message = next(m for m in outbox(app) if m["To"] == "rektor@unri.example")
    body = message.get_payload(decode=True).decode()
    with app.app_context():  # who sends it, which survey, until when
        from app.org.models import Instansi

        campaign = db.session.scalars(select(Invitation)).first().campaign
        sender = db.session.get(Instansi, campaign.instansi_id).name
        assert campaign.title in body and sender in body
    assert re.search(r"berlaku sampai \d{1,2} [A-Z][a-z]{2} \d{4}", body), body
    assert "Pengisian memerlukan waktu ± 7 menit." in body  # app.surveys.estimate, prefilled
    token = re.search(r"/i/([A-Za-z0-9_-]+)", body).group(1)
    with app.app_context():
        invitations = {i.email: i for i in db.session.scalars(select(Invitation))}
        assert invitations["rektor@unri.example"].stakeholder_group == "akademisi"
        assert invitations["ketua@kadin.example"].stakeholder_group == "swasta"
        assert invitations["ketua@kadin.example"].org_unit_id == world.opd.id
        stored = " ".join(str(v) for i in invitations.values() for v in vars(i).values())
        assert token not in stored  # only the hash is kept
        assert invitations["rektor@unri.example"].token_hash == services.sha256_hex(token)
    assert client.get(f"/i/{token}").status_code == 303


def test_reminders_go_only_to_those_unfinished_and_never_twice(app, client, world):
    with app.app_context():
        campaign = open_campaign(world.a.id)
        done_token = invite(campaign, "selesai@example.id", "lsm")
        invite(campaign, "belum@example.id", "lsm")
        campaign_id = campaign.id
        services.send_invitations(campaign, lambda token: f"http://x/i/{token}")
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.email == "selesai@example.id")
        )
        invitation.completed_on = local_today()
        db.session.commit()
    assert done_token
    shutil.rmtree(app.config["MAIL_OUTBOX_DIR"], ignore_errors=True)
    login(client, "hr@test.example")
    url = f"/surveys/campaigns/{campaign_id}"
    client.post(f"{url}/remind", data={"csrf_token": csrf_token(client, url)})
    client.post(f"{url}/remind", data={"csrf_token": csrf_token(client, url)})
    messages = outbox(app)
    assert [m["To"] for m in messages] == ["belum@example.id"]
    assert messages[0]["Subject"].startswith("Pengingat")
    with app.app_context():
        later = utcnow() + services.REMINDER_INTERVAL + timedelta(minutes=1)
        campaign = db.session.get(Campaign, campaign_id)
        assert services.send_reminders(campaign, lambda t: t, now=later) == 1


def test_campaign_actions_follow_the_status(app, client, world):
    with app.app_context():
        campaign = open_campaign(world.a.id)
        campaign_id, public = campaign.id, campaign.public_token
        db.session.commit()
    login(client, "hr@test.example")
    url = f"/surveys/campaigns/{campaign_id}"
    again = client.post(f"{url}/publish", data={"csrf_token": csrf_token(client, url)})
    assert again.status_code == 422 and "Hanya kampanye berstatus draf" in again.get_data(
        as_text=True
    )
    expired_form = client.post(f"{url}/close", data={"csrf_token": "stale"})
    assert expired_form.status_code == 400
    closed = client.post(f"{url}/close", data={"csrf_token": csrf_token(client, url)})
    assert closed.status_code == 303
    assert client.get(f"/s/{public}").status_code == 410
    assert (
        client.post(f"{url}/remind", data={"csrf_token": csrf_token(client, url)}).status_code
        == 422
    )


def test_qr_code_is_an_svg_image_of_the_public_link(app, client, world):
    with app.app_context():
        campaign = open_campaign(world.a.id)
        campaign_id = campaign.id
        db.session.commit()
    login(client, "hr@test.example")
    page = client.get(f"/surveys/campaigns/{campaign_id}/qr?unit={world.opd.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'src="/surveys/campaigns/{campaign_id}/qr.svg?unit={world.opd.id}"' in html
    assert "style=" not in html
    image = client.get(f"/surveys/campaigns/{campaign_id}/qr.svg")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    svg = image.get_data(as_text=True)
    assert svg.startswith("<svg") and "style=" not in svg and "<script" not in svg
    other_instansi_unit = client.get(f"/surveys/campaigns/{campaign_id}/qr?unit={world.b_opd.id}")
    assert "unit=" not in other_instansi_unit.get_data(as_text=True).split("qr.svg")[1][:20]


def test_other_instansi_and_other_roles_cannot_touch_a_campaign(app, client, world):
    with app.app_context():
        campaign = open_campaign(world.a.id)
        make_user("hr-b@test.example", None, ((Role.HR_ADMIN, world.b.id),), instansi=world.b)
        campaign_id = campaign.id
        db.session.commit()
    login(client, "hr-b@test.example")
    assert client.get(f"/surveys/campaigns/{campaign_id}").status_code == 404
    token = csrf_token(client, "/surveys/campaigns")
    assert (
        client.post(
            f"/surveys/campaigns/{campaign_id}/close", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert "Konsultasi" not in client.get("/surveys/campaigns").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Campaign.status)) == CampaignStatus.OPEN


def test_invitation_table_filters_as_a_fragment(app, client, world):
    with app.app_context():
        campaign = open_campaign(world.a.id)
        invite(campaign, "a@example.id", "lsm")
        invite(campaign, "b@example.id", "lsm")
        db.session.execute(
            update(Invitation)
            .where(Invitation.email == "a@example.id")
            .values(completed_on=local_today())
        )
        campaign_id = campaign.id
        db.session.commit()
    login(client, "hr@test.example")
    response = client.get(f"/surveys/campaigns/{campaign_id}?state=pending", headers=PARTIAL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.strip().startswith('<section id="invitation-table"')
    assert "b@example.id" in html and "a@example.id" not in html
    full = client.get(f"/surveys/campaigns/{campaign_id}?state=submitted").get_data(as_text=True)
    assert "a@example.id" in full and "b@example.id" not in full


def test_definitions_page_lists_problems(app, client, world):
    login(client, "hr@test.example")
    html = client.get("/surveys/definitions").get_data(as_text=True)
    bundled = Path(__file__).resolve().parents[2] / "surveys"
    assert html.count('class="badge ok"') == len(list(bundled.glob("*.yaml")))
    # kinds and rater roles by their labels, never the codes of the YAML files
    assert "Evaluasi pascapelatihan · Peserta" in html and "Konsultasi pemangku kepentingan" in html
    assert "post_training" not in html and "participant" not in html and "rating_360" not in html


def test_the_other_group_has_a_label(app):
    from app.surveys.services import group_label, kind_label

    with app.test_request_context():
        assert (
            group_label("other") == "Kelompok lain"
            and group_label("swasta") == "Swasta / dunia usaha"
        )
        assert kind_label("follow_up") == "Evaluasi tindak lanjut" and kind_label(None) == "–"


def test_campaign_list_counts_in_constant_queries(app, client, world):
    from tests.conftest import QueryCounter

    login(client, "hr@test.example")

    def queries() -> int:
        with QueryCounter(app) as counter:
            assert client.get("/surveys/campaigns").status_code == 200
        return counter.count

    with app.app_context():
        open_campaign(world.a.id)
        db.session.commit()
    small = queries()
    with app.app_context():
        for n in range(4):
            campaign = open_campaign(world.a.id, title=f"K{n}")
            invite(campaign, f"x{n}@example.id", "lsm")
        db.session.commit()
    assert queries() == small
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_campaign_form_errors_come_back_as_a_fragment(app, client, world):
    login(client, "hr@test.example")
    response = client.post(
        "/surveys/campaigns/new",
        data={
            **campaign_form(closes_on="2000-01-01"),
            "csrf_token": csrf_token(client, "/surveys/campaigns/new"),
        },
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html
    assert html.strip().startswith('<form method="post" id="campaign-form"')
    assert "Tanggal tutup harus sama dengan atau sesudah tanggal buka." in html


def test_campaign_detail_runs_a_constant_number_of_queries(app, client, world):
    from tests.conftest import QueryCounter

    with app.app_context():
        campaign = open_campaign(world.a.id)
        invite(campaign, "satu@example.id", "lsm")
        campaign_id = campaign.id
        db.session.commit()
    login(client, "hr@test.example")

    def queries() -> int:
        with QueryCounter(app) as counter:
            assert client.get(f"/surveys/campaigns/{campaign_id}").status_code == 200
        return counter.count

    small = queries()
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        lines = "\n".join(f"orang{n}@example.id; Orang {n}; Lembaga {n}; swasta" for n in range(30))
        services.add_invitations(campaign, lines, None, world.opd.id)
    assert queries() == small
