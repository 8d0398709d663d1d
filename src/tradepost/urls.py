from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path, re_path
from django.views.generic import RedirectView

from tradepost.api import api
from tradepost.core.problems import problem_response


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Unknown API paths answer in the API's own error format, not Django's HTML page."""
    return problem_response(
        status=404, code="not_found", title="Not found", detail=f"No endpoint {request.path}."
    )


urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("healthz", health),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
]
