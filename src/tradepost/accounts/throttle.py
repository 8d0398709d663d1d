"""Password sign-in with a cool-down after repeated failures, per username and per client, and
password-reset requests capped per address asked for and per client.

Both sign-in doors use it: the dashboard's sign-in page and the Django admin's. The counters live
in Django's cache, which is the shared database cache, so every web worker sees the same counts.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse


def client_address(request: HttpRequest | None) -> str:
    """The client's address: behind ``TRADEPOST_TRUSTED_PROXIES`` proxies, the address the
    outermost trusted proxy saw (``X-Forwarded-For`` from the right), else the socket's peer."""
    if request is None:
        return ""
    proxies = settings.TRADEPOST_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _keys(username: str, address: str) -> list[str]:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"signin-failures:user:{digest}", f"signin-failures:addr:{address}"]


class ThrottledSignIn:
    """Mixed into an authentication form: no password is checked while cooling down."""

    data: Any
    request: HttpRequest | None

    def clean(self) -> dict[str, Any]:
        keys = _keys(self.data.get("username", ""), client_address(self.request))
        limit = settings.TRADEPOST_LOGIN_MAX_FAILURES
        if any((cache.get(key) or 0) >= limit for key in keys):
            minutes = settings.TRADEPOST_LOGIN_LOCKOUT_MINUTES
            raise ValidationError(
                f"Too many failed sign-ins. Try again in {minutes} minutes or reset your password.",
                code="throttled",
            )
        try:
            return super().clean()  # type: ignore[misc]
        except ValidationError:
            for key in keys:
                cache.add(key, 0, timeout=settings.TRADEPOST_LOGIN_LOCKOUT_MINUTES * 60)
                cache.incr(key)
            raise


class ThrottledAuthenticationForm(ThrottledSignIn, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledSignIn, AdminAuthenticationForm):
    pass


RESET_WINDOW_SECONDS = 3600


class ThrottledPasswordResetView(PasswordResetView):
    """At most ``TRADEPOST_PASSWORD_RESETS_PER_HOUR`` reset emails an hour to one address, and
    ten times that from one client: a form posted in a loop must not flood a mailbox (or the
    mail server's reputation). Counted whether or not an account has the address, so the answer
    tells nobody which addresses have accounts."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        per_address = settings.TRADEPOST_PASSWORD_RESETS_PER_HOUR
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]
        counters = {
            f"password-resets:email:{digest}": per_address,
            f"password-resets:addr:{client_address(self.request)}": 10 * per_address,
        }
        if any((cache.get(key) or 0) >= limit for key, limit in counters.items()):
            form.add_error(
                "email", "Too many reset requests. Check your inbox, or try again in an hour."
            )
            return self.form_invalid(form)
        for key in counters:
            cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
            cache.incr(key)
        return super().form_valid(form)
