"""Background job: solve one scenario of the budget optimiser."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import jobs
from app.optimiser import services


@jobs.task("optimiser.run", label=_l("Budget optimisation"), max_attempts=2)
def run_scenario(ctx: jobs.JobContext, scenario_id: int) -> None:
    try:
        scenario = services.run(scenario_id, ctx.progress)
    except LookupError:
        raise jobs.PermanentFailure(f"scenario {scenario_id} no longer exists") from None
    ctx.progress(4, 4)
    ctx.result = {
        "url": f"/optimiser/scenarios/{scenario.id}",
        "label": str(_l("Open the result")),
        "summary": f"{scenario.status.value}: {scenario.needs_funded}/{scenario.needs_total}",
    }
