"""Campaigns, invitations, answering and results of surveys: the business rules of issue 3.

* A campaign publishes a snapshot of ``surveys/<id>.yaml`` (checked like ``flask surveys
  check``) to an audience; employees are assigned set-based (self, one supervisor rating per
  subordinate derived from the position tree, peers in the same unit), stakeholders are invited
  by email or come through the open public link.
* Respondents are identified by their link only: a personal invitation token (never stored;
  HMAC of a random nonce, only its SHA-256 is kept), or a resume token given to a public
  respondent when the first page is saved. Drafts are JSON; submitting writes one
  ``survey_answer`` row per field in one transaction and is idempotent (submission key + a
  conditional update + unique constraints).
* Results are grouped SQL over ``survey_answer``; groups smaller than the definition's
  ``min_group_size`` are never shown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.access.policy import Principal
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.mail.services import send_mail
from app.models import utcnow
from app.org.hierarchy import ancestor_ids
from app.org.models import Employee, OrgUnit, Position
from app.surveys.definition import (
    ERROR,
    OTHER_SUFFIX,
    Definition,
    Item,
    Problem,
    Scale,
    check_directory,
    definition_from_text,
    load_definition,
)
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
from app.surveys.policy import campaign_scope, response_scope

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")
KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
EMAIL_RE = re.compile(r"[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+")
GROUP_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")

PEERS_PER_EMPLOYEE = 3
REMINDER_INTERVAL = timedelta(hours=20)
MAX_INVITATION_LINES = 500
MAX_RAW_TEXT = 20_000  # longer input is cut; the logic still reports anything over its limit
MAX_SELECTED = 50
PAGE_SIZE = 50

# The single-choice item whose answer names a public respondent's stakeholder group, and the
# groups HR can give an invitation (the codes of that item in the bundled consultation).
GROUP_ITEM = "kelompok"
STAKEHOLDER_GROUPS: dict[str, object] = {
    "masyarakat": _l("Member of the public"),
    "akademisi": _l("Academia"),
    "swasta": _l("Private sector"),
    "lsm": _l("NGO / civil society"),
    "asn": _l("Civil servant"),
}
# Answers known from the invitation, so the respondent does not have to give them again.
PREFILL_BY_ROLE: dict[str, dict[str, str]] = {
    "peran": {"participant": "peserta", "supervisor": "atasan"},
}
# Audiences assigned from the position tree when a campaign is published.
EMPLOYEE_AUDIENCES = (Audience.SELF, Audience.SUPERVISOR, Audience.PEER)
# Ratings about a named employee must stay linked to that employee's supervisor or self.
NAMED_AUDIENCES = (Audience.SELF, Audience.SUPERVISOR)

AUDIENCE_LABELS: dict[Audience, object] = {
    Audience.SELF: _l("Employees (self-assessment)"),
    Audience.SUPERVISOR: _l("Supervisors (one rating per subordinate)"),
    Audience.PEER: _l("Peers (colleagues in the same unit)"),
    Audience.STAKEHOLDER: _l("External stakeholders"),
    Audience.PARTICIPANT: _l("Training participants"),
    Audience.MENTEE: _l("Mentees"),
}
ROLE_LABELS: dict[str, object] = {
    "self": _l("Self"),
    "supervisor": _l("Supervisor"),
    "peer": _l("Peer"),
    "subordinate": _l("Subordinate"),
    "stakeholder": _l("Stakeholder"),
    "participant": _l("Participant"),
    "mentee": _l("Mentee"),
}
STATUS_LABELS: dict[str, object] = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "submitted": _l("Answers sent"),
}


def role_label(role: str | None) -> str:
    """Human label of a rater role (the code itself when unknown)."""
    return str(ROLE_LABELS.get(role or "", role or "–"))


def group_label(group: str | None) -> str:
    """Human label of a stakeholder group code."""
    if not group:
        return "–"
    return str(STAKEHOLDER_GROUPS.get(group, group))


# ------------------------------------------------------------------------------- utilities


def sha256_hex(text: str) -> str:
    """Hex SHA-256 of a token: what the database keeps instead of the token."""
    return hashlib.sha256(text.encode()).hexdigest()


def new_token() -> str:
    """A 256-bit URL-safe random token."""
    return secrets.token_urlsafe(32)


def new_submission_key() -> str:
    """The per-render key of a submit form: a retried submit carries the same key."""
    return secrets.token_urlsafe(18)


def local_today() -> date:
    """Today in the portal's timezone (Asia/Jakarta): campaigns open and close by local days."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Jakarta")
    return datetime.now(zone).date()


def end_of_day(day: date) -> datetime:
    """The last moment of a local day, in UTC (invitations expire when the campaign closes)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Jakarta")
    return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def invitation_token(nonce: str) -> str:
    """The personal token: HMAC(SECRET_KEY, nonce), so the database alone never reveals it."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, b"survey-invitation:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_invitation_secret() -> tuple[str, str]:
    """(nonce, token hash) for a new invitation."""
    nonce = secrets.token_hex(16)
    return nonce, sha256_hex(invitation_token(nonce))


def token_for(invitation: Invitation) -> str:
    """The invitation's link token; re-keys the stored hash if SECRET_KEY has changed."""
    token = invitation_token(invitation.token_nonce)
    if sha256_hex(token) != invitation.token_hash:
        invitation.token_hash = sha256_hex(token)
    return token


