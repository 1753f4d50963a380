"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, for mail tests."""

from __future__ import annotations

import email
import socket
import threading
from collections import Counter
from email.message import Message

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self, refuse: set[str] | None = None) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse = refuse or set()
        self.lock = threading.Lock()
        self.port = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(
                (list(envelope.rcpt_tos), email.message_from_bytes(envelope.content))
            )
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def message_ids(self) -> Counter[str]:
        with self.lock:
            return Counter(str(message["Message-ID"]) for _rcpts, message in self.messages)

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [message for rcpts, message in self.messages if address in rcpts]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(inbox: Inbox) -> Controller:
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    return controller
