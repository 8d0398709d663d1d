"""Reviews through the API: the buyer rates once after completion, the seller replies once, the
owner hides, and everyone reads the visible reviews with the buyer's short name."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import ApiClient, World, pay, place_order
from tests.reviews.flows import Sale, completed_sale, paid_sale, reviewed_sale, shipped_sale
from tradepost.core.models import OutboxEvent
from tradepost.orders import services
from tradepost.reviews.models import Review, SellerRating
from tradepost.reviews.representation import public_name

pytestmark = pytest.mark.django_db


def review_path(sale: Sale) -> str:
    return f"/seller-orders/{sale.reference}/review"


def sale_in(world: World, status: str) -> Sale:
    """A sale of a mug from acme to john, stopped at ``status``."""
    if status == "pending":
        return paid_sale(world)
    if status == "awaiting_payment":
        bundle = place_order(world, {"MUG": 1})
        so = bundle.seller_orders[0].seller_order
        return Sale(bundle.order.number, so.reference, "acme", "john")
    if status == "processing":
        sale = paid_sale(world)
        services.seller_order_acknowledge(
            actor=world.members["acme"].actor, reference=sale.reference
        )
        return sale
    sale = shipped_sale(world)
    if status == "delivered":
        services.seller_order_deliver(actor=world.members["acme"].actor, reference=sale.reference)
    return sale


class TestTheBuyerReviews:
    def test_a_completed_seller_order_is_rated_with_a_comment(
        self, api: ApiClient, world: World
    ) -> None:
        # given
        sale = completed_sale(world)
        # when
        response = api.post(
            review_path(sale), world.buyers["john"].key, {"rating": 4, "comment": " Lovely mug "}
        )
        # then
        assert response.status == 201, response
        body = response.json()
        assert (body["rating"], body["comment"], body["buyer_name"]) == (4, "Lovely mug", "John D.")
        assert body["seller"] == {"slug": "acme", "name": "Acme"}
        assert body["seller_order"] == sale.reference
        assert (body["reply"], body["hidden"], body["actions"]) == (None, None, [])
        assert "john@buyers.test" not in response.body.decode()
        assert api.get(review_path(sale), world.buyers["john"].key).json() == body

    def test_the_comment_is_optional(self, api: ApiClient, world: World) -> None:
        sale = completed_sale(world)
        response = api.post(review_path(sale), world.buyers["john"].key, {"rating": 5})
        assert response.status == 201, response
        assert response.json()["comment"] == ""

    @pytest.mark.parametrize(
        "status", ["awaiting_payment", "pending", "processing", "shipped", "delivered"]
    )
    def test_waits_for_completion_naming_the_status(
        self, api: ApiClient, world: World, status: str
    ) -> None:
        # given
        sale = sale_in(world, status)
        # when
        response = api.post(review_path(sale), world.buyers["john"].key, {"rating": 5})
        # then
        assert response.status == 409, response
        problem = response.json()
        assert problem["code"] == "not_open_for_review"
        assert problem["current_status"] == status
        assert f"'{status}'" in problem["detail"]
        assert not Review.objects.exists()

    def test_a_second_review_is_refused_and_the_first_stands(
        self, api: ApiClient, world: World
    ) -> None:
        # given
        sale = completed_sale(world)
        john = world.buyers["john"].key
        assert api.post(review_path(sale), john, {"rating": 2}).status == 201
        # when
        again = api.post(review_path(sale), john, {"rating": 5, "comment": "Changed my mind"})
        # then
        assert again.status == 409, again
        assert again.json()["code"] == "already_reviewed"
        assert list(Review.objects.values_list("rating", "comment")) == [(2, "")]
        rating = SellerRating.objects.get(seller=world.sellers["acme"])
        assert (rating.review_count, rating.rating_total) == (1, 2)

    @pytest.mark.parametrize("rating", [0, 6, -1, 4.5, "5", True, None])
    def test_the_rating_is_a_whole_number_from_one_to_five(
        self, api: ApiClient, world: World, rating: Any
    ) -> None:
        sale = completed_sale(world)
        response = api.post(review_path(sale), world.buyers["john"].key, {"rating": rating})
        assert response.status == 422, response
        assert [error["field"] for error in response.json()["errors"]] == ["rating"]
        assert not Review.objects.exists()

    def test_a_rating_is_required(self, api: ApiClient, world: World) -> None:
        sale = completed_sale(world)
        response = api.post(review_path(sale), world.buyers["john"].key, {"comment": "Nice"})
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "rating"

    def test_the_comment_has_a_length_limit(self, api: ApiClient, world: World) -> None:
        sale = completed_sale(world)
        body = {"rating": 3, "comment": "x" * 2001}
        response = api.post(review_path(sale), world.buyers["john"].key, body)
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "comment"
        body["comment"] = "x" * 2000
        assert api.post(review_path(sale), world.buyers["john"].key, body).status == 201

    @pytest.mark.parametrize("who", ["seller", "owner"])
    def test_only_the_buyer_reviews(self, api: ApiClient, world: World, who: str) -> None:
        sale = completed_sale(world)
        key = world.members["acme"].key if who == "seller" else world.owner.key
        response = api.post(review_path(sale), key, {"rating": 1})
        assert response.status == 403, response
        assert not Review.objects.exists()

    def test_the_review_is_on_the_timeline_of_its_seller_order_only(
        self, api: ApiClient, world: World
    ) -> None:
        # given: one order with a part from each seller; acme's part is completed
        bundle = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
        number = bundle.order.number
        acme_ref = next(
            p.seller_order.reference
            for p in bundle.seller_orders
            if p.seller_order.seller.slug == "acme"
        )
        acme = world.members["acme"].actor
        services.seller_order_acknowledge(actor=acme, reference=acme_ref)
        services.shipment_create(
            actor=acme, reference=acme_ref, parcel=services.Parcel("UPS", "1Z1")
        )
        services.seller_order_complete(actor=world.buyers["john"].actor, reference=acme_ref)
        # when
        api.post(f"/seller-orders/{acme_ref}/review", world.buyers["john"].key, {"rating": 5})

        # then
        def review_events(key: str) -> list[dict[str, Any]]:
            events = api.get(f"/orders/{number}/events", key).json()
            return [event for event in events if event["kind"] == "review.created"]

        (event,) = review_events(world.members["acme"].key)
        assert event["seller_order"] == acme_ref
        assert event["message"] == f"{acme_ref}: reviewed, 5 out of 5."
        assert review_events(world.members["bolt"].key) == []
        assert len(review_events(world.buyers["john"].key)) == 1
        outbox = OutboxEvent.objects.get(type="review.created")
        assert outbox.order_number == number
        assert outbox.seller_ids == [world.sellers["acme"].pk]
        assert outbox.data["review"]["rating"] == 5
        assert outbox.data["review"]["seller_order"] == acme_ref


class TestTheSellerReplies:
    def test_once(self, api: ApiClient, world: World) -> None:
        # given
        sale, _ = reviewed_sale(world, rating=3, comment="Slow but fine")
        acme = world.members["acme"].key
        assert api.get(review_path(sale), acme).json()["actions"] == ["reply"]
        # when
        replied = api.post(review_path(sale) + "/reply", acme, {"reply": " Sorry for the wait! "})
        again = api.post(review_path(sale) + "/reply", acme, {"reply": "Another"})
        # then
        assert replied.status == 200, replied
        assert replied.json()["reply"]["text"] == "Sorry for the wait!"
        assert replied.json()["actions"] == []
        assert again.status == 409, again
        assert again.json()["code"] == "already_replied"
        review = api.get(review_path(sale), world.buyers["john"].key).json()
        assert review["reply"]["text"] == "Sorry for the wait!"

    def test_there_must_be_a_review_to_reply_to(self, api: ApiClient, world: World) -> None:
        sale = completed_sale(world)
        response = api.post(
            review_path(sale) + "/reply", world.members["acme"].key, {"reply": "Hi"}
        )
        assert response.status == 404, response

    @pytest.mark.parametrize("reply", ["", "   ", "x" * 2001])
    def test_the_reply_has_text_within_the_limit(
        self, api: ApiClient, world: World, reply: str
    ) -> None:
        sale, _ = reviewed_sale(world)
        response = api.post(
            review_path(sale) + "/reply", world.members["acme"].key, {"reply": reply}
        )
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "reply"

    @pytest.mark.parametrize("who", ["buyer", "owner"])
    def test_only_the_seller_replies(self, api: ApiClient, world: World, who: str) -> None:
        sale, _ = reviewed_sale(world)
        key = world.buyers["john"].key if who == "buyer" else world.owner.key
        assert api.post(review_path(sale) + "/reply", key, {"reply": "Hi"}).status == 403


class TestTheOwnerHides:
    def test_a_hidden_review_shows_as_hidden_and_leaves_the_rating_and_the_list(
        self, api: ApiClient, world: World
    ) -> None:
        # given
        sale, review = reviewed_sale(world, rating=1, comment="Call me at 555-0100")
        reviewed_sale(world, "BOWL", rating=5)
        path = f"/reviews/{review.public_id}/hide"
        # when
        hidden = api.post(path, world.owner.key, {"reason": "Personal contact details"})
        # then
        assert hidden.status == 200, hidden
        assert hidden.json()["hidden"]["reason"] == "Personal contact details"
        assert hidden.json()["actions"] == []
        as_buyer = api.get(review_path(sale), world.buyers["john"].key).json()
        assert as_buyer["hidden"]["reason"] == "Personal contact details"
        listed = api.get("/reviews", world.buyers["jane"].key, seller="acme").json()["items"]
        assert [item["rating"] for item in listed] == [5]
        seller = api.get("/sellers/acme", world.buyers["jane"].key).json()
        assert seller["rating"] == {"average": 5.0, "count": 1}
        assert api.post(path, world.owner.key, {"reason": "Again"}).json()["code"] == (
            "already_hidden"
        )

    def test_a_reason_is_required(self, api: ApiClient, world: World) -> None:
        _, review = reviewed_sale(world)
        path = f"/reviews/{review.public_id}/hide"
        for body in ({}, {"reason": ""}, {"reason": "  "}):
            response = api.post(path, world.owner.key, body)
            assert response.status == 422, response
            assert response.json()["errors"][0]["field"] == "reason"

    @pytest.mark.parametrize("who", ["buyer", "seller"])
    def test_only_the_owner_hides(self, api: ApiClient, world: World, who: str) -> None:
        _, review = reviewed_sale(world)
        key = world.buyers["john"].key if who == "buyer" else world.members["acme"].key
        response = api.post(f"/reviews/{review.public_id}/hide", key, {"reason": "Rude"})
        assert response.status == 403, response
        assert Review.objects.get().hidden_at is None


class TestTheList:
    def test_newest_first_by_cursor_with_short_names_and_no_emails(
        self, api: ApiClient, world: World
    ) -> None:
        # given
        reviewed_sale(world, "MUG", buyer="john", rating=5, comment="First")
        reviewed_sale(world, "BOWL", buyer="jane", rating=3, comment="Second")
        reviewed_sale(world, "MUG", buyer="john", rating=4, comment="Third")
        reviewed_sale(world, "TEE", buyer="jane", rating=2, comment="Bolt's")
        owner = world.owner.key
        # when
        first = api.get("/reviews", owner, seller="acme", limit=2)
        second = api.get(
            "/reviews", owner, seller="acme", limit=2, cursor=first.json()["next_cursor"]
        )
        # then
        assert [i["comment"] for i in first.json()["items"]] == ["Third", "Second"]
        assert [i["comment"] for i in second.json()["items"]] == ["First"]
        assert second.json()["next_cursor"] is None
        names = {i["buyer_name"] for i in first.json()["items"] + second.json()["items"]}
        assert names == {"John D.", "Jane R."}
        everything = api.get("/reviews", world.buyers["john"].key).json()["items"]
        assert [i["comment"] for i in everything] == ["Bolt's", "Third", "Second", "First"]
        assert "@" not in first.body.decode() + second.body.decode()

    def test_only_its_parties_learn_which_seller_order_a_review_is_about(
        self, api: ApiClient, world: World
    ) -> None:
        sale, _ = reviewed_sale(world, buyer="john")

        def seller_order(key: str) -> Any:
            return api.get("/reviews", key, seller="acme").json()["items"][0]["seller_order"]

        assert seller_order(world.buyers["jane"].key) is None
        assert seller_order(world.buyers["john"].key) == sale.reference
        assert seller_order(world.members["acme"].key) == sale.reference
        assert seller_order(world.owner.key) == sale.reference

    def test_a_bad_cursor_names_the_field(self, api: ApiClient, world: World) -> None:
        response = api.get("/reviews", world.owner.key, cursor="nonsense")
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "cursor"


class TestPublicName:
    @pytest.mark.parametrize(
        ("full", "shown"),
        [
            ("John Doe", "John D."),
            ("Mary Ann van smith", "Mary S."),
            ("Cher", "Cher"),
            ("  jane   roe ", "jane R."),
            ("john@buyers.test", "A buyer"),
            ("John john@buyers.test", "John"),
            ("", "A buyer"),
        ],
    )
    def test_first_name_and_last_initial_only(self, full: str, shown: str) -> None:
        assert public_name(full) == shown
