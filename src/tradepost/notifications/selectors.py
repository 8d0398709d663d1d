"""Reads for notifications, scoped to the actor: email templates and their previews (the owner's),
and the notifications on sellers' dashboards (a seller's own; the owner sees every seller's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from tradepost.catalog.selectors import marketplace_get, seller_get
from tradepost.core.actors import SYSTEM, Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.core.pagination import Page, paginate
from tradepost.notifications.email_templates import (
    PLACEHOLDERS,
    SPECS,
    EmailTemplateSpec,
    Recipient,
)
from tradepost.notifications.models import EmailTemplate, Notification
from tradepost.notifications.placeholders import (
    MarketplaceFacts,
    MessageAbout,
    part_of,
    placeholder_values,
)
from tradepost.notifications.rendering import subject_render, template_check, template_render
from tradepost.orders.representation import order_data
from tradepost.orders.selectors import order_get


@dataclass(frozen=True)
class EmailTemplateView:
    """A template as it is sent now: the owner's wording, or the default."""

    spec: EmailTemplateSpec
    subject: str
    body: str
    customized: bool
    updated_at: datetime | None


@dataclass(frozen=True)
class EmailPreview:
    key: str
    order_number: str
    to: list[str]
    subject: str
    body: str


def _require_owner(actor: Actor) -> None:
    # Templates are the marketplace's settings: for anyone else they do not exist.
    if actor.role not in (Role.OWNER, Role.SYSTEM):
        raise NotFound("No email templates.")


def _view(spec: EmailTemplateSpec, row: EmailTemplate | None) -> EmailTemplateView:
    if row is None:
        return EmailTemplateView(spec, spec.subject, spec.body, customized=False, updated_at=None)
    return EmailTemplateView(
        spec, row.subject, row.body, customized=True, updated_at=row.updated_at
    )


def email_template_list(*, actor: Actor) -> list[EmailTemplateView]:
    """Every email Tradepost sends, in the wording in force (one query)."""
    _require_owner(actor)
    rows = {row.key: row for row in EmailTemplate.objects.filter(key__in=SPECS)}
    return [_view(spec, rows.get(key)) for key, spec in SPECS.items()]


def email_template_get(*, actor: Actor, key: str) -> EmailTemplateView:
    _require_owner(actor)
    spec = SPECS.get(key)
    if spec is None:
        raise NotFound(f"No email template {key!r}; the templates are: {', '.join(SPECS)}.")
    return _view(spec, EmailTemplate.objects.filter(key=key).first())


def marketplace_facts() -> MarketplaceFacts:
    marketplace = marketplace_get()
    return MarketplaceFacts(marketplace.name, marketplace.delivery_estimate_days)


def email_template_preview(
    *,
    actor: Actor,
    key: str,
    number: str,
    seller_order: str = "",
    subject: str | None = None,
    body: str | None = None,
) -> EmailPreview:
    """The email as it would go out for a real order, in the saved wording or in a draft
    (checked as a save would be). Values the order has none of yet, such as a carrier before
    shipment, show an example."""
    view = email_template_get(actor=actor, key=key)
    spec = view.spec
    subject_text, body_text = template_check(
        subject=view.subject if subject is None else subject,
        body=view.body if body is None else body,
        allowed=spec.placeholders,
    )
    order = order_data(order_get(actor=actor, number=number), SYSTEM)
    about = _preview_subject(spec, order, seller_order)
    found = placeholder_values(about, marketplace_facts())
    values = {name: found.get(name) or PLACEHOLDERS[name].example for name in spec.placeholders}
    return EmailPreview(
        key=key,
        order_number=order["number"],
        to=_preview_recipients(spec, about, actor),
        subject=subject_render(subject_text, values),
        body=template_render(body_text, values),
    )


def _preview_subject(
    spec: EmailTemplateSpec, order: dict[str, Any], reference: str
) -> MessageAbout:
    """Emails about one seller's part preview that part: the one named, else the first."""
    if "seller_order" not in spec.placeholders:
        return MessageAbout(order)
    part = part_of(order, reference.strip().upper()) if reference else order["seller_orders"][0]
    if part is None:
        raise ValidationFailed("seller_order", f"{reference} is not part of {order['number']}")
    refund = None
    if spec.key == "refund_issued":
        amount = part["refunded_amount"] or part["total_amount"]
        refund = {"amount": amount, "currency": order["currency"], "reason": ""}
    return MessageAbout(order, part, refund)


def _preview_recipients(spec: EmailTemplateSpec, about: MessageAbout, actor: Actor) -> list[str]:
    if spec.recipient is Recipient.BUYER:
        return [about.order["buyer"]["email"]]
    assert about.part is not None  # seller emails are about a part
    return [seller_get(actor=actor, slug=about.part["seller"]["slug"]).email]


def notifications_visible_to(actor: Actor) -> QuerySet[Notification]:
    """A seller's members see its notifications; the owner every seller's; buyers none."""
    notifications = Notification.objects.select_related("seller")
    if actor.role is Role.SELLER:
        return notifications.filter(seller_id=actor.seller_pk)
    if actor.role in (Role.OWNER, Role.SYSTEM):
        return notifications
    return notifications.none()


def notification_list(
    *, actor: Actor, unread_only: bool = False, limit: int, cursor: str | None
) -> Page[Notification]:
    """Newest first, by cursor (one query)."""
    notifications = notifications_visible_to(actor)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return paginate(notifications, sort="-created_at", limit=limit, cursor=cursor)


def notification_unread_count(*, actor: Actor) -> int:
    """One COUNT on a partial index: cheap enough for every page's navigation."""
    if actor.role is Role.BUYER:
        return 0
    return notifications_visible_to(actor).filter(read_at__isnull=True).count()


def notification_get(*, actor: Actor, notification_id: UUID | str) -> Notification:
    try:
        public_id = UUID(str(notification_id))
    except ValueError:
        raise NotFound(f"No notification {notification_id}.") from None
    notification = notifications_visible_to(actor).filter(public_id=public_id).first()
    if notification is None:
        raise NotFound(f"No notification {notification_id}.")
    return notification
