from __future__ import annotations

from pathlib import Path

import pytest

from tradepost.webhooks.signing import secret_generate


@pytest.fixture(autouse=True)
def media_root(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Attachments and evidence packs go to this test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.fixture
def provider_secret(settings: pytest.FixtureRequest) -> str:
    """The secret the payment provider signs its chargeback events with."""
    secret = secret_generate()
    settings.TRADEPOST_PROVIDER_WEBHOOK_SECRET = secret  # type: ignore[attr-defined]
    return secret
