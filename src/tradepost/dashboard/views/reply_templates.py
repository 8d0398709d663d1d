"""A seller's reply templates: the built-in ones to read, its own to add, change and delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, PermissionDenied, ValidationFailed
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.messaging_forms import ReplyTemplateForm
from tradepost.messaging.reply_templates import PLACEHOLDERS
from tradepost.messaging.selectors import (
    ReplyTemplateView,
    reply_template_get,
    reply_template_list,
)
from tradepost.messaging.services import (
    reply_template_create,
    reply_template_delete,
    reply_template_update,
)


def _place(error: ValidationFailed, form: ReplyTemplateForm) -> None:
    for problem in error.extra.get("errors", []):
        field = problem["field"] if problem["field"] in form.fields else None
        form.add_error(field, problem["message"])


def _list_page(
    request: HttpRequest, actor: Actor, form: ReplyTemplateForm, status: int = 200
) -> HttpResponse:
    context = {
        "templates": reply_template_list(actor=actor),
        "form": form,
        "placeholders": PLACEHOLDERS,
    }
    return render(request, "dashboard/messaging/reply_templates.html", context, status=status)


@with_actor(Role.SELLER)
def reply_template_list_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """GET lists the templates with a form to add one; POST adds it."""
    if request.method != "POST":
        copy = request.GET.get("copy", "")
        initial = {}
        if copy:
            try:
                source = reply_template_get(actor=actor, template_id=copy)
            except NotFound:
                source = None
            if source is not None:
                initial = {"name": f"{source.name} (my wording)", "body": source.body}
        return _list_page(request, actor, ReplyTemplateForm(initial=initial))
    form = ReplyTemplateForm(request.POST)
    if not form.is_valid():
        return _list_page(request, actor, form, status=422)
    try:
        view = reply_template_create(actor=actor, **form.cleaned_data)
    except ValidationFailed as error:
        _place(error, form)
        return _list_page(request, actor, form, status=error.status)
    messages.success(request, f"Reply template “{view.name}” added.")
    return redirect("dashboard:reply_templates")


def _editor(
    request: HttpRequest,
    view: ReplyTemplateView,
    form: ReplyTemplateForm,
    status: int = 200,
) -> HttpResponse:
    context = {"template": view, "form": form, "placeholders": PLACEHOLDERS}
    return render(request, "dashboard/messaging/reply_template.html", context, status=status)


@with_actor(Role.SELLER)
def reply_template_page(request: HttpRequest, actor: Actor, template_id: str) -> HttpResponse:
    """GET shows one of the seller's own templates; POST saves the new wording."""
    try:
        view = reply_template_get(actor=actor, template_id=template_id)
    except NotFound:
        return render(request, "dashboard/not_found.html", status=404)
    if view.builtin:
        return redirect("dashboard:reply_templates")
    if request.method != "POST":
        return _editor(
            request, view, ReplyTemplateForm(initial={"name": view.name, "body": view.body})
        )
    form = ReplyTemplateForm(request.POST)
    if not form.is_valid():
        return _editor(request, view, form, status=422)
    try:
        saved = reply_template_update(actor=actor, template_id=template_id, **form.cleaned_data)
    except ValidationFailed as error:
        _place(error, form)
        return _editor(request, view, form, status=error.status)
    messages.success(request, f"Reply template “{saved.name}” saved.")
    return redirect("dashboard:reply_templates")


@require_POST
@with_actor(Role.SELLER)
def reply_template_delete_page(
    request: HttpRequest, actor: Actor, template_id: str
) -> HttpResponse:
    try:
        view = reply_template_get(actor=actor, template_id=template_id)
        reply_template_delete(actor=actor, template_id=template_id)
    except (NotFound, PermissionDenied):
        return render(request, "dashboard/not_found.html", status=404)
    messages.success(request, f"Reply template “{view.name}” deleted.")
    return redirect("dashboard:reply_templates")
