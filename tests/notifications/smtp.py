"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it accepts, or refuses on demand.

Tradepost sends to it through Django's own SMTP backend, so a test sees the message a mail server
would: envelope recipients, headers and the decoded text body.
"""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO; the tests read what arrived instead.
logging.getLogger("mail.log").setLevel(logging.WARNING)
REFUSAL = "451 4.3.0 Mailbox temporarily unavailable, try again later"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())  # type: ignore[attr-defined]


@dataclass
class SmtpSink:
    port: int = field(default_factory=free_port)
    refusing: bool = False
    received: list[Received] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refusing:
                self.refused += 1
                return REFUSAL
            self.received.append(Received(list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def start(self) -> SmtpSink:
        """Listen (again, after ``stop``) on the same port."""
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [mail for mail in self.received if address in mail.recipients]

    def one_to_subject(self, address: str, subject: str) -> Received:
        """The one email to ``address`` with this subject, among any others it received."""
        mails = [mail for mail in self.to(address) if mail.subject == subject]
        assert len(mails) == 1, f"{len(mails)} of {[m.subject for m in self.to(address)]}"
        return mails[0]

    def one_to(self, address: str) -> Received:
        mails = self.to(address)
        assert len(mails) == 1, f"{len(mails)} emails to {address}: {[m.subject for m in mails]}"
        return mails[0]
