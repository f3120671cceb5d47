"""A real SMTP server for the tests: aiosmtpd on a free port, in a thread of its own.

`smtp_server` (fixture in tests/notifications/conftest.py) starts one and points Django's SMTP
backend at it; `server.stop()` and `server.start()` take it down and bring it back on the same
port, as a mail server that goes away and returns."""

from __future__ import annotations

import email
import email.policy
import logging
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.servers import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        # Django folds a long encoded subject onto a continuation line, which the parser reads
        # with its leading space; mail clients show it without.
        return str(self.message["Subject"]).strip()

    def part(self, subtype: str) -> str:
        """The text/plain or text/html body, decoded."""
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return body.get_content()

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")


@dataclass
class _Collector:
    received: list[Received] = field(default_factory=list)
    # Addresses the server refuses for good (550), as for a mailbox that does not exist.
    refused: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.collector = _Collector()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.collector.received

    def refuse(self, address: str) -> None:
        self.collector.refused.add(address)

    def to(self, address: str) -> list[Received]:
        return [each for each in self.received if address in each.rcpt_tos]

    def start(self) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
