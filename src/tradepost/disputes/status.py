"""The dispute lifecycle as data: case and chargeback statuses, their meaning, the transitions.

Services, the API (``GET /api/v1/disputes/lifecycle``), the dashboard's buttons and
docs/disputes.md all read these tables; nothing else decides whether a status may change.
The transition rows reuse the orders' ``Lifecycle`` shape, so the same ``check_transition``
refuses a step with a 409 naming the current status and the allowed next ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from tradepost.core.actors import Role
from tradepost.orders.status import Lifecycle, Transition

OWNER, SELLER, BUYER, SYSTEM = Role.OWNER, Role.SELLER, Role.BUYER, Role.SYSTEM


class CaseKind(models.TextChoices):
    LATE_SHIPMENT = "late_shipment", "The seller has not shipped within the expected time."
    NOT_AS_DESCRIBED = "not_as_described", "The item differs from its listing."
    DAMAGED = "damaged", "The item arrived damaged."
    WRONG_ITEM = "wrong_item", "Another item than the one ordered arrived."
    LOST_IN_TRANSIT = "lost_in_transit", "The carrier lost the parcel."
    NOT_RECEIVED = "not_received", "The buyer says the parcel never arrived."
    CHARGEBACK = "chargeback", "The buyer's bank reversed the payment (opened with a chargeback)."
    OTHER = "other", "Anything else between buyer and seller."


# Kinds that are about a parcel: they make sense only once something has shipped.
PARCEL_KINDS: frozenset[str] = frozenset(
    {
        CaseKind.NOT_AS_DESCRIBED,
        CaseKind.DAMAGED,
        CaseKind.WRONG_ITEM,
        CaseKind.LOST_IN_TRANSIT,
        CaseKind.NOT_RECEIVED,
    }
)


class CaseStatus(models.TextChoices):
    OPEN = "open", "Opened; the other party must give a first answer."
    AWAITING_SELLER = "awaiting_seller", "The seller must answer."
    AWAITING_BUYER = "awaiting_buyer", "The buyer must answer."
    UNDER_REVIEW = "under_review", "Escalated: the marketplace owner mediates and decides."
    RESOLVED = "resolved", "An outcome is recorded; the buyer may confirm or reopen."
    CLOSED = "closed", "Done; nothing more happens on this case."


# Statuses in which somebody still has to answer: these count as open disputes.
ACTIVE: frozenset[str] = frozenset(
    {
        CaseStatus.OPEN,
        CaseStatus.AWAITING_SELLER,
        CaseStatus.AWAITING_BUYER,
        CaseStatus.UNDER_REVIEW,
    }
)


class Outcome(models.TextChoices):
    FULL_REFUND = "full_refund", "What is left of the seller order is refunded."
    PARTIAL_REFUND = "partial_refund", "Part of the seller order is refunded (an amount)."
    RESHIP = "reship", "The seller sends the item again, with new tracking."
    EXCHANGE = "exchange", "The seller sends a replacement item."
    NO_ACTION = "no_action", "Nothing to do: no fault found, or the buyer withdrew the case."
    CHARGED_BACK = "charged_back", "The buyer's bank took the money back (a lost chargeback)."


@dataclass(frozen=True)
class OutcomeRule:
    roles: frozenset[Role]
    note: str


OUTCOMES: dict[str, OutcomeRule] = {
    Outcome.FULL_REFUND: OutcomeRule(
        frozenset({OWNER, SELLER}),
        "refunds what is left through the payment provider; an unshipped seller order is "
        "canceled (stock released), a shipped one becomes refunded",
    ),
    Outcome.PARTIAL_REFUND: OutcomeRule(
        frozenset({OWNER, SELLER}),
        "amount required, below what is left to refund; the fulfilment status does not change",
    ),
    Outcome.RESHIP: OutcomeRule(
        frozenset({OWNER, SELLER}), "carrier and tracking number of the new parcel required"
    ),
    Outcome.EXCHANGE: OutcomeRule(
        frozenset({OWNER, SELLER}), "a replacement; carrier and tracking of it when it ships"
    ),
    Outcome.NO_ACTION: OutcomeRule(
        frozenset({OWNER, BUYER, SYSTEM}),
        "the owner finds no fault, the buyer withdraws, or a chargeback was won",
    ),
    Outcome.CHARGED_BACK: OutcomeRule(
        frozenset({SYSTEM}), "recorded when a chargeback is lost; the bank refunded the buyer"
    ),
}
REFUND_OUTCOMES: frozenset[str] = frozenset({Outcome.FULL_REFUND, Outcome.PARTIAL_REFUND})
TRACKED_OUTCOMES: frozenset[str] = frozenset({Outcome.RESHIP, Outcome.EXCHANGE})


def _rule(source: str, target: str, roles: set[Role], action: str, note: str) -> Transition:
    return Transition(source, target, frozenset(roles), action, note)


C = CaseStatus
CASE_TRANSITIONS: tuple[Transition, ...] = (
    _rule(
        C.OPEN,
        C.AWAITING_BUYER,
        {SELLER, OWNER},
        "respond",
        "the seller answers; or the owner asks the buyer for details",
    ),
    _rule(
        C.OPEN,
        C.AWAITING_SELLER,
        {BUYER, OWNER},
        "respond",
        "the buyer answers a case the seller opened; or the owner asks the seller",
    ),
    _rule(C.AWAITING_SELLER, C.AWAITING_BUYER, {SELLER, OWNER}, "respond", "the seller answers"),
    _rule(C.AWAITING_BUYER, C.AWAITING_SELLER, {BUYER, OWNER}, "respond", "the buyer answers"),
    _rule(
        C.OPEN,
        C.UNDER_REVIEW,
        {BUYER, SELLER, OWNER, SYSTEM},
        "escalate",
        "either party asks the owner to decide; the system when the answer is overdue",
    ),
    _rule(
        C.AWAITING_SELLER,
        C.UNDER_REVIEW,
        {BUYER, SELLER, OWNER, SYSTEM},
        "escalate",
        "either party asks the owner to decide; the system when the answer is overdue",
    ),
    _rule(
        C.AWAITING_BUYER,
        C.UNDER_REVIEW,
        {BUYER, SELLER, OWNER, SYSTEM},
        "escalate",
        "either party asks the owner to decide; the system when the answer is overdue",
    ),
    _rule(
        C.UNDER_REVIEW,
        C.AWAITING_SELLER,
        {OWNER},
        "respond",
        "the owner asks the seller for more before deciding",
    ),
    _rule(
        C.UNDER_REVIEW,
        C.AWAITING_BUYER,
        {OWNER},
        "respond",
        "the owner asks the buyer for more before deciding",
    ),
    _rule(
        C.OPEN,
        C.RESOLVED,
        {OWNER, SELLER, BUYER, SYSTEM},
        "resolve",
        "with an outcome the role may choose (see outcomes)",
    ),
    _rule(
        C.AWAITING_SELLER,
        C.RESOLVED,
        {OWNER, SELLER, BUYER, SYSTEM},
        "resolve",
        "with an outcome the role may choose (see outcomes)",
    ),
    _rule(
        C.AWAITING_BUYER,
        C.RESOLVED,
        {OWNER, SELLER, BUYER, SYSTEM},
        "resolve",
        "with an outcome the role may choose (see outcomes)",
    ),
    _rule(
        C.UNDER_REVIEW,
        C.RESOLVED,
        {OWNER, SYSTEM},
        "resolve",
        "the owner's decision; the system when a chargeback's outcome arrives",
    ),
    _rule(
        C.RESOLVED,
        C.UNDER_REVIEW,
        {BUYER, OWNER},
        "reopen",
        "the remedy failed (e.g. the reshipped parcel is lost too); the owner decides again",
    ),
    _rule(
        C.RESOLVED,
        C.CLOSED,
        {BUYER, OWNER, SYSTEM},
        "close",
        "the buyer confirms the remedy, or the owner closes the case",
    ),
)

CASE = Lifecycle("dispute_status", CaseStatus, CASE_TRANSITIONS)


def awaiting_party(status: str, opened_by_role: str) -> Role | None:
    """Who must act now: an open case waits on the party it was opened against."""
    if status == C.OPEN:
        return Role.BUYER if opened_by_role == Role.SELLER else Role.SELLER
    return {
        C.AWAITING_SELLER: Role.SELLER,
        C.AWAITING_BUYER: Role.BUYER,
        C.UNDER_REVIEW: Role.OWNER,
        C.RESOLVED: Role.BUYER,
    }.get(CaseStatus(status))


def respond_target(role: Role, to: str = "") -> str:
    """Answering hands the turn to the other party; the owner names whom it asks."""
    if role is Role.SELLER:
        return C.AWAITING_BUYER
    if role is Role.BUYER:
        return C.AWAITING_SELLER
    return C.AWAITING_BUYER if to == Role.BUYER else C.AWAITING_SELLER


class ChargebackStatus(models.TextChoices):
    NEEDS_RESPONSE = "needs_response", "Received; evidence is due by the response deadline."
    EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence sent to the bank; waiting for its ruling."
    WON = "won", "The bank ruled for the marketplace: the chargeback is reversed."
    LOST = "lost", "The bank ruled for the buyer: the amount is taken back."


class ChargebackReason(models.TextChoices):
    FRAUDULENT = "fraudulent", "The cardholder says they did not make the purchase."
    NOT_RECEIVED = "not_received", "The cardholder says the goods never arrived."
    NOT_AS_DESCRIBED = "not_as_described", "The cardholder says the goods were not as described."
    DUPLICATE = "duplicate", "The cardholder says they were charged twice."
    CREDIT_NOT_PROCESSED = "credit_not_processed", "The cardholder says a refund never came."
    UNRECOGNIZED = "unrecognized", "The cardholder does not recognise the charge."
    GENERAL = "general", "Any other reason the bank gives."


B = ChargebackStatus
CHARGEBACK_TRANSITIONS: tuple[Transition, ...] = (
    _rule(
        B.NEEDS_RESPONSE,
        B.EVIDENCE_SUBMITTED,
        {OWNER},
        "submit_evidence",
        "the owner sent the evidence pack to the bank",
    ),
    _rule(
        B.NEEDS_RESPONSE,
        B.LOST,
        {OWNER, SYSTEM},
        "record_outcome",
        "accepted without a contest, or the deadline passed; the amount is taken back",
    ),
    _rule(
        B.NEEDS_RESPONSE,
        B.WON,
        {OWNER, SYSTEM},
        "record_outcome",
        "the cardholder withdrew it; nothing is taken back",
    ),
    _rule(
        B.EVIDENCE_SUBMITTED,
        B.WON,
        {OWNER, SYSTEM},
        "record_outcome",
        "the bank ruled for the marketplace; nothing is taken back",
    ),
    _rule(
        B.EVIDENCE_SUBMITTED,
        B.LOST,
        {OWNER, SYSTEM},
        "record_outcome",
        "the bank ruled for the buyer; the amount is taken back",
    ),
)

CHARGEBACK = Lifecycle("chargeback_status", ChargebackStatus, CHARGEBACK_TRANSITIONS)
OPEN_CHARGEBACK: frozenset[str] = frozenset({B.NEEDS_RESPONSE, B.EVIDENCE_SUBMITTED})
