"""Returns on the order page, which other views render: each seller order's returns, with the
forms the lifecycle allows the viewer now, and the request form.

The order's returns load once per page (kept on the request), so the order page costs the same
queries however many seller orders it has.
"""

from __future__ import annotations

from typing import Any

from django import template

from tradepost.core.actors import Actor, Role
from tradepost.dashboard.return_forms import return_form
from tradepost.payments.policy import is_refundable_status
from tradepost.returns.representation import return_data
from tradepost.returns.selectors import order_returnable, order_returns

register = template.Library()

ACTION_LABELS = {
    "authorize": "Authorise return",
    "decline": "Decline return",
    "ship_back": "I sent it back",
    "receive": "Mark received",
    "refund": "Refund returned items",
    "exchange": "Ship a replacement",
    "withdraw": "Withdraw return",
}


def request_key(reference: str) -> str:
    """How a refused request form names its seller order in ``render_order_detail``."""
    return f"return-request:{reference.upper()}"


def return_key(return_id: str) -> str:
    return f"return:{return_id}"


def _order_returns(context: Any, viewer: Actor) -> dict[str, Any]:
    request, number = context["request"], context["order"]["number"]
    cached: dict[str, dict[str, Any]] = getattr(request, "_order_returns", {})
    if number not in cached:
        cached[number] = {
            "returns": order_returns(actor=viewer, number=number),
            "returnable": order_returnable(actor=viewer, number=number)
            if viewer.role in (Role.BUYER, Role.OWNER)
            else {},
        }
        request._order_returns = cached
    return cached[number]


def _failed_form(failed: dict[str, Any], key: str, action: str) -> Any:
    if failed.get("key") == key and failed.get("action") == action:
        return failed.get("form")
    return None


@register.simple_tag(takes_context=True)
def seller_order_returns(context: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """The seller order's returns with a form per step the viewer may take, and the request
    form when the viewer may ask for one; a refused form comes back with its errors."""
    viewer = context.get("viewer")
    if not isinstance(viewer, Actor):
        return {}
    failed = context.get("failed") or {}
    loaded = _order_returns(context, viewer)
    reference = part["reference"]
    views = []
    for ret in loaded["returns"].get(reference, []):
        data = return_data(ret, viewer)
        key = return_key(data["id"])
        forms = {
            action: _failed_form(failed, key, action) or return_form(action, f"ret-{data['id']}")
            for action in data["actions"]
        }
        message = failed.get("message", "") if failed.get("key") == key else ""
        views.append({"ret": data, "forms": forms, "message": message})
    returnable = loaded["returnable"].get(reference, {})
    lines = [
        {"sku": line["sku"], "title": line["title"], "returnable": returnable.get(line["sku"], 0)}
        for line in part["lines"]
    ]
    panel: dict[str, Any] = {"returns": views, "lines": lines, "request_form": None}
    open_to_returns = is_refundable_status(part["status"]) and any(
        line["returnable"] for line in lines
    )
    if open_to_returns and viewer.role in (Role.BUYER, Role.OWNER):
        key = request_key(reference)
        panel["request_form"] = _failed_form(failed, key, "request") or return_form(
            "request", f"ret-{reference}"
        )
        panel["message"] = failed.get("message", "") if failed.get("key") == key else ""
    return panel


@register.filter
def return_action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())
