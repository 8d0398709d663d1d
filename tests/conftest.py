"""Shared fixtures: a small marketplace built through the services, and an API client."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.builders import ApiClient, World, build_world


def pytest_report_header(config: pytest.Config) -> str:
    return f"database under test: {connection.vendor}"


def pytest_configure(config: pytest.Config) -> None:
    required = os.environ.get("TRADEPOST_REQUIRE_DATABASE")
    if required and connection.vendor != required:
        pytest.exit(f"expected to run on {required}, but DATABASE_URL gives {connection.vendor}", 1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks under real concurrency")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Argon2 is right for production and far too slow for building users in every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def api(db: None) -> ApiClient:
    return ApiClient()
