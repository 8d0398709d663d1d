"""Who is signed in to the dashboard, as the same ``Actor`` the API and services use.

Pages take the actor from here and never look at ``request.user`` themselves, so a page is scoped
exactly as its API twin is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from tradepost.accounts.selectors import actor_for_user
from tradepost.core.actors import Actor, Role

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, Actor, P], HttpResponseBase]
Page = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def with_actor(*roles: Role) -> Callable[[View[P]], Page[P]]:
    """Sign-in required; the view receives the actor. With ``roles``, other roles get a 404.

    A 404 rather than a 403: a page outside your role does not exist for you (DESIGN.md).
    """

    def decorate(view: View[P]) -> Page[P]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            actor = request_actor(request)
            if actor is None:
                return render(request, "dashboard/no_role.html", status=403)
            if roles and actor.role not in roles:
                return render(request, "dashboard/not_found.html", status=404)
            return view(request, actor, *args, **kwargs)

        return wrapped

    return decorate


def request_actor(request: HttpRequest) -> Actor | None:
    """The signed-in user's actor, resolved once per request."""
    cached: Any = getattr(request, "_tradepost_actor", False)
    if cached is not False:
        return cached
    user = request.user
    actor = actor_for_user(user) if isinstance(user, User) else None
    request._tradepost_actor = actor  # type: ignore[attr-defined]
    return actor
