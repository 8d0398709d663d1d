"""Submits at the same moment, on PostgreSQL with one connection per thread: one review per
seller order, and a seller's counters that add up however its reviews race."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.builders import ApiClient, build_world
from tests.concurrency import outcome, run_together
from tests.reviews.flows import completed_sale
from tradepost.reviews import services
from tradepost.reviews.models import Review, SellerRating

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


class TestDoubleSubmit:
    def test_two_submits_of_one_review_make_one(self) -> None:
        # given
        world = build_world()
        sale = completed_sale(world)
        john = world.buyers["john"].actor

        # when: the same buyer sends the form twice at once
        def submit(index: int) -> object:
            return services.review_create(
                actor=john, reference=sale.reference, rating=index + 4, comment=""
            )

        results = run_together(2, submit)
        # then
        assert Counter(outcome(r) for r in results) == {"ok": 1, "already_reviewed": 1}
        assert Review.objects.count() == 1
        rating = SellerRating.objects.get(seller=world.sellers["acme"])
        assert (rating.review_count, rating.rating_total) == (1, Review.objects.get().rating)

    def test_two_api_posts_answer_201_and_409(self) -> None:
        world = build_world()
        sale = completed_sale(world)
        key = world.buyers["john"].key

        def post(_: int) -> int:
            path = f"/seller-orders/{sale.reference}/review"
            return ApiClient().post(path, key, {"rating": 5}).status

        assert sorted(run_together(2, post)) == [201, 409]
        assert Review.objects.count() == 1


class TestFirstReviewsOfASeller:
    def test_counters_add_up_when_a_sellers_first_reviews_race(self) -> None:
        # given: six completed sales of one seller, none reviewed yet
        world = build_world()
        sales = [completed_sale(world, buyer=("john", "jane")[i % 2]) for i in range(6)]

        # when
        def submit(index: int) -> object:
            sale = sales[index]
            return services.review_create(
                actor=world.buyers[sale.buyer].actor, reference=sale.reference, rating=index % 5 + 1
            )

        results = run_together(6, submit)
        # then
        assert [outcome(r) for r in results] == ["ok"] * 6
        rating = SellerRating.objects.get(seller=world.sellers["acme"])
        assert (rating.review_count, rating.rating_total) == (6, 1 + 2 + 3 + 4 + 5 + 1)
