"""The return lifecycle as data: statuses, their meaning, the reasons, the transitions.

Services, the API (``GET /api/v1/returns/lifecycle``), the order page's buttons and
docs/returns.md all read this table; nothing else decides whether a return may move. The rows
reuse the orders' ``Lifecycle`` shape, so ``check_transition`` refuses a step with a 409 naming
the current status and the allowed next ones.
"""

from __future__ import annotations

from django.db import models

from tradepost.core.actors import Role
from tradepost.orders.status import Lifecycle, Transition
from tradepost.payments.status import RefundReason

OWNER, SELLER, BUYER = Role.OWNER, Role.SELLER, Role.BUYER


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "The buyer asked to send items back; the seller or owner decides."
    AUTHORIZED = "authorized", "Accepted: the buyer has the return address and instructions."
    SHIPPED_BACK = "shipped_back", "The buyer sent the items back, with carrier and tracking."
    RECEIVED = "received", "The seller has the items back and inspects them."
    REFUNDED = "refunded", "Inspected; the returned lines are refunded."
    EXCHANGED = "exchanged", "Inspected; a replacement parcel is on its way."
    DECLINED = "declined", "Turned down, with the reason the buyer is shown."
    WITHDRAWN = "withdrawn", "The buyer called the return off before it was received."


# A return is for an item that is not what was ordered or not in the state it should be; a lost
# parcel or a change of mind has nothing to send back (refund requests and disputes cover those).
RETURN_REASONS: tuple[str, ...] = (
    RefundReason.DAMAGED,
    RefundReason.WRONG_ITEM,
    RefundReason.NOT_AS_DESCRIBED,
)

# Returns whose units are spoken for: they count against what may still be returned. Refunded
# returns count through the lines' refunded units instead.
HOLDING: frozenset[str] = frozenset(
    {
        ReturnStatus.REQUESTED,
        ReturnStatus.AUTHORIZED,
        ReturnStatus.SHIPPED_BACK,
        ReturnStatus.RECEIVED,
        ReturnStatus.EXCHANGED,
    }
)
# Returns not yet decided: their units may still be refunded by the return itself, so a refund by
# amount waits for them and the automation does not release the seller order's funds.
OPEN: frozenset[str] = HOLDING - {ReturnStatus.EXCHANGED}
# Returns waiting on the seller or the owner: the "returns to handle" counter.
TO_HANDLE: frozenset[str] = frozenset(
    {ReturnStatus.REQUESTED, ReturnStatus.SHIPPED_BACK, ReturnStatus.RECEIVED}
)


def _rule(source: str, target: str, roles: set[Role], action: str, note: str) -> Transition:
    return Transition(source, target, frozenset(roles), action, note)


S = ReturnStatus
RETURN_TRANSITIONS: tuple[Transition, ...] = (
    _rule(
        S.REQUESTED,
        S.AUTHORIZED,
        {SELLER, OWNER},
        "authorize",
        "return address and instructions required; a prepaid label's carrier and tracking optional",
    ),
    _rule(
        S.REQUESTED, S.DECLINED, {SELLER, OWNER}, "decline", "reason required; the buyer sees it"
    ),
    _rule(S.REQUESTED, S.WITHDRAWN, {BUYER}, "withdraw", "the buyer no longer wants to return it"),
    _rule(
        S.AUTHORIZED,
        S.SHIPPED_BACK,
        {BUYER, OWNER},
        "ship_back",
        "the buyer sent the parcel: carrier, and tracking when the marketplace requires it",
    ),
    _rule(S.AUTHORIZED, S.WITHDRAWN, {BUYER}, "withdraw", "the buyer keeps the items"),
    _rule(
        S.AUTHORIZED,
        S.RECEIVED,
        {SELLER, OWNER},
        "receive",
        "the parcel arrived before the buyer gave its tracking",
    ),
    _rule(S.SHIPPED_BACK, S.WITHDRAWN, {BUYER}, "withdraw", "the buyer called the parcel back"),
    _rule(S.SHIPPED_BACK, S.RECEIVED, {SELLER, OWNER}, "receive", "the returned parcel arrived"),
    _rule(
        S.RECEIVED,
        S.REFUNDED,
        {SELLER, OWNER},
        "refund",
        "inspection note required; the returned lines are refunded (restocking optional)",
    ),
    _rule(
        S.RECEIVED,
        S.EXCHANGED,
        {SELLER, OWNER},
        "exchange",
        "inspection note required; a replacement parcel ships with carrier and tracking",
    ),
    _rule(
        S.RECEIVED,
        S.DECLINED,
        {SELLER, OWNER},
        "decline",
        "reason required; e.g. the units were refunded another way meanwhile",
    ),
)

RETURN = Lifecycle("return_status", ReturnStatus, RETURN_TRANSITIONS)
