from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from tradepost.accounts.throttle import ThrottledAdminAuthenticationForm, ThrottledPasswordResetView
from tradepost.api import api
from tradepost.core.problems import problem_response
from tradepost.dashboard.signin import SignInView

# The admin's own sign-in page gets the same cool-down as the dashboard's.
admin.site.login_form = ThrottledAdminAuthenticationForm


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Unknown API paths answer in the API's own error format, not Django's HTML page."""
    return problem_response(
        status=404, code="not_found", title="Not found", detail=f"No endpoint {request.path}."
    )


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="dashboard:home", permanent=False)),
    path("healthz", health),
    path("admin/", admin.site.urls),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("dashboard/", include("tradepost.dashboard.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
]
