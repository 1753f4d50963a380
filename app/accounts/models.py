"""Users, their granted roles and their server-side login sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models import Base, Timestamped, str_enum
from app.org.models import Employee, Instansi


class Role(enum.StrEnum):
    """Portal roles; SUPERVISOR and UNIT_HEAD are derived from the position tree, never granted."""

    EMPLOYEE = "employee"
    SUPERVISOR = "supervisor"
    UNIT_HEAD = "unit_head"
    HR_ADMIN = "hr_admin"
    MENTOR = "mentor"
    STAKEHOLDER = "stakeholder"
    SYSADMIN = "sysadmin"


GRANTABLE_ROLES = (Role.HR_ADMIN, Role.MENTOR, Role.STAKEHOLDER, Role.SYSADMIN)
# Roles that only make sense inside one instansi.
INSTANSI_SCOPED_ROLES = (Role.HR_ADMIN, Role.MENTOR)


class User(UserMixin, Timestamped, Base):
    """A login; linked to an employee, or standing alone for an external stakeholder."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), unique=True)
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"), index=True)
    organisation: Mapped[str | None] = mapped_column(String(200))  # for external stakeholders
    locale: Mapped[str] = mapped_column(String(5), default="id")
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # TOTP second factor (second_factor.py): a secret while enrolling, enabled once confirmed;
    # the last time step accepted, so a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    employee: Mapped[Employee | None] = relationship(lazy="joined")
    instansi: Mapped[Instansi | None] = relationship(lazy="joined")
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.is_active_account

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class RoleGrant(Base):
    """A role given to a user, optionally limited to one instansi."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "instansi_id", name="one_grant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role))
    instansi_id: Mapped[int | None] = mapped_column(ForeignKey("instansi.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")


class AuthSession(Base):
    """A server-side login session; the browser cookie holds only its random id."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    client_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship(lazy="joined")


class LoginCounter(Base):
    """A login-throttle counter shared by every worker when Redis is not configured: failures
    under one key (an account and client pair, a client, an account) and when they expire.
    Times are POSIX seconds."""

    __tablename__ = "login_counter"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[float] = mapped_column(Float, default=0.0)
    expires_at: Mapped[float] = mapped_column(Float, default=0.0, index=True)


class RecoveryCode(Base):
    """A single-use recovery code for the second factor; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
