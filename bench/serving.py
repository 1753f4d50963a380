"""Helpers shared by the HTTP benchmarks: a free port, waiting for gunicorn, logging in."""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.parse


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/ping")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def login_cookie(port: int, email: str, password: str) -> str:
    """Log in like a browser: read the CSRF token, post the form, keep the session cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode({"login": email, "password": password, "csrf_token": token})
    conn.request(
        "POST",
        "/login",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    response.read()
    if response.status != 303:
        raise RuntimeError(f"login failed: {response.status}")
    return response.getheader("Set-Cookie", "").split(";")[0]
