"""Answering through a link: page by page, autosave, relevance on the server, mistakes beside
the field, review, idempotent submit, resume anywhere, clear pages for bad links, CSRF expiry."""

from __future__ import annotations

import email
import email.header
import json
import re
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.clock import local_today, utcnow
from app.extensions import db
from app.surveys import services
from app.surveys.models import Answer, Audience, Campaign, Invitation, Response, ResponseStatus
from tests.conftest import csrf_token_from
from tests.web.matrix.surveys import invite, open_campaign

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}

# The stakeholder consultation (c), one valid answer set per page.
PAGES = [
    ("tentang_anda", {"kelompok": "akademisi", "nama_lembaga": "Universitas Lancang Kuning"}),
    (
        "layanan",
        {
            "layanan_digunakan": ["kesehatan", "pendidikan"],
            "layanan_utama": "kesehatan",
            "frekuensi": "bulanan",
            "kepuasan": "4",
            "pernah_mengadu": "tidak",
        },
    ),
    ("prioritas", {"prioritas_1": "biaya", "prioritas_2": "kecepatan", "prioritas_3": "digital"}),
    (
        "kompetensi_aparatur",
        {
            f"kepentingan.{row}.imp": "5" if row == "m05" else "4"
            for row in ("m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "sk01")
        },
    ),
    ("saran", {"saran_layanan": "Antrean perlu dipercepat."}),
]


@pytest.fixture
def campaign(app, world):
    with app.app_context():
        opened = open_campaign(world.a.id)
        db.session.commit()
        result = {"id": opened.id, "public": opened.public_token}
        result["invitation"] = invite(opened)
        db.session.remove()
    return result


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def post_page(client, url, data, action="next", token=None, headers=None):
    html = client.get(url).get_data(as_text=True) if token is None else None
    body = {**data, "csrf_token": token or csrf_token_from(html)}
    if action:
        body["action"] = action
    return client.post(url, data=body, headers=headers or {})


def answer_all_pages(client, start_url):
    """Plain form posts (JavaScript off) through every page; returns the review URL."""
    url = start_url
    for page_id, data in PAGES:
        response = post_page(client, url, data)
        assert response.status_code == 303, (page_id, response.get_data(as_text=True)[:2000])
        url = response.headers["Location"]
    assert url.endswith("/review")
    return url


def submit_from_review(client, review_url):
    html = client.get(review_url).get_data(as_text=True)
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)
    action = re.search(r'action="([^"]+/submit)"', html).group(1)
    data = {"csrf_token": csrf_token_from(html), "submission_key": key}
    return action, data


def test_public_page_renders_without_writing_and_without_inline_code(app, client, campaign):
    response = client.get(f"/s/{campaign['public']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert 'id="survey-page"' in html and 'hx-post="/s/' in html
    assert "style=" not in html and "<script>" not in html
    assert "Anda mengisi survei ini sebagai" in html  # Indonesian by default
    assert "Perkiraan waktu pengisian: ± 7 menit" in html  # app.surveys.estimate's rule
    assert count(app, Response) == 0


def test_a_change_is_autosaved_and_relevance_reevaluated(app, client, campaign):
    url = f"/s/{campaign['public']}"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "kelompok": "asn"}, headers=PARTIAL)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and html.strip().startswith('<form id="survey-page"')
    assert 'name="unit_asn"' in html and 'name="nama_lembaga"' not in html
    assert re.search(r'action="/r/[^"]+/p/tentang_anda"', html)  # the next save goes to the draft
    assert "bk_survey_" in response.headers["Set-Cookie"]
    with app.app_context():
        draft = db.session.scalar(select(Response))
        assert draft.status == ResponseStatus.DRAFT
        assert json.loads(draft.draft_answers) == {"kelompok": "asn"}
        assert draft.resume_token_hash and draft.invitation_id is None
    response = client.post(
        re.search(r'action="(/r/[^"]+)"', html).group(1),
        data={"csrf_token": token, "kelompok": "akademisi"},
        headers=PARTIAL,
    )
    assert 'name="nama_lembaga"' in response.get_data(as_text=True)
    assert count(app, Response) == 1


