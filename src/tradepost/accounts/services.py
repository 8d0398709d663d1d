"""Writes for people and credentials: users with a role, and their API keys."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from tradepost.accounts.models import Buyer, SellerMembership
from tradepost.accounts.selectors import hash_api_key
from tradepost.catalog.models import Seller
from tradepost.core import clock
from tradepost.core.actors import Actor, Role
from tradepost.core.errors import NotFound, PermissionDenied, ValidationFailed
from tradepost.core.models import ApiKey
from tradepost.core.transactions import unit_of_work

KEY_PREFIX = "tp_"


@dataclass(frozen=True)
class IssuedKey:
    """A new key: ``token`` is the only time the secret is visible."""

    api_key: ApiKey
    token: str


def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
) -> User:
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise ValidationFailed("username", f"{username!r} is taken")
    user = users.objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
    )
    return user


def seller_member_add(*, user: User, seller: Seller) -> SellerMembership:
    return SellerMembership.objects.create(user=user, seller=seller)


def buyer_create(*, name: str, email: str, phone: str = "", user: User | None = None) -> Buyer:
    email = email.strip().lower()
    if Buyer.objects.filter(email=email).exists():
        raise ValidationFailed("email", f"a buyer with {email} exists")
    return Buyer.objects.create(name=name, email=email, phone=phone, user=user)


def api_key_create(*, actor: Actor, name: str, user_id: int | None = None) -> IssuedKey:
    """Issue a key for yourself, or (owner only) for another user."""
    owner_id = actor.user_id if user_id is None else user_id
    if owner_id != actor.user_id and actor.role is not Role.OWNER:
        raise PermissionDenied("Only the owner issues keys for other users.")
    if owner_id is None or not get_user_model().objects.filter(pk=owner_id).exists():
        raise ValidationFailed("user_id", "no such user")
    token = KEY_PREFIX + secrets.token_urlsafe(32)
    with unit_of_work():
        api_key = ApiKey.objects.create(
            user_id=owner_id,
            name=name.strip() or "API key",
            prefix=token[:10],
            key_hash=hash_api_key(token),
        )
    return IssuedKey(api_key=api_key, token=token)


def api_key_revoke(*, actor: Actor, key_id: int) -> ApiKey:
    keys = ApiKey.objects.filter(pk=key_id)
    if actor.role is not Role.OWNER:
        keys = keys.filter(user_id=actor.user_pk)
    with unit_of_work():
        api_key = keys.select_for_update(no_key=True).first()
        if api_key is None:
            raise NotFound(f"No API key {key_id}.")
        if api_key.revoked_at is None:
            api_key.revoked_at = clock.now()
            api_key.save(update_fields=["revoked_at", "updated_at"])
    return api_key
