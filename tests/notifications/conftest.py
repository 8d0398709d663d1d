from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notifications.smtp import SmtpSink

PUBLIC_URL = "https://market.test"


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
