"""Anonymity as a property of the database, and a privacy threshold that differencing two
permitted selections cannot defeat."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from app.access.policy import principal_for
from app.accounts.models import User
from app.extensions import db
from app.surveys import services
from app.surveys.models import Campaign, Invitation, Response, ResponseStatus
from tests.web.matrix.surveys import open_campaign
from tests.web.test_surveys_answering import PAGES, post_page, submit_from_review
from tests.web.test_surveys_results import consultation  # noqa: F401  (fixture)

COLUMNS = [column.key for column in Invitation.__table__.columns]


def invitation_rows(campaign_id: int) -> dict[int, dict[str, object]]:
    rows = db.session.scalars(select(Invitation).where(Invitation.campaign_id == campaign_id))
    return {row.id: {key: getattr(row, key) for key in COLUMNS} for row in rows}


def test_an_anonymous_response_keeps_no_link_to_its_person(app, client, world):
    """Four employees answer an anonymous campaign through their invitations (each one about
    themself, as a training participant's evaluation is); some leave a draft first. Afterwards
    nothing in the database ties a response to a person: not the respondent or subject, not the
    invitation, not a time finer than the day, not the id of the draft they started."""
    people = [world.staff, world.staff2, world.kabid, world.head]
    with app.app_context():
        campaign = open_campaign(world.a.id, anonymous=True, public_link=False)
        services.insert_invitations(
            campaign,
            [
                {
                    "rater_role": "stakeholder",
                    "respondent_employee_id": person.id,
                    "subject_employee_id": person.id,
                    "org_unit_id": person.org_unit_id,
                    "email": f"p{n}@test.example",
                    "name": f"Orang {n}",
                    "stakeholder_group": "akademisi",
                }
                for n, person in enumerate(people)
            ],
        )
        db.session.commit()
        campaign_id, opens_on = campaign.id, campaign.opens_on
        before = invitation_rows(campaign_id)
        tokens = [
            services.token_for(invitation)
            for invitation in db.session.scalars(
                select(Invitation)
                .where(Invitation.campaign_id == campaign_id)
                .order_by(Invitation.id)
            )
        ]
        db.session.remove()
    draft_ids: set[int] = set()
    for n, token in enumerate(reversed(tokens)):  # answered in another order than invited
        url = client.get(f"/i/{token}").headers["Location"]
        for page_id, data in PAGES:
            response = post_page(client, url, data)
            assert response.status_code == 303, page_id
            url = response.headers["Location"]
            if n % 2 == 0 and page_id == PAGES[0][0]:
                with app.app_context():  # this one leaves a draft and comes back later
                    draft_ids.update(
                        db.session.scalars(
                            select(Response.id).where(Response.status == ResponseStatus.DRAFT)
                        )
                    )
        action, data = submit_from_review(client, url)
        assert client.post(action, data=data).status_code == 303
    assert draft_ids
    person_ids = {person.id for person in people}
    with app.app_context():
        after = invitation_rows(campaign_id)
        for invitation_id, row in after.items():
            changed = {key for key in COLUMNS if row[key] != before[invitation_id][key]}
            assert changed == {"completed_on"}, changed  # not even updated_at
            assert row["completed_on"] == opens_on  # the same day for every invitee
        responses = db.session.scalars(select(Response)).all()
        assert len(responses) == 4
        for stored in responses:
            assert stored.status == ResponseStatus.SUBMITTED
            assert stored.invitation_id is None and stored.respondent_employee_id is None
            assert stored.subject_employee_id not in person_ids
            assert stored.submitted_at is None and stored.updated_at is None
            assert stored.resume_token_hash is None
            assert stored.id not in draft_ids  # a fresh row, not the draft's id
            assert stored.started_on == stored.submitted_on  # the start day is not kept either


def hr_summaries(app, campaign_id: int, world) -> dict[tuple, services.Summary]:
    """Every selection HR can make on the results page: unit × rater role × group."""
    units = [None, world.opd.id, world.bidang.id, world.other_opd.id]
    roles = [None, "stakeholder"]
    groups = [None, "masyarakat", "swasta", "lsm"]
    out = {}
    with app.test_request_context():
        hr = db.session.scalar(select(User).where(User.email == "hr@test.example"))
        principal = principal_for(hr)
        campaign = db.session.get(Campaign, campaign_id)
        for unit, role, group in itertools.product(units, roles, groups):
            filters = services.ResultFilters(campaign_id, unit, role, group)
            out[(unit, role, group)] = services.summarize(principal, campaign, filters, "id")
    return out


def wider(narrow: tuple, wide: tuple, parents: dict) -> bool:
    """Is `wide` a relaxation of `narrow` (a filter dropped or the unit widened)?"""
    unit, role, group = narrow
    wide_unit, wide_role, wide_group = wide
    units, current = {None}, unit
    while current is not None:
        units.add(current)
        current = parents.get(current)
    return (
        wide != narrow
        and wide_unit in units
        and wide_role in (role, None)
        and wide_group in (group, None)
    )


def test_differencing_two_shown_selections_reveals_no_small_group(app, world, consultation):  # noqa: F811
    """6 answers about the OPD (5 masyarakat, 1 swasta) and 2 lsm about another OPD: the whole
    campaign (8) is shown; the OPD alone (6) would be too, and the campaign minus the OPD would
    give the 2 lsm answers. Every shown selection differs from every shown wider one by 0 or at
    least the minimum group size."""
    summaries = hr_summaries(app, consultation, world)
    parents = {world.bidang.id: world.opd.id}
    minimum = summaries[(None, None, None)].min_group_size
    assert not summaries[(None, None, None)].hidden  # all 8
    assert summaries[(world.opd.id, None, None)].hidden  # 8 - 6 = 2 would leak
    assert summaries[(world.opd.id, None, None)].differencing
    shown = {key: s for key, s in summaries.items() if not s.hidden}
    for (narrow, small), (wide, large) in itertools.permutations(shown.items(), 2):
        if wider(narrow, wide, parents):
            difference = large.responses - small.responses
            assert difference == 0 or difference >= minimum, (narrow, wide, difference)
    # what an attacker would compute: the satisfaction of the two lsm respondents
    by_item = {q.item_id: q for q in summaries[(None, None, None)].questions}
    assert by_item["kepuasan"].answered == 8
