"""The optimiser's settings per instansi: expected effect and cost per form, HR's rules.

The defaults are a starting point (PerLAN 10/2018 forms; the 10:20:70 guidance for the
non-classical share) until HR sets its own or adopts the effect the evaluation measured
(`app.evaluation.feeds.measured_effects`: the mean normalised L2 gain of the form's programs).

Flagged programs: an item whose catalogue program the evaluation flagged for review (pooled
satisfaction below the program's threshold) keeps only `Rules.flagged_factor` of its form's
expected effect for its own form (`flagged_effect`); the alternative forms are not touched.
HR sets the factor with the rules (50 % by default; 100 % turns the rule off).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import ValidationFailed
from app.extensions import db
from app.optimiser.models import FormSetting, Policy, ProviderLimit
from app.planning.models import Provider
from app.training.models import FORM_PATH, TrainingForm, TrainingPath


@dataclass(frozen=True)
class FormTerms:
    form: str
    effect: float  # share of the gap closed, 0..1
    unit_cost: int  # rupiah per participant when offered as an alternative
    jp: float
    alternative: bool  # offered for every need besides its item's own form

    @property
    def non_classical(self) -> bool:
        return FORM_PATH.get(TrainingForm(self.form)) != TrainingPath.CLASSICAL


F = TrainingForm
DEFAULT_FORMS: dict[str, FormTerms] = {
    t.form: t
    for t in (
        FormTerms(F.CLASSICAL, 0.8, 3_000_000, 40, False),
        FormTerms(F.WORKSHOP, 0.6, 1_500_000, 16, False),
        FormTerms(F.SEMINAR, 0.3, 500_000, 8, False),
        FormTerms(F.COURSE, 0.7, 2_000_000, 24, False),
        FormTerms(F.TECHNICAL_GUIDANCE, 0.7, 2_000_000, 24, False),
        FormTerms(F.E_LEARNING, 0.45, 300_000, 20, True),
        FormTerms(F.DISTANCE_LEARNING, 0.5, 500_000, 24, False),
        FormTerms(F.COACHING, 0.6, 600_000, 16, True),
        FormTerms(F.MENTORING, 0.55, 250_000, 16, True),
        FormTerms(F.JOB_ROTATION, 0.6, 0, 0, False),
        FormTerms(F.INTERNSHIP, 0.65, 2_000_000, 40, False),
        FormTerms(F.BENCHMARKING, 0.4, 3_000_000, 16, False),
        FormTerms(F.SELF_STUDY, 0.25, 0, 10, False),
        FormTerms(F.DEGREE, 0.9, 50_000_000, 0, False),
    )
}


DEFAULT_FLAGGED_FACTOR = 0.5


@dataclass(frozen=True)
class Rules:
    jp_ceiling: float | None = 80.0
    min_jp: float = 20.0
    non_classical_share: float = 0.2
    time_limit: int = 60
    mip_gap: float = 0.01
    mandatory_keys: frozenset[str] = frozenset()
    flagged_factor: float = DEFAULT_FLAGGED_FACTOR


def flagged_effect(effect: float, factor: float) -> float:
    """The expected effect of an item whose program is flagged for review."""
    return round(effect * min(max(factor, 0.0), 1.0), 6)


def form_terms(instansi_id: int) -> dict[str, FormTerms]:
    """Every form's terms: HR's setting where there is one, else the default (one query)."""
    terms = dict(DEFAULT_FORMS)
    for row in db.session.scalars(
        select(FormSetting).where(FormSetting.instansi_id == instansi_id)
    ):
        if row.form in terms:
            terms[row.form] = FormTerms(
                row.form, row.effect, int(row.unit_cost), row.jp, row.alternative
            )
    return terms


def rules_for(instansi_id: int) -> Rules:
    policy = db.session.scalar(select(Policy).where(Policy.instansi_id == instansi_id))
    if policy is None:
        return Rules()
    return Rules(
        jp_ceiling=policy.jp_ceiling,
        min_jp=policy.min_jp,
        non_classical_share=policy.non_classical_share,
        time_limit=policy.time_limit,
        mip_gap=policy.mip_gap,
        mandatory_keys=frozenset(k for k in policy.mandatory_keys.splitlines() if k.strip()),
        flagged_factor=policy.flagged_factor,
    )


def provider_limits(instansi_id: int) -> dict[int, tuple[str, int]]:
    """Provider id → (name, participants a year) where HR set a capacity."""
    return {
        int(pid): (name, int(n))
        for pid, name, n in db.session.execute(
            select(Provider.id, Provider.name, ProviderLimit.participants)
            .join(ProviderLimit, ProviderLimit.provider_id == Provider.id)
            .where(Provider.instansi_id == instansi_id)
        )
    }


@dataclass
class FormInput:
    form: str
    effect: float | None
    unit_cost: int | None
    jp: float | None
    alternative: bool


def save_forms(instansi_id: int, rows: list[FormInput]) -> None:
    """Store HR's terms for the forms (every row checked first; nothing saved on a refusal)."""
    problems: list[tuple[str, str]] = []
    if not rows:
        problems.append(("forms", str(_l("Give the terms of at least one form."))))
    for i, row in enumerate(rows):
        if row.form not in DEFAULT_FORMS:
            problems.append((f"forms-{i}-form", str(_l("Unknown form."))))
        if row.effect is None or not 0 <= row.effect <= 1:
            problems.append((f"forms-{i}-effect", str(_l("Enter an effect from 0 to 1."))))
        if row.unit_cost is None or row.unit_cost < 0:
            problems.append((f"forms-{i}-unit_cost", str(_l("Enter a cost from 0."))))
        if row.jp is None or not 0 <= row.jp <= 1000:
            problems.append((f"forms-{i}-jp", str(_l("Enter JP from 0 to 1000."))))
    if problems:
        raise ValidationFailed(problems)
    existing = {
        s.form: s
        for s in db.session.scalars(
            select(FormSetting).where(FormSetting.instansi_id == instansi_id)
        )
    }
    for row in rows:
        setting = existing.get(row.form) or FormSetting(instansi_id=instansi_id, form=row.form)
        setting.effect = float(row.effect or 0)
        setting.unit_cost = int(row.unit_cost or 0)
        setting.jp = float(row.jp or 0)
        setting.alternative = row.alternative
        db.session.add(setting)
    db.session.commit()


