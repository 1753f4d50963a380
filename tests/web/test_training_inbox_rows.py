"""Row decisions in the approver's inbox (approve, reject with a reason) and bulk rejection."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.training.models import Nomination, NominationAction, NominationState
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.web.test_training_inbox import PARTIAL, pending_at_head, versions

INBOX = "/training/inbox"


def states(app, ids: list[int]) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = {
            n.id: (n.state.value, n.current_step_no)
            for n in db.session.scalars(select(Nomination).where(Nomination.id.in_(ids)))
        }
        db.session.remove()
    return [found[i] for i in ids]


def row(nomination_id: int, version: int, decision: str, **extra: str) -> dict[str, object]:
    return {"decision": decision, "version": version, "step": 2, **extra}


def test_each_row_has_its_own_approve_and_reject(app, client, world):
    ids = pending_at_head(app, world, 2)
    login(client, ROLE_EMAILS["unit_head"])
    page = client.get(INBOX).get_data(as_text=True)
    for nomination_id in ids:
        assert f'<form method="post" id="approve-{nomination_id}"' in page
        assert f'<form method="post" id="reject-{nomination_id}"' in page
        assert f'id="reason-{nomination_id}" name="reason" form="reject-{nomination_id}"' in page
    assert 'id="reject-selected"' in page and 'id="bulk-form"' in page


def test_approve_one_row_with_and_without_htmx(app, client, world):
    ids = pending_at_head(app, world, 3)
    seen = versions(app, ids)
    login(client, ROLE_EMAILS["unit_head"])
    token = csrf_token(client, INBOX)
    path = f"{INBOX}/{ids[0]}/decide"
    plain = client.post(
        path + "?q=Calon", data={"csrf_token": token, **row(ids[0], seen[ids[0]], "approve")}
    )
    assert plain.status_code == 303 and plain.headers["Location"].endswith(
        "/training/inbox?q=Calon"
    )
    follow = client.get(plain.headers["Location"]).get_data(as_text=True)
    assert "Calon 000: Setujui." in follow
    swapped = client.post(
        f"{INBOX}/{ids[1]}/decide",
        data={"csrf_token": token, **row(ids[1], seen[ids[1]], "approve")},
        headers=PARTIAL,
    )
    html = swapped.get_data(as_text=True)
    assert swapped.status_code == 200 and html.lstrip().startswith('<section id="inbox-table"')
    assert 'id="row-result"' in html and "autofocus" in html
    assert html.count('name="items"') == 1
    assert states(app, ids) == [("pending", 3), ("pending", 3), ("pending", 2)]


def test_reject_a_row_needs_a_reason(app, client, world):
    ids = pending_at_head(app, world, 2)
    seen = versions(app, ids)
    login(client, ROLE_EMAILS["unit_head"])
    token = csrf_token(client, INBOX)
    path = f"{INBOX}/{ids[0]}/decide"
    missing = client.post(
        path, data={"csrf_token": token, **row(ids[0], seen[ids[0]], "reject")}, headers=PARTIAL
    )
    html = missing.get_data(as_text=True)
    assert missing.status_code == 422 and html.lstrip().startswith('<section id="inbox-table"')
    assert f'id="reason-{ids[0]}-error"' in html and '<details class="row-reject" open>' in html
    other = client.post(
        path,
        data={"csrf_token": token, **row(ids[0], seen[ids[0]], "reject", reason="other")},
    )
    assert other.status_code == 422 and "<html" in other.get_data(as_text=True)
    assert f'id="comment-{ids[0]}-error"' in other.get_data(as_text=True)
    assert versions(app, ids) == seen
    done = client.post(
        path,
        data={"csrf_token": token, **row(ids[0], seen[ids[0]], "reject", reason="workload")},
        headers=PARTIAL,
    )
    assert done.status_code == 200
    assert states(app, ids) == [("rejected", None), ("pending", 2)]
    with app.app_context():
        action = db.session.scalars(
            select(NominationAction)
            .where(NominationAction.nomination_id == ids[0])
            .order_by(NominationAction.id.desc())
        ).first()
        assert action.reason.value == "workload" and action.action.value == "reject"
        db.session.remove()


def test_someone_else_cannot_decide_a_row_and_nothing_changes(app, client, world):
    ids = pending_at_head(app, world, 1)
    seen = versions(app, ids)
    data = row(ids[0], seen[ids[0]], "reject", reason="workload")
    # HR sees the nomination (verifies later) but step 2 is the head's: refused, 403.
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, INBOX)
    refused = client.post(
        f"{INBOX}/{ids[0]}/decide", data={"csrf_token": token, **data}, headers=PARTIAL
    )
    assert refused.status_code == 403
    assert "bukan pemberi persetujuan" in refused.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": token})
    # The mentor (another OPD) does not even see it: 404.
    login(client, ROLE_EMAILS["mentor"])
    token = csrf_token(client, "/account")
    hidden = client.post(f"{INBOX}/{ids[0]}/decide", data={"csrf_token": token, **data})
    assert hidden.status_code == 404
    client.post("/logout", data={"csrf_token": token})
    # The nominee may not decide on their own nomination either.
    login(client, ROLE_EMAILS["supervisor"])  # decided step 1 already
    token = csrf_token(client, "/account")
    stale = client.post(f"{INBOX}/{ids[0]}/decide", data={"csrf_token": token, **data})
    assert stale.status_code == 403
    assert versions(app, ids) == seen and states(app, ids) == [("pending", 2)]


def test_stale_row_is_refused_with_who_decided(app, client, world):
    ids = pending_at_head(app, world, 1)
    seen = versions(app, ids)
    login(client, ROLE_EMAILS["unit_head"])
    token = csrf_token(client, INBOX)
    path = f"{INBOX}/{ids[0]}/decide"
    client.post(path, data={"csrf_token": token, **row(ids[0], seen[ids[0]], "approve")})
    again = client.post(path, data={"csrf_token": token, **row(ids[0], seen[ids[0]], "approve")})
    assert again.status_code == 409 and "Sudah diputuskan" in again.get_data(as_text=True)


def test_bulk_reject_needs_a_reason_and_a_selection(app, client, world):
    ids = pending_at_head(app, world, 3)
    seen = versions(app, ids)
    login(client, ROLE_EMAILS["unit_head"])
    token = csrf_token(client, INBOX)
    items = [f"{i}:{seen[i]}" for i in ids[:2]]
    cases = [
        {"items": items},  # no reason
        {"items": items, "reason": "bogus"},
        {"items": items, "reason": "other"},  # "other" needs a comment
        {"reason": "workload"},  # nothing selected
        {"items": ["x:1"], "reason": "workload"},
        {"items": items, "reason": "workload", "comment": "x" * 2001},
    ]
    for data in cases:
        response = client.post(
            f"{INBOX}/reject", data={"csrf_token": token, **data}, headers=PARTIAL
        )
        assert response.status_code == 422, data
        assert response.get_data(as_text=True).lstrip().startswith('<section id="inbox-table"')
    assert versions(app, ids) == seen
    done = client.post(
        f"{INBOX}/reject",
        data={"csrf_token": token, "items": items, "reason": "budget", "comment": "Pagu habis."},
        headers=PARTIAL,
    )
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "2 usulan ditolak" in html and 'id="bulk-result"' in html
    assert states(app, ids) == [("rejected", None), ("rejected", None), ("pending", 2)]


def test_bulk_reject_without_htmx_refuses_foreign_rows_and_keeps_them(app, client, world):
    ids = pending_at_head(app, world, 2)
    seen = versions(app, ids)
    login(client, ROLE_EMAILS["hr_admin"])  # not the approver of step 2
    token = csrf_token(client, INBOX)
    items = [f"{i}:{seen[i]}" for i in ids]
    response = client.post(
        f"{INBOX}/reject", data={"csrf_token": token, "items": items, "reason": "workload"}
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 usulan ditolak" in page and "bukan pemberi persetujuan" in page
    assert versions(app, ids) == seen
    assert states(app, ids) == [("pending", 2), ("pending", 2)]
    assert NominationState.PENDING.value == "pending"
