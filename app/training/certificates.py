"""Certificate numbers by an instansi's pattern, e.g. `{seq:04d}/BKPSDM/{year}` → 0007/BKPSDM/2026.

A pattern is literal text (letters, digits, space and `. / - _`) with tokens in braces:
`{seq}` or `{seq:0Nd}` (the running number, zero-padded to N digits, exactly once), `{year}`
(the year the event ends), `{program_code}` and `{event_id}`. It is parsed here, never handed
to `str.format`. The running number comes from a counter row per instansi (and per year when
the pattern has `{year}`), raised by one atomic upsert per request, so two completions at the
same moment never get the same number, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clock import utcnow
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.training.models import (
    CertificateCounter,
    CertificateSetting,
    Participation,
    TrainingEvent,
    TrainingProgram,
)

DEFAULT_PATTERN = "{seq:04d}/BKPSDM/{year}"
PATTERN_MAX = 80
NUMBER_MAX = 100  # Participation.certificate_number
TOKEN = re.compile(r"\{([^{}]*)\}")
LITERAL = re.compile(r"^[A-Za-z0-9 ./_-]*$")
SEQ = re.compile(r"^seq(?::0([1-9])d)?$")
FIELDS = ("year", "program_code", "event_id")
RETRIES = 5


@dataclass(frozen=True)
class Pattern:
    """A parsed pattern: literal text and (token, width) parts, in order."""

    text: str
    parts: tuple[str | tuple[str, int], ...]

    @property
    def yearly(self) -> bool:
        """The running number starts again each year when the number shows the year."""
        return ("year", 0) in self.parts

    def format(self, seq: int, year: int, program_code: str, event_id: int) -> str:
        values = {"year": str(year), "program_code": program_code, "event_id": str(event_id)}
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "seq":
                out.append(str(seq).zfill(part[1]))
            else:
                out.append(values[part[0]])
        return "".join(out)


def parse(text: str) -> Pattern:
    """The pattern, or `ValidationFailed` on field `pattern` saying what is wrong."""

    def refuse(message: str) -> ValidationFailed:
        return ValidationFailed([("pattern", message)])

    text = (text or "").strip()
    if not text:
        raise refuse(_("Give a pattern, e.g. %(example)s.", example=DEFAULT_PATTERN))
    if len(text) > PATTERN_MAX:
        raise refuse(_("Use at most %(n)d characters.", n=PATTERN_MAX))
    parts: list[str | tuple[str, int]] = []
    position = 0
    for match in TOKEN.finditer(text):
        parts.append(text[position : match.start()])
        name = match.group(1).strip()
        seq = SEQ.match(name)
        if seq:
            parts.append(("seq", int(seq.group(1) or 0)))
        elif name in FIELDS:
            parts.append((name, 0))
        else:
            raise refuse(
                _(
                    "Unknown token {%(token)s}: use {seq}, {seq:04d}, {year}, {program_code} "
                    "or {event_id}.",
                    token=name[:20],
                )
            )
        position = match.end()
    parts.append(text[position:])
    literals = [part for part in parts if isinstance(part, str)]
    if any(not LITERAL.match(part) for part in literals):
        raise refuse(
            _("Besides the tokens, use only letters, digits, spaces and . / - _ in the pattern.")
        )
    if sum(1 for part in parts if isinstance(part, tuple) and part[0] == "seq") != 1:
        raise refuse(_("The pattern needs the running number {seq} exactly once."))
    pattern = Pattern(text, tuple(part for part in parts if part != ""))
    longest = pattern.format(10**9, 9999, "X" * 40, 10**9)
    if len(longest) > NUMBER_MAX:
        raise refuse(
            _("Numbers of this pattern can be longer than %(n)d characters.", n=NUMBER_MAX)
        )
    return pattern


def pattern_of(instansi_id: int) -> Pattern:
    """The instansi's pattern, or the default one."""
    text = db.session.scalar(
        select(CertificateSetting.pattern).where(CertificateSetting.instansi_id == instansi_id)
    )
    try:
        return parse(text or DEFAULT_PATTERN)
    except ValidationFailed:  # a pattern saved under older rules: fall back, never fail
        return parse(DEFAULT_PATTERN)


def save_pattern(instansi_id: int, text: str, user_id: int | None) -> Pattern:
    """HR sets the instansi's pattern (validated); numbers already issued keep theirs."""
    pattern = parse(text)
    setting = db.session.scalar(
        select(CertificateSetting).where(CertificateSetting.instansi_id == instansi_id)
    )
    if setting is None:
        setting = CertificateSetting(instansi_id=instansi_id)
        db.session.add(setting)
    setting.pattern = pattern.text
    setting.updated_by_id = user_id
    setting.updated_at = utcnow()
    db.session.commit()
    return pattern


def reserve(instansi_id: int, year: int, count: int) -> range:
    """Take `count` running numbers for (instansi, year) in one atomic statement, in the
    caller's transaction: the counter row is created or raised and its new value returned."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(CertificateCounter)
        .values(instansi_id=instansi_id, year=year, last_seq=count)
        .on_conflict_do_update(
            index_elements=["instansi_id", "year"],
            set_={"last_seq": CertificateCounter.last_seq + count},
        )
        .returning(CertificateCounter.last_seq)
    )
    last = int(db.session.execute(statement).scalar_one())
    return range(last - count + 1, last + 1)


def numbers_in_use(instansi_id: int, numbers: list[str], exclude: list[int]) -> set[str]:
    """Which of `numbers` a participation of the instansi (other than `exclude`) already has."""
    if not numbers:
        return set()
    return set(
        db.session.scalars(
            select(Participation.certificate_number)
            .join(TrainingEvent, TrainingEvent.id == Participation.event_id)
            .join(TrainingProgram, TrainingProgram.id == TrainingEvent.program_id)
            .where(
                TrainingProgram.instansi_id == instansi_id,
                Participation.certificate_number.in_(numbers),
                Participation.id.not_in(exclude or [0]),
            )
        )
    )


def issue(event: TrainingEvent, count: int) -> list[str]:
    """`count` new certificate numbers for completions of `event`, unique in the instansi
    (a number someone typed by hand is skipped over), in the caller's transaction."""
    if count <= 0:
        return []
    program = event.program
    pattern = pattern_of(program.instansi_id)
    year = event.end_date.year
    issued: list[str] = []
    for _attempt in range(RETRIES):
        wanted = count - len(issued)
        fresh = [
            pattern.format(seq, year, program.code, event.id)
            for seq in reserve(program.instansi_id, year if pattern.yearly else 0, wanted)
        ]
        taken = numbers_in_use(program.instansi_id, fresh, [])
        issued.extend(number for number in fresh if number not in taken)
        if len(issued) == count:
            return issued
    raise ServiceError(
        _("The certificate pattern keeps producing numbers already in use; change the pattern.")
    )
