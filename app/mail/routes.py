"""The outbox page: mail that failed or still waits, with the reason, and Send again for HR."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import or_, select

from app.access.guards import current_principal, load_or_404, roles_required
from app.access.policy import Principal
from app.accounts.models import Role
from app.jobs.policy import can_operate, operations_scope
from app.mail.models import MailState, OutboxMessage
from app.mail.services import resend
from app.web.forms import CsrfForm
from app.web.htmx import render_page
from app.web.pagination import paginate
from app.web.params import page_arg

bp = Blueprint("mail", __name__, url_prefix="/mail")

STATE_LABELS = {
    MailState.PENDING: _l("Waiting"),
    MailState.SENDING: _l("Sending"),
    MailState.SENT: _l("Sent"),
    MailState.FAILED: _l("Failed"),
}


def _visible(principal: Principal, row: OutboxMessage) -> bool:
    return can_operate(principal, row.instansi_id)


@bp.get("/outbox")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def outbox() -> ResponseReturnValue:
    """Failed mail first (state=failed), or what still waits; sent mail is not listed here."""
    principal = current_principal()
    raw = request.args.get("state", MailState.FAILED.value)
    state = MailState(raw) if raw in {s.value for s in MailState} else MailState.FAILED
    query = select(OutboxMessage).where(OutboxMessage.state == state)
    if not principal.has(Role.SYSADMIN):
        query = query.where(or_(*operations_scope(principal, OutboxMessage.instansi_id)))
    page = page_arg()
    pagination = paginate(query.order_by(OutboxMessage.id.desc()), page, 50, scalars=True)
    return render_page(
        "mail/outbox.html",
        "outbox_table",
        pagination=pagination,
        state=state,
        states=[MailState.FAILED, MailState.PENDING, MailState.SENDING],
        state_labels=STATE_LABELS,
        form=CsrfForm(),
    )


@bp.post("/outbox/<int:message_id>/resend")
@login_required
@roles_required(Role.HR_ADMIN, Role.SYSADMIN)
def resend_message(message_id: int) -> ResponseReturnValue:
    """Put a failed message back in the outbox (e.g. after the address was corrected)."""
    row = load_or_404(OutboxMessage, message_id, _visible)
    if resend(row):
        flash(_("The message will be sent again."), "success")
    else:
        flash(_("Only a failed message can be sent again."), "error")
    return redirect(url_for("mail.outbox"), 303)
