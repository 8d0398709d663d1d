from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.notifications.smtp import SmtpSink
from tests.webhooks.receiver import Receiver

PUBLIC_URL = "https://market.test"


@pytest.fixture(autouse=True)
def media_root(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Proof files go to this test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def public_url(settings: pytest.FixtureRequest) -> None:
    settings.TRADEPOST_PUBLIC_URL = PUBLIC_URL  # type: ignore[attr-defined]


@pytest.fixture
def smtp(settings: pytest.FixtureRequest) -> Iterator[SmtpSink]:
    """A real SMTP server, and Django's SMTP backend pointed at it."""
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = sink.port  # type: ignore[attr-defined]
    settings.EMAIL_USE_TLS = False  # type: ignore[attr-defined]
    settings.EMAIL_TIMEOUT = 5  # type: ignore[attr-defined]
    yield sink
    sink.stop()


@pytest.fixture
def receiver(settings: pytest.FixtureRequest) -> Iterator[Receiver]:
    """A real webhook receiver on 127.0.0.1, which production would refuse as a target."""
    settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = True  # type: ignore[attr-defined]
    server = Receiver().start()
    yield server
    server.stop()
