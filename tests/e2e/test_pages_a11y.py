"""Every menu page of every demo role, at desktop width and at 320 px, checked in Chromium:
axe-core finds no serious or critical WCAG 2.1 A/AA violation, the console shows no error (CSP
violations included), nothing is wider than a 320 px phone, and a screenshot of each page at
320 px lands in bench/out/screenshots/ (gitignored) for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.demo.seed import DEMO_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from app.extensions import db
from tests.e2e.conftest import finish_checks, login_as, open_context, watch

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "screenshots"
WIDTHS = (1024, 320)


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo(total_employees=120)
        db.session.remove()


def menu_links(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The home page and every entry of the role's menus, in menu order."""
    hrefs = page.eval_on_selector_all(
        "nav.nav-menu a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(["/", *hrefs]))


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


@pytest.mark.parametrize("login", sorted(DEMO_LOGINS))
def test_every_menu_page_is_accessible_and_fits_a_phone(browser, live_server, demo, login):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for width in WIDTHS:
        context = open_context(browser, live_server, width=width, height=800)
        page = context.new_page()
        checks = watch(page)
        login_as(page, f"{login}@{DEMO_DOMAIN}", DEMO_PASSWORD)
        for path in menu_links(page):
            response = page.goto(path)
            assert response is not None and response.status < 400, (login, path, width)
            page.evaluate("() => window.__bangkomAxe()")
            if width == 320:
                overflow = page.evaluate("document.documentElement.scrollWidth")
                if overflow > 320:
                    problems.append(f"{path} is {overflow} px wide at 320 px ({login})")
                page.screenshot(path=str(SCREENSHOTS / f"{login}-{slug(path)}.png"), full_page=True)
        problems += [f"{p} ({login}, {width} px)" for p in finish_checks(page, checks)]
        context.close()
    assert not problems, "\n".join(problems)
