"""Shared fixtures: a small marketplace built through the services, and an API client."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection

from tests import clock, time_sensitive
from tests.builders import ApiClient, World, build_world
from tests.notifications.smtp import SmtpSink


def pytest_report_header(config: pytest.Config) -> list[str]:
    # The date too: make test-clock runs the time-sensitive tests with the clock years away.
    return [
        f"database under test: {connection.vendor}",
        f"clock: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    ]


def pytest_configure(config: pytest.Config) -> None:
    time_sensitive.move_the_clock()
    required = os.environ.get("TRADEPOST_REQUIRE_DATABASE")
    if required and connection.vendor != required:
        pytest.exit(f"expected to run on {required}, but DATABASE_URL gives {connection.vendor}", 1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    time_sensitive.mark(items)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks under real concurrency")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def clock_restored() -> Iterator[clock.TestClock]:
    """Every test starts on the real clock and ends on it, whatever it pinned (tests/clock.py)."""
    current = clock.start()
    yield current
    current.close()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is right for production and far too slow for building users in every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def media_root(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Uploads, proof and evidence packs go to each test's own folder, never the checkout's; the
    browser tests' live server thread reads the same settings, so it writes there too."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


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
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def api(db: None) -> ApiClient:
    return ApiClient()
