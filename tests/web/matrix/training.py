"""Routes of the training catalogue, nominations, approvals, delegations and budget.

`make_ids` adds a program and a future batch of instansi A, a nomination of the staff member
waiting at the supervisor's step, an approved participation of the second staff member, and a
Plt delegation for the head of the OPD.
"""

from __future__ import annotations

from tests.web.matrix import ROLE_EMAILS, only

VIEWERS = {
    "employee": 200,
    "supervisor": 200,
    "unit_head": 200,
    "hr_admin": 200,
    "mentor": 200,
    "sysadmin": 200,
}
CATALOGUE_MANAGERS = {"hr_admin": 200, "sysadmin": 200}
NOMINATION_VIEWERS = {
    "employee": 200,
    "supervisor": 200,
    "unit_head": 200,
    "hr_admin": 200,
    "sysadmin": 200,
}
NOMINATION_ACTORS = {role: 422 for role in NOMINATION_VIEWERS}


def make_ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from app.extensions import db
    from app.org.models import Employee
    from app.training.models import Participation
    from app.training.workflow import Decision, decide, nominate
    from tests.unit.training.factories import build_training, make_delegation, user_actor

    training = build_training(world)
    reason = "Needed for the new public-service standard in the bidang."
    pending = nominate(
        user_actor(ROLE_EMAILS["supervisor"]), training.event_id, world.staff.id, reason
    )
    approved = nominate(
        user_actor(ROLE_EMAILS["supervisor"]), training.event_id, world.staff2.id, reason
    )
    for email in ("supervisor", "unit_head", "hr_admin"):
        db.session.expire_all()
        current = db.session.get(type(approved), approved.id)
        decide(user_actor(ROLE_EMAILS[email]), current.id, Decision.APPROVE, current.version)
    participation = db.session.query(Participation).filter_by(nomination_id=approved.id).one()
    delegate = db.session.get(Employee, world.staff2.id)
    delegation = make_delegation(world.head_position.id, delegate)
    db.session.commit()
    return {
        "program": training.program_id,
        "event": training.event_id,
        "nomination": pending.id,
        "participation": participation.id,
        "delegation": delegation.id,
    }


MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "training.programs": ("GET", "/training/programs", only(VIEWERS)),
    "training.program_create": ("GET", "/training/programs/new", only(CATALOGUE_MANAGERS)),
    "training.program_detail": ("GET", "/training/programs/{program}", only(VIEWERS, others=404)),
    "training.program_edit": (
        "GET",
        "/training/programs/{program}/edit",
        only({**dict.fromkeys(VIEWERS, 403), **CATALOGUE_MANAGERS}, others=404),
    ),
    "training.event_create": (
        "GET",
        "/training/programs/{program}/events/new",
        only({**dict.fromkeys(VIEWERS, 403), **CATALOGUE_MANAGERS}, others=404),
    ),
    "training.event_detail": ("GET", "/training/events/{event}", only(VIEWERS, others=404)),
    "training.event_edit": (
        "GET",
        "/training/events/{event}/edit",
        only({**dict.fromkeys(VIEWERS, 403), **CATALOGUE_MANAGERS}, others=404),
    ),
    "training.nominate": ("GET", "/training/events/{event}/nominate", only(VIEWERS)),
    "training.nominate_from_needs": (
        "GET",
        "/training/events/{event}/from-needs",
        only(
            {
                "employee": 403,
                "mentor": 403,
                "supervisor": 200,
                "unit_head": 200,
                "hr_admin": 200,
                "sysadmin": 200,
            },
            others=404,
        ),
    ),
    "training.roster": (
        "GET",
        "/training/events/{event}/participants",
        only({**dict.fromkeys(VIEWERS, 403), **CATALOGUE_MANAGERS}, others=404),
    ),
    "training.roster_record": (
        "POST",
        "/training/events/{event}/participants",
        only({**dict.fromkeys(VIEWERS, 403), "hr_admin": 422, "sysadmin": 422}, others=404),
    ),
    "training.record_participation": (
        "POST",
        "/training/participations/{participation}",
        only({**dict.fromkeys(VIEWERS, 403), "hr_admin": 422, "sysadmin": 422}, others=404),
    ),
    "training.certificate_pdf": (
        "GET",
        "/training/participations/{participation}/certificate.pdf",
        only({}, others=404),
    ),
    "training.nominations": ("GET", "/training/nominations", only(VIEWERS)),
    "training.nomination_detail": (
        "GET",
        "/training/nominations/{nomination}",
        only(NOMINATION_VIEWERS, others=404),
    ),
    "training.decide": (
        "POST",
        "/training/nominations/{nomination}/decide",
        only(NOMINATION_ACTORS, others=404),
    ),
    "training.withdraw": (
        "POST",
        "/training/nominations/{nomination}/withdraw",
        only(NOMINATION_ACTORS, others=404),
    ),
    "training.revise": (
        "GET",
        "/training/nominations/{nomination}/revise",
        only(
            {
                "employee": 303,
                "supervisor": 303,
                "unit_head": 403,
                "hr_admin": 403,
                "sysadmin": 403,
            },
            others=404,
        ),
    ),
    "training.inbox": (
        "GET",
        "/training/inbox",
        only({role: 200 for role in ("employee", "supervisor", "unit_head", "hr_admin", "mentor")}),
    ),
    "training.inbox_approve": (
        "POST",
        "/training/inbox/approve",
        only({role: 422 for role in ("employee", "supervisor", "unit_head", "hr_admin", "mentor")}),
    ),
    "training.inbox_reject": (
        "POST",
        "/training/inbox/reject",
        only({role: 422 for role in ("employee", "supervisor", "unit_head", "hr_admin", "mentor")}),
    ),
    "training.inbox_decide": (
        "POST",
        "/training/inbox/{nomination}/decide",
        only(
            {**{r: 422 for r in ("employee", "supervisor", "unit_head", "hr_admin")}, "mentor": 404}
        ),
    ),
    "training.chain": ("GET", "/training/chain", only(CATALOGUE_MANAGERS)),
    "training.certificate_settings": ("GET", "/training/certificates", only(CATALOGUE_MANAGERS)),
    "training.delegations": ("GET", "/training/delegations", only(VIEWERS)),
    "training.delegation_create": ("GET", "/training/delegations/new", only(CATALOGUE_MANAGERS)),
    "training.delegation_revoke": (
        "POST",
        "/training/delegations/{delegation}/revoke",
        only({"hr_admin": 303, "sysadmin": 303}),
    ),
    "training.budget": (
        "GET",
        "/training/budget",
        only({"supervisor": 200, "unit_head": 200, "hr_admin": 200, "sysadmin": 200}),
    ),
    "training.budget_allocate": (
        "GET",
        "/training/budget/allocate",
        only({"supervisor": 403, "unit_head": 200, "hr_admin": 403, "sysadmin": 403}),
    ),
}
