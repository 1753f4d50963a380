"""Request ids and structured (JSON) logs: one id per request, carried into the jobs it queues."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from flask import Flask, Response, g, request

from app.web.securitylog import redacted_path

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
job_id_var: ContextVar[int | None] = ContextVar("job_id", default=None)

SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
LOGGER = logging.getLogger("bangkom")


def current_request_id() -> str:
    return request_id_var.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, job id, extras."""

    RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if request_id := request_id_var.get():
            entry["request_id"] = request_id
        if (job_id := job_id_var.get()) is not None:
            entry["job_id"] = job_id
        for key, value in vars(record).items():
            if key not in self.RESERVED and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """JSON lines on stderr for the `bangkom` logger (LOG_FORMAT=text keeps Flask's default)."""
    if app.config.get("LOG_FORMAT", "json") != "json" or app.testing:
        return
    if any(isinstance(h.formatter, JsonFormatter) for h in LOGGER.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    LOGGER.addHandler(handler)
    LOGGER.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    LOGGER.propagate = False


def init_request_log(app: Flask) -> None:
    configure_logging(app)

    def assign_request_id() -> None:
        """Take a well-formed X-Request-ID from the proxy, else make one."""
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SAFE_ID.fullmatch(incoming) else new_request_id()
        g.request_id = request_id
        g.request_started = time.perf_counter()
        request_id_var.set(request_id)

    # First of all: the CSRF check (an extension's hook, registered earlier) logs with the id.
    app.before_request_funcs.setdefault(None, []).insert(0, assign_request_id)

    @app.after_request
    def log_request(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
            elapsed = time.perf_counter() - g.get("request_started", time.perf_counter())
            LOGGER.info(
                "request",
                extra={
                    "method": request.method,
                    "path": redacted_path(),
                    "status": response.status_code,
                    "ms": round(elapsed * 1000, 1),
                },
            )
        return response

    @app.teardown_request
    def forget_request_id(_error: BaseException | None) -> None:
        request_id_var.set("")
