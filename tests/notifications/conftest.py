from __future__ import annotations

import pytest

PUBLIC_URL = "https://market.test"


@pytest.fixture(autouse=True)
def public_url(settings: pytest.FixtureRequest) -> None:
    settings.TRADEPOST_PUBLIC_URL = PUBLIC_URL  # type: ignore[attr-defined]
