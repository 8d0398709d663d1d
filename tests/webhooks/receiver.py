"""A real HTTP server on 127.0.0.1 that receives webhooks and checks them as an integrator would.

Each request is verified with the ``standardwebhooks`` library against the secrets the test gives;
the server answers with the status codes the test queues (then 200).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified_with: list[str]

    def json(self) -> Any:
        return json.loads(self.body)

    def signed_by(self, secret: str) -> bool:
        """The signature is the library's for this id, timestamp and body, whatever the clock
        (``verify`` also refuses timestamps five minutes off, which a frozen test clock makes)."""
        when = datetime.fromtimestamp(int(self.headers["webhook-timestamp"]), tz=UTC)
        expected = Webhook(secret).sign(self.headers["webhook-id"], when, self.body.decode())
        return expected in self.headers["webhook-signature"].split(" ")


@dataclass
class Receiver:
    secrets: list[str] = field(default_factory=list)
    statuses: deque[int] = field(default_factory=deque)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    delay_seconds: float = 0.0  # answer slowly, to catch a worker mid-request
    in_flight: int = 0  # requests read but not yet answered
    response_body: bytes = b""  # what to answer with; empty: "status <code>"

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks"

    def verify(self, headers: dict[str, str], body: bytes) -> list[str]:
        """The secrets whose signature checks out (the library raises for all others)."""
        good = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            good.append(secret)
        return good

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver.lock:
                    receiver.in_flight += 1
                if receiver.delay_seconds:
                    time.sleep(receiver.delay_seconds)
                headers = {key.lower(): value for key, value in self.headers.items()}
                with receiver.lock:
                    receiver.received.append(
                        Received(headers, body, receiver.verify(headers, body))
                    )
                    status = receiver.statuses.popleft() if receiver.statuses else 200
                    receiver.in_flight -= 1
                body_out = receiver.response_body or f"status {status}".encode()
                self.send_response(status)
                self.send_header("content-type", "text/plain")
                self.send_header("content-length", str(len(body_out)))
                self.end_headers()
                # The client may stop reading, as it should past its limit.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body_out)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
