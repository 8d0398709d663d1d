"""The order page's after-sale panel for each seller order: its refunds, refund requests, line
cancellations and goodwill codes, the refund policy as it applies, and the forms the viewer may
use now (the owner's partial refund, the buyer's request, approve / decline, the seller's line
cancellation).

A fixed number of queries for the whole page, however many seller orders it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms

from tradepost.core.actors import Actor, Role
from tradepost.dashboard.refund_forms import after_sale_form
from tradepost.orders.cancellations import line_cancellation_data
from tradepost.orders.status import FulfilmentStatus
from tradepost.payments.policy import is_refundable_status
from tradepost.payments.representation import (
    discount_code_data,
    refund_data,
    refund_request_data,
)
from tradepost.payments.selectors import alternatives_for, order_after_sale
from tradepost.payments.status import RefundRequestStatus

CANCELABLE_LINES = (FulfilmentStatus.PENDING, FulfilmentStatus.PROCESSING)


@dataclass
class RequestView:
    request: dict[str, Any]
    forms: dict[str, forms.Form] = field(default_factory=dict)
    message: str = ""


@dataclass
class AfterSalePanel:
    refunds: list[dict[str, Any]] = field(default_factory=list)
    requests: list[RequestView] = field(default_factory=list)
    cancellations: list[dict[str, Any]] = field(default_factory=list)
    codes: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)  # sku, title, refundable, to_ship
    forms: dict[str, forms.Form] = field(default_factory=dict)
    window: dict[str, Any] | None = None  # the policy's deadline for this seller order
    message: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.refunds or self.requests or self.cancellations or self.codes)


def failure_key(reference: str) -> str:
    """How a refused after-sale form names its seller order in ``render_order_detail``."""
    return f"after-sale:{reference.upper()}"


def request_failure_key(request_id: str) -> str:
    return f"refund-request:{request_id}"


def attach_after_sale_panels(order: dict[str, Any], actor: Actor, failed: dict[str, Any]) -> None:
    """Give each seller order of the page its ``after_sale`` panel, and the order the policy."""
    after = order_after_sale(actor=actor, number=order["number"])
    order["refund_policy"] = after.policy or None
    windows = {w["reference"]: w for w in (after.policy or {}).get("seller_orders", [])}
    sellers = [so.seller_id for so in after.seller_orders.values()]
    alternatives = alternatives_for(actor=actor, seller_ids=sellers) if _cancels(actor) else {}
    for part in order["seller_orders"]:
        seller_order = after.seller_orders[part["reference"]]
        panel = AfterSalePanel(
            refunds=[refund_data(r, actor) for r in after.refunds.get(seller_order.pk, [])],
            cancellations=[
                line_cancellation_data(c) for c in after.cancellations.get(seller_order.pk, [])
            ],
            codes=[discount_code_data(c, actor) for c in after.codes.get(seller_order.pk, [])],
            lines=[_line(line) for line in part["lines"]],
            window=windows.get(part["reference"]),
        )
        requests = after.requests.get(seller_order.pk, [])
        panel.requests = [_request_view(r, actor, failed) for r in requests]
        open_request = any(r.status == RefundRequestStatus.REQUESTED for r in requests)
        names = _form_names(actor, part, panel, open_request=open_request)
        choices = [
            (str(listing.public_id), f"{listing.title} ({listing.sku})")
            for listing in alternatives.get(seller_order.seller_id, [])
        ]
        panel.forms = {
            name: after_sale_form(name, part["reference"], alternatives=choices) for name in names
        }
        if failed.get("key") == failure_key(part["reference"]):
            if failed.get("action") in panel.forms and failed.get("form") is not None:
                panel.forms[failed["action"]] = failed["form"]
            panel.message = failed.get("message", "")
        part["after_sale"] = panel


def _cancels(actor: Actor) -> bool:
    return actor.role in (Role.SELLER, Role.OWNER)


def _line(line: dict[str, Any]) -> dict[str, Any]:
    return {
        "sku": line["sku"],
        "title": line["title"],
        "refundable": line["quantity"] - line["quantity_refunded"],
        "to_ship": line["quantity"] - line["quantity_shipped"] - line["quantity_canceled"],
    }


def _form_names(
    actor: Actor, part: dict[str, Any], panel: AfterSalePanel, *, open_request: bool
) -> list[str]:
    """Which forms the viewer may use on this seller order now."""
    refundable = is_refundable_status(part["status"]) and (
        part["refunded_amount"] < part["total_amount"]
    )
    names = []
    if actor.role is Role.OWNER and refundable:
        names.append("refund")
    window_open = bool(panel.window and panel.window["requests_open"])
    if actor.role is Role.BUYER and refundable and window_open and not open_request:
        names.append("request")
    to_ship = any(line["to_ship"] for line in panel.lines)
    if _cancels(actor) and part["status"] in CANCELABLE_LINES and to_ship:
        names.append("cancel_lines")
    return names


def _request_view(request: Any, actor: Actor, failed: dict[str, Any]) -> RequestView:
    data = refund_request_data(request, actor)
    key = request_failure_key(data["id"])
    view = RequestView(
        request=data,
        forms={name: after_sale_form(name, f"rr-{data['id']}") for name in data["actions"]},
    )
    if failed.get("key") == key:
        if failed.get("action") in view.forms and failed.get("form") is not None:
            view.forms[failed["action"]] = failed["form"]
        view.message = failed.get("message", "")
    return view
