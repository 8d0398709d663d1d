from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture(autouse=True)
def allow_private_targets(settings: pytest.FixtureRequest) -> None:
    # The receiver listens on 127.0.0.1, which production refuses.
    settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = True  # type: ignore[attr-defined]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


PUBLIC_TEST_ADDRESS = "93.184.215.14"  # a public address; nothing is ever sent to it


@pytest.fixture(autouse=True)
def public_names_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine has no outside DNS: names under example.com resolve to a public address,
    everything else (127.0.0.1, IP literals) as usual."""
    real = socket.getaddrinfo

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "example.com" or str(host).endswith(".example.com"):
            return real(PUBLIC_TEST_ADDRESS, *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
