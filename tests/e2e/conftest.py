"""Browser journeys in Debian's Chromium driven by Playwright (no downloaded browser).

The app runs in a thread on a free port against the suite's database. Without Chromium these
tests are skipped, unless BANGKOM_REQUIRE_BROWSER=1 (CI), where its absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

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


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 768})
    context.set_default_timeout(30_000)  # generous: CI machines are shared and slow at times
    page = context.new_page()
    yield page
    context.close()


def login_as(page, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Log in through the form and wait for the role's home page."""
    page.goto("/login")
    page.fill("#login", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("h1[data-home-role]")