# ----------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class DefinitionInfo:
    """A file in surveys/: its definition when valid, else the problems that refuse it."""

    id: str
    definition: Definition | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]

    def title(self, lang: str) -> str:
        """The definition's title in `lang`, or its id when it cannot be loaded."""
        return self.definition.text(self.definition.title, lang) if self.definition else self.id


_DIRECTORY_CACHE: dict[str, tuple[tuple[object, ...], list[DefinitionInfo]]] = {}
_PARSED: OrderedDict[str, Definition] = OrderedDict()
PARSED_CACHE_SIZE = 32


def surveys_dir() -> Path:
    return Path(current_app.config["SURVEYS_DIR"])


def _directory_signature(directory: Path) -> tuple[object, ...]:
    if not directory.is_dir():
        return ()
    return tuple(
        (path.name, path.stat().st_mtime_ns, path.stat().st_size)
        for path in sorted(directory.glob("*.yaml"))
    )


def definition_infos() -> list[DefinitionInfo]:
    """Every definition file with the findings of `flask surveys check` (cached by mtime)."""
    directory = surveys_dir()
    signature = _directory_signature(directory)
    cached = _DIRECTORY_CACHE.get(str(directory))
    if cached and cached[0] == signature:
        return cached[1]
    problems = check_directory(directory)
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    infos = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        found = by_file.get(path.name, [])
        errors = tuple(str(p) for p in found if p.severity == ERROR)
        warnings = tuple(str(p) for p in found if p.severity != ERROR)
        definition = None if errors else load_definition(path)
        infos.append(DefinitionInfo(path.stem, definition, errors, warnings))
    _DIRECTORY_CACHE[str(directory)] = (signature, infos)
    return infos


def read_definition_source(definition_id: str) -> tuple[str, Definition]:
    """The YAML text and definition to publish; refused with the messages of the checker."""
    info = next((i for i in definition_infos() if i.id == definition_id), None)
    if info is None:
        raise ServiceError(_l("There is no survey definition with this id."), "definition_id")
    if info.errors or info.definition is None:
        raise ValidationFailed([("definition_id", message) for message in info.errors])
    text = (surveys_dir() / f"{definition_id}.yaml").read_text(encoding="utf-8")
    _PARSED.setdefault(sha256_hex(text), info.definition)  # a snapshot of it needs no parse
    return text, info.definition


def parse_snapshot(text: str, definition_id: str, sha: str) -> Definition:
    """A published snapshot, parsed once per process (LRU by its SHA-256)."""
    definition = _PARSED.get(sha)
    if definition is None:
        definition = definition_from_text(text, f"{definition_id}.yaml", expected_id=definition_id)
        _PARSED[sha] = definition
        while len(_PARSED) > PARSED_CACHE_SIZE:
            _PARSED.popitem(last=False)
    else:
        _PARSED.move_to_end(sha)
    return definition


def campaign_definition(campaign: Campaign) -> Definition:
    """The definition a campaign was published with (its snapshot, never the current file).

    A campaign made outside the publish flow (another feature opening its own campaign) has
    no snapshot; it uses the current file, and a missing or broken file is refused.
    """
    if campaign.definition_sha:
        cached = _PARSED.get(campaign.definition_sha)
        if cached is not None:
            return cached
        return parse_snapshot(
            campaign.definition_text, campaign.definition_id, campaign.definition_sha
        )
    info = next((i for i in definition_infos() if i.id == campaign.definition_id), None)
    if info is None or info.definition is None:
        raise ServiceError(_l("The survey definition of this campaign is not available."))
    return info.definition


def _seat_definition(campaign: Campaign) -> Definition:
    try:
        return campaign_definition(campaign)
    except ServiceError:
        raise SeatError("not_found", campaign) from None


# ------------------------------------------------------------------------------- campaigns


@dataclass
class CampaignData:
    definition_id: str
    title: str
    audience: Audience
    cycle_year: int
    opens_on: date
    closes_on: date
    anonymous: bool = False
    public_link: bool = False
    audience_unit_id: int | None = None


def create_campaign(instansi_id: int, data: CampaignData, user_id: int | None) -> Campaign:
    """A draft campaign with a snapshot of the definition; broken definitions are refused."""
    text, definition = read_definition_source(data.definition_id)
    problems: list[tuple[str, str]] = []
    if data.closes_on < data.opens_on:
        problems.append(
            ("closes_on", str(_l("The closing date must be on or after the opening date.")))
        )
    if data.audience.value not in definition.raters:
        allowed = ", ".join(role_label(role) for role in definition.raters) or "–"
        problems.append(
            (
                "audience",
                str(_l("This survey is written for: %(roles)s.", roles=allowed)),
            )
        )
    anonymous = data.anonymous or definition.access.anonymous
    if anonymous and data.audience in NAMED_AUDIENCES:
        problems.append(
            ("anonymous", str(_l("Self and supervisor ratings are about a named employee.")))
        )
    if data.public_link and data.audience != Audience.STAKEHOLDER:
        problems.append(
            (
                "public_link",
                str(_l("An open link only suits stakeholders; employees are invited personally.")),
            )
        )
    if data.audience_unit_id is not None:
        unit = db.session.get(OrgUnit, data.audience_unit_id)
        if unit is None or unit.instansi_id != instansi_id:
            problems.append(("audience_unit_id", str(_l("Choose a unit of this instansi."))))
    if problems:
        raise ValidationFailed(problems)
    campaign = Campaign(
        instansi_id=instansi_id,
        definition_id=definition.id,
        definition_version=definition.version,
        definition_text=text,
        definition_sha=sha256_hex(text),
        title=data.title.strip()[:200],
        audience=data.audience,
        cycle_year=data.cycle_year,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        status=CampaignStatus.DRAFT,
        anonymous=anonymous,
        audience_unit_id=data.audience_unit_id,
        created_by_id=user_id,
    )
    if data.public_link:
        campaign.public_token = new_token()
        campaign.public_token_hash = sha256_hex(campaign.public_token)
    db.session.add(campaign)
    db.session.commit()
    return campaign


