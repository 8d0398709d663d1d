"""The order page's messages: for each seller order, its thread with the latest messages and the
form to write, then everything shown is marked read for the viewer's party.

A fixed number of queries for the whole page, however many seller orders and messages it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms

from tradepost.core.actors import Actor, Role
from tradepost.dashboard.messaging_forms import message_form
from tradepost.messaging.representation import message_data
from tradepost.messaging.selectors import (
    ReplyTemplateView,
    ThreadView,
    order_threads,
    reply_template_list,
)
from tradepost.messaging.services import threads_mark_read

LATEST_MESSAGES = 20


@dataclass
class ThreadPanel:
    reference: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    message_count: int = 0
    unread_count: int = 0  # before this view marked them read
    owner_joined: bool = False
    form: forms.Form | None = None
    reply_templates: list[ReplyTemplateView] = field(default_factory=list)

    @property
    def earlier(self) -> int:
        return self.message_count - len(self.messages)


def failure_key(reference: str) -> str:
    """How a refused message names its seller order in ``render_order_detail(failed=…)``."""
    return f"message:{reference}"


def attach_thread_panels(order: dict[str, Any], actor: Actor, failed: dict[str, Any]) -> None:
    """Give each seller order of the page its ``thread_panel``, then mark what it shows read."""
    parts = order["seller_orders"]
    views = order_threads(
        actor=actor, references=[p["reference"] for p in parts], latest=LATEST_MESSAGES
    )
    templates = reply_template_list(actor=actor) if actor.role is Role.SELLER else []
    for part in parts:
        reference = part["reference"]
        view = views.get(reference)
        panel = _panel(reference, view)
        panel.reply_templates = templates
        if failed.get("key") == failure_key(reference):
            panel.form = failed["form"]
        part["thread_panel"] = panel
    threads_mark_read(actor=actor, threads=[v.thread for v in views.values() if v.thread])


def _panel(reference: str, view: ThreadView | None) -> ThreadPanel:
    panel = ThreadPanel(reference=reference, form=message_form(reference))
    if view is None or view.thread is None:
        return panel
    panel.messages = [message_data(message, view) for message in view.messages]
    panel.message_count = view.message_count
    panel.unread_count = view.unread_count
    panel.owner_joined = view.thread.owner_joined_at is not None
    return panel
