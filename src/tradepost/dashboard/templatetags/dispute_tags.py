"""Disputes on pages that other views render: the orders list's counters, and each seller order's
cases and open-a-case form on the order page. Each tag is one query, on the pages that use it."""

from __future__ import annotations

from typing import Any

from django import template

from tradepost.core.actors import Actor, Role
from tradepost.dashboard.dispute_forms import CaseOpenForm, ChargebackForm
from tradepost.disputes.representation import case_summary
from tradepost.disputes.selectors import DisputeCounts, cases_visible_to, dispute_counts
from tradepost.disputes.services import DISPUTABLE, OPENERS

register = template.Library()


@register.simple_tag(takes_context=True)
def open_disputes(context: dict[str, Any]) -> DisputeCounts | None:
    """Cases still waiting on someone, and those past due, for the owner and sellers."""
    viewer = context.get("viewer")
    if not isinstance(viewer, Actor) or viewer.role not in (Role.OWNER, Role.SELLER):
        return None
    return dispute_counts(actor=viewer)


def _order_cases(context: Any, viewer: Actor) -> dict[str, list[dict[str, Any]]]:
    """The order's cases by seller order, loaded once per page (kept on the request), so an
    order page costs the same queries however many seller orders it has."""
    request, number = context["request"], context["order"]["number"]
    cached: dict[str, dict[str, list[dict[str, Any]]]] = getattr(request, "_order_cases", {})
    if number not in cached:
        cases = (
            cases_visible_to(viewer)
            .filter(order__number=number)
            .select_related("order", "seller_order", "seller")
            .order_by("-created_at")
        )
        by_reference: dict[str, list[dict[str, Any]]] = {}
        for case in cases:
            by_reference.setdefault(case.seller_order.reference, []).append(
                case_summary(case, viewer)
            )
        cached[number] = by_reference
        request._order_cases = cached
    return cached[number]


@register.simple_tag(takes_context=True)
def seller_order_disputes(context: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """The seller order's cases, and the forms to open one (or record a chargeback) when the
    viewer may; a form refused by its service comes back with its errors."""
    viewer = context.get("viewer")
    if not isinstance(viewer, Actor):
        return {}
    reference = part["reference"]
    failed = context.get("failed") or {}
    disputable = part["status"] in DISPUTABLE
    panel: dict[str, Any] = {
        "cases": _order_cases(context, viewer).get(reference, []),
        "open_form": None,
        "chargeback_form": None,
        "message": failed.get("message", "")
        if str(failed.get("key", "")).endswith(reference)
        else "",
    }
    if disputable and viewer.role in OPENERS:
        panel["open_form"] = (
            failed["form"]
            if failed.get("key") == f"case-{reference}"
            else CaseOpenForm(auto_id=f"{reference}-case-%s")
        )
    if disputable and viewer.role is Role.OWNER:
        panel["chargeback_form"] = (
            failed["form"]
            if failed.get("key") == f"chargeback-{reference}"
            else ChargebackForm(auto_id=f"{reference}-chargeback-%s")
        )
    return panel


CASE_ACTION_LABELS = {
    "respond": "Answer",
    "message": "Add a message",
    "escalate": "Ask the marketplace to decide",
    "resolve": "Resolve",
    "reopen": "Reopen",
    "close": "Close the case",
}


@register.filter
def case_action_label(action: str) -> str:
    return CASE_ACTION_LABELS.get(action, action.replace("_", " ").capitalize())
