"""Conversations about seller orders, their messages and attachments, and sellers' reply templates.

Only ``messaging.services`` writes these models.
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
from tradepost.orders.models import SellerOrder


class Party(models.TextChoices):
    """Who is in a conversation; each party reads and is counted as one."""

    BUYER = "buyer", "The buyer who placed the order."
    SELLER = "seller", "The seller's members, as one team."
    OWNER = "owner", "The marketplace's staff, as one team."


class Thread(TimeStampedModel):
    """The one conversation about a seller order, between its buyer and its seller; the owner may
    read it and join. Made with its first message.

    Each party's unread count is kept here and changed only under this row's lock (a new message
    adds to the others', reading sets one's own to zero), so badges and inboxes are indexed reads.
    The owner is counted only once it has joined (posted), so the staff's unread messages are the
    conversations they take part in, not every conversation on the marketplace.
    """

    seller_order = models.OneToOneField(
        SellerOrder, on_delete=models.CASCADE, related_name="thread"
    )
    # Copies of the seller order's seller and buyer (neither ever changes), so each party's inbox
    # is one index range.
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="+")
    last_message = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_message_at = models.DateTimeField(default=clock.now)
    message_count = models.PositiveIntegerField(default=0)
    owner_joined_at = models.DateTimeField(null=True, blank=True)
    buyer_unread = models.PositiveIntegerField(default=0)
    seller_unread = models.PositiveIntegerField(default=0)
    owner_unread = models.PositiveIntegerField(default=0)
    buyer_read_at = models.DateTimeField(null=True, blank=True)
    seller_read_at = models.DateTimeField(null=True, blank=True)
    owner_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["seller", "last_message_at", "id"], name="thread_seller_inbox_idx"
            ),
            models.Index(fields=["buyer", "last_message_at", "id"], name="thread_buyer_inbox_idx"),
            models.Index(fields=["last_message_at", "id"], name="thread_owner_inbox_idx"),
            models.Index(
                fields=["seller", "last_message_at"],
                name="thread_seller_unread_idx",
                condition=models.Q(seller_unread__gt=0),
            ),
            models.Index(
                fields=["buyer", "last_message_at"],
                name="thread_buyer_unread_idx",
                condition=models.Q(buyer_unread__gt=0),
            ),
            models.Index(
                fields=["last_message_at"],
                name="thread_owner_unread_idx",
                condition=models.Q(owner_unread__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"thread of {self.seller_order_id}"


class Message(models.Model):
    """One message in a thread: text, attachments, or both. Messages are never edited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author_party = models.CharField(max_length=10, choices=Party.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The author's own name, which only the owner is shown (see messaging.representation).
    author_label = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["thread", "created_at", "id"], name="message_thread_idx")]

    def __str__(self) -> str:
        return f"{self.author_party} in {self.thread_id}"


class MessageAttachment(models.Model):
    """A file sent with a message, in the order it was attached; a file belongs to one message."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attached")
    attachment = models.OneToOneField(
        Attachment, on_delete=models.PROTECT, related_name="message_link"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "position"], name="message_attachment_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attachment_id} on {self.message_id}"


class ReplyTemplate(TimeStampedModel):
    """A seller's own canned reply, with ``{placeholder}`` names checked when saved
    (``messaging.reply_templates``); the built-in ones are not rows."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "name"], name="reply_template_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
