"""Browser journeys in Debian's Chromium driven by Playwright (no downloaded browser).

The app runs in a thread on a free port against the suite's database. Without Chromium these
tests are skipped, unless BANGKOM_REQUIRE_BROWSER=1 (CI), where its absence is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        if os.environ.get("BANGKOM_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (BANGKOM_REQUIRE_BROWSER=1) but was not found")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on 127.0.0.1 and a free port, served from a thread for one test."""
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.config["SERVER_NAME"] = "localhost"


AXE_FILE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"  # tests only, never served
AXE_PREFIX = "AXE-RESULT "
# Every page load and every htmx swap is checked against WCAG 2.1 A/AA; the result comes back
# as a console message, so nothing is evaluated from inside a Playwright event handler.
AXE_RUNNER = """
(() => {
  if (window.top !== window) return;
  let running = Promise.resolve();
  const check = () => {
    running = running.then(() => window.axe.run(document, {
      runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
      resultTypes: ['violations'],
    })).then((result) => {
      const bad = result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}));
      console.info('%s' + JSON.stringify({url: location.href, violations: bad}));
    }, (error) => console.info('%s' + JSON.stringify({url: location.href, error: String(error)})));
    return running;
  };
  window.__bangkomAxe = check;
  window.addEventListener('DOMContentLoaded', () => setTimeout(check, 0));
  document.addEventListener('htmx:after:settle', () => setTimeout(check, 0));
})();
""".replace("%s", AXE_PREFIX)
# An answer with a 4xx status is the app working (422 on a bad form, 403 on a refused page).
EXPECTED_CONSOLE = re.compile(r"Failed to load resource: the server responded with a status of 4")


class BrowserChecks:
    """What the browser reported while a test ran: axe violations and console errors."""

    def __init__(self) -> None:
        self.violations: list[dict[str, object]] = []
        self.errors: list[str] = []
        self.pages: set[str] = set()

    def on_console(self, message) -> None:  # type: ignore[no-untyped-def]
        text = message.text
        if text.startswith(AXE_PREFIX):
            result = json.loads(text[len(AXE_PREFIX) :])
            self.pages.add(result["url"])
            if result.get("error"):
                self.errors.append(f"axe on {result['url']}: {result['error']}")
            for violation in result.get("violations", []):
                self.violations.append({"url": result["url"], **violation})
        elif message.type == "error" and not EXPECTED_CONSOLE.search(text):
            self.errors.append(f"console: {text}")

    def on_page_error(self, error) -> None:  # type: ignore[no-untyped-def]
        self.errors.append(f"page error: {error}")

    def problems(self) -> list[str]:
        unique = {
            (v["url"], v["id"]): f"{v['impact']} {v['id']} on {v['url']}: {v['help']} {v['nodes']}"
            for v in self.violations
        }
        return sorted(set(self.errors)) + sorted(unique.values())


def open_context(browser, base_url: str, width: int = 1024, height: int = 768):  # type: ignore[no-untyped-def]
    """A browser context with axe-core and the runner added to every document."""
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    context.set_default_timeout(30_000)  # generous: CI machines are shared and slow at times
    context.add_init_script(path=str(AXE_FILE))
    context.add_init_script(script=AXE_RUNNER)
    return context


def watch(page) -> BrowserChecks:  # type: ignore[no-untyped-def]
    checks = BrowserChecks()
    page.on("console", checks.on_console)
    page.on("pageerror", checks.on_page_error)
    return checks


def finish_checks(page, checks: BrowserChecks) -> list[str]:  # type: ignore[no-untyped-def]
    """Check the page the test ended on too, then give every problem seen."""
    try:
        page.evaluate("() => window.__bangkomAxe && window.__bangkomAxe()")
        page.wait_for_timeout(50)  # let the last console message arrive
    except Exception:  # a page that closed or navigated away is fine here
        pass
    if not checks.pages and page.url.startswith("http"):
        checks.errors.append("axe-core did not run on any page")
    return checks.problems()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    """A page whose every load and htmx swap is checked by axe-core; the test fails on any
    serious or critical violation and on any console error (CSP violations included)."""
    context = open_context(browser, live_server)
    page = context.new_page()
    checks = watch(page)
    yield page
    problems = finish_checks(page, checks)
    context.close()
    if problems:
        pytest.fail("The browser reported:\n" + "\n".join(problems), pytrace=False)


def login_as(page, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Log in through the form and wait for the role's home page."""
    page.goto("/login")
    page.fill("#login", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("h1[data-home-role]")


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    """Log out with the header's button and wait for the login page, so that no late response
    of the previous page can bring the old session back. Respondent pages carry the Pemda's
    header, not the staff one, so the button is clicked from the home page."""
    page.goto("/")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/login**")


def follow_menu(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Open the menu (details/summary) that holds a navigation entry and follow it."""
    nav = page.locator("nav.nav-menu")
    link = nav.locator(f"a:text-is('{name}')")
    if not link.is_visible():
        nav.locator("details", has=page.locator(f"a:text-is('{name}')")).locator("summary").click()
    link.click()
