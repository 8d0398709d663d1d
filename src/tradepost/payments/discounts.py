"""Goodwill discount codes: the seeds' "apologize and offer a solution".

With a refund (or on its own), the owner or the seller gives the buyer a code for a next order: a
fixed amount or a whole percentage off, until it expires, once. A seller's code covers that
seller's items only; the owner's covers every item of the order. Checkout calls
``discount_code_redeem`` (docs/refunds.md says how), which works out the discount and marks the
code used in the same statement that checks it is unused, so it is used once however many
checkouts race for it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tradepost.accounts.models import Buyer
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import Conflict, PermissionDenied, ValidationFailed
from tradepost.core.money import allocate
from tradepost.core.outbox import publish
from tradepost.core.transactions import unit_of_work
from tradepost.orders.lifecycle import lock_order_for_seller_order
from tradepost.orders.models import Order, OrderEvent, SellerOrder
from tradepost.payments.events import discount_code_issued_event, discount_code_outbox_event
from tradepost.payments.models import DiscountCode, DiscountKind, Refund
from tradepost.payments.representation import discount_code_data

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 10
DEFAULT_VALID_DAYS = 90
MAX_VALID_DAYS = 366
FIELD = "discount_code"


@dataclass(frozen=True)
class GoodwillCode:
    """What the issuer asks for: ``amount_off`` (minor units) for a fixed code, ``percent_off``
    (1-100) for a percentage; no expiry means ``DEFAULT_VALID_DAYS`` from now. The owner may
    limit its code to the seller order's seller; a seller's code always is."""

    kind: str
    amount_off: int | None = None
    percent_off: int | None = None
    expires_at: datetime | None = None
    note: str = ""
    seller_only: bool = False


@dataclass(frozen=True)
class DiscountRedemption:
    """A code taken for an order: its discount in all, and on each seller's items."""

    code: DiscountCode
    amount: int
    by_seller: dict[int, int]


def discount_code_issue(
    *, actor: Actor, reference: str, goodwill: GoodwillCode, refund_id: UUID | None = None
) -> DiscountCode:
    """Give the buyer of a seller order a code for a next order (owner, or that seller)."""
    with unit_of_work():
        order, _, seller_order = lock_order_for_seller_order(actor=actor, reference=reference)
        refund = None
        if refund_id:
            refund = Refund.objects.filter(public_id=refund_id, seller_order=seller_order).first()
            if refund is None:
                raise ValidationFailed("refund_id", "is not a refund of this seller order")
        code, event = discount_issue_locked(
            actor=actor, order=order, seller_order=seller_order, goodwill=goodwill, refund=refund
        )
        event.save()
        return code


def discount_issue_locked(
    *,
    actor: Actor,
    order: Order,
    seller_order: SellerOrder,
    goodwill: GoodwillCode,
    refund: Refund | None = None,
) -> tuple[DiscountCode, OrderEvent]:
    """Issue a code on a seller order whose order the caller has locked; returns the code and its
    (unsaved) timeline event, and publishes ``discount_code.issued``."""
    if actor.role not in (Role.OWNER, Role.SELLER):
        raise PermissionDenied("Goodwill codes are given by the seller or the marketplace owner.")
    if order.paid_at is None:
        raise Conflict(f"{order.number} is not paid; a goodwill code follows a purchase.")
    _check_value(goodwill)
    now = clock.now()
    expires_at = goodwill.expires_at or now + timedelta(days=DEFAULT_VALID_DAYS)
    if not now < expires_at <= now + timedelta(days=MAX_VALID_DAYS):
        raise ValidationFailed("expires_at", f"must be in the next {MAX_VALID_DAYS} days")
    seller_only = actor.role is Role.SELLER or goodwill.seller_only
    code = DiscountCode.objects.create(
        code=_new_code(),
        buyer_id=order.buyer_id,
        seller=seller_order.seller if seller_only else None,
        kind=goodwill.kind,
        amount_off=goodwill.amount_off if goodwill.kind == DiscountKind.FIXED else None,
        currency=order.currency if goodwill.kind == DiscountKind.FIXED else "",
        percent_off=goodwill.percent_off if goodwill.kind == DiscountKind.PERCENT else None,
        expires_at=expires_at,
        seller_order=seller_order,
        refund=refund,
        note=goodwill.note.strip(),
        issued_by_role=actor.role.value,
        issued_by_label=actor.label,
    )
    publish(
        discount_code_outbox_event(
            order=order, code=code, data=discount_code_data(code, actor) | {"order": order.number}
        )
    )
    event = discount_code_issued_event(
        order=order, seller_order=seller_order, actor=actor, code=code
    )
    return code, event


