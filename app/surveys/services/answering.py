"""Answering by link: seats (who answers what), drafts saved page by page, submit once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.access.policy import Principal
from app.clock import aware, local_today, utcnow
from app.database import rowcount
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee, OrgUnit
from app.surveys.definition import (
    OTHER_SUFFIX,
    Definition,
    Item,
    Page,
    count_path,
    instance_path,
    split_instance,
)
from app.surveys.estimate import estimate_minutes
from app.surveys.logic import FormState, evaluate_all
from app.surveys.models import (
    Answer,
    Audience,
    Campaign,
    CampaignStatus,
    Invitation,
    Response,
    ResponseStatus,
)
from app.surveys.services.days import campaign_today
from app.surveys.services.definitions import campaign_definition
from app.surveys.services.tokens import KEY_RE, TOKEN_RE, new_token, sha256_hex
from app.surveys.services.vocabulary import GROUP_ITEM, GROUP_RE, PREFILL_BY_ROLE

MAX_RAW_TEXT = 20_000  # longer input is cut; the logic still reports anything over its limit
MAX_SELECTED = 50


class SeatError(Exception):
    """A link that cannot be answered: unknown (404), expired or closed (410), not yet open."""

    STATUS = {"not_found": 404, "expired": 410, "closed": 410, "not_open": 403}

    def __init__(self, reason: str, campaign: Campaign | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = self.STATUS[reason]
        self.campaign = campaign


class Incomplete(Exception):
    """The answers cannot be submitted yet; the state carries the errors."""

    def __init__(self, state: FormState) -> None:
        super().__init__("incomplete")
        self.state = state


@dataclass
class Seat:
    """One respondent's place in a campaign, identified by a link token only.

    ``via`` is how the link was opened: ``s`` the open public link (no response yet),
    ``i`` a personal invitation, ``r`` a public respondent's resume link.
    """

    via: str
    token: str
    campaign: Campaign
    definition: Definition
    invitation: Invitation | None = None
    response: Response | None = None
    unit_id: int | None = None
    new_resume_token: str | None = None
    _draft: dict[str, object] | None = field(default=None, repr=False)
    # Read once: a commit expires the campaign, and reloading it would cost a query.
    campaign_id: int = field(init=False, default=0)
    public_token: str | None = field(init=False, default=None)
    anonymous: bool = field(init=False, default=False)
    instansi_id: int = field(init=False, default=0)
    audience: Audience = field(init=False, default=Audience.STAKEHOLDER)

    def __post_init__(self) -> None:
        campaign = self.campaign
        self.campaign_id, self.public_token = campaign.id, campaign.public_token
        self.anonymous, self.instansi_id = campaign.anonymous, campaign.instansi_id
        self.audience = campaign.audience

    @property
    def submitted(self) -> bool:
        """The single-use link was used: its response is in (or the invitation completed)."""
        if self.response is not None and self.response.status == ResponseStatus.SUBMITTED:
            return True
        return bool(self.invitation is not None and self.invitation.completed_on)

    def answers(self) -> dict[str, object]:
        """The draft answers (raw as typed), or the prefill before anything was saved."""
        if self._draft is None:
            if self.response is not None:
                try:
                    loaded = json.loads(self.response.draft_answers or "{}")
                except ValueError:
                    loaded = {}
                self._draft = loaded if isinstance(loaded, dict) else {}
            else:
                self._draft = initial_answers(self)
        return self._draft


def check_campaign_open(campaign: Campaign, today: date) -> None:
    """Respondents reach only published campaigns within their period."""
    if campaign.status == CampaignStatus.DRAFT:
        raise SeatError("not_found")
    if campaign.status == CampaignStatus.CLOSED or today > campaign.closes_on:
        raise SeatError("closed", campaign)
    if today < campaign.opens_on:
        raise SeatError("not_open", campaign)


def seat_from_public(token: str, unit_id: int | None = None, today: date | None = None) -> Seat:
    """The open link: anyone may start a new response (no row is written until a save)."""
    if not TOKEN_RE.fullmatch(token or ""):
        raise SeatError("not_found")
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.public_token_hash == sha256_hex(token))
    )
    if campaign is None:
        raise SeatError("not_found")
    check_campaign_open(campaign, today or campaign_today(campaign))
    if unit_id is not None:
        unit = db.session.get(OrgUnit, unit_id)
        unit_id = unit.id if unit is not None and unit.instansi_id == campaign.instansi_id else None
    return Seat("s", token, campaign, _seat_definition(campaign), unit_id=unit_id)


def seat_from_invitation(
    token: str, today: date | None = None, now: datetime | None = None, lock: bool = False
) -> Seat:
    """A personal link: unknown → 404, expired → 410; a used one reports itself submitted.

    ``lock`` (for requests that write) holds the invitation row until the transaction ends,
    so two requests of one link never interleave (PostgreSQL; SQLite serialises writers).
    """
    if not TOKEN_RE.fullmatch(token or ""):
        raise SeatError("not_found")
    query = select(Invitation).where(Invitation.token_hash == sha256_hex(token))
    if lock:
        query = query.with_for_update(of=Invitation)
    invitation = db.session.scalar(query)
    if invitation is None:
        raise SeatError("not_found")
    campaign = invitation.campaign
    response = db.session.scalar(select(Response).where(Response.invitation_id == invitation.id))
    seat = Seat("i", token, campaign, _seat_definition(campaign), invitation, response)
    if seat.submitted:
        return seat
    if aware(invitation.expires_at) <= (now or utcnow()):  # type: ignore[operator]
        raise SeatError("expired", campaign)
    check_campaign_open(campaign, today or campaign_today(campaign))
    return seat


def seat_from_resume(token: str, today: date | None = None, lock: bool = False) -> Seat:
    """A public respondent's own draft, reopened on any device with the resume token."""
    if not TOKEN_RE.fullmatch(token or ""):
        raise SeatError("not_found")
    query = select(Response).where(Response.resume_token_hash == sha256_hex(token))
    if lock:
        query = query.with_for_update(of=Response)
    response = db.session.scalar(query)
    if response is None:
        raise SeatError("not_found")
    campaign = response.campaign
    seat = Seat("r", token, campaign, _seat_definition(campaign), response=response)
    if not seat.submitted:
        check_campaign_open(campaign, today or campaign_today(campaign))
    return seat


