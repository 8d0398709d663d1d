"""Bearer API-key authentication for the REST API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from tradepost.accounts.selectors import actor_for_user, api_key_lookup
from tradepost.core.actors import Actor


class ApiKeyAuth(HttpBearer):
    """``Authorization: Bearer tp_…``; the request's ``auth`` becomes the acting ``Actor``."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        api_key = api_key_lookup(token)
        if api_key is None:
            return None
        actor = actor_for_user(api_key.user)
        if actor is not None:
            request.api_key = api_key  # type: ignore[attr-defined]
        return actor


def request_actor(request: HttpRequest) -> Actor:
    """The actor ``ApiKeyAuth`` resolved; every authenticated endpoint reads it from here."""
    actor: Any = request.auth  # type: ignore[attr-defined]
    if not isinstance(actor, Actor):
        raise RuntimeError("endpoint is missing authentication")
    return actor