def publish_campaign(campaign: Campaign, today: date | None = None) -> int:
    """Re-check the file, snapshot it, assign the employee audience, open the campaign."""
    today = today or local_today()
    if campaign.status != CampaignStatus.DRAFT:
        raise ServiceError(_l("Only a draft campaign can be published."))
    text, definition = read_definition_source(campaign.definition_id)
    if campaign.closes_on < today:
        raise ServiceError(_l("The closing date has already passed."), "closes_on")
    campaign.definition_text = text
    campaign.definition_sha = sha256_hex(text)
    campaign.definition_version = definition.version
    created = create_assignments(campaign)
    campaign.status = CampaignStatus.OPEN
    campaign.published_at = utcnow()
    db.session.commit()
    return created


def close_campaign(campaign: Campaign) -> None:
    """No more answers; drafts stay as they are, submitted responses are kept."""
    if campaign.status != CampaignStatus.OPEN:
        raise ServiceError(_l("Only an open campaign can be closed."))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = utcnow()
    db.session.commit()


def visible_campaigns(principal: Principal) -> list[Campaign]:
    """Campaigns the principal may see, newest first (one query)."""
    return list(
        db.session.scalars(
            select(Campaign)
            .where(campaign_scope(principal))
            .order_by(Campaign.cycle_year.desc(), Campaign.id.desc())
        )
    )


@dataclass
class CampaignStats:
    invited: int = 0
    sent: int = 0
    started: int = 0
    submitted: int = 0

    @property
    def rate(self) -> float | None:
        """Share of invitations answered (None for public-only campaigns)."""
        return self.submitted / self.invited if self.invited else None


def campaign_stats(campaign_ids: list[int]) -> dict[int, CampaignStats]:
    """Invitations and responses per campaign in two grouped queries."""
    stats = {cid: CampaignStats() for cid in campaign_ids}
    if not campaign_ids:
        return stats
    for cid, invited, sent in db.session.execute(
        select(
            Invitation.campaign_id,
            func.count(),
            func.count(Invitation.sent_at),
        )
        .where(Invitation.campaign_id.in_(campaign_ids))
        .group_by(Invitation.campaign_id)
    ):
        stats[cid].invited, stats[cid].sent = invited, sent
    for cid, status, count in db.session.execute(
        select(Response.campaign_id, Response.status, func.count())
        .where(Response.campaign_id.in_(campaign_ids))
        .group_by(Response.campaign_id, Response.status)
    ):
        if status == ResponseStatus.SUBMITTED:
            stats[cid].submitted += count
        else:
            stats[cid].started += count
    return stats


# ----------------------------------------------------------------------------- assignments


@dataclass(frozen=True)
class _Person:
    id: int
    position_id: int | None
    org_unit_id: int
    email: str | None
    name: str


def _active_employees(instansi_id: int, unit_path: str | None) -> list[_Person]:
    query = (
        select(
            Employee.id, Employee.position_id, Employee.org_unit_id, Employee.email, Employee.name
        )
        .where(Employee.instansi_id == instansi_id, Employee.active.is_(True))
        .order_by(Employee.id)
    )
    if unit_path:
        query = query.join(OrgUnit, Employee.org_unit_id == OrgUnit.id).where(
            OrgUnit.path.startswith(unit_path)
        )
    return [_Person(*row) for row in db.session.execute(query)]


def supervisors_by_employee(instansi_id: int) -> dict[int, int]:
    """employee id → supervisor id for a whole instansi, in four queries.

    The same rule as app.org.hierarchy.supervisor_of (explicit superior first, then the heads
    of the unit and of each unit above it; the active holder of the nearest filled position,
    never the employee), computed set-based so a 10,000-employee publish stays fast.
    """
    positions = {
        pid: (superior_id, heads_unit_id)
        for pid, superior_id, heads_unit_id in db.session.execute(
            select(Position.id, Position.superior_id, Position.heads_unit_id).where(
                Position.instansi_id == instansi_id
            )
        )
    }
    head_of_unit = {unit: pid for pid, (_, unit) in positions.items() if unit is not None}
    paths = dict(
        db.session.execute(
            select(OrgUnit.id, OrgUnit.path).where(OrgUnit.instansi_id == instansi_id)
        ).all()
    )
    holder: dict[int, int] = {}  # position → active holder with the highest id (as supervisor_of)
    everyone = list(
        db.session.execute(
            select(Employee.id, Employee.position_id, Employee.org_unit_id, Employee.active)
            .where(Employee.instansi_id == instansi_id)
            .order_by(Employee.id)
        )
    )
    for employee_id, position_id, _unit, active in everyone:
        if active and position_id is not None:
            holder[position_id] = employee_id
    result: dict[int, int] = {}
    for employee_id, position_id, unit_id, active in everyone:
        if not active:
            continue
        candidates: list[int] = []
        own = positions.get(position_id) if position_id is not None else None
        if own is not None and own[0] is not None:
            candidates.append(own[0])
        for ancestor in reversed(ancestor_ids(paths.get(unit_id, ""))):
            head = head_of_unit.get(ancestor)
            if head is not None and head != position_id and head not in candidates:
                candidates.append(head)
        for candidate in candidates:
            found = holder.get(candidate)
            if found is not None and found != employee_id:
                result[employee_id] = found
                break
    return result


