"""Payouts and balances as the API shows them (and outbox events carry), as JSON-ready dicts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tradepost.core.clock import iso_or_none
from tradepost.ledger.balances import Balances, SellerBalance
from tradepost.ledger.models import Payout


def payout_data(payout: Payout) -> dict[str, Any]:
    """Reads ``payout.seller`` (select it for lists)."""
    return {
        "id": str(payout.public_id),
        "seller": {"slug": payout.seller.slug, "name": payout.seller.name},
        "amount": payout.amount,
        "currency": payout.currency,
        "status": payout.status,
        "reference": payout.reference,
        "failure_reason": payout.failure_reason,
        "created_by": payout.created_by_label,
        "created_at": iso_or_none(payout.created_at),
        "paid_at": iso_or_none(payout.paid_at),
        "failed_at": iso_or_none(payout.failed_at),
    }


def balances_data(balances: Balances) -> dict[str, Any]:
    return {
        "currency": balances.currency,
        "sellers": [seller_balance_data(seller) for seller in balances.sellers],
        "marketplace": asdict(balances.marketplace) if balances.marketplace else None,
    }


def seller_balance_data(balance: SellerBalance) -> dict[str, Any]:
    data = asdict(balance)
    data["seller"] = {"slug": data.pop("slug"), "name": data.pop("name")}
    return data