def save_effect(instansi_id: int, form: str, effect: float | None) -> FormTerms:
    """Store one form's expected effect (a measured one adopted), keeping its other terms."""
    terms = form_terms(instansi_id).get(form)
    if terms is None:
        raise ValidationFailed([("effect", str(_l("Unknown form.")))])
    save_forms(
        instansi_id,
        [FormInput(form, effect, terms.unit_cost, terms.jp, terms.alternative)],
    )
    return form_terms(instansi_id)[form]


def save_rules(
    instansi_id: int,
    jp_ceiling: float | None,
    min_jp: float | None,
    non_classical_share: float | None,
    time_limit: int | None,
    mip_gap: float | None,
    mandatory_keys: list[str],
    flagged_percent: float | None = DEFAULT_FLAGGED_FACTOR * 100,
) -> Policy:
    problems: list[tuple[str, str]] = []
    if jp_ceiling is not None and not 0 < jp_ceiling <= 1000:
        problems.append(("jp_ceiling", str(_l("Enter a ceiling from 1 to 1000 JP, or none."))))
    if min_jp is None or not 0 <= min_jp <= 1000:
        problems.append(("min_jp", str(_l("Enter JP from 0 to 1000."))))
    if non_classical_share is None or not 0 <= non_classical_share <= 100:
        problems.append(("non_classical_share", str(_l("Enter a percentage from 0 to 100."))))
    if time_limit is None or not 1 <= time_limit <= 600:
        problems.append(("time_limit", str(_l("Enter from 1 to 600 seconds."))))
    if mip_gap is None or not 0 <= mip_gap <= 20:
        problems.append(("mip_gap", str(_l("Enter a percentage from 0 to 20."))))
    if flagged_percent is None or not 0 <= flagged_percent <= 100:
        problems.append(("flagged_percent", str(_l("Enter a percentage from 0 to 100."))))
    if problems:
        raise ValidationFailed(problems)
    policy = db.session.scalar(select(Policy).where(Policy.instansi_id == instansi_id))
    if policy is None:
        policy = Policy(instansi_id=instansi_id)
        db.session.add(policy)
    policy.jp_ceiling = jp_ceiling
    policy.min_jp = float(min_jp or 0)
    policy.non_classical_share = float(non_classical_share or 0) / 100
    policy.time_limit = int(time_limit or 60)
    policy.mip_gap = float(mip_gap or 0) / 100
    policy.flagged_factor = float(flagged_percent or 0) / 100
    policy.mandatory_keys = "\n".join(sorted({k.strip() for k in mandatory_keys if k.strip()}))
    db.session.commit()
    return policy