def initial_answers(seat: Seat) -> dict[str, object]:
    """What the invitation already tells: the stakeholder group, the rater's role."""
    return invitation_prefill(seat.definition, seat.invitation)


def invitation_prefill(definition: Definition, invitation: Invitation | None) -> dict[str, object]:
    """The answers an invitation gives before the respondent starts (see initial_answers)."""
    answers: dict[str, object] = {}
    if invitation is None:
        return answers
    known = {item.id: item for item in definition.items if item.type == "single"}
    group_item = known.get(GROUP_ITEM)
    if group_item and invitation.stakeholder_group in {c.code for c in group_item.choices}:
        answers[GROUP_ITEM] = invitation.stakeholder_group
    for item_id, mapping in PREFILL_BY_ROLE.items():
        item = known.get(item_id)
        code = mapping.get(invitation.rater_role)
        if item is not None and code in {c.code for c in item.choices}:
            answers[item_id] = code
    return answers


def estimated_minutes(
    definition: Definition, known: Mapping[str, object], today: date | None = None
) -> int:
    """The time the survey takes with what is known so far (app.surveys.estimate's rule)."""
    state = evaluate_all(definition, known, "id", today=today)
    return estimate_minutes(definition, state, known)


# ------------------------------------------------------------------------------- answering


def merge_page_answers(
    definition: Definition,
    draft: Mapping[str, object],
    page_id: str,
    form: MultiDict[str, str],
    lang: str,
    today: date | None = None,
    before: FormState | None = None,
) -> dict[str, object]:
    """The draft with one page's posted values: every field the page showed takes the posted
    value, and an unticked box or an emptied field removes the old one. Other pages' answers
    (and answers hidden by relevance) are kept, so nothing typed earlier is lost.

    ``before`` is the draft's state when the caller has already evaluated it.
    """
    page = definition.page(page_id)
    if before is None:
        before = evaluate_all(definition, draft, lang, today=today)
    page_state = before.page(page_id)
    shown = {(state.id, state.instance) for state in page_state.visible_items}
    merged = dict(draft)
    numbers: range | tuple[int, ...] = (0,)
    if page.repeat is not None:
        count = _posted_count(page, form, page_state.instances)
        if page.repeat.open_ended:
            merged[count_path(page.id)] = count
        numbers = range(1, max(count, page_state.instances) + 1)
    for number in numbers:
        for item in page.items:
            if item.has_value and not item.is_calculated:
                _merge_item(item, number, (item.id, number) in shown, form, merged)
    return merged


def _posted_count(page: Page, form: MultiDict[str, str], current: int) -> int:
    """Instances of an open-ended repeat after this post ("add another" posts the new count
    before the hidden current one, so the first value wins)."""
    repeat = page.repeat
    assert repeat is not None
    if repeat.count is not None:
        return current
    raw = form.get(count_path(page.id), "")
    number = int(raw) if raw.strip().isdigit() and len(raw) < 5 else current
    return max(repeat.min, min(repeat.max, number))


