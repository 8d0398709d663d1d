"""The webhook pages, for the owner and sellers: endpoints (register, edit, enable or disable,
rotate the secret, delete, replay) and the delivery log, with a resend button per delivery.

Pages read through the webhooks selectors, so another seller's endpoint is the 404 page; each POST
calls one webhooks service. A signing secret appears only in the response to the POST that made
it — never in a redirect, a flash message or a URL — and that response is marked not to be stored.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tradepost.core.actors import Actor, Role
from tradepost.core.errors import DomainError, NotFound
from tradepost.dashboard.access import with_actor
from tradepost.dashboard.form_errors import place_error
from tradepost.dashboard.webhook_forms import (
    DeliveryFilterForm,
    EndpointEnabledForm,
    EndpointForm,
    ReplayForm,
)
from tradepost.webhooks import services
from tradepost.webhooks.models import WebhookEndpoint
from tradepost.webhooks.representation import delivery_data, endpoint_data
from tradepost.webhooks.selectors import delivery_list, endpoint_get, endpoint_list

MANAGERS = (Role.OWNER, Role.SELLER)
LOG_PAGE_SIZE = 25
OVERLAP_HOURS = int(services.ROTATION_OVERLAP.total_seconds() // 3600)


@require_http_methods(["GET", "POST"])
@with_actor(*MANAGERS)
def endpoint_list_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The viewer's endpoints and the form for a new one, which, once saved, shows its secret."""
    if request.method != "POST":
        return _render_list(request, actor, _new_endpoint_form())
    form = _new_endpoint_form(request.POST)
    if not form.is_valid():
        return _render_list(request, actor, form, status=422)
    try:
        made = services.endpoint_create(
            actor=actor,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
            event_types=form.cleaned_data["event_types"],
        )
    except DomainError as error:
        failed = place_error(form, error)
        return _render_list(request, actor, form, failed=failed, status=error.status)
    created = endpoint_data(made.endpoint, made.secret)
    return _render_list(request, actor, _new_endpoint_form(), created=created, status=201)


@require_http_methods(["GET", "POST"])
@with_actor(*MANAGERS)
def endpoint_page(request: HttpRequest, actor: Actor, endpoint_id: UUID) -> HttpResponse:
    """The endpoint, what may be done with it, and its delivery log; a POST saves the settings."""
    try:
        endpoint = endpoint_get(actor=actor, endpoint_id=endpoint_id)
    except NotFound:
        return _not_found(request)
    if request.method != "POST":
        return _render_endpoint(request, actor, endpoint)
    form = _edit_endpoint_form(endpoint, request.POST)
    if not form.is_valid():
        return _render_endpoint(request, actor, endpoint, edit_form=form, status=422)
    try:
        services.endpoint_update(actor=actor, endpoint_id=endpoint_id, changes=form.changes())
    except DomainError as error:
        failed = {"where": "edit", "message": place_error(form, error)}
        return _refused(request, actor, endpoint, error, edit_form=form, failed=failed)
    messages.success(request, "Endpoint saved.")
    return redirect("dashboard:webhook", endpoint_id=endpoint_id)


@require_POST
@with_actor(*MANAGERS)
def endpoint_enabled(request: HttpRequest, actor: Actor, endpoint_id: UUID) -> HttpResponse:
    form = EndpointEnabledForm(request.POST)
    form.is_valid()  # one optional checkbox: always valid, absent means off
    enabled = form.cleaned_data["enabled"]
    try:
        services.endpoint_update(actor=actor, endpoint_id=endpoint_id, changes={"enabled": enabled})
    except DomainError as error:
        return _refused_by_id(request, actor, endpoint_id, error, where="page")
    if enabled:
        messages.success(request, "Endpoint enabled: new events go to it again.")
    else:
        messages.success(request, "Endpoint disabled: its pending deliveries are canceled.")
    return redirect("dashboard:webhook", endpoint_id=endpoint_id)


@require_POST
@with_actor(*MANAGERS)
def endpoint_rotate_secret(request: HttpRequest, actor: Actor, endpoint_id: UUID) -> HttpResponse:
    try:
        made = services.endpoint_rotate_secret(actor=actor, endpoint_id=endpoint_id)
    except DomainError as error:
        return _refused_by_id(request, actor, endpoint_id, error, where="page")
    return _render_endpoint(request, actor, made.endpoint, secret=made.secret)


