"""Sign-in with a cool-down after repeated failures, per username and per client address."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import ValidationError


def _keys(username: str, address: str) -> list[str]:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"signin-failures:user:{digest}", f"signin-failures:addr:{address}"]


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to check a password while the username or address is cooling down."""

    def clean(self) -> dict[str, Any]:
        keys = _keys(self.data.get("username", ""), _address(self.request))
        limit = settings.TRADEPOST_LOGIN_MAX_FAILURES
        if any((cache.get(key) or 0) >= limit for key in keys):
            minutes = settings.TRADEPOST_LOGIN_LOCKOUT_MINUTES
            raise ValidationError(
                f"Too many failed sign-ins. Try again in {minutes} minutes or reset your password.",
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            for key in keys:
                cache.add(key, 0, timeout=settings.TRADEPOST_LOGIN_LOCKOUT_MINUTES * 60)
                cache.incr(key)
            raise


def _address(request: Any) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


class SignInView(LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True