def repeat_resized(page_id: str, form: MultiDict[str, str]) -> bool:
    """True when the respondent pressed "add another" or "remove the last one"."""
    return len(form.getlist(count_path(page_id))) > 1


def _merge_item(
    item: Item, number: int, shown: bool, form: MultiDict[str, str], merged: dict[str, object]
) -> None:
    """Posted values of one item (in one repeat instance) replace the draft's."""
    paths = [instance_path(p, number) if number else p for p in item.fields()]
    if not shown and not any(path in form for path in paths):
        return
    name = instance_path(item.id, number) if number else item.id
    for path in paths:
        if item.type == "multiple" and path == name:
            values = [value[:80] for value in form.getlist(path) if value][:MAX_SELECTED]
            if values:
                merged[path] = values
            else:
                merged.pop(path, None)
            continue
        value = form.get(path)
        if value is None or not value.strip():
            merged.pop(path, None)
        else:
            merged[path] = value[:MAX_RAW_TEXT]


def _group_from(campaign: Campaign, values: Mapping[str, object]) -> str | None:
    value = values.get(GROUP_ITEM)
    if isinstance(value, str) and GROUP_RE.fullmatch(value):
        return value
    return None


def _new_response(seat: Seat, lang: str, today: date) -> Response:
    campaign, invitation = seat.campaign, seat.invitation
    response = Response(
        campaign_id=campaign.id,
        definition_id=campaign.definition_id,
        definition_version=campaign.definition_version,
        language=lang,
        rater_role=invitation.rater_role if invitation else campaign.audience.value,
        respondent_employee_id=(
            invitation.respondent_employee_id if invitation and not campaign.anonymous else None
        ),
        subject_employee_id=_subject(campaign, invitation),
        org_unit_id=invitation.org_unit_id if invitation else seat.unit_id,
        stakeholder_group=invitation.stakeholder_group if invitation else None,
        invitation_id=invitation.id if invitation else None,
        status=ResponseStatus.DRAFT,
        draft_answers="{}",
        started_on=today,
    )
    if invitation is None:
        token = new_token()
        response.resume_token_hash = sha256_hex(token)
        seat.new_resume_token = token
    return response


def _subject(campaign: Campaign, invitation: Invitation | None) -> int | None:
    """Whom the response is about; in an anonymous campaign never the respondent themself (a
    participant rating their own training would otherwise be named through the subject)."""
    if invitation is None:
        return None
    subject = invitation.subject_employee_id
    if campaign.anonymous and subject == invitation.respondent_employee_id:
        return None
    return subject


def valid_unit(campaign: Campaign, unit_id: int | None) -> int | None:
    """A unit a public respondent names must belong to the campaign's instansi."""
    if unit_id is None:
        return None
    unit = db.session.get(OrgUnit, unit_id)
    return unit.id if unit is not None and unit.instansi_id == campaign.instansi_id else None


def save_page(
    seat: Seat,
    page_id: str,
    form: MultiDict[str, str],
    lang: str,
    today: date | None = None,
) -> FormState:
    """Autosave: merge one page into the draft (creating the response on the first save)."""
    today = today or campaign_today(seat.campaign)
    definition = seat.definition
    merged = merge_page_answers(definition, seat.answers(), page_id, form, lang, today)
    response = seat.response
    if response is None:
        response = _new_response(seat, lang, today)
        db.session.add(response)
        seat.response = response
    response.draft_answers = json.dumps(merged, ensure_ascii=False, separators=(",", ":"))
    response.current_page = page_id
    response.language = lang
    if not seat.campaign.anonymous:
        response.updated_at = utcnow()
    if seat.invitation is None:
        if "_unit" in form:
            response.org_unit_id = valid_unit(seat.campaign, _int(form.get("_unit")))
        response.stakeholder_group = _group_from(seat.campaign, merged)
    db.session.commit()
    seat._draft = merged
    return evaluate_all(definition, merged, lang, today=today)


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def answer_rows(
    definition: Definition, response_id: int, values: Mapping[str, object]
) -> list[dict[str, object]]:
    """One survey_answer row per answered field: numbers in value_number, texts and codes in
    value_text (several codes one per line); matrix cells carry their row and column, the free
    text of an "other" choice has column ``other``."""
    rows = []
    for path in stored_paths(definition, values):
        value = values.get(path)
        if value is None or value == "" or value == []:
            continue
        item = definition.field_item(path)
        base, _number = split_instance(path)
        row_id = column_id = None
        if item.type == "matrix":
            _, row_id, column_id = base.split(".")
        elif base != item.id:
            column_id = OTHER_SUFFIX
        number: float | None = None
        text: str | None = None
        if isinstance(value, bool):
            number = 1.0 if value else 0.0
        elif isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, list):
            text = "\n".join(str(v) for v in value)
        else:
            text = str(value)
        rows.append(
            {
                "response_id": response_id,
                "field": path,
                "item_id": item.id,
                "row_id": row_id,
                "column_id": column_id,
                "value_number": number,
                "value_text": text,
            }
        )
    return rows


