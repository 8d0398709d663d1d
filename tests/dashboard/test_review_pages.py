"""Reviews on the order page: the seller's rating beside its name, the buyer's rating form once
the seller order is completed, the review with the seller's reply, and the owner's hide form."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.builders import World, pay, place_order
from tests.dashboard.pages import buttons, signed_in
from tests.reviews.flows import Sale, completed_sale, reviewed_sale, shipped_sale
from tradepost.orders import services
from tradepost.reviews import services as reviews
from tradepost.reviews.models import Review

pytestmark = pytest.mark.django_db


def page(client: Client, sale: Sale) -> str:
    response = client.get(f"/dashboard/orders/{sale.number}/")
    assert response.status_code == 200
    return response.content.decode()


def review_url(sale: Sale, action: str) -> str:
    return f"/dashboard/orders/{sale.number}/seller-orders/{sale.reference}/review/{action}/"


def seller_head(html: str, sale: Sale) -> str:
    """The seller order's heading row: its name, status and rating."""
    start = html.index(f'id="so-{sale.reference}-h"')
    return html[start : html.index('<div class="review-panel"', start)]


class TestTheRatingForm:
    def test_is_offered_to_the_buyer_once_the_seller_order_is_completed(self, world: World) -> None:
        # given
        sale = shipped_sale(world)
        buyer = signed_in(world.buyers["john"])
        assert "Submit review" not in buttons(page(buyer, sale))
        # when
        services.seller_order_complete(actor=world.buyers["john"].actor, reference=sale.reference)
        html = page(buyer, sale)
        # then: five labelled radio buttons in a fieldset, and an optional comment
        assert "Submit review" in buttons(html)
        assert "How was your order from Acme?" in html
        assert "<legend>Rating</legend>" in html
        for value, caption in ((1, "1 · Poor"), (5, "5 · Excellent")):
            radio_id = f"rate-{sale.reference}-rating_{value - 1}"
            assert f'type="radio" name="rating" value="{value}"' in html
            assert f'<label for="{radio_id}">{caption}</label>' in html
        assert f'<label for="rate-{sale.reference}-comment">Comment (optional)</label>' in html

    @pytest.mark.parametrize("who", ["seller", "owner"])
    def test_is_the_buyers_alone(self, world: World, who: str) -> None:
        sale = completed_sale(world)
        party = world.members["acme"] if who == "seller" else world.owner
        assert "Submit review" not in buttons(page(signed_in(party), sale))

    def test_the_buyer_rates_and_sees_the_review_in_place_of_the_form(self, world: World) -> None:
        # given
        sale = completed_sale(world)
        buyer = signed_in(world.buyers["john"])
        # when
        response = buyer.post(
            review_url(sale, "rate"), {"rating": "4", "comment": "Solid <b>mug</b>"}, follow=True
        )
        # then
        html = response.content.decode()
        assert f"{sale.reference}: thank you for your review." in html
        assert "Your review" in html
        assert "★★★★☆" in html
        assert "Rated 4 out of 5" in html
        assert "Solid &lt;b&gt;mug&lt;/b&gt;" in html
        assert "by John D." in html
        assert "Submit review" not in buttons(html)
        assert "4.0" in seller_head(html, sale)
        assert "1 review" in seller_head(html, sale)

    def test_a_missing_rating_is_shown_next_to_the_choices(self, world: World) -> None:
        sale = completed_sale(world)
        response = signed_in(world.buyers["john"]).post(review_url(sale, "rate"), {"comment": "Hi"})
        assert response.status_code == 422
        html = response.content.decode()
        fieldset = html[html.index('<fieldset class="rating-choices has-error"') :]
        assert f'aria-describedby="rate-{sale.reference}-rating-error"' in fieldset[:200]
        assert "Choose a rating from 1 to 5." in fieldset[: fieldset.index("</fieldset>")]
        assert "Hi</textarea>" in html  # what was typed is kept
        assert not Review.objects.exists()

    def test_a_comment_over_the_limit_is_named(self, world: World) -> None:
        sale = completed_sale(world)
        response = signed_in(world.buyers["john"]).post(
            review_url(sale, "rate"), {"rating": "3", "comment": "x" * 2001}
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert f'id="rate-{sale.reference}-comment-error"' in html
        assert "at most 2000 characters" in html

    def test_a_second_review_is_refused_with_the_reason(self, world: World) -> None:
        sale, _ = reviewed_sale(world, rating=2)
        response = signed_in(world.buyers["john"]).post(review_url(sale, "rate"), {"rating": "5"})
        assert response.status_code == 409
        assert "already has its review" in response.content.decode()
        assert list(Review.objects.values_list("rating", flat=True)) == [2]

    def test_another_buyer_cannot_review_it(self, world: World) -> None:
        sale = completed_sale(world)
        response = signed_in(world.buyers["jane"]).post(review_url(sale, "rate"), {"rating": "1"})
        assert response.status_code == 404
        assert not Review.objects.exists()


class TestTheReplyForm:
    def test_the_seller_replies_once_and_everyone_sees_it(self, world: World) -> None:
        # given
        sale, _ = reviewed_sale(world, rating=3, comment="Slow")
        seller = signed_in(world.members["acme"])
        html = page(seller, sale)
        assert "Slow" in html
        assert "Publish reply" in buttons(html)
        # when
        response = seller.post(review_url(sale, "reply"), {"reply": "Sorry, we were swamped."})
        # then
        assert response.status_code == 302
        assert response["Location"].endswith(f"#so-{sale.reference}")
        for party in (world.members["acme"], world.buyers["john"], world.owner):
            shown = page(signed_in(party), sale)
            assert "Reply from Acme" in shown
            assert "Sorry, we were swamped." in shown
        assert "Publish reply" not in buttons(page(seller, sale))

    def test_an_empty_reply_is_shown_next_to_the_field(self, world: World) -> None:
        sale, _ = reviewed_sale(world)
        response = signed_in(world.members["acme"]).post(review_url(sale, "reply"), {"reply": " "})
        assert response.status_code == 422
        html = response.content.decode()
        assert f'id="reply-{sale.reference}-reply-error"' in html
        assert "Write your reply first." in html

    def test_another_seller_cannot_reply(self, world: World) -> None:
        sale, _ = reviewed_sale(world)
        response = signed_in(world.members["bolt"]).post(review_url(sale, "reply"), {"reply": "Hi"})
        assert response.status_code == 404
        assert Review.objects.get().replied_at is None


class TestTheHideForm:
    def test_the_owner_hides_a_review_and_it_shows_as_hidden(self, world: World) -> None:
        # given
        sale, _ = reviewed_sale(world, rating=1, comment="Spam spam")
        owner = signed_in(world.owner)
        assert "Hide review" in buttons(page(owner, sale))
        # when
        response = owner.post(review_url(sale, "hide"), {"reason": "Advertising."})
        # then
        assert response.status_code == 302
        html = page(signed_in(world.buyers["john"]), sale)
        assert "Hidden by the marketplace" in html
        assert "Reason: Advertising." in html
        assert "No reviews yet" in seller_head(html, sale)
        assert "Hide review" not in buttons(page(owner, sale))

    def test_a_reason_is_required(self, world: World) -> None:
        sale, _ = reviewed_sale(world)
        response = signed_in(world.owner).post(review_url(sale, "hide"), {"reason": ""})
        assert response.status_code == 422
        assert "Say which rule the review breaks." in response.content.decode()

    def test_sellers_and_buyers_have_no_hide_form(self, world: World) -> None:
        sale, _ = reviewed_sale(world)
        for party in (world.members["acme"], world.buyers["john"]):
            assert "Hide review" not in buttons(page(signed_in(party), sale))
        response = signed_in(world.members["acme"]).post(review_url(sale, "hide"), {"reason": "x"})
        assert response.status_code == 403
        assert Review.objects.get().hidden_at is None


class TestTheRatingBesideTheSellersName:
    def test_every_viewer_sees_average_and_count(self, world: World) -> None:
        sale, _ = reviewed_sale(world, rating=5)
        reviewed_sale(world, "BOWL", buyer="jane", rating=4)
        for party in (world.owner, world.members["acme"], world.buyers["john"]):
            head = seller_head(page(signed_in(party), sale), sale)
            assert "4.5" in head
            assert "out of 5" in head
            assert "2 reviews" in head

    def test_the_page_costs_a_fixed_number_of_queries_with_reviews(self, world: World) -> None:
        small = completed_sale(world)
        reviews.review_create(actor=world.buyers["john"].actor, reference=small.reference, rating=5)
        big = pay(world, place_order(world, {"MUG": 1, "TEE": 1}))
        for part in big.seller_orders:
            ref, seller = part.seller_order.reference, part.seller_order.seller.slug
            services.seller_order_acknowledge(actor=world.members[seller].actor, reference=ref)
            services.shipment_create(
                actor=world.members[seller].actor, reference=ref, parcel=services.Parcel("UPS", "1")
            )
            services.seller_order_complete(actor=world.buyers["john"].actor, reference=ref)
            reviews.review_create(actor=world.buyers["john"].actor, reference=ref, rating=4)
        client = signed_in(world.buyers["john"])
        counts = []
        for number in (small.number, big.order.number):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/dashboard/orders/{number}/").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]

    def test_review_forms_need_post_and_a_csrf_token(self, world: World) -> None:
        sale = completed_sale(world)
        buyer = signed_in(world.buyers["john"])
        assert buyer.get(review_url(sale, "rate")).status_code == 405
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(world.buyers["john"].user)
        assert strict.post(review_url(sale, "rate"), {"rating": "5"}).status_code == 403
        assert not Review.objects.exists()