@require_POST
@with_actor(*MANAGERS)
def endpoint_replay(request: HttpRequest, actor: Actor, endpoint_id: UUID) -> HttpResponse:
    """Queue again every event since the chosen time that the endpoint subscribes to."""
    form = ReplayForm(request.POST, auto_id="replay-%s")
    if not form.is_valid():
        return _endpoint_page_by_id(request, actor, endpoint_id, replay_form=form, status=422)
    try:
        queued = services.endpoint_replay(
            actor=actor, endpoint_id=endpoint_id, since=form.cleaned_data["since"]
        )
    except DomainError as error:
        failed = {"where": "replay", "message": place_error(form, error)}
        return _refused_by_id(request, actor, endpoint_id, error, replay_form=form, failed=failed)
    count = len(queued)
    messages.success(request, f"Replay: {count} {'event' if count == 1 else 'events'} queued.")
    return redirect("dashboard:webhook", endpoint_id=endpoint_id)


@require_http_methods(["GET", "POST"])
@with_actor(*MANAGERS)
def endpoint_delete_page(request: HttpRequest, actor: Actor, endpoint_id: UUID) -> HttpResponse:
    """GET asks to confirm; POST deletes the endpoint, and its delivery log with it."""
    if request.method == "POST":
        try:
            services.endpoint_delete(actor=actor, endpoint_id=endpoint_id)
        except NotFound:
            return _not_found(request)
        messages.success(request, "Endpoint deleted, with its delivery log.")
        return redirect("dashboard:webhooks")
    try:
        endpoint = endpoint_get(actor=actor, endpoint_id=endpoint_id)
    except NotFound:
        return _not_found(request)
    context = {"endpoint": endpoint_data(endpoint)}
    return render(request, "dashboard/webhooks/endpoint_delete.html", context)


@require_POST
@with_actor(*MANAGERS)
def endpoint_resend(
    request: HttpRequest, actor: Actor, endpoint_id: UUID, delivery_id: UUID
) -> HttpResponse:
    """Resend from an endpoint's log, then show the same page of it, with the same filters."""
    try:
        services.delivery_resend(actor=actor, delivery_id=delivery_id)
    except DomainError as error:
        return _refused_by_id(request, actor, endpoint_id, error, where="log")
    messages.success(request, "Delivery queued to be sent again.")
    return _back(request, reverse("dashboard:webhook", kwargs={"endpoint_id": endpoint_id}))


