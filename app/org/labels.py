"""Display labels of the organisation's codes: unit kinds, position types, jenjang."""

from __future__ import annotations

ACRONYMS = frozenset({"uptd", "jpt"})


def code_label(code: str | None) -> str:
    """'dinas' → 'Dinas', 'uptd' → 'UPTD', 'ahli_muda' → 'Ahli muda'; '–' when none. The
    codes are the Indonesian terms of the regulations, so they read the same in every
    language."""
    if not code:
        return "–"
    text = str(code)
    if text in ACRONYMS:
        return text.upper()
    return text.replace("_", " ").capitalize()
