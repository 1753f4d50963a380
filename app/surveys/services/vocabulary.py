"""Codes, labels, formats and limits every area of surveys shares."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from app.surveys.definition import OTHER_CODE
from app.surveys.models import (
    Audience,
)

EMAIL_RE = re.compile(r"[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+")
GROUP_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")

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
# The `kind` of a survey definition (app.surveys.definition.KINDS).
KIND_LABELS: dict[str, object] = {
    "self_assessment": _l("Self-assessment"),
    "rating_360": _l("360-degree rating"),
    "stakeholder": _l("Stakeholder consultation"),
    "post_training": _l("Post-training evaluation"),
    "follow_up": _l("Follow-up evaluation"),
    "mentoring_feedback": _l("Mentoring feedback"),
    "generic": _l("General survey"),
}
# The free answer of the group item ("another group"): not a group HR can invite.
OTHER_GROUP_LABEL = _l("Another group")
STATUS_LABELS: dict[str, object] = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "submitted": _l("Answers sent"),
}


def role_label(role: str | None) -> str:
    """Human label of a rater role (the code itself when unknown)."""
    return str(ROLE_LABELS.get(role or "", role or "–"))


def kind_label(kind: str | None) -> str:
    """Human label of a survey definition's kind (the code itself when unknown)."""
    return str(KIND_LABELS.get(kind or "", kind or "–"))


def group_label(group: str | None) -> str:
    """Human label of a stakeholder group code, "other" included."""
    if not group:
        return "–"
    if group == OTHER_CODE:
        return str(OTHER_GROUP_LABEL)
    return str(STAKEHOLDER_GROUPS.get(group, group))
