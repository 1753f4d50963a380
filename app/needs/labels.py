"""Display labels of the analysis' codes (translated when rendered)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.needs.formulas import JPM_BELOW, JPM_MEETS, JPM_STILL_MEETS
from app.needs.models import CompetencyKind, DevelopmentForm, IssueReason, NeedStatus
from app.org.labels import code_label

FORM_LABELS = {
    DevelopmentForm.CLASSICAL.value: _l("Classroom training"),
    DevelopmentForm.COACHING.value: _l("Coaching"),
    DevelopmentForm.MENTORING.value: _l("Mentoring"),
    DevelopmentForm.E_LEARNING.value: _l("E-learning"),
    DevelopmentForm.WORKSHOP.value: _l("Workshop"),
    DevelopmentForm.TECHNICAL_GUIDANCE.value: _l("Technical guidance (bimtek)"),
    DevelopmentForm.JOB_ROTATION.value: _l("Job rotation"),
    DevelopmentForm.SELF_STUDY.value: _l("Self-study"),
}

STATUS_LABELS = {
    NeedStatus.PROPOSED.value: _l("Proposed"),
    NeedStatus.ACCEPTED.value: _l("Accepted"),
    NeedStatus.DISMISSED.value: _l("Dismissed"),
    NeedStatus.NOMINATED.value: _l("Nominated"),
}

KIND_LABELS = {
    CompetencyKind.MANAGERIAL.value: _l("Managerial"),
    CompetencyKind.SOCIO_CULTURAL.value: _l("Socio-cultural"),
    CompetencyKind.TECHNICAL.value: _l("Technical"),
}

CATEGORY_LABELS = {
    JPM_MEETS: _l("Meets the requirements"),
    JPM_STILL_MEETS: _l("Still meets the requirements"),
    JPM_BELOW: _l("Below the requirements"),
}

ROLE_LABELS = {
    "self": _l("Self"),
    "supervisor": _l("Supervisor"),
    "peer": _l("Peers"),
    "subordinate": _l("Subordinates"),
    "stakeholder": _l("Stakeholders"),
    "participant": _l("Participants"),
    "mentee": _l("Mentees"),
}

METHOD_LABELS = {
    "regulatory_gap": _l("Regulatory gap"),
    "difference": _l("Hennessy-Hicks (importance − performance)"),
    "borich_mwds": _l("Borich mean weighted discrepancy score"),
    "priority_product": _l("Priority product (importance × reversed performance)"),
    "mean": _l("Mean"),
}

REASON_LABELS = {
    IssueReason.DEFINITION_MISSING.value: _l("Survey definition missing or invalid"),
    IssueReason.UNKNOWN_COMPETENCY.value: _l("Competency code not in the dictionary"),
    IssueReason.OUT_OF_RANGE.value: _l("Answers outside the scale"),
    IssueReason.NO_SUBJECT.value: _l("Ratings about nobody of this instansi"),
    IssueReason.MISSING_RATER_GROUP.value: _l("Rater group missing (weights re-normalised)"),
    IssueReason.SMALL_RATER_GROUP.value: _l("Rater group below the minimum size (left out)"),
    IssueReason.NO_STANDARD.value: _l("No position standard"),
    IssueReason.PARTIAL_ANSWERS.value: _l("Competencies without any rating"),
    IssueReason.NO_RATINGS.value: _l("Employees without ratings"),
    IssueReason.NO_IMPORTANCE.value: _l("No stakeholder importance (no priority)"),
}

REASON_HELP = {
    IssueReason.DEFINITION_MISSING.value: _l(
        "Campaigns of this cycle use a definition that cannot be loaded; their answers are not scored."
    ),
    IssueReason.UNKNOWN_COMPETENCY.value: _l(
        "Answers to items whose competency code is not in this instansi's dictionary are not scored. Add the competency or correct the definition."
    ),
    IssueReason.OUT_OF_RANGE.value: _l("Values outside the item's scale are ignored."),
    IssueReason.NO_SUBJECT.value: _l(
        "Responses whose subject is missing, inactive or from another instansi are ignored."
    ),
    IssueReason.MISSING_RATER_GROUP.value: _l(
        "The employee has no rating from this group; the other groups' weights are scaled up to sum to 1."
    ),
    IssueReason.SMALL_RATER_GROUP.value: _l(
        "Fewer raters than the definition's minimum group size: the group is left out to keep raters anonymous."
    ),
    IssueReason.NO_STANDARD.value: _l(
        "Without a required level no gap can be computed; set the position's standard or a default."
    ),
    IssueReason.PARTIAL_ANSWERS.value: _l(
        "Some competencies of the instrument got no rating at all for this employee."
    ),
    IssueReason.NO_RATINGS.value: _l("Active employees nobody rated in this cycle."),
    IssueReason.NO_IMPORTANCE.value: _l(
        "No stakeholder input reached this unit, its parents or the whole instansi; priorities stay empty."
    ),
}

SOURCE_LABELS = {
    "position": _l("the position's own standard"),
    "default": _l("the default of the position type and jenjang"),
    "none": _l("no standard"),
}


def position_type_label(position_type: str, jenjang: str) -> str:
    """'Fungsional · Ahli muda' style label of a position class."""
    text = code_label(position_type)
    return f"{text} · {code_label(jenjang)}" if jenjang else text


def band_label(key: str | None, labels: dict[str, dict[str, str]]) -> str:
    """A band's label in the user's language, falling back to Indonesian, then the key."""
    if not key:
        return ""
    texts = labels.get(key)
    if not texts:
        return key.replace("_", " ")
    language = str(get_locale() or "id")
    return texts.get(language) or texts.get("id") or next(iter(texts.values()), key)


def localized(texts: dict[str, str], fallback: str = "") -> str:
    """A language map in the user's language."""
    language = str(get_locale() or "id")
    return texts.get(language) or texts.get("id") or next(iter(texts.values()), fallback)
