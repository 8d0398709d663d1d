"""Dashboard responses vary on HX-Request: one URL answers a full page or an htmx partial."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


class VaryOnHtmx:
    """Without it a browser may show a cached partial as the page on Back or reload."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/dashboard/"):
            patch_vary_headers(response, ["HX-Request"])
        return response
