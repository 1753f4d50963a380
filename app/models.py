"""Declarative base shared by every feature's models, with stable constraint names."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import DateTime, Enum, MetaData, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.clock import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def str_enum(kind: type[enum.Enum], length: int = 20) -> Enum:
    """An enum stored as its string values in a VARCHAR: portable, and no ALTER TYPE to migrate."""
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # Every model here is mapped to one Table (none to a join or a select), so its
        # __table__ is typed as Table rather than SQLAlchemy's general FromClause: Core
        # insert()/update()/delete() on it type-check.
        __table__: ClassVar[Table]


class Timestamped:
    """Created/updated timestamps in UTC."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