def stored_paths(definition: Definition, values: Mapping[str, object]) -> list[str]:
    """Field paths to store: the flat fields, then each repeat instance's (``nama[2]``)."""
    paths = definition.fields()
    for page in definition.repeat_pages:
        bases = definition.repeat_fields(page.id)
        wanted = set(bases)
        numbers = sorted(
            {n for base, n in map(split_instance, values) if n is not None and base in wanted}
        )
        paths.extend(instance_path(base, n) for n in numbers for base in bases)
    return paths


def submit_response(
    seat: Seat,
    submission_key: str,
    lang: str,
    form: MultiDict[str, str] | None = None,
    page_id: str | None = None,
    today: date | None = None,
    before: FormState | None = None,
) -> Response | None:
    """Submit once: a retried or double-clicked submit returns the response already stored.

    Incomplete answers raise Incomplete after saving the draft (nothing posted is lost).
    """
    today = today or campaign_today(seat.campaign)
    if not KEY_RE.fullmatch(submission_key or ""):
        raise ServiceError(_l("The form is incomplete; reload the page and try again."))
    # A key sent again (double click, retry) is not looked up first: the unique key refuses
    # the second insert and _store_submission returns the response stored the first time.
    if seat.submitted:
        return seat.response
    definition = seat.definition
    draft = seat.answers()
    if form is not None and page_id is not None:
        draft = merge_page_answers(definition, draft, page_id, form, lang, today, before)
    state = evaluate_all(definition, draft, lang, today=today)
    if not state.is_complete:
        if seat.response is not None or seat.invitation is not None or form is not None:
            _save_draft_quietly(seat, draft, page_id, form, lang, today)
        raise Incomplete(state)
    return _store_submission(seat, submission_key, state, form, lang, today)


def _save_draft_quietly(
    seat: Seat,
    draft: dict[str, object],
    page_id: str | None,
    form: MultiDict[str, str] | None,
    lang: str,
    today: date,
) -> None:
    """Keep what was posted with a refused submit (public starters get their draft too)."""
    response = seat.response
    if response is None:
        response = _new_response(seat, lang, today)
        db.session.add(response)
        seat.response = response
    response.draft_answers = json.dumps(draft, ensure_ascii=False, separators=(",", ":"))
    if page_id:
        response.current_page = page_id
    if seat.invitation is None and form is not None and "_unit" in form:
        response.org_unit_id = valid_unit(seat.campaign, _int(form.get("_unit")))
    db.session.commit()
    seat._draft = draft


INSERT_RESPONSE = insert(Response).returning(Response.id)  # built once: the values are parameters


