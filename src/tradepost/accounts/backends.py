"""Session sign-in that loads a user's role with the user, in the one query of every page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User


class RoleAwareModelBackend(ModelBackend):
    """Django's password backend; ``get_user`` also brings the seller membership and buyer."""

    def get_user(self, user_id: Any) -> User | None:
        user = (
            User.objects.select_related("seller_membership", "buyer_profile")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
