"""Human labels of the evaluation levels, translated when rendered."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.evaluation.models import Level

LEVEL_LABELS = {
    Level.REACTION.value: _l("Reaction (L1)"),
    Level.PRETEST.value: _l("Pre-test (L2)"),
    Level.POSTTEST.value: _l("Post-test (L2)"),
    Level.BEHAVIOUR.value: _l("Behaviour follow-up (L3)"),
}
