"""Shared checks of the talent page tests."""

from __future__ import annotations

from tests.conftest import login
from tests.factories import ROLE_EMAILS

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def full_and_partial(client, role: str, url: str, marker: str) -> str:
    """The page as a whole document and as the htmx block, both carrying `marker`."""
    login(client, ROLE_EMAILS[role])
    full = client.get(url).get_data(as_text=True)
    assert "<html" in full and marker in full, url
    part = client.get(url, headers=PARTIAL).get_data(as_text=True)
    assert "<html" not in part and marker in part, url
    return full
