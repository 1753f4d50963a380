"""NIP parsing: every part is checked and the message names the part that is wrong."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.org.nip import NipError, make_nip, parse_nip


@given(
    birth=st.dates(min_value=date(1960, 1, 1), max_value=date(2000, 12, 31)),
    years_after=st.integers(min_value=19, max_value=25),
    month=st.integers(min_value=1, max_value=12),
    gender=st.sampled_from("LP"),
    sequence=st.integers(min_value=1, max_value=999),
)
def test_composed_nip_parses_back_to_its_parts(birth, years_after, month, gender, sequence):
    nip = make_nip(birth, birth.year + years_after, month, gender, sequence)
    parsed = parse_nip(nip)
    assert (parsed.birth_date, parsed.cpns_year, parsed.cpns_month) == (
        birth,
        birth.year + years_after,
        month,
    )
    assert (parsed.gender, parsed.sequence) == (gender, sequence)
    assert parsed.display.replace(" ", "") == nip


def test_spaces_and_dots_are_ignored():
    assert parse_nip("19860926 201505 1 001").nip == "198609262015051001"
    assert parse_nip("19860926.201505.1.001").nip == "198609262015051001"


@pytest.mark.parametrize(
    ("nip", "part"),
    [
        ("1986092620150510", "18 digits"),
        ("19860926201505100A", "digits only"),
        ("198613262015051001", "1–8"),  # month 13
        ("198602302015051001", "1–8"),  # 30 February
        ("198609262015131001", "13–14"),  # CPNS month 13
        ("198609261999051001", "9–14"),  # CPNS at age 12
        ("198609262099051001", "future"),
        ("198609262015053001", "15"),  # gender digit 3
        ("198609262015051000", "16–18"),  # sequence 000
    ],
)
def test_each_wrong_part_is_named(nip, part):
    with pytest.raises(NipError) as error:
        parse_nip(nip)
    assert part in str(error.value)


@given(st.text(max_size=30))
def test_arbitrary_text_is_accepted_or_refused_with_nip_error(text):
    try:
        parsed = parse_nip(text)
    except NipError:
        return
    assert len(parsed.nip) == 18 and parsed.nip.isdigit()


def test_pppk_number_has_its_own_layout():
    parsed = parse_nip("199001012023211005", "PPPK")
    assert parsed.cpns_year == 2023 and parsed.gender == "L"
    with pytest.raises(NipError, match="13"):
        parse_nip("199001012023311005", "PPPK")
