"""A real SMTP server on 127.0.0.1 (aiosmtpd) that can be down, refuse for a while, or accept."""

import socket

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nothing listens on (connecting to it is refused until the server starts)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    """The handler: records each accepted message; `refusing` answers 4xx (try again later)."""

    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []
        self.refusing = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "421 4.3.2 Service not available, closing channel"
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


class MailServer:
    """`start()` / `stop()` a relay on a fixed port; `relay.received` is what it accepted."""

    def __init__(self):
        self.port = free_port()
        self.relay = Relay()
        self._controller = None

    def start(self) -> None:
        """Listen (again) on the same port."""
        self._controller = Controller(self.relay, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
