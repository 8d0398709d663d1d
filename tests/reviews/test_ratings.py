"""Each seller's rating: the average and count of its visible reviews, in the sellers API, at a
fixed number of queries for the whole list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from tests.builders import ApiClient, World
from tests.reviews.flows import reviewed_sale
from tradepost.catalog import services as catalog
from tradepost.core.actors import SYSTEM
from tradepost.reviews import services
from tradepost.reviews.models import Review, SellerRating
from tradepost.reviews.selectors import NO_RATING, Rating, seller_rating

pytestmark = pytest.mark.django_db


def ratings(api: ApiClient, key: str) -> dict[str, dict[str, object]]:
    return {seller["slug"]: seller["rating"] for seller in api.get("/sellers", key).json()}


class TestInTheSellersApi:
    def test_average_and_count_of_visible_reviews(self, api: ApiClient, world: World) -> None:
        # given
        reviewed_sale(world, "MUG", rating=5)
        reviewed_sale(world, "BOWL", buyer="jane", rating=4)
        _, rude = reviewed_sale(world, "MUG", rating=1)
        reviewed_sale(world, "TEE", rating=2)
        services.review_hide(actor=world.owner.actor, review_id=rude.public_id, reason="Abuse")
        # when
        listed = ratings(api, world.buyers["john"].key)
        # then
        assert listed == {
            "acme": {"average": 4.5, "count": 2},
            "bolt": {"average": 2.0, "count": 1},
        }
        one = api.get("/sellers/acme", world.members["acme"].key).json()
        assert one["rating"] == {"average": 4.5, "count": 2}

    def test_a_seller_without_reviews_has_no_average(self, api: ApiClient, world: World) -> None:
        assert ratings(api, world.owner.key)["bolt"] == {"average": None, "count": 0}
        created = api.post(
            "/sellers", world.owner.key, {"slug": "cedar", "name": "Cedar", "email": "c@c.test"}
        )
        assert created.json()["rating"] == {"average": None, "count": 0}

    def test_averages_round_to_two_decimals(self, api: ApiClient, world: World) -> None:
        for rating in (5, 5, 4):
            reviewed_sale(world, "MUG", rating=rating)
        assert ratings(api, world.owner.key)["acme"] == {"average": 4.67, "count": 3}

    def test_the_list_costs_the_same_queries_however_many_sellers_and_reviews(
        self, api: ApiClient, world: World
    ) -> None:
        def queries_for_the_list() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert api.get("/sellers", world.owner.key).status == 200
            return len(queries)

        # given: two sellers, one review
        reviewed_sale(world, "MUG", rating=4)
        few = queries_for_the_list()
        # when: more sellers, more reviews each
        for slug in ("cedar", "delta", "ember"):
            catalog.seller_create(
                actor=SYSTEM, slug=slug, name=slug.title(), email=f"x@{slug}.test"
            )
        for sku, rating in (("BOWL", 5), ("TEE", 3), ("CAP", 1), ("MUG", 2)):
            reviewed_sale(world, sku, rating=rating)
        # then
        assert queries_for_the_list() == few


class TestTheSelector:
    def test_seller_rating_for_the_dispute_view(self, world: World) -> None:
        reviewed_sale(world, "TEE", rating=3)
        reviewed_sale(world, "CAP", rating=4)
        assert seller_rating(world.sellers["bolt"]) == Rating(average=3.5, count=2)
        assert seller_rating(world.sellers["acme"]) == NO_RATING

    def test_the_stored_counters_match_the_reviews(self, world: World) -> None:
        # given: reviews written and hidden in a mix
        made = [
            reviewed_sale(world, sku, rating=r)[1]
            for sku, r in (("MUG", 5), ("TEE", 1), ("BOWL", 2), ("CAP", 4), ("MUG", 3))
        ]
        for review in made[1:3]:
            services.review_hide(actor=world.owner.actor, review_id=review.public_id, reason="Spam")
        # then
        visible = (
            Review.objects.filter(hidden_at__isnull=True)
            .values("seller_id")
            .annotate(count=Count("id"), total=Sum("rating"))
        )
        expected = {row["seller_id"]: (row["count"], row["total"]) for row in visible}
        stored = {
            r.seller_id: (r.review_count, r.rating_total)
            for r in SellerRating.objects.exclude(review_count=0)
        }
        assert stored == expected
