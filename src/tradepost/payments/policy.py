"""The marketplace's refund policy: what it says, when it closes for a seller order, and how a
request or a refund measures up to it.

Buyers' requests must meet every rule (a 422 names each one they miss). The owner's own refunds
are held to the window only, and may pass it with a note that the timeline keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tradepost.catalog.models import Marketplace
from tradepost.core.errors import ValidationFailed
from tradepost.orders.models import SellerOrder
from tradepost.orders.status import FULFILMENT, FulfilmentStatus
from tradepost.payments.status import BUYER_REASONS, PROOF_REASONS, RefundReason


@dataclass(frozen=True)
class RefundPolicy:
    window_days: int
    reasons_accepted: tuple[str, ...]
    proof_required: bool

    @classmethod
    def of(cls, marketplace: Marketplace) -> RefundPolicy:
        accepted = tuple(
            reason for reason in marketplace.refund_reasons_accepted if reason in BUYER_REASONS
        )
        return cls(
            window_days=marketplace.refund_window_days,
            reasons_accepted=accepted,
            proof_required=marketplace.refund_proof_required,
        )

    def needs_proof(self, reason: str) -> bool:
        return self.proof_required and reason in PROOF_REASONS

    def summary(self) -> str:
        """The policy in one sentence, as the buyer's order page shows it."""
        reasons = ", ".join(
            RefundReason(reason).name.lower().replace("_", " ") for reason in self.reasons_accepted
        )
        text = (
            f"Refunds may be requested up to {self.window_days} days after delivery, "
            f"for these reasons: {reasons}."
        )
        if self.proof_required:
            text += " A photo or video is needed for a damaged, wrong or not-as-described item."
        return text


@dataclass(frozen=True)
class Violation:
    field: str
    message: str
    rule: str  # the policy setting it breaks


class RefundPolicyViolation(ValidationFailed):
    """A refund request (or an owner's refund) that the refund policy does not allow."""

    code = "refund_policy"
    title = "Outside the refund policy"

    def __init__(self, violations: list[Violation], policy: RefundPolicy) -> None:
        first = violations[0]
        super().__init__(first.field, first.message)
        self.extra = {
            "errors": [{"field": v.field, "message": v.message} for v in violations],
            "policy_rules": [v.rule for v in violations],
            "refund_policy": policy_data(policy),
        }


def delivered_at(seller_order: SellerOrder) -> datetime | None:
    """When the window starts: delivery, or completion when the buyer confirmed without it."""
    return seller_order.delivered_at or seller_order.completed_at


def refund_deadline(seller_order: SellerOrder, policy: RefundPolicy) -> datetime | None:
    """The last moment a refund may be requested; None until the parcels are delivered."""
    start = delivered_at(seller_order)
    return start + timedelta(days=policy.window_days) if start else None


def is_refundable_status(status: str) -> bool:
    """Refunds are for what has shipped; before that, the seller order (or lines) is canceled."""
    return FULFILMENT.rule(status, FulfilmentStatus.REFUNDED) is not None


def window_violation(
    seller_order: SellerOrder, policy: RefundPolicy, *, now: datetime, field: str
) -> Violation | None:
    deadline = refund_deadline(seller_order, policy)
    if deadline is None or now <= deadline:
        return None
    start = delivered_at(seller_order)
    assert start is not None
    return Violation(
        field,
        f"the refund window closed on {deadline:%Y-%m-%d %H:%M} UTC, {policy.window_days} days "
        f"after delivery on {start:%Y-%m-%d}",
        "refund_window_days",
    )


def request_violations(
    seller_order: SellerOrder, policy: RefundPolicy, *, reason: str, proofs: int, now: datetime
) -> list[Violation]:
    """Every rule of the policy a buyer's request misses, in the order of the form's fields."""
    violations = []
    if reason not in policy.reasons_accepted:
        accepted = ", ".join(policy.reasons_accepted)
        violations.append(
            Violation(
                "reason",
                f"{reason} is not a reason the refund policy accepts (accepted: {accepted})",
                "refund_reasons_accepted",
            )
        )
    if policy.needs_proof(reason) and proofs == 0:
        violations.append(
            Violation(
                "attachment_ids",
                "the refund policy asks for at least one photo or video of the item",
                "refund_proof_required",
            )
        )
    window = window_violation(seller_order, policy, now=now, field="refund_window")
    if window is not None:
        violations.append(window)
    return violations


def policy_data(policy: RefundPolicy) -> dict[str, Any]:
    return {
        "window_days": policy.window_days,
        "reasons_accepted": list(policy.reasons_accepted),
        "proof_required": policy.proof_required,
        "proof_required_for": sorted(PROOF_REASONS) if policy.proof_required else [],
        "summary": policy.summary(),
    }


def policy_for_seller_order(
    seller_order: SellerOrder, policy: RefundPolicy, *, now: datetime
) -> dict[str, Any]:
    """What the policy means for one seller order now: whether a request is open to the buyer,
    and until when."""
    deadline = refund_deadline(seller_order, policy)
    open_now = is_refundable_status(seller_order.status) and (deadline is None or now <= deadline)
    return {
        "reference": seller_order.reference,
        "window_starts_at": delivered_at(seller_order),
        "deadline": deadline,
        "requests_open": open_now and seller_order.refunded_amount < seller_order.total_amount,
    }
