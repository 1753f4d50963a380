"""Routes of the mail outbox: HR's list of failed mail and Send again."""

from __future__ import annotations

from app.extensions import db
from app.mail.models import MailState, OutboxMessage
from tests.web.matrix import MANAGERS, only


def make_ids(world) -> dict[str, int]:
    row = OutboxMessage(
        message_id="<matrix@bangkom.local>",
        to_address="salah@alamat.example",
        subject="Undangan",
        text="Isi",
        state=MailState.FAILED,
        attempts=1,
        last_error="SMTPRecipientsRefused: 550 No such mailbox",
        instansi_id=world.a.id,
    )
    db.session.add(row)
    db.session.commit()
    return {"mail": row.id}


MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "mail.outbox": ("GET", "/mail/outbox", only(MANAGERS)),
    "mail.resend_message": (
        "POST",
        "/mail/outbox/{mail}/resend",
        only({"hr_admin": 303, "sysadmin": 303}),
    ),
}