@require_GET
@with_actor(*MANAGERS)
def delivery_log_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Every delivery the viewer may see, across its endpoints, filtered by endpoint too."""
    return _render_delivery_log(request, actor)


@require_POST
@with_actor(*MANAGERS)
def delivery_log_resend(request: HttpRequest, actor: Actor, delivery_id: UUID) -> HttpResponse:
    try:
        services.delivery_resend(actor=actor, delivery_id=delivery_id)
    except NotFound:
        return _not_found(request)
    except DomainError as error:
        failed = {"where": "log", "message": place_error(None, error)}
        return _render_delivery_log(request, actor, failed=failed, status=error.status)
    messages.success(request, "Delivery queued to be sent again.")
    return _back(request, reverse("dashboard:webhook_deliveries"))


def _new_endpoint_form(data: Any = None) -> EndpointForm:
    return EndpointForm(data, auto_id="new-%s")


def _edit_endpoint_form(endpoint: WebhookEndpoint, data: Any = None) -> EndpointForm:
    """Filled with the endpoint as it is, so the form knows which fields were changed."""
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
    }
    return EndpointForm(data, initial=initial, auto_id="edit-%s")


def _render_list(
    request: HttpRequest,
    actor: Actor,
    form: EndpointForm,
    *,
    created: dict[str, Any] | None = None,
    failed: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "endpoints": [endpoint_data(endpoint) for endpoint in endpoint_list(actor=actor)],
        "form": form,
        "created": created,
        "failed": failed,
    }
    response = render(request, "dashboard/webhooks/endpoint_list.html", context, status=status)
    if created is not None:
        add_never_cache_headers(response)  # the secret must not be kept by any cache
    return response


def _render_endpoint(
    request: HttpRequest,
    actor: Actor,
    endpoint: WebhookEndpoint,
    *,
    edit_form: EndpointForm | None = None,
    replay_form: ReplayForm | None = None,
    secret: str | None = None,
    failed: dict[str, str] | None = None,
    status: int | None = None,
) -> HttpResponse:
    """The endpoint page; ``failed`` says where a refusal's message goes (which form, the log,
    or the top of the page) and ``secret`` is a secret just made, shown this once."""
    log_url = reverse("dashboard:webhook", kwargs={"endpoint_id": endpoint.public_id})
    log, log_status = _delivery_log(request, actor, log_url, endpoint=endpoint.public_id)
    log["failed"] = failed or {}
    if _wants_log_only(request):
        partial = "dashboard/webhooks/partials/_delivery_results.html"
        return render(request, partial, log, status=log_status)
    context = {
        **log,
        "endpoint": endpoint_data(endpoint),
        "edit_form": edit_form or _edit_endpoint_form(endpoint),
        "replay_form": replay_form or ReplayForm(auto_id="replay-%s"),
        "secret": secret,
        "overlap_hours": OVERLAP_HOURS,
    }
    template = "dashboard/webhooks/endpoint_detail.html"
    response = render(request, template, context, status=status or log_status)
    if secret is not None:
        add_never_cache_headers(response)
    return response


def _endpoint_page_by_id(
    request: HttpRequest, actor: Actor, endpoint_id: UUID, **page: Any
) -> HttpResponse:
    """The endpoint page after a refused POST, or the 404 page if the endpoint is not yours."""
    try:
        endpoint = endpoint_get(actor=actor, endpoint_id=endpoint_id)
    except NotFound:
        return _not_found(request)
    return _render_endpoint(request, actor, endpoint, **page)


def _refused(
    request: HttpRequest,
    actor: Actor,
    endpoint: WebhookEndpoint,
    error: DomainError,
    **page: Any,
) -> HttpResponse:
    if isinstance(error, NotFound):
        return _not_found(request)
    return _render_endpoint(request, actor, endpoint, status=error.status, **page)


def _refused_by_id(
    request: HttpRequest,
    actor: Actor,
    endpoint_id: UUID,
    error: DomainError,
    *,
    where: str = "",
    **page: Any,
) -> HttpResponse:
    """A refusal shown on the endpoint page; ``where`` places a message that no form field
    takes. Not found (another seller's endpoint or delivery) is the 404 page."""
    if isinstance(error, NotFound):
        return _not_found(request)
    if where:
        page["failed"] = {"where": where, "message": place_error(None, error)}
    return _endpoint_page_by_id(request, actor, endpoint_id, status=error.status, **page)


def _render_delivery_log(
    request: HttpRequest,
    actor: Actor,
    *,
    failed: dict[str, str] | None = None,
    status: int | None = None,
) -> HttpResponse:
    endpoints = endpoint_list(actor=actor)
    choices = [
        (str(e.public_id), f"{e.url} ({e.description})" if e.description else e.url)
        for e in endpoints
    ]
    log_url = reverse("dashboard:webhook_deliveries")
    log, log_status = _delivery_log(request, actor, log_url, endpoints=choices)
    log["failed"] = failed or {}
    log["whole_log"] = True
    log["endpoint_urls"] = {str(e.public_id): e.url for e in endpoints}
    template = "dashboard/webhooks/delivery_list.html"
    if _wants_log_only(request):
        template = "dashboard/webhooks/partials/_delivery_results.html"
    return render(request, template, log, status=status or log_status)


def _delivery_log(
    request: HttpRequest,
    actor: Actor,
    log_url: str,
    *,
    endpoint: UUID | None = None,
    endpoints: list[tuple[str, str]] | None = None,
) -> tuple[dict[str, Any], int]:
    """The page of the log the URL's filters and cursor ask for, and the status to answer."""
    form = DeliveryFilterForm(request.GET, endpoints=endpoints, auto_id="log-%s")
    query = request.GET.copy()
    query.pop("cursor", None)
    log: dict[str, Any] = {
        "filter_form": form,
        "deliveries": [],
        "next_cursor": None,
        "log_error": "",
        "log_url": log_url,
        "query": query.urlencode(),  # the filters, for the next page's link
        "page_query": request.GET.urlencode(),  # this page, for resend to come back to
    }
    if not form.is_valid():
        return log, 400
    try:
        page = delivery_list(
            actor=actor,
            filters=form.to_filters(endpoint=endpoint),
            limit=LOG_PAGE_SIZE,
            cursor=form.chosen_cursor,
        )
    except DomainError as error:
        log["log_error"] = place_error(None, error)
        return log, error.status
    log["deliveries"] = [delivery_data(delivery) for delivery in page.items]
    log["next_cursor"] = page.next_cursor
    return log, 200


def _wants_log_only(request: HttpRequest) -> bool:
    """htmx asks for just the log's results as the filters change or the next page loads."""
    htmx = request.htmx  # type: ignore[attr-defined]
    return request.method == "GET" and bool(htmx) and not htmx.boosted


def _back(request: HttpRequest, page_url: str) -> HttpResponse:
    """Back to the log page the POST came from: its query (filters, cursor) rides on the POST."""
    query = request.GET.urlencode()
    return redirect(f"{page_url}?{query}" if query else page_url)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/not_found.html", status=404)
