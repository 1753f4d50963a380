"""Over real SMTP (aiosmtpd): a message queued with a sender name goes out From that name at
MAIL_DEFAULT_SENDER's address (RFC 2047 when not ASCII), with List-Unsubscribe and its one-click
companion; without them the defaults stand."""

from __future__ import annotations

import email.header

from app.extensions import db
from app.mail.services import queue_mail
from tests.unit.mail.test_outbox import smtp  # noqa: F401 - the SMTP server fixture


def decoded(value: str) -> str:
    return str(email.header.make_header(email.header.decode_header(value)))


def test_sender_name_and_list_unsubscribe_reach_the_smtp_server(ctx, smtp):  # noqa: F811
    queue_mail(
        "a@example.id",
        "Undangan",
        "Isi",
        sender_name="Pemerintah Kabupaten Kepulauan Meranti – Riau",
        list_unsubscribe="https://bangkom.example.go.id/u/abc.def",
    )
    queue_mail("b@example.id", "Halo", "Isi")
    db.session.commit()
    named = smtp.to("a@example.id")[0]
    assert named["From"].isascii()  # encoded on the wire
    assert decoded(named["From"]) == (
        "Pemerintah Kabupaten Kepulauan Meranti – Riau <no-reply@bangkom.local>"
    )
    assert named["List-Unsubscribe"] == "<https://bangkom.example.go.id/u/abc.def>"
    assert named["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = smtp.to("b@example.id")[0]
    assert decoded(plain["From"]) == "Bangkom <no-reply@bangkom.local>"
    assert plain["List-Unsubscribe"] is None


def test_a_sender_name_cannot_inject_headers(ctx, smtp):  # noqa: F811
    queue_mail("c@example.id", "Halo", "Isi", sender_name="Pemkot\r\nBcc: evil@example.com")
    db.session.commit()
    message = smtp.to("c@example.id")[0]
    assert message["Bcc"] is None and message["To"] == "c@example.id"
    # the line break is folded away and the colon quoted: one display name, no new header
    assert decoded(message["From"]) == '"Pemkot Bcc: evil@example.com" <no-reply@bangkom.local>'