def _store_submission(
    seat: Seat,
    key: str,
    state: FormState,
    form: MultiDict[str, str] | None,
    lang: str,
    today: date,
) -> Response | None:
    """One transaction: claim the invitation, mark the response submitted, write the answers.

    The invitation is claimed with a conditional update and the draft is submitted only
    while still a draft, so concurrent submits of one link store one response; a public
    respondent's repeated key hits the unique submission key instead.

    Anonymous campaigns keep no link to the person: the response has no respondent, no
    invitation, no time finer than the day and (when it would be the respondent) no subject; the
    draft is deleted and the answers get a fresh row, so the id tells nothing of who started when;
    the invitation records only that it was used, with the campaign's opening day for every
    invitee and its update time untouched, so completion order cannot be matched to responses.
    """
    campaign, invitation = seat.campaign, seat.invitation
    anonymous = campaign.anonymous
    now = utcnow()
    values = state.values
    finished: dict[str, object] = {
        "status": ResponseStatus.SUBMITTED,
        "submission_key": key,
        "draft_answers": "{}",
        "language": lang,
        "submitted_on": today,
        "submitted_at": None if anonymous else now,
        "updated_at": None if anonymous else now,
    }
    if anonymous:
        finished["invitation_id"] = None
        finished["respondent_employee_id"] = None
        finished["subject_employee_id"] = _subject(campaign, invitation)
    if invitation is None:
        finished["stakeholder_group"] = _group_from(campaign, values)
        if form is not None and "_unit" in form:
            finished["org_unit_id"] = valid_unit(campaign, _int(form.get("_unit")))
    try:
        if invitation is not None:
            claimed = db.session.execute(
                update(Invitation)
                .where(Invitation.id == invitation.id, Invitation.completed_on.is_(None))
                .values(
                    completed_on=campaign.opens_on if anonymous else today,
                    updated_at=Invitation.updated_at if anonymous else now,
                )
                .execution_options(synchronize_session=False)
            )
            if rowcount(claimed) != 1:
                db.session.rollback()  # the link was used by a concurrent submit
                return _submitted_for(key, invitation)
        draft = None
        if seat.response is not None and anonymous and invitation is not None:
            draft, seat.response = seat.response, None  # a fresh row (a later id), not the draft
        if seat.response is None:  # sent straight from its only page: nothing to resume
            response = _new_response(seat, lang, today)
            response.resume_token_hash = seat.new_resume_token = None
            for name, value in finished.items():
                setattr(response, name, value)
            # Core INSERT … RETURNING: the unit of work costs more than the statement here.
            row = {
                column.key: getattr(response, column.key)
                for column in Response.__table__.columns
                if column.key != "id" and getattr(response, column.key) is not None
            }
            response.id = db.session.execute(INSERT_RESPONSE, row).scalar_one()
        else:
            response = seat.response
            result = db.session.execute(
                update(Response)
                .where(Response.id == response.id, Response.status == ResponseStatus.DRAFT)
                .values(**finished)
                .execution_options(synchronize_session=False)
            )
            if rowcount(result) != 1:
                db.session.rollback()  # a concurrent submit of the same draft won
                return _submitted_for(key, invitation)
        if draft is not None:
            gone = db.session.execute(
                delete(Response)
                .where(Response.id == draft.id, Response.status == ResponseStatus.DRAFT)
                .execution_options(synchronize_session=False)
            )
            if rowcount(gone) != 1:
                db.session.rollback()  # a concurrent submit of the same draft won
                seat.response = draft
                return _submitted_for(key, invitation)
            db.session.expunge(draft)
        db.session.execute(  # Core executemany: no ORM bookkeeping for ~30 plain rows
            Answer.__table__.insert(), answer_rows(seat.definition, response.id, values)
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same key was stored by a concurrent request
        found = _submitted_for(key, invitation)
        if found is None:
            raise
        return found
    seat.response = response
    return response


def _submitted_for(key: str, invitation: Invitation | None) -> Response | None:
    """The response stored by the winning submit (None when anonymity dropped the link)."""
    found = db.session.scalar(select(Response).where(Response.submission_key == key))
    if found is None and invitation is not None:
        found = db.session.scalar(
            select(Response).where(
                Response.invitation_id == invitation.id,
                Response.status == ResponseStatus.SUBMITTED,
            )
        )
    return found


# --------------------------------------------------------------------------------- my list


@dataclass
class MySurvey:
    invitation: Invitation
    campaign: Campaign
    subject_name: str | None
    status: ResponseStatus | None

    @property
    def done(self) -> bool:
        return bool(self.invitation.completed_on) or self.status == ResponseStatus.SUBMITTED


def my_surveys(
    principal: Principal, email: str | None, today: date | None = None
) -> list[MySurvey]:
    """The signed-in user's own assignments in open campaigns (one query)."""
    today = today or local_today()
    conditions = []
    if principal.employee_id is not None:
        conditions.append(Invitation.respondent_employee_id == principal.employee_id)
    if email:
        conditions.append(func.lower(Invitation.email) == email.lower())
    if not conditions:
        return []
    subject = db.aliased(Employee)
    rows = db.session.execute(
        select(Invitation, subject.name, Response.status)
        .join(Campaign, Invitation.campaign_id == Campaign.id)
        .outerjoin(subject, Invitation.subject_employee_id == subject.id)
        .outerjoin(Response, Response.invitation_id == Invitation.id)
        .where(
            or_(*conditions),
            Campaign.status == CampaignStatus.OPEN,
            Campaign.opens_on <= today,
            Campaign.closes_on >= today,
        )
        .order_by(Campaign.closes_on, Campaign.id, subject.name, Invitation.id)
    ).all()
    return [MySurvey(inv, inv.campaign, name, status) for inv, name, status in rows]


def _seat_definition(campaign: Campaign) -> Definition:
    try:
        return campaign_definition(campaign)
    except ServiceError:
        raise SeatError("not_found", campaign) from None
