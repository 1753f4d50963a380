"""NIP (Nomor Induk Pegawai) parsing per Perka BKN 22/2007: YYYYMMDD YYYYMM G NNN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.clock import local_today

NIP_LENGTH = 18
MIN_AGE_AT_CPNS = 18


class NipError(ValueError):
    """A NIP that is not valid; the message names the part that is wrong."""


@dataclass(frozen=True)
class ParsedNip:
    nip: str
    birth_date: date
    cpns_year: int
    cpns_month: int
    gender: str  # "L" (laki-laki) or "P" (perempuan)
    sequence: int

    @property
    def display(self) -> str:
        """Grouped for reading: 19860926 201505 1 001."""
        n = self.nip
        return f"{n[:8]} {n[8:14]} {n[14]} {n[15:]}"


def normalize_nip(raw: str) -> str:
    """Drop the spaces, dots and dashes people type between the groups."""
    return "".join(ch for ch in str(raw) if ch not in " .-\t")


def parse_nip(raw: str, status: str = "PNS") -> ParsedNip:
    """Parse and check a NIP (PNS/CPNS) or NI PPPK; raise NipError saying which part is wrong."""
    nip = normalize_nip(raw)
    if not nip.isdigit():
        raise NipError(_l("NIP may contain digits only."))
    if len(nip) != NIP_LENGTH:
        raise NipError(_l("NIP must have 18 digits (it has %(count)d).", count=len(nip)))
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError(
            _l("Digits 1–8 of the NIP (birth date %(part)s) are not a valid date.", part=nip[0:8])
        ) from None
    if status.upper().startswith("PPPK"):
        return _parse_pppk(nip, birth)
    cpns_year, cpns_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= cpns_month <= 12:
        raise NipError(
            _l(
                "Digits 13–14 of the NIP (CPNS start month %(part)s) must be 01–12.",
                part=nip[12:14],
            )
        )
    if (cpns_year, cpns_month) < (birth.year + MIN_AGE_AT_CPNS, birth.month):
        raise NipError(
            _l(
                "Digits 9–14 of the NIP (CPNS start %(part)s) must be at least 18 years after the "
                "birth date.",
                part=nip[8:14],
            )
        )
    if date(cpns_year, cpns_month, 1) > local_today().replace(day=1):
        raise NipError(
            _l("Digits 9–14 of the NIP (CPNS start %(part)s) lie in the future.", part=nip[8:14])
        )
    return _with_gender_and_sequence(nip, birth, cpns_year, cpns_month)


def _parse_pppk(nip: str, birth: date) -> ParsedNip:
    """NI PPPK: YYYYMMDD birth, YYYY start year, 2 (PPPK marker), period digit, gender, sequence."""
    start_year = int(nip[8:12])
    if start_year < birth.year + MIN_AGE_AT_CPNS or start_year > local_today().year:
        raise NipError(
            _l(
                "Digits 9–12 of the NI PPPK (start year %(part)s) are not plausible.",
                part=nip[8:12],
            )
        )
    if nip[12] != "2":
        raise NipError(_l("Digit 13 of the NI PPPK must be 2 (the PPPK marker)."))
    if nip[13] == "0":
        raise NipError(_l("Digit 14 of the NI PPPK (appointment period) must be 1–9."))
    return _with_gender_and_sequence(nip, birth, start_year, 1)


def _with_gender_and_sequence(nip: str, birth: date, year: int, month: int) -> ParsedNip:
    """Check the last four digits, shared by NIP and NI PPPK: gender (1/2), sequence from 001."""
    if nip[14] not in "12":
        raise NipError(
            _l("Digit 15 of the NIP (gender) must be 1 or 2, not %(digit)s.", digit=nip[14])
        )
    sequence = int(nip[15:18])
    if sequence == 0:
        raise NipError(_l("Digits 16–18 of the NIP (sequence number) start at 001."))
    return ParsedNip(
        nip=nip,
        birth_date=birth,
        cpns_year=year,
        cpns_month=month,
        gender="L" if nip[14] == "1" else "P",
        sequence=sequence,
    )


def make_nip(birth: date, cpns_year: int, cpns_month: int, gender: str, sequence: int) -> str:
    """Compose a NIP from its parts (used by demo data and tests)."""
    digit = "1" if gender == "L" else "2"
    return f"{birth:%Y%m%d}{cpns_year:04d}{cpns_month:02d}{digit}{sequence:03d}"