def peer_pairs(people: list[_Person], supervisors: Mapping[int, int]) -> list[tuple[int, int]]:
    """(rater, subject) pairs: up to three colleagues of the same unit rate each employee.

    Colleagues are taken round-robin by id, so everyone rates about as many people as rate
    them; a direct supervisor or subordinate is never a "peer".
    """
    by_unit: dict[int, list[int]] = {}
    for person in people:
        by_unit.setdefault(person.org_unit_id, []).append(person.id)
    pairs: list[tuple[int, int]] = []
    for members in by_unit.values():
        count = len(members)
        for index, subject in enumerate(members):
            chosen = 0
            for step in range(1, count):
                if chosen == PEERS_PER_EMPLOYEE:
                    break
                rater = members[(index + step) % count]
                if supervisors.get(subject) == rater or supervisors.get(rater) == subject:
                    continue
                pairs.append((rater, subject))
                chosen += 1
    return pairs


def create_assignments(campaign: Campaign) -> int:
    """Invitations for an employee audience, bulk-inserted; other audiences get none here."""
    if campaign.audience not in EMPLOYEE_AUDIENCES:
        return 0
    unit_path = None
    if campaign.audience_unit_id is not None:
        unit = db.session.get(OrgUnit, campaign.audience_unit_id)
        unit_path = unit.path if unit is not None else None
    people = _active_employees(campaign.instansi_id, unit_path)
    by_id = {person.id: person for person in people}
    pairs: list[tuple[int, int]]
    if campaign.audience == Audience.SELF:
        pairs = [(person.id, person.id) for person in people]
    else:
        supervisors = supervisors_by_employee(campaign.instansi_id)
        if campaign.audience == Audience.SUPERVISOR:
            pairs = [(supervisors[p.id], p.id) for p in people if p.id in supervisors]
            missing = set(supervisors.values()) - by_id.keys()
            if missing:  # a supervisor outside the chosen subtree still rates their staff
                for row in db.session.execute(
                    select(
                        Employee.id,
                        Employee.position_id,
                        Employee.org_unit_id,
                        Employee.email,
                        Employee.name,
                    ).where(Employee.id.in_(missing))
                ):
                    by_id[row[0]] = _Person(*row)
        else:
            pairs = peer_pairs(people, supervisors)
    return insert_invitations(
        campaign,
        [
            {
                "rater_role": campaign.audience.value,
                "respondent_employee_id": rater,
                "subject_employee_id": subject,
                "org_unit_id": by_id[subject].org_unit_id,
                "email": by_id[rater].email,
                "name": by_id[rater].name,
            }
            for rater, subject in pairs
        ],
    )


def insert_invitations(campaign: Campaign, rows: list[dict[str, object]]) -> int:
    """Bulk insert invitations (tokens derived here, expiring when the campaign closes)."""
    if not rows:
        return 0
    expires = end_of_day(campaign.closes_on)
    now = utcnow()
    prepared = []
    for row in rows:
        nonce, token_hash = new_invitation_secret()
        prepared.append(
            {
                "campaign_id": campaign.id,
                "token_nonce": nonce,
                "token_hash": token_hash,
                "expires_at": expires,
                "reminder_count": 0,
                "created_at": now,
                "updated_at": now,
                "email": None,
                "name": None,
                "organisation": None,
                "stakeholder_group": None,
                "respondent_employee_id": None,
                "subject_employee_id": None,
                "org_unit_id": None,
                **row,
            }
        )
    db.session.execute(Invitation.__table__.insert(), prepared)  # Core: one executemany
    return len(prepared)


@dataclass
class InvitationLine:
    email: str
    name: str | None
    organisation: str | None
    group: str | None


