"""Items whose program the evaluation flagged for review: their expected effect is reduced by
the configurable rule, and the explanation names it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.optimiser import messages, services, settings
from app.optimiser.models import Choice
from tests.unit.evaluation.factories import rated_program
from tests.unit.evaluation.test_feeds import LOW
from tests.unit.optimiser.factories import drafted, items_of
from tests.unit.planning.factories import HR


def test_the_rule_by_hand():
    assert settings.flagged_effect(0.8, 0.5) == pytest.approx(0.4)
    assert settings.flagged_effect(0.8, 1.0) == pytest.approx(0.8)  # 100 %: the rule is off
    assert settings.flagged_effect(0.6, 0.25) == pytest.approx(0.15)
    assert settings.flagged_effect(0.6, 2.0) == pytest.approx(0.6)  # never above the effect
    assert settings.Rules().flagged_factor == settings.DEFAULT_FLAGGED_FACTOR == 0.5


def _flagged(world):  # type: ignore[no-untyped-def]
    revision = drafted(world)
    item = items_of(revision.id)["need:M.03:classical"]
    rated_program(world, [LOW] * 5, program_id=item.program_id)
    return revision, item


def _own_effects(built: services.Built) -> dict[str, float]:
    return {
        o.need: o.effect for o in built.instance.options if o.form == built.candidates[o.need].form
    }


def test_a_flagged_program_keeps_half_its_effect_alternatives_untouched(ctx, world):
    revision, item = _flagged(world)
    built = services.build_instance(revision)
    flagged_keys = {k for k, c in built.candidates.items() if c.item_id == item.id}
    assert built.flagged == flagged_keys and len(flagged_keys) == 2
    own = _own_effects(built)
    classical = settings.DEFAULT_FORMS["classical"].effect
    assert all(own[k] == pytest.approx(classical * 0.5) for k in flagged_keys)
    elearning = [
        o for o in built.instance.options if o.need in flagged_keys and o.form == "e_learning"
    ]
    assert elearning and all(
        o.effect == settings.DEFAULT_FORMS["e_learning"].effect for o in elearning
    )
    mentoring_key = next(k for k in built.candidates if k not in flagged_keys)
    assert own[mentoring_key] == settings.DEFAULT_FORMS["mentoring"].effect


def test_the_factor_is_hr_s_rule(ctx, world):
    revision, item = _flagged(world)
    settings.save_rules(world.a.id, 80, 20, 20, 60, 1, [], flagged_percent=25)
    built = services.build_instance(revision)
    classical = settings.DEFAULT_FORMS["classical"].effect
    assert [_own_effects(built)[k] for k in built.flagged] == [pytest.approx(classical / 4)] * 2
    settings.save_rules(world.a.id, 80, 20, 20, 60, 1, [], flagged_percent=100)
    built = services.build_instance(revision)
    assert [_own_effects(built)[k] for k in built.flagged] == [classical] * 2


def test_the_explanation_names_the_rule(ctx, world):
    revision, item = _flagged(world)
    scenario = services.create_scenario(revision, "Flagged", 1.0, 0, HR)
    rows = db.session.scalars(select(Choice).where(Choice.scenario_id == scenario.id)).all()
    of_item = [r for r in rows if r.item_id == item.id]
    assert of_item and all('"flagged_factor": 0.5' in r.reason_params for r in of_item)
    texts = [messages.choice_text(r.reason, r.reason_params) for r in of_item]
    assert all("ditandai untuk ditinjau" in t and "50 %" in t for t in texts), texts
    others = [r for r in rows if r.item_id != item.id]
    assert others and all("flagged_factor" not in r.reason_params for r in others)