def discount_code_redeem(
    *, actor: Actor, code: str, buyer: Buyer, currency: str, subtotals: Mapping[int, int]
) -> DiscountRedemption:
    """Take ``code`` for a new order of ``buyer``, whose items come to ``subtotals`` (seller id ->
    the items' total in minor units, before shipping and tax). Marks the code used; refuses a code
    that is not the buyer's, used, expired, in another currency, or that covers nothing here.

    Call it inside the checkout's transaction: if the order is not placed, the code is unused.
    """
    if actor.role is Role.SELLER or (actor.role is Role.BUYER and actor.buyer_id != buyer.pk):
        raise PermissionDenied(
            "A code is redeemed by its buyer, or by the owner ordering for them."
        )
    with unit_of_work():
        found = (
            DiscountCode.objects.select_for_update(no_key=True)
            .filter(code=code.strip().upper(), buyer=buyer)
            .first()
        )
        if found is None:
            raise ValidationFailed(FIELD, "is not a code of yours")
        now = clock.now()
        if found.redeemed_at is not None:
            raise ValidationFailed(FIELD, "was already used")
        if found.expires_at <= now:
            raise ValidationFailed(FIELD, f"expired on {found.expires_at:%Y-%m-%d}")
        if found.kind == DiscountKind.FIXED and found.currency != currency:
            raise ValidationFailed(FIELD, f"is in {found.currency}; this order is in {currency}")
        covered = {
            seller_id: amount
            for seller_id, amount in sorted(subtotals.items())
            if amount > 0 and found.seller_id in (None, seller_id)
        }
        amount = _discount(found, sum(covered.values()))
        if amount == 0:
            whose = f"{found.seller.name}'s items" if found.seller else "items"
            raise ValidationFailed(FIELD, f"covers {whose} only, and takes nothing off this order")
        # The update re-checks "unused" itself: one use, whatever else runs at the same time.
        if not DiscountCode.objects.filter(pk=found.pk, redeemed_at__isnull=True).update(
            redeemed_at=now, updated_at=now
        ):
            raise ValidationFailed(FIELD, "was already used")
        found.redeemed_at = now
        shares = allocate(amount, list(covered.values()))
        return DiscountRedemption(found, amount, dict(zip(covered, shares, strict=True)))


def _discount(code: DiscountCode, covered: int) -> int:
    """Never more than the items it covers; a percentage rounds down."""
    if code.kind == DiscountKind.FIXED:
        return min(code.amount_off or 0, covered)
    return covered * (code.percent_off or 0) // 100


def _check_value(goodwill: GoodwillCode) -> None:
    if goodwill.kind == DiscountKind.FIXED:
        if goodwill.amount_off is None or goodwill.amount_off < 1:
            raise ValidationFailed("amount_off", "is required for a fixed code, at least 1")
        if goodwill.percent_off is not None:
            raise ValidationFailed("percent_off", "is for percent codes only")
    elif goodwill.kind == DiscountKind.PERCENT:
        if goodwill.percent_off is None or not 1 <= goodwill.percent_off <= 100:
            raise ValidationFailed("percent_off", "is required for a percent code, 1 to 100")
        if goodwill.amount_off is not None:
            raise ValidationFailed("amount_off", "is for fixed codes only")
    else:
        raise ValidationFailed("kind", "must be fixed or percent")


def _new_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"TP-{body[:5]}-{body[5:]}"
