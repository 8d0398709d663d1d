"""The payment-provider interface and the built-in ``manual`` provider.

A provider turns "capture this" or "refund that" into a result with the provider's own reference.
Tradepost never sees card data: a real provider tokenises cards in the buyer's browser and reports
results here, by API call or signed callback.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from tradepost.core.errors import ValidationFailed


@dataclass(frozen=True)
class PaymentResult:
    succeeded: bool
    reference: str
    failure_reason: str = ""


@dataclass(frozen=True)
class RefundResult:
    reference: str


class PaymentProvider(Protocol):
    name: str

    def confirm_payment(
        self, *, order_number: str, amount: int, currency: str, reported: PaymentResult
    ) -> PaymentResult:
        """Return the provider's verdict on a payment reported for ``order_number``."""
        ...

    def refund(
        self, *, payment_reference: str, amount: int, currency: str, idempotency_key: str
    ) -> RefundResult:
        """Return ``amount`` to the buyer; raise ``DomainError`` if the provider refuses.

        The same ``idempotency_key`` must never pay out twice: a provider answers a repeated call
        with the refund it already made (real providers take the key as a request header).
        """
        ...


class ManualProvider:
    """Payments taken outside Tradepost (bank transfer, cash on delivery, a terminal).

    The operator records the result; it is taken as reported. Refunds are paid out by hand; the
    refund reference is made from the idempotency key, so each one stays traceable and a repeated
    call names the same refund.
    """

    name = "manual"

    def confirm_payment(
        self, *, order_number: str, amount: int, currency: str, reported: PaymentResult
    ) -> PaymentResult:
        return reported

    def refund(
        self, *, payment_reference: str, amount: int, currency: str, idempotency_key: str
    ) -> RefundResult:
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]
        return RefundResult(reference=f"manual-refund-{digest}")


PROVIDERS: dict[str, PaymentProvider] = {ManualProvider.name: ManualProvider()}


def get_provider(name: str) -> PaymentProvider:
    try:
        return PROVIDERS[name]
    except KeyError:
        known = ", ".join(sorted(PROVIDERS))
        raise ValidationFailed("provider", f"unknown provider {name!r}; known: {known}") from None
