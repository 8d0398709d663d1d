"""core.models' hot-path helpers write and read rows as the ORM would, minus its preparation."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.builders import World, place_order
from tradepost.core.actors import SYSTEM
from tradepost.core.models import OutboxEvent, from_row, insert_new, ordered_attnames
from tradepost.orders.events import timeline_event
from tradepost.orders.models import Order, OrderEvent

pytestmark = pytest.mark.django_db


def test_insert_new_fills_in_keys_in_row_order_and_applies_defaults(world: World):
    order = place_order(world, {"MUG": 1}).order
    events = [
        timeline_event(order=order, actor=SYSTEM, kind=f"test.{n}", message=str(n))
        for n in range(3)
    ]
    insert_new(events)
    assert all(not event._state.adding for event in events)
    stored = {row.pk: row.kind for row in OrderEvent.objects.filter(kind__startswith="test.")}
    assert [stored[event.pk] for event in events] == ["test.0", "test.1", "test.2"]


def test_insert_new_reads_back_what_the_database_makes(world: World):
    # The order number comes from the database (a sequence on PostgreSQL); auto_now is applied.
    bundle = place_order(world, {"MUG": 1})
    stored = Order.objects.get(pk=bundle.order.pk)
    assert bundle.order.number == stored.number
    assert bundle.order.number.startswith("ORD-")
    assert bundle.order.updated_at == stored.updated_at


def test_insert_new_keeps_json_and_given_primary_keys(world: World):
    event = OutboxEvent(type="test.event", data={"nested": [1, "two", None]}, seller_ids=[3])
    insert_new([event])
    stored = OutboxEvent.objects.get(pk=event.pk)
    assert (stored.data, stored.seller_ids, stored.dispatch_failures) == (
        {"nested": [1, "two", None]},
        [3],
        0,
    )


def test_insert_new_refuses_rows_that_exist_already(world: World):
    order = place_order(world, {"MUG": 1}).order
    with pytest.raises(ValueError, match="new instances"):
        insert_new([order])


def test_from_row_converts_as_the_orm_does_and_defers_the_rest(world: World):
    listing = world.listings["MUG"]
    fields = ordered_attnames(type(listing), ["is_active", "id", "public_id"])
    assert fields == ("id", "public_id", "is_active")
    with connection.cursor() as cursor:  # raw values: on SQLite a hex string and an integer
        cursor.execute(
            "SELECT id, public_id, is_active FROM catalog_listing WHERE id = %s", [listing.pk]
        )
        raw = cursor.fetchone()
    loaded = from_row(type(listing), fields, raw)
    assert (loaded.pk, loaded.public_id, loaded.is_active) == (listing.pk, listing.public_id, True)
    assert loaded.get_deferred_fields() >= {"sku", "stock_quantity"}
    assert loaded.sku == "MUG"  # loaded on first use
