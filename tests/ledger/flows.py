"""Ledger flows as the tests drive them: sales completed, balances read through the API."""

from __future__ import annotations

from typing import Any

from tests.builders import ApiClient, Party, World
from tests.payments.flows import delivered_order, reference_of
from tradepost.ledger.checks import ledger_check
from tradepost.orders import services
from tradepost.orders.selectors import OrderBundle


def completed_order(world: World, lines: dict[str, int], **kwargs: Any) -> OrderBundle:
    """Delivered (tests.payments.flows), then confirmed by john: the sale's money is available."""
    bundle = delivered_order(world, lines, **kwargs)
    for part in bundle.seller_orders:
        services.seller_order_complete(
            actor=world.buyers["john"].actor, reference=part.seller_order.reference
        )
    return bundle


def balance(api: ApiClient, party: Party, seller: str) -> dict[str, int]:
    """One seller's balance figures as ``party`` reads them from ``GET /balances``."""
    response = api.get("/balances", party.key, seller=seller)
    assert response.status == 200, response
    (row,) = response.json()["sellers"]
    assert row["seller"]["slug"] == seller
    return {key: value for key, value in row.items() if key.endswith("_amount")}


def marketplace(api: ApiClient, party: Party) -> dict[str, int]:
    response = api.get("/balances", party.key)
    assert response.status == 200, response
    return dict(response.json()["marketplace"])


def assert_books_agree() -> None:
    report = ledger_check()
    assert report.ok, "\n".join(report.problems)


__all__ = ["balance", "completed_order", "delivered_order", "marketplace", "reference_of"]