def parse_invitation_lines(text: str) -> list[InvitationLine]:
    """One stakeholder per line: ``email; name; organisation; group`` (only the email needed)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ServiceError(_l("Enter at least one email address."), "lines")
    if len(lines) > MAX_INVITATION_LINES:
        raise ServiceError(
            _l("At most %(n)d invitations at once.", n=MAX_INVITATION_LINES), "lines"
        )
    parsed, problems, seen = [], [], set()
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in re.split(r"[;\t]", line)]
        email = parts[0].lower()
        group = (parts[3].lower() if len(parts) > 3 else "") or None
        if not EMAIL_RE.fullmatch(email) or len(email) > 254:
            problems.append(("lines", str(_l("Line %(n)d: not an email address.", n=number))))
            continue
        if group is not None and not GROUP_RE.fullmatch(group):
            problems.append(("lines", str(_l("Line %(n)d: unknown stakeholder group.", n=number))))
            continue
        if email in seen:
            problems.append(("lines", str(_l("Line %(n)d: listed twice.", n=number))))
            continue
        seen.add(email)
        parsed.append(
            InvitationLine(
                email,
                (parts[1][:200] if len(parts) > 1 else "") or None,
                (parts[2][:200] if len(parts) > 2 else "") or None,
                group,
            )
        )
    if problems:
        raise ValidationFailed(problems)
    return parsed


def add_invitations(campaign: Campaign, text: str, group: str | None, unit_id: int | None) -> int:
    """Invite stakeholders by email; addresses already invited to the campaign are refused."""
    if campaign.status == CampaignStatus.CLOSED:
        raise ServiceError(_l("The campaign is closed."))
    if campaign.audience in EMPLOYEE_AUDIENCES:
        raise ServiceError(_l("Employees are assigned from the position tree when publishing."))
    if group and group not in STAKEHOLDER_GROUPS:
        raise ServiceError(_l("Choose a stakeholder group from the list."), "group")
    if unit_id is not None:
        unit = db.session.get(OrgUnit, unit_id)
        if unit is None or unit.instansi_id != campaign.instansi_id:
            raise ServiceError(_l("Choose a unit of this instansi."), "unit_id")
    lines = parse_invitation_lines(text)
    taken = set(
        db.session.scalars(
            select(func.lower(Invitation.email)).where(
                Invitation.campaign_id == campaign.id,
                func.lower(Invitation.email).in_([line.email for line in lines]),
            )
        )
    )
    if taken:
        raise ServiceError(
            _l("Already invited: %(emails)s", emails=", ".join(sorted(taken))), "lines"
        )
    count = insert_invitations(
        campaign,
        [
            {
                "rater_role": campaign.audience.value,
                "email": line.email,
                "name": line.name,
                "organisation": line.organisation,
                "stakeholder_group": line.group or group,
                "org_unit_id": unit_id,
            }
            for line in lines
        ],
    )
    db.session.commit()
    return count


@dataclass
class InvitationRow:
    invitation: Invitation
    subject_name: str | None
    respondent_name: str | None
    unit_name: str | None
    response_status: ResponseStatus | None

    @property
    def state(self) -> str:
        """submitted / started / sent / waiting."""
        if self.invitation.completed_on or self.response_status == ResponseStatus.SUBMITTED:
            return "submitted"
        if self.response_status == ResponseStatus.DRAFT:
            return "started"
        return "sent" if self.invitation.sent_at else "waiting"


def invitation_rows(
    campaign: Campaign, state: str | None, page: int
) -> tuple[list[InvitationRow], int]:
    """One page of a campaign's invitations with names and progress (two queries)."""
    subject = db.aliased(Employee)
    respondent = db.aliased(Employee)
    query = (
        select(Invitation, subject.name, respondent.name, OrgUnit.name, Response.status)
        .outerjoin(subject, Invitation.subject_employee_id == subject.id)
        .outerjoin(respondent, Invitation.respondent_employee_id == respondent.id)
        .outerjoin(OrgUnit, Invitation.org_unit_id == OrgUnit.id)
        .outerjoin(Response, Response.invitation_id == Invitation.id)
        .where(Invitation.campaign_id == campaign.id)
    )
    done = or_(Invitation.completed_on.is_not(None), Response.status == ResponseStatus.SUBMITTED)
    if state == "submitted":
        query = query.where(done)
    elif state == "started":
        query = query.where(Response.status == ResponseStatus.DRAFT)
    elif state == "pending":  # spelled out: NOT over an outer join's NULLs drops rows
        query = query.where(
            Invitation.completed_on.is_(None),
            or_(Response.status.is_(None), Response.status != ResponseStatus.SUBMITTED),
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(Invitation.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return [
        InvitationRow(inv, subject_name, respondent_name or inv.name, unit_name, status)
        for inv, subject_name, respondent_name, unit_name, status in rows
    ], total


# ------------------------------------------------------------------------------------ mail


LinkFor = Callable[[str], str]


def _invitation_message(
    campaign: Campaign, invitation: Invitation, link: str, reminder: bool
) -> tuple[str, str]:
    """Subject and text of an invitation or reminder, in Indonesian (the default language)."""
    with force_locale("id"):
        if reminder:
            subject = _("Reminder: %(title)s", title=campaign.title)
            opening = _("You have not yet finished this survey. Your answers so far are kept.")
        else:
            subject = _("Invitation: %(title)s", title=campaign.title)
            opening = _("You are invited to take part in this survey.")
        lines = [
            _("Dear %(name)s,", name=invitation.name or _("respondent")),
            "",
            opening,
            "",
            link,
            "",
            _(
                "The link is personal; please do not share it. It works until %(day)s.",
                day=campaign.closes_on.strftime("%d-%m-%Y"),
            ),
            _("You can stop at any time and continue later with the same link."),
        ]
    return subject, "\n".join(lines)


def send_invitations(campaign: Campaign, link_for: LinkFor) -> int:
    """Email every invitation not yet sent; a failure keeps what was sent and can be rerun."""
    if campaign.status != CampaignStatus.OPEN:
        raise ServiceError(_l("Invitations are sent once the campaign is open."))
    pending = list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.campaign_id == campaign.id,
                Invitation.sent_at.is_(None),
                Invitation.email.is_not(None),
                Invitation.completed_on.is_(None),
            )
            .order_by(Invitation.id)
        )
    )
    return _deliver(campaign, pending, link_for, reminder=False)


