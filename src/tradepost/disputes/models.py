"""Cases between buyer and seller, their conversation and resolutions; chargebacks and their
evidence packs; the payment provider's inbound events.

Only ``disputes.services``, ``disputes.chargebacks`` and ``disputes.evidence`` write these models.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tradepost.accounts.models import Buyer
from tradepost.attachments.models import Attachment
from tradepost.catalog.models import Seller
from tradepost.core import clock
from tradepost.core.models import TimeStampedModel
from tradepost.disputes.status import (
    CaseKind,
    CaseStatus,
    ChargebackReason,
    ChargebackStatus,
    Outcome,
)
from tradepost.orders.models import Order, SellerOrder


class Case(TimeStampedModel):
    """A dispute about one seller order, mediated by the owner when the parties do not agree.

    ``due_at`` is when whoever must act now (``status.awaiting_party``) is due to; it is set on
    every step from the marketplace's ``dispute_response_hours``, so "overdue" is one indexed
    comparison. ``seller`` and ``buyer`` repeat the seller order's, so scoped lists use an index.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="cases")
    seller_order = models.ForeignKey(SellerOrder, on_delete=models.CASCADE, related_name="cases")
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="cases")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    description = models.TextField(max_length=4000)
    opened_by_role = models.CharField(max_length=10)
    opened_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_by_label = models.CharField(max_length=200)
    due_at = models.DateTimeField(null=True, blank=True)
    # The latest resolution's outcome, repeated here so lists filter on it.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at", "id"], name="case_created_idx"),
            models.Index(fields=["status", "due_at"], name="case_status_due_idx"),
            models.Index(fields=["seller", "created_at"], name="case_seller_created_idx"),
            models.Index(fields=["buyer", "created_at"], name="case_buyer_created_idx"),
            models.Index(fields=["seller_order", "status"], name="case_seller_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} case on {self.seller_order_id}"


class CaseMessage(models.Model):
    """One message of a case's conversation; every party to the case reads all of them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author_role = models.CharField(max_length=10)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=200)
    body = models.TextField(max_length=4000)
    # The step the message came with ("respond", "escalate", ...); empty for a plain message.
    action = models.CharField(max_length=20, blank=True)
    # Proof (photos, a PDF, a short video), uploaded first through ``attachments`` and claimed
    # when the message is written; the evidence pack's ZIP carries them.
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["case", "created_at", "id"], name="case_message_idx")]

    def __str__(self) -> str:
        return f"{self.author_role} on case {self.case_id}"


class Resolution(models.Model):
    """An outcome recorded on a case; a reopened case is resolved again, so it may have several.

    A refund outcome points at the refund it issued; a reship or exchange carries its parcel.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="resolutions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    amount = models.BigIntegerField(null=True, blank=True, help_text="Refunded, minor units.")
    refund_id = models.BigIntegerField(null=True, blank=True)
    carrier = models.CharField(max_length=80, blank=True)
    tracking_number = models.CharField(max_length=120, blank=True)
    tracking_url = models.URLField(max_length=500, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    actor_role = models.CharField(max_length=10)
    actor_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="resolution_amount_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome__in=["full_refund", "partial_refund"])
                | models.Q(amount__isnull=False),
                name="resolution_refund_has_amount",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="reship") | ~models.Q(carrier=""),
                name="resolution_reship_has_carrier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} on case {self.case_id}"


class Chargeback(TimeStampedModel):
    """The buyer's bank reversing (part of) the payment for one seller order.

    Nothing moves while it is open. Lost, the amount the seller order still held is taken back
    (``taken_back_amount``) through ``payments.chargebacks``: the order's refunded figures grow,
    commission reverses pro rata, and a ``Refund`` row with reason ``chargeback`` records it.
    Won, it is reversed and nothing is taken.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="chargebacks")
    seller_order = models.ForeignKey(
        SellerOrder, on_delete=models.CASCADE, related_name="chargebacks"
    )
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="chargeback")
    provider = models.CharField(max_length=40)
    # The provider's own id for the dispute; owner-recorded ones may have none.
    provider_reference = models.CharField(max_length=200, blank=True)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=30, choices=ChargebackReason.choices)
    note = models.CharField(max_length=1000, blank=True)
    respond_by = models.DateTimeField(help_text="The bank's deadline for the evidence.")
    status = models.CharField(
        max_length=20, choices=ChargebackStatus.choices, default=ChargebackStatus.NEEDS_RESPONSE
    )
    taken_back_amount = models.BigIntegerField(default=0)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="chargeback_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(taken_back_amount__gte=0)
                & models.Q(taken_back_amount__lte=models.F("amount")),
                name="chargeback_taken_back_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(status="lost") | models.Q(taken_back_amount=0),
                name="chargeback_taken_back_only_when_lost",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~models.Q(provider_reference=""),
                name="chargeback_provider_reference_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="chargeback_created_idx"),
            models.Index(fields=["status", "respond_by"], name="chargeback_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"chargeback {self.amount} {self.currency} on {self.seller_order_id}"

    def deadline_passed(self) -> bool:
        """The bank takes no evidence after ``respond_by``: the one rule the service enforces and
        the representation's actions follow."""
        return clock.now() > self.respond_by


def _evidence_path(pack: EvidencePack, filename: str) -> str:
    return f"evidence/{pack.chargeback.public_id}/{pack.public_id}/{filename}"


class EvidencePack(models.Model):
    """What the owner submits to the bank: a PDF and a ZIP (the PDF, attachments, a JSON export),
    built at one moment; building again keeps the earlier packs."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    chargeback = models.ForeignKey(
        Chargeback, on_delete=models.CASCADE, related_name="evidence_packs"
    )
    pdf = models.FileField(upload_to=_evidence_path, max_length=300)
    archive = models.FileField(upload_to=_evidence_path, max_length=300)
    pdf_sha256 = models.CharField(max_length=64)
    archive_sha256 = models.CharField(max_length=64)
    attachment_count = models.PositiveIntegerField(default=0)
    built_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["chargeback", "created_at"], name="evidence_pack_idx")]

    def __str__(self) -> str:
        return f"evidence pack {self.public_id}"


class ProviderEvent(models.Model):
    """An inbound event from the payment provider, kept by its ``webhook-id`` so a redelivery is
    answered from the first one and changes nothing."""

    event_id = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=60)
    body = models.JSONField()
    chargeback = models.ForeignKey(
        Chargeback, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
