"""The outbox dispatcher: every committed event reaches every subscriber once, none is held up."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta

import pytest

from tests import clock
from tests.builders import World, place_order
from tradepost.core import dispatch
from tradepost.core.models import OutboxEvent

pytestmark = pytest.mark.django_db

heard: list[str] = []
broken: set[str] = set()


def recording_subscriber(events: Sequence[OutboxEvent]) -> None:
    for event in events:
        if event.order_number in broken:
            raise RuntimeError(f"cannot handle {event.order_number}")
    heard.extend(event.order_number for event in events)


@pytest.fixture(autouse=True)
def only_the_recording_subscriber(settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.TRADEPOST_OUTBOX_SUBSCRIBERS = [f"{__name__}.recording_subscriber"]  # type: ignore[attr-defined]
    dispatch._subscribers.cache_clear()
    heard.clear()
    broken.clear()
    yield
    dispatch._subscribers.cache_clear()


class TestDispatch:
    def test_each_event_is_handed_over_once(self, world: World) -> None:
        numbers = [place_order(world, {"MUG": 1}).order.number for _ in range(3)]
        assert dispatch.outbox_dispatch() == 3
        assert dispatch.outbox_dispatch() == 0
        assert heard == numbers
        assert not OutboxEvent.objects.filter(published_at__isnull=True).exists()

    def test_an_event_a_subscriber_chokes_on_does_not_hold_up_the_rest(self, world: World) -> None:
        # given three events, the second of which the subscriber cannot handle
        first, bad, last = (place_order(world, {"MUG": 1}).order.number for _ in range(3))
        broken.add(bad)
        # when the dispatcher runs
        assert dispatch.outbox_dispatch() == 2
        # then the others went out and the bad one waits, not lost
        assert heard == [first, last]
        waiting = OutboxEvent.objects.get(order_number=bad)
        assert waiting.published_at is None
        assert waiting.dispatch_failures == 1
        assert dispatch.outbox_dispatch() == 0  # not retried before its delay
        # and once the subscriber copes, it goes out after the delay
        broken.clear()
        assert waiting.dispatch_after is not None
        clock.travel_to(waiting.dispatch_after + timedelta(seconds=1))
        assert dispatch.outbox_dispatch() == 1
        assert heard == [first, last, bad]
