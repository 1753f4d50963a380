"""Small builders for the talent tests."""

from __future__ import annotations

from datetime import date, timedelta

from app.access.policy import principal_for
from app.accounts.models import User
from app.clock import local_today
from app.extensions import db
from app.org.models import Employee
from app.training.models import Delegation, DelegationKind
from app.training.policy import Acting, acting_for


def acting(user: User, day: date | None = None) -> Acting:
    return acting_for(principal_for(user), day or local_today())


def delegate(position_id: int, employee: Employee, kind: DelegationKind) -> Delegation:
    today = local_today()
    delegation = Delegation(
        instansi_id=employee.instansi_id,
        position_id=position_id,
        delegate_employee_id=employee.id,
        kind=kind,
        valid_from=today - timedelta(days=1),
        valid_to=today + timedelta(days=30),
        sk_number="800/1/BKPSDM",
    )
    db.session.add(delegation)
    db.session.flush()
    return delegation
