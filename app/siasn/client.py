"""A small client for BKN's SIASN web service (riwayat kursus, PNS lookup, reference lists).

SIASN sits behind two tokens: the API gateway's (OAuth2 client credentials, sent as
`Authorization: Bearer …`) and the SSO user's (password grant, sent as `Auth: bearer …`). Both
URLs and every credential come from the environment (`SIASN_*`, see README); without
`SIASN_BASE_URL` the client is off. Every call has a time-out; failures are typed so callers
can tell a refused record (fix the data) from an unreachable service (try again later).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from flask import current_app


class SiasnError(Exception):
    """The SIASN call did not succeed."""


class SiasnUnavailable(SiasnError):
    """Not reachable, timed out, or answered with a server error: try again later."""


class SiasnTimeout(SiasnUnavailable):
    pass


class SiasnRefused(SiasnError):
    """SIASN refused the data (validation); `messages` says why. Retrying will not help."""

    def __init__(self, message: str, messages: list[str] | None = None) -> None:
        super().__init__(message)
        self.messages = messages or [message]


class SiasnNotConfigured(SiasnError):
    pass


ENV_NAMES = (
    "SIASN_BASE_URL",
    "SIASN_APIM_TOKEN_URL",
    "SIASN_SSO_TOKEN_URL",
    "SIASN_CONSUMER_KEY",
    "SIASN_CONSUMER_SECRET",
    "SIASN_SSO_CLIENT_ID",
    "SIASN_USERNAME",
    "SIASN_PASSWORD",
)


@dataclass(frozen=True)
class SiasnSettings:
    base_url: str
    apim_token_url: str
    sso_token_url: str
    consumer_key: str
    consumer_secret: str
    sso_client_id: str
    username: str
    password: str
    timeout: float = 10.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> SiasnSettings:
        env = os.environ if environ is None else environ
        base_url, apim_token_url, sso_token_url, key, secret, client_id, username, password = (
            env.get(name, "").strip() for name in ENV_NAMES
        )
        timeout = float(env.get("SIASN_TIMEOUT_SECONDS", "") or 10)
        return cls(
            base_url,
            apim_token_url,
            sso_token_url,
            key,
            secret,
            client_id,
            username,
            password,
            timeout=timeout,
        )

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)


def settings() -> SiasnSettings:
    """The app's settings: `SIASN_SETTINGS` in the config (tests), else the environment."""
    configured = current_app.config.get("SIASN_SETTINGS")
    return configured if isinstance(configured, SiasnSettings) else SiasnSettings.from_env()


class SiasnClient:
    def __init__(self, config: SiasnSettings) -> None:
        if not config.enabled:
            raise SiasnNotConfigured("SIASN_BASE_URL is not set")
        self.config = config
        self._tokens: dict[str, tuple[str, float]] = {}

    # ---- HTTP --------------------------------------------------------------------------

    def _send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, Any]:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            payload = _json(error.read())
            if error.code >= 500 or error.code == 429:
                raise SiasnUnavailable(f"SIASN answered {error.code}") from None
            return error.code, payload
        except TimeoutError as error:
            raise SiasnTimeout(f"SIASN did not answer within {self.config.timeout:g} s") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                raise SiasnTimeout(
                    f"SIASN did not answer within {self.config.timeout:g} s"
                ) from error
            raise SiasnUnavailable(f"SIASN is not reachable: {error.reason}") from error

    def _token(self, kind: str) -> str:
        cached = self._tokens.get(kind)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        if kind == "apim":
            url = self.config.apim_token_url
            form = {"grant_type": "client_credentials"}
            auth = f"{self.config.consumer_key}:{self.config.consumer_secret}"
            headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}
        else:
            url = self.config.sso_token_url
            form = {
                "grant_type": "password",
                "client_id": self.config.sso_client_id,
                "username": self.config.username,
                "password": self.config.password,
            }
            headers = {}
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, payload = self._send("POST", url, urllib.parse.urlencode(form).encode(), headers)
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if status != 200 or not token:
            raise SiasnRefused(f"SIASN refused the {kind} credentials (HTTP {status})")
        lifetime = float(payload.get("expires_in") or 300)
        self._tokens[kind] = (token, time.monotonic() + max(lifetime - 30, 1))
        return token

    def call(self, method: str, path: str, data: dict[str, object] | None = None) -> Any:
        """One API call with both tokens; a refused call raises SiasnRefused with the reasons."""
        headers = {
            "Authorization": f"Bearer {self._token('apim')}",
            "Auth": f"bearer {self._token('sso')}",
            "Accept": "application/json",
        }
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        url = self.config.base_url.rstrip("/") + "/" + path.lstrip("/")
        status, payload = self._send(method, url, body, headers)
        if status >= 400 or (isinstance(payload, dict) and payload.get("success") is False):
            messages = _messages(payload) or [f"HTTP {status}"]
            raise SiasnRefused("; ".join(messages), messages)
        return payload

    # ---- API ---------------------------------------------------------------------------

    def pns_id(self, nip: str) -> str:
        """SIASN's id of a civil servant (pnsOrangId), found by NIP."""
        payload = self.call("GET", f"/pns/data-utama/{urllib.parse.quote(nip)}")
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, dict) or not data.get("id"):
            raise SiasnRefused(f"SIASN has no civil servant with NIP {nip}")
        return str(data["id"])

    def save_kursus(self, payload: dict[str, object]) -> str:
        """Create (or, with `id`, update) a riwayat kursus; SIASN's id of the record."""
        answer = self.call("POST", "/kursus/save", payload)
        data = answer.get("mapData") or answer.get("data") or {}
        riwayat = data.get("rwKursusId") or data.get("id") if isinstance(data, dict) else None
        if not riwayat:
            raise SiasnRefused("SIASN did not return the id of the saved record")
        return str(riwayat)

    def reference(self, kind: str) -> list[dict[str, Any]]:
        """A reference list (unor, jenis-diklat, …) as SIASN returns it."""
        payload = self.call("GET", f"/referensi/{urllib.parse.quote(kind)}")
        data = payload.get("data") if isinstance(payload, dict) else payload
        return list(data) if isinstance(data, list) else []


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        return {"message": raw[:200].decode("utf-8", "replace")}


def _messages(payload: Any) -> list[str]:
    """The reasons in a SIASN refusal: `message`, or a list/dict of field errors."""
    if not isinstance(payload, dict):
        return []
    found: list[str] = []
    errors = payload.get("errors") or payload.get("data")
    if isinstance(errors, dict):
        for name, value in errors.items():
            texts = value if isinstance(value, list) else [value]
            found.extend(f"{name}: {text}" for text in texts)
    elif isinstance(errors, list):
        found.extend(str(item) for item in errors)
    if payload.get("message"):
        found.insert(0, str(payload["message"]))
    return found
