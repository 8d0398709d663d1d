"""Refund reasons and the refund-request lifecycle, as data the services, API and pages read."""

from __future__ import annotations

from django.db import models

from tradepost.core.actors import Role
from tradepost.orders.status import Lifecycle, Transition


class RefundReason(models.TextChoices):
    DAMAGED = "damaged", "The item arrived damaged."
    WRONG_ITEM = "wrong_item", "The buyer received another item than the one ordered."
    NOT_AS_DESCRIBED = "not_as_described", "The item is not what the listing described."
    LOST_IN_TRANSIT = "lost_in_transit", "The parcel was lost on its way."
    CANCELED = "canceled", "What was canceled is paid back (set by cancellations)."
    OTHER = "other", "Any other reason, explained in the note."


# What a buyer may name when asking for a refund: cancellations explain themselves.
BUYER_REASONS: tuple[str, ...] = tuple(
    reason for reason in RefundReason.values if reason != RefundReason.CANCELED
)
# A photo or a video can show these, so a policy that requires proof requires it for them; a
# parcel that never came, or "other", leaves nothing to photograph.
PROOF_REASONS: frozenset[str] = frozenset(
    {RefundReason.DAMAGED, RefundReason.WRONG_ITEM, RefundReason.NOT_AS_DESCRIBED}
)


class RefundRequestStatus(models.TextChoices):
    REQUESTED = "requested", "The buyer asked; the seller or the owner decides."
    APPROVED = "approved", "Approved: the refund was issued."
    DECLINED = "declined", "Declined, with the reason the buyer is shown."


R = RefundRequestStatus
REFUND_REQUEST_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        R.REQUESTED,
        R.APPROVED,
        frozenset({Role.SELLER, Role.OWNER}),
        "approve",
        "the refund is issued as requested",
    ),
    Transition(
        R.REQUESTED,
        R.DECLINED,
        frozenset({Role.SELLER, Role.OWNER}),
        "decline",
        "reason required; the buyer sees it",
    ),
)
REFUND_REQUEST = Lifecycle("request_status", RefundRequestStatus, REFUND_REQUEST_TRANSITIONS)
