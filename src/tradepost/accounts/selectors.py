"""Who a user is to Tradepost, resolved once per request."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from tradepost.core.actors import Actor, Role
from tradepost.core.models import ApiKey


def hash_api_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for_user(user: AbstractBaseUser | AnonymousUser) -> Actor | None:
    """Staff act as the owner; else a seller membership or a buyer profile decides the role.

    Reads the ``seller_membership`` and ``buyer_profile`` relations, so callers should load them
    with ``select_related`` (the API key lookup does).
    """
    if not isinstance(user, User) or not user.is_active:
        return None
    label = user.get_full_name() or user.get_username()
    if user.is_staff:
        return Actor(role=Role.OWNER, label=label, user_id=user.pk)
    membership = getattr(user, "seller_membership", None)
    if membership is not None:
        return Actor(role=Role.SELLER, label=label, user_id=user.pk, seller_id=membership.seller_id)
    buyer = getattr(user, "buyer_profile", None)
    if buyer is not None:
        return Actor(role=Role.BUYER, label=label, user_id=user.pk, buyer_id=buyer.pk)
    return None


def api_key_lookup(token: str) -> ApiKey | None:
    """The live key for a bearer token, with its user's role relations, in one query."""
    return (
        ApiKey.objects.select_related("user__seller_membership", "user__buyer_profile")
        .filter(key_hash=hash_api_key(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def api_keys_visible_to(actor: Actor) -> list[ApiKey]:
    keys = ApiKey.objects.select_related("user").order_by("-created_at")
    if actor.role is not Role.OWNER:
        keys = keys.filter(user_id=actor.user_pk)
    return list(keys)