def test_stakeholder_completes_public_link_without_javascript(app, client, campaign, world):
    url = f"/s/{campaign['public']}"
    first_data = {**PAGES[0][1], "_unit": str(world.opd.id)}
    response = post_page(client, url, first_data)
    assert response.status_code == 303 and "/r/" in response.headers["Location"]
    url = response.headers["Location"]
    for page_id, data in PAGES[1:]:
        response = post_page(client, url, data)
        assert response.status_code == 303, page_id
        url = response.headers["Location"]
    action, data = submit_from_review(client, url)
    response = client.post(action, data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("/done")
    assert "bk_survey_" in response.headers["Set-Cookie"]  # the resume cookie is dropped
    assert "Terima kasih" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(select(Response))
        assert stored.status == ResponseStatus.SUBMITTED
        assert stored.submitted_at is None and stored.submitted_on is not None  # anonymous
        assert stored.updated_at is None and stored.respondent_employee_id is None
        assert stored.org_unit_id == world.opd.id and stored.stakeholder_group == "akademisi"
        assert stored.rater_role == "stakeholder" and stored.draft_answers == "{}"
        answers = {
            a.field: a
            for a in db.session.scalars(select(Answer).where(Answer.response_id == stored.id))
        }
        assert answers["kepentingan.m05.imp"].value_number == 5
        assert (answers["kepentingan.m05.imp"].item_id, answers["kepentingan.m05.imp"].row_id) == (
            "kepentingan",
            "m05",
        )
        assert answers["kepentingan.m05.imp"].column_id == "imp"
        assert answers["layanan_digunakan"].value_text == "kesehatan\npendidikan"
        assert (
            answers["kepuasan"].value_number == 4 and answers["frekuensi"].value_text == "bulanan"
        )


def test_mistakes_are_shown_beside_the_field_and_nothing_is_lost(app, client, campaign):
    invitation_url = f"/i/{campaign['invitation']}/p/layanan"
    response = post_page(
        client,
        invitation_url,
        {"layanan_digunakan": ["kesehatan", "pendidikan"], "kepuasan": "9", "frekuensi": "bulanan"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'class="error-summary" role="alert" tabindex="-1" autofocus>', html)
    assert re.search(r'id="q-kepuasan-error">Pilih nilai antara 1 dan 5<', html)
    assert 'name="layanan_utama"' in html  # opened by the two ticks: shown, not yet missing
    assert 'id="q-layanan_utama-error"' not in html and "membuka pertanyaan lain" in html
    assert 'aria-describedby="q-kepuasan-error"' in html
    assert re.search(r'value="bulanan" checked', html)  # what was answered is still there
    assert re.search(r'value="pendidikan" checked', html)
    with app.app_context():
        draft = json.loads(db.session.scalar(select(Response.draft_answers)))
        assert draft["frekuensi"] == "bulanan" and draft["kepuasan"] == "9"


LAYANAN_SEEN = {k: v for k, v in PAGES[1][1].items() if k != "layanan_utama"}


def test_without_javascript_a_revealed_question_is_shown_before_it_is_required(
    app, client, campaign
):
    url = f"/i/{campaign['invitation']}/p/layanan"
    response = post_page(client, url, LAYANAN_SEEN)  # two ticks open "layanan_utama"
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # nothing the respondent saw is wrong
    assert 'class="error-summary"' not in html and "Wajib diisi" not in html
    assert re.search(r'role="status" tabindex="-1" autofocus>Jawaban Anda membuka', html)
    assert 'name="layanan_utama"' in html and re.search(r'value="bulanan" checked', html)
    with app.app_context():  # what was posted is saved
        draft = json.loads(db.session.scalar(select(Response.draft_answers)))
        assert draft["layanan_digunakan"] == ["kesehatan", "pendidikan"]
    again = post_page(client, url, LAYANAN_SEEN)  # seen now, still blank: required
    assert again.status_code == 422
    assert re.search(r'id="q-layanan_utama-error">Wajib diisi<', again.get_data(as_text=True))
    done = post_page(client, url, PAGES[1][1])
    assert done.status_code == 303 and done.headers["Location"].endswith("/p/prioritas")


def test_with_htmx_a_question_revealed_while_answering_can_be_required(client, campaign):
    url = f"/i/{campaign['invitation']}/p/layanan"
    live = post_page(
        client, url, {"layanan_digunakan": ["kesehatan", "pendidikan"]}, "", headers=PARTIAL
    )
    assert live.status_code == 200 and 'name="layanan_utama"' in live.get_data(as_text=True)
    response = post_page(client, url, LAYANAN_SEEN)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "membuka pertanyaan lain" not in html
    assert re.search(r'id="q-layanan_utama-error">Wajib diisi<', html)


def test_the_summary_takes_the_focus_only_after_a_refused_page(client, campaign):
    url = f"/i/{campaign['invitation']}/p/layanan"
    live = post_page(client, url, {"kepuasan": "9"}, action="", headers=PARTIAL)
    html = live.get_data(as_text=True)
    assert live.status_code == 200 and 'class="error-summary"' in html  # a typed mistake
    assert "autofocus" not in html  # while answering, the focus stays where the respondent is
    refused = post_page(client, url, {"kepuasan": "9"})
    assert refused.status_code == 422 and "autofocus" in refused.get_data(as_text=True)


def test_submit_twice_or_retry_stores_one_response(app, client, campaign):
    review = answer_all_pages(client, f"/i/{campaign['invitation']}/p/tentang_anda")
    action, data = submit_from_review(client, review)
    first = client.post(action, data=data)
    again = client.post(action, data=data)
    other_key = client.post(action, data={**data, "submission_key": "another-key-1234567890"})
    assert first.status_code == again.status_code == other_key.status_code == 303
    assert first.headers["Location"] == again.headers["Location"] == other_key.headers["Location"]
    assert count(app, Response, Response.status == ResponseStatus.SUBMITTED) == 1
    assert count(app, Answer) == len(
        {f for _, page in PAGES for f in page}
    )  # every answered field once, nothing more


def test_concurrent_submits_of_one_draft_store_one_response(app, campaign):
    client = app.test_client()
    review = answer_all_pages(client, f"/i/{campaign['invitation']}/p/tentang_anda")
    action, data = submit_from_review(client, review)
    session = client.get_cookie("session", domain="localhost")
    statuses: list[int] = []
    barrier = threading.Barrier(4)

    def submit(key: str) -> None:
        browser = app.test_client()  # one tab each, sharing the respondent's session
        browser.set_cookie("session", session.value, domain="localhost")
        barrier.wait()
        statuses.append(browser.post(action, data={**data, "submission_key": key}).status_code)

    threads = [threading.Thread(target=submit, args=(f"parallel-key-{n:012d}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * 4
    assert count(app, Response, Response.status == ResponseStatus.SUBMITTED) == 1
    assert count(app, Response) == 1  # and no stray draft
    assert count(app, Answer) == len({f for _, page in PAGES for f in page})


def test_invitation_link_prefills_group_and_is_single_use(app, client, campaign):
    entry = client.get(f"/i/{campaign['invitation']}")
    assert entry.status_code == 303 and entry.headers["Location"].endswith("/p/tentang_anda")
    html = client.get(entry.headers["Location"]).get_data(as_text=True)
    assert re.search(r'value="akademisi" checked', html)  # known from the invitation
    review = answer_all_pages(client, entry.headers["Location"])
    action, data = submit_from_review(client, review)
    assert client.post(action, data=data).status_code == 303
    with app.app_context():
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.email == "dosen@unilak.example")
        )
        assert invitation.completed_on is not None
        stored = db.session.scalar(select(Response))
        assert stored.invitation_id is None  # anonymous: no link to the invitation
        assert stored.stakeholder_group == "akademisi"
    used = client.get(f"/i/{campaign['invitation']}")
    assert used.status_code == 409
    assert "sudah terkirim" in used.get_data(as_text=True)
    assert client.get(f"/i/{campaign['invitation']}/p/saran").status_code == 409
    late_autosave = client.post(
        f"/i/{campaign['invitation']}/p/saran",
        data={"csrf_token": data["csrf_token"], "saran_layanan": "lagi"},
        headers=PARTIAL,
    )
    assert late_autosave.status_code == 409 and count(app, Response) == 1  # no stray draft
    assert client.get(f"/i/{campaign['invitation']}/done").status_code == 200


def test_bad_links_get_clear_pages(app, client, campaign):
    tampered = campaign["invitation"][:-2] + (
        "AA" if not campaign["invitation"].endswith("AA") else "BB"
    )
    for path in (
        f"/i/{tampered}",
        f"/i/{tampered}/p/saran",
        f"/r/{'x' * 43}/review",
        "/s/short",
        f"/s/{'y' * 43}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert 'data-reason="not_found"' in response.get_data(as_text=True)
    assert client.get(f"/i/{campaign['invitation']}/p/no_such_page").status_code == 404
    with app.app_context():
        db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    expired = client.get(f"/i/{campaign['invitation']}")
    assert expired.status_code == 410 and 'data-reason="expired"' in expired.get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(Campaign).values(opens_on=local_today() + timedelta(days=2)))
        db.session.commit()
    assert client.get(f"/s/{campaign['public']}").status_code == 403
    with app.app_context():
        db.session.execute(
            update(Campaign).values(
                opens_on=local_today() - timedelta(days=9),
                closes_on=local_today() - timedelta(days=1),
            )
        )
        db.session.commit()
    closed = client.get(f"/s/{campaign['public']}")
    assert closed.status_code == 410 and 'data-reason="closed"' in closed.get_data(as_text=True)


def test_expired_csrf_token_on_an_invitation_page_keeps_the_answers(app, client, campaign):
    url = f"/i/{campaign['invitation']}/p/tentang_anda"
    response = client.post(
        url, data={"csrf_token": "stale", "kelompok": "lsm", "usia": "u40_54", "action": "next"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Sesi Anda telah berakhir" in html
    assert re.search(r'value="u40_54" checked', html)
    with app.app_context():
        draft = json.loads(db.session.scalar(select(Response.draft_answers)))
        assert draft == {"kelompok": "lsm", "usia": "u40_54"}
    fresh = csrf_token_from(html)  # the re-rendered page carries a token that works
    response = client.post(url, data={"csrf_token": fresh, "kelompok": "lsm", "action": "next"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/i/{campaign['invitation']}/p/layanan"
    with app.app_context():
        draft = json.loads(db.session.scalar(select(Response.draft_answers)))
        assert draft["kelompok"] == "lsm"
    assert count(app, Response) == 1


def test_expired_csrf_token_on_the_public_link_shows_the_answers_again(app, client, campaign):
    response = client.post(
        f"/s/{campaign['public']}",
        data={"kelompok": "swasta", "nama_lembaga": "PT Maju", "action": "next"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'value="swasta" checked', html) and 'value="PT Maju"' in html
    assert count(app, Response) == 0
    token = csrf_token_from(html)
    response = client.post(
        f"/s/{campaign['public']}",
        data={"csrf_token": token, "kelompok": "swasta", "action": "next"},
    )
    assert response.status_code == 303
    assert re.fullmatch(r"/r/[A-Za-z0-9_-]+/p/layanan", response.headers["Location"])
    with app.app_context():
        draft = json.loads(db.session.scalar(select(Response.draft_answers)))
        assert draft == {"kelompok": "swasta"}
    assert count(app, Response) == 1


def test_expired_csrf_token_on_submit_keeps_the_review_and_sends_nothing(app, client, campaign):
    review = answer_all_pages(client, f"/i/{campaign['invitation']}/p/tentang_anda")
    action, data = submit_from_review(client, review)
    stale = client.post(action, data={**data, "csrf_token": "stale"})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 422 and "Sesi Anda telah berakhir" in html
    assert 'id="survey-review"' in html
    missing = client.post(action, data={"submission_key": data["submission_key"]})
    assert missing.status_code == 422
    assert count(app, Response, Response.status == ResponseStatus.SUBMITTED) == 0
    with app.app_context():
        assert db.session.scalar(select(Invitation.completed_on)) is None
    fresh = {**data, "csrf_token": csrf_token_from(html)}  # the re-rendered review's token works
    assert client.post(action, data=fresh).status_code == 303
    assert count(app, Response, Response.status == ResponseStatus.SUBMITTED) == 1


def test_expired_csrf_token_on_continue_later_sends_no_mail(app, client, campaign):
    response = post_page(client, f"/s/{campaign['public']}", PAGES[0][1], action="later")
    later = response.headers["Location"]
    outbox = Path(app.config["MAIL_OUTBOX_DIR"])
    before = len(list(outbox.glob("*.eml"))) if outbox.exists() else 0
    for token in ("stale", None):
        data = {"email": "warga@example.id", **({"csrf_token": token} if token else {})}
        refused = client.post(later, data=data)
        assert refused.status_code == 422
        assert "Sesi Anda telah berakhir" in refused.get_data(as_text=True)
    assert (len(list(outbox.glob("*.eml"))) if outbox.exists() else 0) == before


def test_resume_on_another_device_and_back_on_the_open_link(app, client, campaign):
    response = post_page(client, f"/s/{campaign['public']}", PAGES[0][1])
    page_two = response.headers["Location"]
    post_page(client, page_two, {"frekuensi": "mingguan"}, action="later")
    resume = re.search(r"/r/([^/]+)/", page_two).group(1)
    phone = app.test_client()  # no cookie, no session
    entry = phone.get(f"/r/{resume}")
    assert entry.status_code == 303 and entry.headers["Location"].endswith("/p/layanan")
    assert re.search(
        r'value="mingguan" checked', phone.get(entry.headers["Location"]).get_data(as_text=True)
    )
    back = client.get(f"/s/{campaign['public']}")  # the same browser lands on its own draft
    assert back.status_code == 303 and back.headers["Location"] == f"/r/{resume}"
    assert count(app, Response) == 1


def test_continue_later_emails_the_link_without_keeping_the_address(app, client, campaign):
    response = post_page(client, f"/s/{campaign['public']}", PAGES[0][1], action="later")
    later = response.headers["Location"]
    assert later.endswith("/later")
    html = client.get(later).get_data(as_text=True)
    assert "/r/" in html
    bad = client.post(later, data={"csrf_token": csrf_token_from(html), "email": "nope"})
    assert bad.status_code == 422
    outbox = Path(app.config["MAIL_OUTBOX_DIR"])
    before = len(list(outbox.glob("*.eml"))) if outbox.exists() else 0
    good = client.post(
        later, data={"csrf_token": csrf_token_from(html), "email": "warga@example.id"}
    )
    assert good.status_code == 303
    assert len(list(outbox.glob("*.eml"))) == before + 1
    newest = max(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    sender = email.header.make_header(
        email.header.decode_header(email.message_from_bytes(newest.read_bytes())["From"])
    )
    with app.app_context():  # sent under the instansi's name, like the invitations
        instansi = db.session.get(Campaign, campaign["id"]).instansi_id
        assert str(sender).startswith(services.brand_for(instansi).name + " <")
    with app.app_context():
        row = db.session.scalar(select(Response))
        assert "warga@example.id" not in json.dumps(
            {c.name: str(getattr(row, c.name)) for c in Response.__table__.columns}
        )


def test_incomplete_review_refuses_the_submit_with_links_to_pages(app, client, campaign):
    url = f"/i/{campaign['invitation']}/p/tentang_anda"
    post_page(client, url, PAGES[0][1])
    review = client.get(f"/i/{campaign['invitation']}/review")
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and "Beberapa jawaban belum diisi" in html
    action, data = submit_from_review(client, f"/i/{campaign['invitation']}/review")
    refused = client.post(action, data=data)
    assert refused.status_code == 422
    assert f'href="/i/{campaign["invitation"]}/p/layanan"' in refused.get_data(as_text=True)
    assert count(app, Response, Response.status == ResponseStatus.SUBMITTED) == 0
    missing_key = client.post(action, data={"csrf_token": data["csrf_token"]})
    assert missing_key.status_code == 400


def test_review_page_partial_and_escaping(app, client, campaign):
    url = f"/i/{campaign['invitation']}/p/tentang_anda"
    post_page(client, url, {"kelompok": "lsm", "nama_lembaga": '"><script>alert(1)</script>'})
    response = client.get(f"/i/{campaign['invitation']}/review", headers=PARTIAL)
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="survey-review"' in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_an_irrelevant_page_is_skipped(app, client, world):
    with app.app_context():
        campaign = open_campaign(
            world.a.id, "penilaian_atasan_rekan", Audience.SUPERVISOR, public_link=False
        )
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.campaign_id == campaign.id)
        )
        token = services.token_for(invitation)
        db.session.commit()
    response = post_page(
        client,
        f"/i/{token}/p/hubungan_kerja",
        {"lama_bekerja_sama": "1_3_tahun", "cukup_mengamati": "tidak"},
    )
    assert response.headers["Location"].endswith("/p/masukan")
    skipped = client.get(f"/i/{token}/p/manajerial")
    assert skipped.status_code == 303 and skipped.headers["Location"].endswith("/p/masukan")


ONE_PAGE = """
id: satu_halaman
version: 1
title: {id: "Survei satu halaman", en: "One-page survey"}
languages: [id, en]
default_language: id
kind: stakeholder
access: {mode: public, anonymous: true, resume: false}
raters: [stakeholder]
min_group_size: 2
scales:
  s5: {min: 1, max: 5}
pages:
  - id: semua
    title: {id: "Pertanyaan", en: "Questions"}
    items:
      - {id: kelompok, type: single, required: true, label: {id: "Kelompok", en: "Group"},
         choices: [{code: "masyarakat", label: {id: "Masyarakat", en: "Public"}},
                   {code: "swasta", label: {id: "Swasta", en: "Business"}}]}
      - {id: nilai, type: rating, scale: s5, required: true, label: {id: "Nilai", en: "Score"}}
      - {id: catatan, type: textarea, label: {id: "Catatan", en: "Note"}}
"""


@pytest.fixture
def one_page_dir(app, tmp_path):
    for path in Path(app.config["SURVEYS_DIR"]).glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "satu_halaman.yaml").write_text(ONE_PAGE, encoding="utf-8")
    before = app.config["SURVEYS_DIR"]
    app.config["SURVEYS_DIR"] = str(tmp_path)
    yield tmp_path
    app.config["SURVEYS_DIR"] = before


def test_one_page_survey_is_sent_from_its_page_once(app, client, world, one_page_dir):
    with app.app_context():
        campaign = open_campaign(world.a.id, "satu_halaman")
        public = campaign.public_token
        db.session.commit()
    html = client.get(f"/s/{public}").get_data(as_text=True)
    assert 'value="submit"' in html and 'name="submission_key"' in html
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)
    data = {"csrf_token": csrf_token_from(html), "submission_key": key, "action": "submit"}
    refused = client.post(f"/s/{public}", data={**data, "nilai": "3"})
    assert refused.status_code == 422 and "Wajib diisi" in refused.get_data(as_text=True)
    resumed_action = re.search(
        r'action="([^"]+)"', refused.get_data(as_text=True).split('id="survey-page"')[1]
    ).group(1)
    assert resumed_action.startswith("/r/")  # the refused answers became a draft
    complete = {**data, "kelompok": "swasta", "nilai": "3"}
    first = client.post(resumed_action, data=complete)
    second = client.post(resumed_action, data=complete)
    assert first.status_code == second.status_code == 303
    assert count(app, Response, Response.status == ResponseStatus.SUBMITTED) == 1
    fresh = app.test_client()  # a new visitor sends straight from the open link, no draft
    html = fresh.get(f"/s/{public}").get_data(as_text=True)
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)
    body = {
        "csrf_token": csrf_token_from(html),
        "submission_key": key,
        "action": "submit",
        "kelompok": "masyarakat",
        "nilai": "5",
    }
    assert fresh.post(f"/s/{public}", data=body).headers["Location"] == f"/s/{public}/done"
    assert fresh.post(f"/s/{public}", data=body).status_code == 303  # a retry: same response
    assert count(app, Response, Response.status == ResponseStatus.SUBMITTED) == 2
    assert count(app, Response) == 2


ONE_PAGE_OPENING = (
    ONE_PAGE.replace("id: satu_halaman", "id: satu_halaman_buka")
    + """
      - {id: alasan, type: text, required: true, relevant: "${nilai} < 3",
         label: {id: "Mengapa?", en: "Why?"}}
"""
)


def test_a_one_page_survey_sent_without_javascript_shows_the_opened_question(
    app, client, world, one_page_dir
):
    (one_page_dir / "satu_halaman_buka.yaml").write_text(ONE_PAGE_OPENING, encoding="utf-8")
    with app.app_context():
        public = open_campaign(world.a.id, "satu_halaman_buka").public_token
        db.session.commit()
    html = client.get(f"/s/{public}").get_data(as_text=True)
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)
    body = {"csrf_token": csrf_token_from(html), "submission_key": key, "action": "submit"}
    shown = client.post(f"/s/{public}", data={**body, "kelompok": "swasta", "nilai": "2"})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "membuka pertanyaan lain" in html
    assert 'name="alasan"' in html and "Wajib diisi" not in html
    assert count(app, Response, Response.status == ResponseStatus.SUBMITTED) == 0
    action = re.search(r'action="([^"]+)"', html.split('id="survey-page"')[1]).group(1)
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)
    again = {"kelompok": "swasta", "nilai": "2", "alasan": "Antre lama"}
    sent = client.post(action, data={**body, "submission_key": key, **again})
    assert sent.status_code == 303
    assert count(app, Response, Response.status == ResponseStatus.SUBMITTED) == 1


BUNDLED = [
    ("penilaian_diri_kompetensi", "self"),
    ("penilaian_atasan_rekan", "supervisor"),
    ("konsultasi_pemangku_kepentingan", "stakeholder"),
    ("evaluasi_reaksi_pelatihan", "participant"),
    ("tindak_lanjut_90_hari", "participant"),
    ("umpan_balik_mentoring", "mentee"),
]


@pytest.mark.parametrize("definition_id, audience", BUNDLED)
def test_every_page_of_every_bundled_instrument_renders(
    app, client, world, definition_id, audience
):
    with app.app_context():
        campaign = open_campaign(world.a.id, definition_id, Audience(audience), public_link=False)
        services.insert_invitations(
            campaign,
            [
                {
                    "rater_role": audience,
                    "respondent_employee_id": world.staff.id,
                    "subject_employee_id": world.staff.id,
                    "org_unit_id": world.bidang.id,
                }
            ],
        )
        invitation = db.session.scalar(
            select(Invitation)
            .where(Invitation.campaign_id == campaign.id)
            .order_by(Invitation.id.desc())
        )
        token = services.token_for(invitation)
        pages = [page.id for page in services.campaign_definition(campaign).pages]
        db.session.commit()
    rendered = 0
    for index, page_id in enumerate(pages):
        response = client.get(f"/i/{token}/p/{page_id}")
        assert response.status_code in (200, 303), (definition_id, page_id)
        if response.status_code == 303:  # not relevant yet: on to a later page or the review
            later = {f"/i/{token}/p/{p}" for p in pages[index + 1 :]} | {f"/i/{token}/review"}
            assert response.headers["Location"] in later, (definition_id, page_id)
        else:
            rendered += 1
            html = response.get_data(as_text=True)
            assert 'id="survey-page"' in html and "style=" not in html
            partial = client.post(
                f"/i/{token}/p/{page_id}",
                data={"csrf_token": csrf_token_from(html)},
                headers=PARTIAL,
            )
            assert partial.status_code == 200 and "<html" not in partial.get_data(as_text=True)
    assert rendered >= 1, definition_id
    review = client.get(f"/i/{token}/review")
    assert review.status_code == 200 and 'id="survey-review"' in review.get_data(as_text=True)


def test_concurrent_saves_of_one_invitation_make_one_draft(app, client, campaign):
    """An htmx autosave and a Next click arrive together: every request succeeds, one draft."""
    url = f"/i/{campaign['invitation']}/p/tentang_anda"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    page_id, data = PAGES[0]
    statuses: list[int] = []

    cookie = client.get_cookie("session")
    start = threading.Barrier(6)

    def post() -> None:
        browser_tab = app.test_client()  # same browser session, separate connection
        if cookie is not None:
            browser_tab.set_cookie("session", cookie.value, domain=cookie.domain)
        start.wait()
        response = browser_tab.post(url, data={**data, "csrf_token": token, "action": "next"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * 6, statuses
    assert count(app, Response, Response.campaign_id == campaign["id"]) == 1


def test_a_refused_send_focuses_the_reviews_summary_but_a_visit_does_not(client, campaign):
    review = f"/i/{campaign['invitation']}/review"
    visit = client.get(review).get_data(as_text=True)
    assert 'class="error-summary"' in visit and "autofocus" not in visit  # just looking
    action, data = submit_from_review(client, review)
    refused = client.post(action, data=data)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'class="error-summary" role="alert" tabindex="-1" autofocus>', html)
