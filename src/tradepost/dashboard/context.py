"""Template context every dashboard page shares: who is looking, for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tradepost.catalog.selectors import marketplace_get
from tradepost.dashboard.access import request_actor


def viewer(request: HttpRequest) -> dict[str, Any]:
    actor = request_actor(request) if request.user.is_authenticated else None
    return {
        "viewer": actor,
        "viewer_role": actor.role.value if actor else "",
        # Called by the template only where it shows the name (one query, on those pages).
        "marketplace_name": lambda: marketplace_get().name,
    }
