"""Competency codes a survey definition may name, from sources other features register.

Surveys sit below the needs analysis, which owns the competency dictionary: the dictionary
registers itself here (`register_competency_source`), and `flask surveys check
--strict-competencies` asks `known_competency_codes()`, never the needs package directly.
"""

from __future__ import annotations

from collections.abc import Callable

CompetencySource = Callable[[], set[str]]

_SOURCES: list[CompetencySource] = []


def register_competency_source(source: CompetencySource) -> None:
    """Add a source of known competency codes (registering the same one twice is a no-op)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def known_competency_codes() -> set[str]:
    """Every code some registered source knows (empty when no feature registered one)."""
    codes: set[str] = set()
    for source in _SOURCES:
        codes |= source()
    return codes
