"""Outgoing mail as a two-step outbox.

1. `queue_mail()` writes a row in the caller's transaction (so a rolled-back invitation never
   mails anyone and a committed one is never lost) and, at that transaction's commit, queues one
   `mail.deliver` job.
2. The job (`deliver_outbox`) sends due rows one by one. Each row is claimed with a conditional
   UPDATE (pending, or sending under an expired lease), handed to SMTP, then marked sent, each
   step committed. A row marked sent is never sent again. The only message whose outcome can be
   unknown is the one in flight when a worker is killed (accepted by SMTP, not yet marked): it is
   sent again after its lease with the same Message-ID.

Without MAIL_SERVER the messages are written to MAIL_OUTBOX_DIR as .eml files (development).
"""

from __future__ import annotations

import hashlib
import smtplib
from datetime import timedelta
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path
from types import TracebackType
from typing import Any

from flask import current_app
from sqlalchemy import and_, event, func, or_, select, update
from sqlalchemy.orm import Session, SessionTransaction

from app.clock import utcnow
from app.extensions import db
from app.mail.models import MailState, OutboxMessage

PENDING_KEY = "bangkom_mail_queued"


def queue_mail(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    category: str = "",
    instansi_id: int | None = None,
    forget_recipient: bool = False,
    sender_name: str | None = None,
    list_unsubscribe: str | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the current transaction; it is sent after the commit.

    `forget_recipient=True` blanks the address once the message went out (for addresses the
    portal must not keep, such as a respondent's own address for a resume link).
    `sender_name` replaces the display name of MAIL_DEFAULT_SENDER (the address is kept, so
    SPF and DKIM still hold); `list_unsubscribe` is an https URL for the List-Unsubscribe
    header, which then also offers one-click (RFC 8058: the URL must accept such a POST)."""
    row = OutboxMessage(
        message_id=make_msgid(domain=current_app.config["MAIL_MESSAGE_ID_DOMAIN"]),
        to_address=to.strip(),
        subject=subject[:300],
        text=text,
        html=html,
        category=category,
        instansi_id=instansi_id,
        forget_recipient=forget_recipient,
        sender_name=" ".join((sender_name or "").split())[:200] or None,
        list_unsubscribe=list_unsubscribe,
        state=MailState.PENDING,
    )
    db.session.add(row)
    db.session.info[PENDING_KEY] = True
    return row


@event.listens_for(Session, "before_commit")
def _queue_delivery(session: Session) -> None:
    """One delivery job per transaction that queued mail, committed together with the mail."""
    if session.info.pop(PENDING_KEY, False):
        from app import jobs

        jobs.enqueue("mail.deliver")


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(PENDING_KEY, None)


def build_message(row: Any) -> Message:
    """The message of an outbox row (an OutboxMessage or a row returned by claim_batch).

    compat32 MIME classes: the default email policy parses every header it is given, which
    costs more than the SMTP exchange itself."""
    message: Message = MIMEText(row.text, "plain", "utf-8")
    if row.html:
        alternative = MIMEMultipart("alternative")
        alternative.attach(message)
        alternative.attach(MIMEText(row.html, "html", "utf-8"))
        message = alternative
    # compat32 messages take a Header (RFC 2047) as a value; typeshed types header values as str
    message["From"] = _sender(row.sender_name)  # type: ignore[assignment]
    message["To"] = row.to_address
    message["Subject"] = _header(row.subject)  # type: ignore[assignment]
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = row.message_id
    if row.list_unsubscribe:
        message["List-Unsubscribe"] = f"<{row.list_unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def _sender(name: str | None) -> str | Header:
    """MAIL_DEFAULT_SENDER, or its address under another display name (RFC 2047 if needed)."""
    default = current_app.config["MAIL_DEFAULT_SENDER"]
    if not name:
        return _header(default)
    _default_name, address = parseaddr(default)
    return formataddr((name, address), charset="utf-8")


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


class Transport:
    """One SMTP connection for a whole delivery run (reopened once if the server drops it), or
    the development folder when MAIL_SERVER is unset."""

    def __init__(self) -> None:
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        smtp = smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 25), timeout=30)
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        return smtp

    def send(self, message: Message) -> None:
        if not self.config.get("MAIL_SERVER"):
            outbox = Path(self.config["MAIL_OUTBOX_DIR"])
            outbox.mkdir(parents=True, exist_ok=True)
            name = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:32]
            (outbox / f"{name}.eml").write_bytes(bytes(message))
            return
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self.smtp = self._connect()
            self.smtp.send_message(message)


def is_permanent(error: BaseException) -> bool:
    """A 5xx answer (unknown mailbox, refused content) will not change on retry."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def due_condition(now: Any) -> Any:
    return or_(
        OutboxMessage.state == MailState.PENDING,
        and_(OutboxMessage.state == MailState.SENDING, OutboxMessage.lease_until < now),
    )


CLAIMED_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.message_id,
    OutboxMessage.to_address,
    OutboxMessage.subject,
    OutboxMessage.text,
    OutboxMessage.html,
    OutboxMessage.forget_recipient,
    OutboxMessage.attempts,
    OutboxMessage.sender_name,
    OutboxMessage.list_unsubscribe,
)


def claim_batch(owner: str, limit: int) -> list[Any]:
    """Take up to `limit` due messages in one UPDATE … RETURNING (rows, not ORM objects).

    The caller must hand them to SMTP within half of MAIL_LEASE_SECONDS or release the rest:
    past the lease another worker may take them."""
    now = utcnow()
    due = select(OutboxMessage.id).where(due_condition(now)).order_by(OutboxMessage.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    rows = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due), due_condition(now))
        .values(
            state=MailState.SENDING,
            lease_owner=owner,
            lease_until=now + timedelta(seconds=lease_seconds()),
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(*CLAIMED_COLUMNS)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(rows, key=lambda row: row.id)


def lease_seconds() -> int:
    return int(current_app.config["MAIL_LEASE_SECONDS"])


def release(rows: list[Any], owner: str) -> None:
    """Give back claimed messages that were not handed to SMTP (the attempt did not happen)."""
    if not rows:
        return
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_([row.id for row in rows]),
            OutboxMessage.lease_owner == owner,
            OutboxMessage.state == MailState.SENDING,
        )
        .values(
            state=MailState.PENDING,
            lease_owner=None,
            lease_until=None,
            attempts=OutboxMessage.attempts - 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _finish(message_id: int, owner: str, **values: Any) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.lease_owner == owner,
            OutboxMessage.state == MailState.SENDING,
        )
        .values(lease_owner=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def mark_sent(row: Any, owner: str) -> None:
    values: dict[str, Any] = {"state": MailState.SENT, "sent_at": utcnow(), "last_error": ""}
    if row.forget_recipient:
        values["to_address"] = ""
    _finish(row.id, owner, **values)


def mark_failed_attempt(row: Any, owner: str, error: BaseException) -> bool:
    """Record the error; True when the message is given up (permanent, or out of attempts)."""
    give_up = is_permanent(error) or row.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"])
    _finish(
        row.id,
        owner,
        state=MailState.FAILED if give_up else MailState.PENDING,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    return give_up


def count_due() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(due_condition(utcnow()))
        )
        or 0
    )


def resend(row: OutboxMessage) -> bool:
    """A failed message back to pending with fresh attempts; delivered after the commit."""
    if row.state != MailState.FAILED:
        return False
    row.state = MailState.PENDING
    row.attempts = 0
    db.session.info[PENDING_KEY] = True
    db.session.commit()
    return True
