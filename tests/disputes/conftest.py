from __future__ import annotations

import pytest

from tradepost.webhooks.signing import secret_generate


@pytest.fixture
def provider_secret(settings: pytest.FixtureRequest) -> str:
    """The secret the payment provider signs its chargeback events with."""
    secret = secret_generate()
    settings.TRADEPOST_PROVIDER_WEBHOOK_SECRET = secret  # type: ignore[attr-defined]
    return secret
