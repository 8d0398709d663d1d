"""API keys: issue (shown once), list, revoke; and who the caller is."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from tradepost.accounts import selectors, services
from tradepost.accounts.auth import request_actor
from tradepost.accounts.schemas import ApiKeyCreateIn, ApiKeyIssuedOut, ApiKeyOut, WhoAmIOut
from tradepost.core.models import ApiKey
from tradepost.core.schemas import READ_ERRORS, WRITE_ERRORS

router = Router(tags=["auth"])


@router.get("/me", response={200: WhoAmIOut, **READ_ERRORS})
def whoami(request: HttpRequest) -> dict[str, Any]:
    actor = request_actor(request)
    membership = getattr(request.api_key.user, "seller_membership", None)  # type: ignore[attr-defined]
    return {
        "role": actor.role.value,
        "label": actor.label,
        "seller": membership.seller.slug if membership else None,
    }


@router.get("/api-keys", response={200: list[ApiKeyOut], **READ_ERRORS})
def list_api_keys(request: HttpRequest) -> list[ApiKey]:
    """Your keys (the owner sees every key); secrets are never shown again."""
    return selectors.api_keys_visible_to(request_actor(request))


@router.post("/api-keys", response={201: ApiKeyIssuedOut, **WRITE_ERRORS})
def create_api_key(request: HttpRequest, payload: ApiKeyCreateIn) -> tuple[int, ApiKey]:
    """Issue a key for yourself (the owner may name another user). The secret shows only here."""
    issued = services.api_key_create(
        actor=request_actor(request), name=payload.name, user_id=payload.user_id
    )
    issued.api_key.key = issued.token  # type: ignore[attr-defined]
    return 201, issued.api_key


@router.post("/api-keys/{key_id}/revoke", response={200: ApiKeyOut, **WRITE_ERRORS})
def revoke_api_key(request: HttpRequest, key_id: int) -> ApiKey:
    return services.api_key_revoke(actor=request_actor(request), key_id=key_id)
