"""The owner's email templates: the list, and one template's editor with a preview on a real order.

Saving and previewing call the notifications services and selectors; their errors (an unknown
placeholder, an unmatched brace, an order that does not exist) show next to the field at fault.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.notifications.email_templates import PLACEHOLDERS
from tradepost.notifications.rendering import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH
from tradepost.notifications.selectors import (
    EmailPreview,
    EmailTemplateView,
    email_template_get,
    email_template_list,
    email_template_preview,
)
from tradepost.notifications.services import email_template_reset, email_template_update
from tradepost.orders.selectors import OrderFilters, order_list

RECENT_ORDERS = 10


class EmailTemplateForm(forms.Form):
    subject = forms.CharField(max_length=SUBJECT_MAX_LENGTH, strip=False)
    body = forms.CharField(
        max_length=BODY_MAX_LENGTH, strip=False, widget=forms.Textarea(attrs={"rows": 14})
    )


class PreviewForm(forms.Form):
    order = forms.CharField(
        max_length=32,
        label="Order number",
        widget=forms.TextInput(attrs={"list": "recent-orders", "autocomplete": "off"}),
    )
    seller_order = forms.CharField(max_length=40, required=False, label="Seller order (optional)")


@with_actor(Role.OWNER)
def email_template_list_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    templates = email_template_list(actor=actor)
    return render(request, "dashboard/email_templates.html", {"templates": templates})


@with_actor(Role.OWNER)
def email_template_page(request: HttpRequest, actor: Actor, key: str) -> HttpResponse:
    """GET shows the wording in force; POST saves a new wording."""
    try:
        view = email_template_get(actor=actor, key=key)
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    if request.method != "POST":
        form = EmailTemplateForm(initial={"subject": view.subject, "body": view.body})
        return _editor(request, actor, view, form, PreviewForm())
    form, preview_form = EmailTemplateForm(request.POST), PreviewForm()
    if not form.is_valid():
        return _editor(request, actor, view, form, preview_form, status=422)
    try:
        email_template_update(actor=actor, key=key, **form.cleaned_data)
    except ValidationFailed as error:
        _place(error, form)
        return _editor(request, actor, view, form, preview_form, status=error.status)
    messages.success(request, f"“{view.spec.title}” saved; emails from now on use it.")
    return redirect("dashboard:email_template", key=key)


@require_POST
@with_actor(Role.OWNER)
def email_template_preview_page(request: HttpRequest, actor: Actor, key: str) -> HttpResponse:
    """The draft in the form, filled in with a real order's values; nothing is saved or sent."""
    try:
        view = email_template_get(actor=actor, key=key)
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    form, preview_form = EmailTemplateForm(request.POST), PreviewForm(request.POST)
    valid = [f.is_valid() for f in (form, preview_form)]  # both, so both show their errors
    if not all(valid):
        return _editor(request, actor, view, form, preview_form, status=422)
    try:
        preview = email_template_preview(
            actor=actor,
            key=key,
            number=preview_form.cleaned_data["order"],
            seller_order=preview_form.cleaned_data["seller_order"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
    except NotFound as error:
        preview_form.add_error("order", error.detail)
        return _editor(request, actor, view, form, preview_form, status=404)
    except ValidationFailed as error:
        _place(error, form, preview_form)
        return _editor(request, actor, view, form, preview_form, status=error.status)
    return _editor(request, actor, view, form, preview_form, preview=preview)


@require_POST
@with_actor(Role.OWNER)
def email_template_reset_page(request: HttpRequest, actor: Actor, key: str) -> HttpResponse:
    try:
        view = email_template_reset(actor=actor, key=key)
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    messages.success(request, f"“{view.spec.title}” is back to the default wording.")
    return redirect("dashboard:email_template", key=key)


def _recent_orders(actor: Actor) -> list[str]:
    page = order_list(
        actor=actor, filters=OrderFilters(), sort="-created_at", limit=RECENT_ORDERS, cursor=None
    )
    return [order.number for order in page.items]


def _place(error: ValidationFailed, *candidates: forms.Form) -> None:
    """Each problem goes next to its field; one no form has goes at the top of the first."""
    for problem in error.extra.get("errors", []):
        form = next((f for f in candidates if problem["field"] in f.fields), None)
        if form is None:
            candidates[0].add_error(None, problem["message"])
        else:
            form.add_error(problem["field"], problem["message"])


def _editor(
    request: HttpRequest,
    actor: Actor,
    view: EmailTemplateView,
    form: EmailTemplateForm,
    preview_form: PreviewForm,
    *,
    preview: EmailPreview | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole page, or only the editor when htmx previews in place."""
    recent = _recent_orders(actor)
    if recent and not preview_form.is_bound:
        preview_form.initial.setdefault("order", recent[0])  # the newest, unless one is picked
    context = {
        "view": view,
        "form": form,
        "preview_form": preview_form,
        "preview": preview,
        "recent_orders": recent,
        "placeholders": [PLACEHOLDERS[name] for name in view.spec.placeholders],
    }
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        # htmx swaps only 2xx responses; the errors are in the editor it swaps in.
        partial = "dashboard/partials/_email_template_editor.html"
        return render(request, partial, context)
    return render(request, "dashboard/email_template.html", context, status=status)