def send_reminders(campaign: Campaign, link_for: LinkFor, now: datetime | None = None) -> int:
    """Remind only those invited who have not submitted; repeating within the interval sends
    nothing (idempotent), so a double click never mails anyone twice."""
    if campaign.status != CampaignStatus.OPEN:
        raise ServiceError(_l("Reminders are sent while the campaign is open."))
    now = now or utcnow()
    submitted = select(Response.invitation_id).where(
        Response.campaign_id == campaign.id,
        Response.status == ResponseStatus.SUBMITTED,
        Response.invitation_id.is_not(None),
    )
    due = list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.campaign_id == campaign.id,
                Invitation.email.is_not(None),
                Invitation.sent_at.is_not(None),
                Invitation.completed_on.is_(None),
                Invitation.expires_at > now,
                Invitation.id.not_in(submitted),
                or_(
                    Invitation.reminded_at.is_(None),
                    Invitation.reminded_at < now - REMINDER_INTERVAL,
                ),
            )
            .order_by(Invitation.id)
        )
    )
    return _deliver(campaign, due, link_for, reminder=True, now=now)


def _deliver(
    campaign: Campaign,
    invitations: list[Invitation],
    link_for: LinkFor,
    reminder: bool,
    now: datetime | None = None,
) -> int:
    now = now or utcnow()
    sent = 0
    for invitation in invitations:
        subject, text = _invitation_message(
            campaign, invitation, link_for(token_for(invitation)), reminder
        )
        try:
            send_mail(invitation.email or "", subject, text)
        except Exception as error:  # SMTP errors vary; what was sent stays recorded
            db.session.commit()
            raise ServiceError(
                _l("Sending stopped after %(n)d messages: %(error)s", n=sent, error=str(error))
            ) from error
        if reminder:
            invitation.reminded_at = now
            invitation.reminder_count += 1
        else:
            invitation.sent_at = now
        sent += 1
    db.session.commit()
    return sent


def email_resume_link(address: str, link: str, title: str) -> None:
    """Mail a respondent the link to continue; the address itself is not stored."""
    if not EMAIL_RE.fullmatch(address.strip()) or len(address) > 254:
        raise ServiceError(_l("Enter a valid email address."), "email")
    subject = _("Continue your survey: %(title)s", title=title)
    text = "\n".join(
        [
            _("Use this link to continue where you stopped:"),
            "",
            link,
            "",
            _("Anyone with the link can see your unfinished answers; keep it to yourself."),
        ]
    )
    send_mail(address.strip(), subject, text)


# ----------------------------------------------------------------------------------- seats


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
    check_campaign_open(campaign, today or local_today())
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
    check_campaign_open(campaign, today or local_today())
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
        check_campaign_open(campaign, today or local_today())
    return seat


