"""The emails Tradepost sends: for each, who gets it, when, its placeholders and default wording.

The owner may reword any of them (``EmailTemplate`` rows); these defaults apply until then and
again after a reset. The shipment and delivery defaults are the product documents' own messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Recipient(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"


@dataclass(frozen=True)
class Placeholder:
    name: str
    meaning: str
    example: str  # shown in previews where the chosen order has no such value yet


@dataclass(frozen=True)
class EmailTemplateSpec:
    key: str
    title: str
    recipient: Recipient
    sent_when: str
    placeholders: tuple[str, ...]
    subject: str
    body: str


PLACEHOLDERS: dict[str, Placeholder] = {
    p.name: p
    for p in (
        Placeholder("customer_name", "The buyer's name, as given at checkout.", "John Doe"),
        Placeholder(
            "product_name",
            "What the email is about, by title: 'Mug', 'Mug and Bowl', 'Mug, Bowl and 2 more'.",
            "Stoneware mug",
        ),
        Placeholder(
            "items",
            "One line per item: quantity, title and line total; then the goodwill discount, "
            "if the order used a code.",
            "  2 \N{MULTIPLICATION SIGN} Stoneware mug — $25.00",
        ),
        Placeholder(
            "delivery_days",
            "Days to delivery: the marketplace's delivery_estimate_days setting.",
            "5",
        ),
        Placeholder("carrier", "The carrier of the parcels.", "UPS"),
        Placeholder(
            "tracking_number",
            "The parcels' tracking numbers ('not provided' for untracked parcels).",
            "1Z999AA10123456784",
        ),
        Placeholder(
            "tracking_url",
            "The carrier's tracking page, or the order page when the seller gave none.",
            "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        ),
        Placeholder("order_number", "The order's number.", "ORD-1234"),
        Placeholder("seller_order", "The seller's part of the order.", "ORD-1234-1"),
        Placeholder(
            "order_url",
            "The order's page on the dashboard (sign-in required).",
            "https://market.example/dashboard/orders/ORD-1234/",
        ),
        Placeholder(
            "retry_url",
            "Where the buyer pays again: the order's page, with its Retry payment button.",
            "https://market.example/dashboard/orders/ORD-1234/",
        ),
        Placeholder("seller_name", "The seller's name.", "Northwind Ceramics"),
        Placeholder(
            "total",
            "The amount concerned: what the buyer paid or owes; for a seller, its own part.",
            "$85.00",
        ),
        Placeholder("refund_amount", "The amount refunded.", "$25.00"),
        Placeholder(
            "reason",
            "Why: the cancellation reason, or the refund reason.",
            "Out of stock",
        ),
        Placeholder(
            "acknowledge_by",
            "When the seller must acknowledge the order by (UTC).",
            "Tue 3 Dec 2026, 14:00 UTC",
        ),
        Placeholder(
            "ship_by",
            "When the seller must ship the order by (UTC).",
            "Thu 5 Dec 2026, 14:00 UTC",
        ),
        Placeholder("marketplace_name", "The marketplace's name.", "Tradepost Marketplace"),
        Placeholder(
            "return_items",
            "The units of a return, one per line: quantity and title.",
            "  1 \N{MULTIPLICATION SIGN} Stoneware mug",
        ),
        Placeholder(
            "return_address",
            "Where the buyer sends a return, as the seller or owner gave it.",
            "Northwind Ceramics, 2 Kiln Lane, 12345 Springfield, US",
        ),
        Placeholder(
            "return_instructions",
            "How to pack and send a return ('none given' when there are none), and its label.",
            "Pack it in the original box; the prepaid UPS label is 1Z999AA10123456784.",
        ),
        Placeholder(
            "message",
            "The new message's text (for a seller, any buyer address in it is masked).",
            "Hello, could you ship it in a gift box?",
        ),
        Placeholder(
            "sender_name",
            "Who wrote the message: the seller's or the buyer's name, or the marketplace.",
            "Northwind Ceramics",
        ),
    )
}

SIGNATURE = "\n\n— {marketplace_name}\n"

_PART = ("customer_name", "product_name", "order_number", "seller_order", "order_url")

# Sent by the worker's SLA automation (orders.automation), and after the sale: refund request
# decisions and new messages. Buyer-facing wording follows the seeds: apologise, inform, offer help.
AUTOMATION_SPECS: tuple[EmailTemplateSpec, ...] = (
    EmailTemplateSpec(
        key="seller_acknowledge_reminder",
        title="Reminder: acknowledge",
        recipient=Recipient.SELLER,
        sent_when="order.sla_reminder: the acknowledgement is due within the reminder hours "
        "(or overdue) and the seller has not acknowledged.",
        placeholders=(*_PART, "seller_name", "items", "acknowledge_by", "marketplace_name"),
        subject="Reminder: please acknowledge order {order_number} by {acknowledge_by}",
        body=(
            "Hello {seller_name},\n\n"
            "{customer_name}'s order {seller_order} is waiting for you:\n\n"
            "{items}\n\n"
            "Please acknowledge it by {acknowledge_by}, so the buyer knows it is being prepared.\n"
            "Open the order: {order_url}" + SIGNATURE
        ),
    ),
    EmailTemplateSpec(
        key="seller_ship_reminder",
        title="Reminder: ship",
        recipient=Recipient.SELLER,
        sent_when="order.sla_reminder: shipping is due within the reminder hours (or overdue) "
        "and not everything has shipped.",
        placeholders=(*_PART, "seller_name", "items", "ship_by", "marketplace_name"),
        subject="Reminder: please ship order {order_number} by {ship_by}",
        body=(
            "Hello {seller_name},\n\n"
            "{customer_name}'s order {seller_order} is due to ship by {ship_by}:\n\n"
            "{items}\n\n"
            "Please ship it and add the tracking number, or message the buyer if it will be "
            "late.\nOpen the order: {order_url}" + SIGNATURE
        ),
    ),
    EmailTemplateSpec(
        key="order_delayed",
        title="Delay",
        recipient=Recipient.BUYER,
        sent_when="order.late: a seller's part was not shipped by its ship-by time.",
        placeholders=(*_PART, "seller_name", "ship_by", "marketplace_name"),
        subject="An update on your order {order_number}",
        body=(
            "Hello {customer_name},\n\n"
            "We're sorry: your order for {product_name} from {seller_name} has not shipped yet. "
            "It was due to ship by {ship_by}.\n\n"
            "We have reminded the seller and are following it up. We will email you as soon as "
            "it is on its way. If you have a question, or would rather not wait, write to the "
            "seller or to us from your order page: {order_url}\n\n"
            "Thank you for your patience." + SIGNATURE
        ),
    ),
    EmailTemplateSpec(
        key="delivery_confirmation",
        title="Confirm delivery",
        recipient=Recipient.BUYER,
        sent_when="order.delivery_confirmation_requested: the delivery estimate has passed "
        "since shipment and the buyer has not confirmed delivery.",
        placeholders=(*_PART, "seller_name", "delivery_days", "marketplace_name"),
        subject="Has your order {order_number} arrived?",
        body=(
            "Hello {customer_name},\n\n"
            "Your order for {product_name} from {seller_name} should have arrived by now. "
            "If it has, please confirm delivery on your order page; if something is wrong, "
            "tell us there and we will help: {order_url}" + SIGNATURE
        ),
    ),
    EmailTemplateSpec(
        key="refund_request_approved",
        title="Refund request approved",
        recipient=Recipient.BUYER,
        sent_when="refund_request.approved: the seller or the owner granted the buyer's request.",
        placeholders=(*_PART, "seller_name", "refund_amount", "reason", "marketplace_name"),
        subject="Your refund request for order {order_number} is approved",
        body=(
            "Hello {customer_name},\n\n"
            "Good news: your refund request for {product_name} ({seller_order}) is approved, and "
            "we have refunded {refund_amount} (reason: {reason}). Depending on your bank, it "
            "takes a few days to appear on your statement.\n\n"
            "Your order: {order_url}" + SIGNATURE
        ),
    ),
    EmailTemplateSpec(
        key="refund_request_declined",
        title="Refund request declined",
        recipient=Recipient.BUYER,
        sent_when="refund_request.declined: the seller or the owner turned the request down.",
        placeholders=(*_PART, "seller_name", "reason", "marketplace_name"),
        subject="About your refund request for order {order_number}",
        body=(
            "Hello {customer_name},\n\n"
            "We're sorry: your refund request for {product_name} ({seller_order}) was declined."
            "\n\nThe reason given: {reason}\n\n"
            "If you disagree, reply on your order page or open a dispute there, and the "
            "marketplace will look at it: {order_url}" + SIGNATURE
        ),
    ),
    EmailTemplateSpec(
        key="new_message_buyer",
        title="New message (to the buyer)",
        recipient=Recipient.BUYER,
        sent_when="message.created: the seller or the marketplace wrote on the order's thread.",
        placeholders=(*_PART, "seller_name", "sender_name", "message", "marketplace_name"),
        subject="New message from {sender_name} about order {order_number}",
        body=(
            "Hello {customer_name},\n\n"
            "{sender_name} wrote about your order {seller_order}:\n\n"
            "{message}\n\n"
            "Reply on your order page: {order_url}" + SIGNATURE
        ),
    ),
    EmailTemplateSpec(
        key="new_message_seller",
        title="New message (to the seller)",
        recipient=Recipient.SELLER,
        sent_when="message.created: the buyer or the marketplace wrote on the order's thread.",
        placeholders=(*_PART, "seller_name", "sender_name", "message", "marketplace_name"),
        subject="New message from {sender_name} about order {seller_order}",
        body=(
            "Hello {seller_name},\n\n"
            "{sender_name} wrote about order {seller_order}:\n\n"
            "{message}\n\n"
            "Reply on the order page (the buyer's email address is not shared; answer in "
            "Tradepost): {order_url}" + SIGNATURE
        ),
    ),
)
# What every email about a return may say.
RETURN_PLACEHOLDERS: tuple[str, ...] = (
    "customer_name",
    "order_number",
    "seller_order",
    "seller_name",
    "return_items",
    "return_address",
    "return_instructions",
    "delivery_days",
    "order_url",
    "marketplace_name",
)

SPECS: dict[str, EmailTemplateSpec] = {
    spec.key: spec
    for spec in (
        EmailTemplateSpec(
            key="seller_new_order",
            title="New paid order",
            recipient=Recipient.SELLER,
            sent_when="order.paid: to each seller with a part in the order, its own lines only.",
            placeholders=(
                "seller_name",
                "customer_name",
                "order_number",
                "seller_order",
                "items",
                "product_name",
                "total",
                "acknowledge_by",
                "ship_by",
                "order_url",
                "marketplace_name",
            ),
            subject="New order {order_number}: please acknowledge it",
            body=(
                "Hello {seller_name},\n\n"
                "{customer_name} has placed and paid an order with you ({seller_order}):\n\n"
                "{items}\n\n"
                "Your total: {total}\n\n"
                "Please acknowledge it by {acknowledge_by} and ship it by {ship_by}.\n"
                "Open the order: {order_url}" + SIGNATURE
            ),
        ),
        EmailTemplateSpec(
            key="order_confirmed",
            title="Order confirmation",
            recipient=Recipient.BUYER,
            sent_when="order.paid: the payment succeeded.",
            placeholders=(
                "customer_name",
                "order_number",
                "items",
                "product_name",
                "total",
                "order_url",
                "marketplace_name",
            ),
            subject="Your order {order_number} is confirmed",
            body=(
                "Hello {customer_name},\n\n"
                "Thank you for your order {order_number}. We received your payment of {total}, "
                "and your order is being prepared:\n\n"
                "{items}\n\n"
                "Follow your order: {order_url}" + SIGNATURE
            ),
        ),
        EmailTemplateSpec(
            key="payment_failed",
            title="Payment failed",
            recipient=Recipient.BUYER,
            sent_when="order.payment_failed: the payment provider refused the payment.",
            placeholders=(
                "customer_name",
                "order_number",
                "product_name",
                "total",
                "retry_url",
                "order_url",
                "marketplace_name",
            ),
            subject="Payment failed for your order {order_number}",
            body=(
                "Hello {customer_name},\n\n"
                "We could not take the payment of {total} for your order {order_number} "
                "({product_name}). Nothing was charged, and your items are still reserved.\n\n"
                "Please try again: {retry_url}" + SIGNATURE
            ),
        ),
        EmailTemplateSpec(
            key="order_shipped",
            title="Shipped",
            recipient=Recipient.BUYER,
            sent_when="order.shipped: a seller's last parcel of the order left.",
            placeholders=(
                "customer_name",
                "product_name",
                "delivery_days",
                "carrier",
                "tracking_number",
                "tracking_url",
                "order_number",
                "seller_order",
                "order_url",
                "seller_name",
                "marketplace_name",
            ),
            subject="Your order {order_number} has been shipped",
            body=(
                "Hello {customer_name}, your order for {product_name} has been shipped! "
                "You can expect delivery in {delivery_days} days. "
                "Thank you for shopping with us!\n\n"
                "Carrier: {carrier}\n"
                "Tracking number: {tracking_number}\n"
                "Track it: {tracking_url}\n\n"
                "Your order: {order_url}" + SIGNATURE
            ),
        ),
        EmailTemplateSpec(
            key="order_delivered",
            title="Delivered",
            recipient=Recipient.BUYER,
            sent_when="order.delivered: the seller or carrier reports the parcels delivered.",
            placeholders=(
                "customer_name",
                "product_name",
                "order_number",
                "seller_order",
                "order_url",
                "seller_name",
                "marketplace_name",
            ),
            subject="Your order {order_number} has been delivered",
            body=(
                "Hello {customer_name}, we hope you received your order in perfect condition! "
                "Let us know if you need any assistance. We'd also love to hear your feedback!\n\n"
                "Confirm delivery, or tell us about a problem: {order_url}" + SIGNATURE
            ),
        ),
        EmailTemplateSpec(
            key="review_invitation",
            title="Review invitation",
            recipient=Recipient.BUYER,
            sent_when="order.completed: a seller's part is complete; the buyer may review it.",
            placeholders=(
                "customer_name",
                "product_name",
                "order_number",
                "seller_order",
                "order_url",
                "seller_name",
                "marketplace_name",
            ),
            subject="How was your order from {seller_name}?",
            body=(
                "Hello {customer_name}, we hope you are enjoying your {product_name}! "
                "How was your experience with {seller_name}? We'd love to hear your feedback: "
                "leave a review of your order {order_number}. It takes a minute and helps other "
                "buyers shop with confidence.\n\n"
                "Rate your order: {order_url}\n\n"
                "Thank you for shopping with us!" + SIGNATURE
            ),
        ),
        EmailTemplateSpec(
            key="order_canceled",
            title="Canceled",
            recipient=Recipient.BUYER,
            sent_when="order.canceled: a seller's part of the order was canceled, by anyone.",
            placeholders=(
                "customer_name",
                "product_name",
                "order_number",
                "seller_order",
                "order_url",
                "seller_name",
                "reason",
                "marketplace_name",
            ),
            subject="Your order {order_number} has been canceled",
            body=(
                "Hello {customer_name},\n\n"
                "Your order for {product_name} from {seller_name} ({seller_order}) "
                "has been canceled.\n\n"
                "Reason: {reason}\n\n"
                "Anything you paid for it is refunded in full; a separate email confirms the "
                "refund.\n"
                "Your order: {order_url}" + SIGNATURE
            ),
        ),
        EmailTemplateSpec(
            key="refund_issued",
            title="Refund issued",
            recipient=Recipient.BUYER,
            sent_when="refund.created: any refund, full or partial, also after a cancellation.",
            placeholders=(
                "customer_name",
                "product_name",
                "order_number",
                "seller_order",
                "order_url",
                "seller_name",
                "refund_amount",
                "reason",
                "marketplace_name",
            ),
            subject="Refund of {refund_amount} for your order {order_number}",
            body=(
                "Hello {customer_name},\n\n"
                "We have refunded {refund_amount} for {product_name} from your order "
                "{order_number} (reason: {reason}). Depending on your bank, it takes a few days "
                "to appear on your statement.\n\n"
                "Your order: {order_url}" + SIGNATURE
            ),
        ),
        *AUTOMATION_SPECS,
        EmailTemplateSpec(
            key="return_authorized",
            title="Return authorised",
            recipient=Recipient.BUYER,
            sent_when="return.authorized: the seller or owner accepted a return.",
            placeholders=RETURN_PLACEHOLDERS,
            subject="Your return for order {order_number} is accepted",
            body=(
                "Hello {customer_name},\n\n"
                "{seller_name} accepted your return of:\n\n"
                "{return_items}\n\n"
                "Please send the items to:\n{return_address}\n\n"
                "Instructions: {return_instructions}\n\n"
                "Once the parcel is on its way, add its carrier and tracking number on your "
                "order page: {order_url}" + SIGNATURE
            ),
        ),
        EmailTemplateSpec(
            key="return_declined",
            title="Return declined",
            recipient=Recipient.BUYER,
            sent_when="return.declined: the seller or owner turned a return down.",
            placeholders=(*RETURN_PLACEHOLDERS, "reason"),
            subject="Your return for order {order_number} was declined",
            body=(
                "Hello {customer_name},\n\n"
                "{seller_name} could not accept your return of:\n\n"
                "{return_items}\n\n"
                "Reason: {reason}\n\n"
                "If you think this is wrong, you can report a problem on your order page and "
                "the marketplace will look at it: {order_url}" + SIGNATURE
            ),
        ),
        EmailTemplateSpec(
            key="return_replacement_shipped",
            title="Replacement shipped",
            recipient=Recipient.BUYER,
            sent_when="return.exchanged: the returned items were inspected and a replacement "
            "parcel left.",
            placeholders=(*RETURN_PLACEHOLDERS, "carrier", "tracking_number", "tracking_url"),
            subject="Your replacement for order {order_number} has been shipped",
            body=(
                "Hello {customer_name},\n\n"
                "We received your return, and {seller_name} has shipped a replacement of:\n\n"
                "{return_items}\n\n"
                "Carrier: {carrier}\n"
                "Tracking number: {tracking_number}\n"
                "Track it: {tracking_url}\n\n"
                "You can expect delivery in {delivery_days} days. Your order: {order_url}"
                + SIGNATURE
            ),
        ),
    )
}

TEMPLATE_KEYS: tuple[str, ...] = tuple(SPECS)
