"""The bearer-key lookup every API request starts with: one statement, nothing loaded later."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import World
from tradepost.accounts import services as accounts
from tradepost.accounts.selectors import actor_for_user, api_key_lookup
from tradepost.core.actors import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("party", "role"),
    [("owner", Role.OWNER), ("acme", Role.SELLER), ("john", Role.BUYER)],
)
def test_one_query_resolves_the_actor_and_its_relations(world: World, party: str, role: Role):
    known = {"owner": world.owner, "acme": world.members["acme"], "john": world.buyers["john"]}
    expected = known[party]
    with CaptureQueriesContext(connection) as captured:
        api_key = api_key_lookup(expected.key)
        assert api_key is not None
        actor = actor_for_user(api_key.user)
        buyer = getattr(api_key.user, "buyer_profile", None)
        membership = getattr(api_key.user, "seller_membership", None)
    assert len(captured.captured_queries) == 1
    assert actor == expected.actor
    assert actor is not None
    assert actor.role is role
    assert (buyer is not None) is (role is Role.BUYER)
    assert (membership is not None) is (role is Role.SELLER)
    if buyer is not None:
        assert (buyer.pk, buyer.email) == (world.buyer_profiles["john"].pk, "john@buyers.test")
        assert buyer.user is api_key.user
    if membership is not None:
        assert membership.seller_id == world.sellers["acme"].pk


def test_fields_not_read_load_on_first_use(world: World):
    api_key = api_key_lookup(world.buyers["jane"].key)
    assert api_key is not None
    assert api_key.user.is_active is True  # a real bool on SQLite too
    assert api_key.user.date_joined == world.buyers["jane"].user.date_joined
    assert api_key.user.check_password("pw")


def test_revoked_keys_unknown_keys_and_inactive_users_find_nothing(world: World):
    john, jane = world.buyers["john"], world.buyers["jane"]
    key_id = api_key_lookup(john.key).pk  # type: ignore[union-attr]
    accounts.api_key_revoke(actor=john.actor, key_id=key_id)
    jane.user.is_active = False
    jane.user.save(update_fields=["is_active"])
    assert api_key_lookup(john.key) is None
    assert api_key_lookup(jane.key) is None
    assert api_key_lookup("tp_no-such-key") is None