def initial_answers(seat: Seat) -> dict[str, object]:
    """What the invitation already tells: the stakeholder group, the rater's role."""
    definition = seat.definition
    answers: dict[str, object] = {}
    invitation = seat.invitation
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
    shown = {state.id for state in before.page(page_id).visible_items}
    merged = dict(draft)
    for item in page.items:
        if not item.has_value or item.is_calculated:
            continue
        paths = item.fields()
        if item.id not in shown and not any(path in form for path in paths):
            continue
        for path in paths:
            if item.type == "multiple" and path == item.id:
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
    return merged


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
        subject_employee_id=invitation.subject_employee_id if invitation else None,
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
    today = today or local_today()
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
    for path in definition.fields():
        value = values.get(path)
        if value is None or value == "" or value == []:
            continue
        item = definition.field_item(path)
        row_id = column_id = None
        if item.type == "matrix":
            _, row_id, column_id = path.split(".")
        elif path != item.id:
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
    today = today or local_today()
    if not KEY_RE.fullmatch(submission_key or ""):
        raise ServiceError(_l("The form is incomplete; reload the page and try again."))
    already = db.session.scalar(select(Response).where(Response.submission_key == submission_key))
    if already is not None and already.campaign_id == seat.campaign.id:
        return already
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
    if invitation is None:
        finished["stakeholder_group"] = _group_from(campaign, values)
        if form is not None and "_unit" in form:
            finished["org_unit_id"] = valid_unit(campaign, _int(form.get("_unit")))
    try:
        if invitation is not None:
            claimed = db.session.execute(
                update(Invitation)
                .where(Invitation.id == invitation.id, Invitation.completed_on.is_(None))
                .values(completed_on=today, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                db.session.rollback()  # the link was used by a concurrent submit
                return _submitted_for(key, invitation)
        if seat.response is None:  # sent straight from its only page: nothing to resume
            response = _new_response(seat, lang, today)
            response.resume_token_hash = seat.new_resume_token = None
            for name, value in finished.items():
                setattr(response, name, value)
            db.session.add(response)
            db.session.flush()
        else:
            response = seat.response
            result = db.session.execute(
                update(Response)
                .where(Response.id == response.id, Response.status == ResponseStatus.DRAFT)
                .values(**finished)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                db.session.rollback()  # a concurrent submit of the same draft won
                return _submitted_for(key, invitation)
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


# --------------------------------------------------------------------------------- results


@dataclass
class ResultFilters:
    campaign_id: int | None = None
    unit_id: int | None = None
    rater_role: str | None = None
    group: str | None = None
    status: str | None = None


def _unit_path(unit_id: int | None) -> str | None:
    if unit_id is None:
        return None
    unit = db.session.get(OrgUnit, unit_id)
    return unit.path if unit is not None else "/-/"


def response_conditions(principal: Principal, filters: ResultFilters) -> list[object]:
    """WHERE clauses for the responses a principal may read under the given filters."""
    conditions: list[object] = [response_scope(principal), campaign_scope(principal)]
    if filters.campaign_id is not None:
        conditions.append(Response.campaign_id == filters.campaign_id)
    path = _unit_path(filters.unit_id)
    if path is not None:
        conditions.append(
            Response.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(path)))
        )
    if filters.rater_role:
        conditions.append(Response.rater_role == filters.rater_role)
    if filters.group:
        conditions.append(Response.stakeholder_group == filters.group)
    if filters.status in ("draft", "submitted"):
        conditions.append(Response.status == ResponseStatus(filters.status))
    return conditions


@dataclass
class ResponseRow:
    id: int
    campaign_title: str
    rater_role: str
    status: ResponseStatus
    subject_name: str | None
    respondent_name: str | None
    unit_name: str | None
    group: str | None
    day: date | None


def responses_page(
    principal: Principal, filters: ResultFilters, page: int
) -> tuple[list[ResponseRow], int]:
    """One page of responses with names (two queries whatever the page size).

    Respondents are named only for self and supervisor ratings of non-anonymous campaigns:
    peers and stakeholders are never shown one by one.
    """
    subject = db.aliased(Employee)
    respondent = db.aliased(Employee)
    conditions = response_conditions(principal, filters)
    total = (
        db.session.scalar(
            select(func.count(Response.id))
            .select_from(Response)
            .join(Campaign, Response.campaign_id == Campaign.id)
            .where(*conditions)
        )
        or 0
    )
    rows = db.session.execute(
        select(
            Response.id,
            Campaign.title,
            Campaign.anonymous,
            Response.rater_role,
            Response.status,
            subject.name,
            respondent.name,
            OrgUnit.name,
            Response.stakeholder_group,
            Response.submitted_on,
            Response.started_on,
        )
        .select_from(Response)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .outerjoin(subject, Response.subject_employee_id == subject.id)
        .outerjoin(respondent, Response.respondent_employee_id == respondent.id)
        .outerjoin(OrgUnit, Response.org_unit_id == OrgUnit.id)
        .where(*conditions)
        .order_by(Response.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return [
        ResponseRow(
            id=rid,
            campaign_title=title,
            rater_role=role,
            status=status,
            subject_name=subject_name,
            respondent_name=(
                respondent_name if not anonymous and role in ("self", "supervisor") else None
            ),
            unit_name=unit_name,
            group=group,
            day=submitted_on or started_on,
        )
        for (
            rid,
            title,
            anonymous,
            role,
            status,
            subject_name,
            respondent_name,
            unit_name,
            group,
            submitted_on,
            started_on,
        ) in rows
    ], total


@dataclass
class Bar:
    """One bar of a chart: a choice or a scale point with its count and share."""

    code: str
    label: str
    count: int
    share: float  # 0..1 of the answered


@dataclass
class QuestionSummary:
    item_id: str
    label: str
    type: str
    answered: int = 0
    mean: float | None = None
    low: float | None = None
    high: float | None = None
    bars: list[Bar] = field(default_factory=list)
    rows: list[QuestionSummary] = field(default_factory=list)  # matrix rows × columns
    texts: list[str] = field(default_factory=list)


@dataclass
class GroupCount:
    rater_role: str
    group: str | None
    count: int
    shown: bool


@dataclass
class Summary:
    campaign: Campaign
    definition: Definition
    responses: int
    min_group_size: int
    groups: list[GroupCount]
    questions: list[QuestionSummary]

    @property
    def hidden(self) -> bool:
        """Fewer responses than the definition's minimum group size: nothing is shown."""
        return self.responses < self.min_group_size


TEXTS_PER_QUESTION = 5


def summarize(
    principal: Principal, campaign: Campaign, filters: ResultFilters, lang: str
) -> Summary:
    """Per-question summaries of the submitted responses in scope (six grouped queries).

    Groups (rater role × stakeholder group) are counted for the whole campaign in scope; the
    summaries are computed only when the selection has at least ``min_group_size`` responses.
    """
    definition = campaign_definition(campaign)
    minimum = max(definition.min_group_size, 1)
    selection = ResultFilters(
        campaign.id, filters.unit_id, filters.rater_role, filters.group, "submitted"
    )
    base_ids = (
        select(Response.id)
        .join(Campaign, Response.campaign_id == Campaign.id)
        .where(*response_conditions(principal, selection))
    )
    group_rows = db.session.execute(
        select(Response.rater_role, Response.stakeholder_group, func.count())
        .join(Campaign, Response.campaign_id == Campaign.id)
        .where(
            *response_conditions(
                principal, ResultFilters(campaign.id, filters.unit_id, None, None, "submitted")
            )
        )
        .group_by(Response.rater_role, Response.stakeholder_group)
        .order_by(Response.rater_role, Response.stakeholder_group)
    ).all()
    groups = [GroupCount(role, group, count, count >= minimum) for role, group, count in group_rows]
    total = db.session.scalar(select(func.count()).select_from(base_ids.subquery())) or 0
    summary = Summary(campaign, definition, total, minimum, groups, [])
    if summary.hidden:
        return summary
    ids = base_ids.scalar_subquery()
    stats = {
        path: (count, mean, low, high)
        for path, count, mean, low, high in db.session.execute(
            select(
                Answer.field,
                func.count(),
                func.avg(Answer.value_number),
                func.min(Answer.value_number),
                func.max(Answer.value_number),
            )
            .where(Answer.response_id.in_(ids))
            .group_by(Answer.field)
        )
    }
    rated_items = [i.id for i in definition.items if i.type in ("rating", "matrix")]
    points: dict[str, dict[float, int]] = {}
    if rated_items:
        for path, value, count in db.session.execute(
            select(Answer.field, Answer.value_number, func.count())
            .where(Answer.response_id.in_(ids), Answer.item_id.in_(rated_items))
            .group_by(Answer.field, Answer.value_number)
        ):
            if value is not None:
                points.setdefault(path, {})[float(value)] = count
    choice_items = [i.id for i in definition.items if i.type in ("single", "multiple")]
    codes: dict[str, dict[str, int]] = {}
    if choice_items:
        for path, text, count in db.session.execute(
            select(Answer.field, Answer.value_text, func.count())
            .where(
                Answer.response_id.in_(ids),
                Answer.item_id.in_(choice_items),
                Answer.column_id.is_(None),
            )
            .group_by(Answer.field, Answer.value_text)
        ):
            for code in (text or "").split("\n"):
                if code:
                    codes.setdefault(path, {})[code] = codes.get(path, {}).get(code, 0) + count
    text_items = [i.id for i in definition.items if i.type in ("text", "textarea")]
    texts: dict[str, list[str]] = {}
    if text_items:
        ranked = (
            select(
                Answer.field,
                Answer.value_text,
                func.row_number()
                .over(partition_by=Answer.field, order_by=Answer.response_id.desc())
                .label("rank"),
            )
            .where(Answer.response_id.in_(ids), Answer.item_id.in_(text_items))
            .subquery()
        )
        for path, text in db.session.execute(
            select(ranked.c.field, ranked.c.value_text)
            .where(ranked.c.rank <= TEXTS_PER_QUESTION)
            .order_by(ranked.c.field, ranked.c.rank)
        ):
            texts.setdefault(path, []).append(text or "")
    summary.questions = [
        _question_summary(definition, item, lang, stats, points, codes, texts)
        for item in definition.items
        if item.has_value and item.type != "calculate"
    ]
    return summary


def _question_summary(
    definition: Definition,
    item: Item,
    lang: str,
    stats: Mapping[str, tuple[int, float | None, float | None, float | None]],
    points: Mapping[str, Mapping[float, int]],
    codes: Mapping[str, Mapping[str, int]],
    texts: Mapping[str, list[str]],
) -> QuestionSummary:
    label = definition.text(item.label, lang) or item.id
    summary = QuestionSummary(item.id, label, item.type)
    count, mean, low, high = stats.get(item.id, (0, None, None, None))
    summary.answered = count
    if item.type in ("integer", "decimal") or item.is_calculated:
        summary.mean, summary.low, summary.high = mean, low, high
    elif item.type == "rating":
        summary.mean = mean
        summary.bars = _scale_bars(
            definition, definition.scale_of(item), points.get(item.id, {}), count, lang
        )
    elif item.type in ("single", "multiple"):
        counted = codes.get(item.id, {})
        summary.bars = [
            Bar(
                choice.code,
                definition.text(choice.label, lang),
                counted.get(choice.code, 0),
                counted.get(choice.code, 0) / count if count else 0.0,
            )
            for choice in item.choices
        ]
        known = {choice.code for choice in item.choices}
        for code, number in sorted(counted.items()):
            if code not in known:  # a code from an earlier version of the definition
                summary.bars.append(Bar(code, code, number, number / count if count else 0.0))
    elif item.type == "matrix":
        for row in item.rows:
            for column in item.columns:
                path = f"{item.id}.{row.id}.{column.id}"
                cell_count, cell_mean, _, _ = stats.get(path, (0, None, None, None))
                cell_label = definition.text(row.label, lang)
                if len(item.columns) > 1:
                    cell_label = f"{cell_label} · {definition.text(column.label, lang)}"
                cell = QuestionSummary(path, cell_label, "rating", cell_count, cell_mean)
                cell.bars = _scale_bars(
                    definition,
                    definition.scales[column.scale],
                    points.get(path, {}),
                    cell_count,
                    lang,
                )
                summary.rows.append(cell)
        summary.answered = max((cell.answered for cell in summary.rows), default=0)
    elif item.type in ("text", "textarea"):
        summary.texts = texts.get(item.id, [])
    return summary


def _scale_bars(
    definition: Definition,
    scale: Scale,
    counted: Mapping[float, int],
    total: int,
    lang: str,
) -> list[Bar]:
    bars = []
    for point in scale.points:
        count = counted.get(float(point), 0)
        label = definition.text(scale.labels.get(point), lang) if point in scale.labels else ""
        bars.append(Bar(str(point), label, count, count / total if total else 0.0))
    return bars


def filter_options(principal: Principal) -> tuple[list[Campaign], list[OrgUnit]]:
    """Campaigns and units offered as filters on the results page (two queries)."""
    from app.access.policy import unit_scope

    units = list(
        db.session.scalars(select(OrgUnit).where(unit_scope(principal)).order_by(OrgUnit.path))
    )
    return visible_campaigns(principal), units
