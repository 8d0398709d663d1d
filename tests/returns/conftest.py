from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.webhooks.receiver import Receiver

PUBLIC_URL = "https://market.test"


@pytest.fixture(autouse=True)
def public_url(settings: pytest.FixtureRequest) -> None:
    settings.TRADEPOST_PUBLIC_URL = PUBLIC_URL  # type: ignore[attr-defined]


@pytest.fixture
def receiver(settings: pytest.FixtureRequest) -> Iterator[Receiver]:
    """A real webhook receiver on 127.0.0.1, which production would refuse as a target."""
    settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = True  # type: ignore[attr-defined]
    server = Receiver().start()
    yield server
    server.stop()
