"""Routes of evaluation: programs, an event's evaluation, the room link, settings, providers.

`make_ids` adds a program of instansi A whose event ended yesterday, the staff member attended
it and the due scan ran, so the employee has a reaction request.
"""

from __future__ import annotations

from tests.web.matrix import MANAGERS, only


def make_ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from app.evaluation.scan import run_due
    from app.extensions import db
    from app.surveys.services.days import local_today
    from tests.unit.evaluation.factories import attend, ended_event

    event = ended_event(world, local_today() - timedelta(days=1), code="EVAL-M")
    attend(event, world.staff)
    run_due(local_today())
    db.session.commit()
    return {"ev_event": event.id, "ev_program": event.program_id}


MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "evaluation.index": ("GET", "/evaluation/", only(MANAGERS)),
    "evaluation.scan": ("POST", "/evaluation/scan", only({"hr_admin": 303, "sysadmin": 303})),
    "evaluation.event": ("GET", "/evaluation/events/{ev_event}", only(MANAGERS)),
    "evaluation.add_project": (
        "POST",
        "/evaluation/events/{ev_event}/projects",
        only({"hr_admin": 422, "sysadmin": 422}),
    ),
    "evaluation.reaction_link": (
        "GET",
        "/evaluation/events/{ev_event}/reaction",
        only({"employee": 303}),
    ),
    "evaluation.program": ("GET", "/evaluation/programs/{ev_program}", only(MANAGERS)),
    "evaluation.provider": ("GET", "/evaluation/providers?name=BPSDM", only(MANAGERS)),
}
