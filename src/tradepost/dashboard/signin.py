"""The dashboard's sign-in page; the throttle lives in accounts.throttle, shared with the admin."""

from __future__ import annotations

from django.contrib.auth.views import LoginView

from tradepost.accounts.throttle import ThrottledAuthenticationForm


class SignInView(LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True
