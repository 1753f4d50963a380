"""A local stand-in for the SIASN web service, started by the tests on 127.0.0.1 (never BKN)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from app.siasn.client import SiasnSettings

REQUIRED = (
    "instansiId",
    "institusiPenyelenggara",
    "jenisDiklatId",
    "jenisKursus",
    "jumlahJam",
    "namaKursus",
    "nomorSertipikat",
    "pnsOrangId",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
)


@dataclass
class FakeState:
    delay: float = 0.0  # seconds before answering /kursus/save
    refuse_certificates: set[str] = field(default_factory=set)  # answered as validation errors
    unknown_nips: set[str] = field(default_factory=set)
    saved: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 1
    token_calls: int = 0


class Handler(BaseHTTPRequestHandler):
    state: FakeState

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _answer(self, status: int, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        return (
            self.headers.get("Authorization") == "Bearer apim-token"
            and self.headers.get("Auth") == "bearer sso-token"
        )

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self) -> None:
        body = self._body()
        if self.path == "/oauth2/token":
            self.state.token_calls += 1
            return self._answer(200, {"access_token": "apim-token", "expires_in": 3600})
        if self.path == "/sso/token":
            form = parse_qs(body.decode())
            if form.get("password") != ["rahasia"]:
                return self._answer(401, {"error": "invalid_grant"})
            return self._answer(200, {"access_token": "sso-token", "expires_in": 3600})
        if self.path == "/api/kursus/save":
            if not self._authorised():
                return self._answer(401, {"success": False, "message": "Unauthorized"})
            if self.state.delay:
                time.sleep(self.state.delay)
            payload = json.loads(body)
            errors = {name: ["wajib diisi"] for name in REQUIRED if payload.get(name) in ("", None)}
            if payload.get("nomorSertipikat") in self.state.refuse_certificates:
                errors["nomorSertipikat"] = ["nomor sertifikat sudah terdaftar"]
            if errors:
                return self._answer(
                    400, {"success": False, "message": "Validasi gagal", "errors": errors}
                )
            riwayat = payload.get("id") or f"RW-{self.state.next_id}"
            self.state.next_id += 1
            self.state.saved.append(payload)
            return self._answer(200, {"success": True, "mapData": {"rwKursusId": riwayat}})
        return self._answer(404, {"success": False, "message": "not found"})

    def do_GET(self) -> None:
        if not self._authorised():
            return self._answer(401, {"success": False, "message": "Unauthorized"})
        if self.path.startswith("/api/pns/data-utama/"):
            nip = self.path.rsplit("/", 1)[-1]
            if nip in self.state.unknown_nips:
                return self._answer(404, {"success": False, "message": "Data tidak ditemukan"})
            return self._answer(
                200, {"success": True, "data": {"id": f"PNS-{nip}", "nipBaru": nip}}
            )
        if self.path == "/api/referensi/jenis-diklat":
            return self._answer(200, {"data": [{"id": "1", "nama": "Struktural"}]})
        return self._answer(404, {"success": False, "message": "not found"})


@contextmanager
def fake_siasn(timeout: float = 2.0) -> Iterator[tuple[SiasnSettings, FakeState]]:
    state = FakeState()
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings = SiasnSettings(
        base_url=f"{base}/api",
        apim_token_url=f"{base}/oauth2/token",
        sso_token_url=f"{base}/sso/token",
        consumer_key="key",
        consumer_secret="secret",
        sso_client_id="bangkom",
        username="operator",
        password="rahasia",
        timeout=timeout,
    )
    try:
        yield settings, state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
