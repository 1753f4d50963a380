"""The mail outbox: a message is a row written in the business transaction, sent by a job."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.models import Base, str_enum


class MailState(enum.StrEnum):
    PENDING = "pending"  # written, not yet handed to SMTP
    SENDING = (
        "sending"  # handed to SMTP by lease_owner; if the lease expired, the outcome is unknown
    )
    SENT = "sent"  # the SMTP server accepted it (250 after DATA)
    FAILED = "failed"  # refused for good, or every attempt failed; last_error says why


class OutboxMessage(Base):
    """One message to one recipient. `message_id` is fixed when the row is written, so a message
    whose delivery outcome was lost (worker killed right after SMTP accepted it) goes out again
    under the same Message-ID, which receiving systems use to drop duplicates."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_state_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(120), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(60), default="")
    state: Mapped[MailState] = mapped_column(str_enum(MailState), default=MailState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    forget_recipient: Mapped[bool] = mapped_column(Boolean, default=False)
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"), index=True)
    # Display name of the From header (the address stays MAIL_DEFAULT_SENDER's), e.g. the Pemda.
    sender_name: Mapped[str | None] = mapped_column(String(200))
    # List-Unsubscribe URL (RFC 2369), sent with List-Unsubscribe-Post (RFC 8058 one-click).
    list_unsubscribe: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
