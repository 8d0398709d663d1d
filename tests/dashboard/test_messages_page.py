"""Messages in the dashboard: each seller order's thread on the order page with its form, the
reply templates a seller inserts, the inbox, and the pages' scope and cost."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.builders import Party, World, pay, place_order
from tests.dashboard.pages import signed_in
from tests.messaging import files
from tests.messaging.flows import reference_of
from tradepost.attachments.services import attachments_upload
from tradepost.messaging import services as messaging
from tradepost.messaging.models import Message, Thread
from tradepost.orders.selectors import OrderBundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(world: World) -> OrderBundle:
    """John's paid order of a mug from acme and a tee from bolt."""
    return pay(world, place_order(world, {"MUG": 1, "TEE": 1}))


def order_page(client: Client, bundle: OrderBundle) -> str:
    response = client.get(f"/dashboard/orders/{bundle.order.number}/")
    assert response.status_code == 200
    return response.content.decode()


def thread_of(html: str, reference: str) -> str:
    """The Messages section of one seller order on the order page."""
    start = html.index(f'<section class="thread" id="messages-{reference}"')
    return html[start : html.index("</section>", start)]


def post_url(bundle: OrderBundle, reference: str) -> str:
    return f"/dashboard/orders/{bundle.order.number}/messages/{reference}/"


def write(party: Party, reference: str, body: str, *uploads: files.SimpleUploadedFile) -> None:
    ids = []
    if uploads:
        ids = [a.public_id for a in attachments_upload(actor=party.actor, uploads=list(uploads))]
    messaging.message_post(actor=party.actor, reference=reference, body=body, attachment_ids=ids)


class TestTheThreadOnTheOrderPage:
    def test_the_buyer_writes_with_a_photo_and_a_pdf_and_the_seller_reads_it(
        self, world: World, mixed: OrderBundle
    ) -> None:
        # given
        reference = reference_of(mixed, "acme")
        buyer, seller = signed_in(world.buyers["john"]), signed_in(world.members["acme"])
        # when: the buyer sends the form with two files
        response = buyer.post(
            post_url(mixed, reference),
            {
                "body": "The handle <b>broke</b> off.",
                "attachments": [
                    files.upload("handle.png", files.png(), "image/png"),
                    files.upload("receipt.pdf", files.pdf(), "application/pdf"),
                ],
            },
        )
        # then
        assert response.status_code == 302
        assert response["Location"].endswith(f"#messages-{reference}")
        html = thread_of(order_page(seller, mixed), reference)
        assert "The handle &lt;b&gt;broke&lt;/b&gt; off." in html
        assert "John Doe" in html
        assert "1 new" in html
        links = re.findall(r'<a href="(/dashboard/attachments/[^"]+)" download>([^<]+)</a>', html)
        assert [name for _, name in links] == ["handle.png", "receipt.pdf"]
        download = seller.get(links[1][0])
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
        assert download["X-Content-Type-Options"] == "nosniff"
        # and viewing it marked it read, for the whole seller
        assert "1 new" not in thread_of(order_page(seller, mixed), reference)
        assert Thread.objects.get().seller_unread == 0

    def test_each_seller_sees_only_its_own_thread(self, world: World, mixed: OrderBundle) -> None:
        acme_ref, bolt_ref = reference_of(mixed, "acme"), reference_of(mixed, "bolt")
        write(world.buyers["john"], acme_ref, "For acme only")
        bolt_page = order_page(signed_in(world.members["bolt"]), mixed)
        assert f'id="messages-{acme_ref}"' not in bolt_page
        assert f'id="messages-{bolt_ref}"' in bolt_page
        assert "For acme only" not in bolt_page
        buyer_page = order_page(signed_in(world.buyers["john"]), mixed)
        assert "For acme only" in thread_of(buyer_page, acme_ref)
        assert "No messages yet" in thread_of(buyer_page, bolt_ref)

    def test_the_owner_joins_from_the_order_page(self, world: World, mixed: OrderBundle) -> None:
        reference = reference_of(mixed, "acme")
        write(world.buyers["john"], reference, "Nobody answers")
        owner = signed_in(world.owner)
        assert "Nobody answers" in thread_of(order_page(owner, mixed), reference)
        owner.post(post_url(mixed, reference), {"body": "We are on it."})
        html = thread_of(order_page(signed_in(world.members["acme"]), mixed), reference)
        assert "The marketplace has joined" in html
        assert "We are on it." in html

    def test_a_program_dressed_as_a_photo_is_refused_next_to_the_field(
        self, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        response = signed_in(world.buyers["john"]).post(
            post_url(mixed, reference),
            {
                "body": "See attached",
                "attachments": [files.upload("photo.png", files.windows_program(), "image/png")],
            },
        )
        assert response.status_code == 422
        html = thread_of(response.content.decode(), reference)
        error = re.search(
            rf'id="{reference}-message-attachments-error">(.*?)</div>', html, re.DOTALL
        )
        assert error is not None
        assert "photo.png is not a file we accept" in error.group(1)
        assert "See attached" in html  # the text typed is kept
        assert Message.objects.count() == 0

    def test_an_empty_message_is_refused_next_to_the_text(
        self, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        response = signed_in(world.buyers["john"]).post(post_url(mixed, reference), {"body": " "})
        assert response.status_code == 422
        html = thread_of(response.content.decode(), reference)
        assert f'id="{reference}-message-body-error"><p>Write a message or attach a file.' in html

    def test_the_buyers_address_typed_in_a_message_is_masked_for_the_seller(
        self, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        write(world.buyers["john"], reference, "Mail me: john@buyers.test")
        seller = signed_in(world.members["acme"])
        for html in (
            order_page(seller, mixed),
            seller.get("/dashboard/messages/").content.decode(),
        ):
            assert "john@buyers.test" not in html
            assert "Mail me: j***@buyers.test" in html


class TestReplyTemplates:
    def test_the_seller_inserts_the_shipping_message_filled_in(
        self, world: World, mixed: OrderBundle
    ) -> None:
        # given
        reference = reference_of(mixed, "acme")
        seller = signed_in(world.members["acme"])
        assert "Insert template" in thread_of(order_page(seller, mixed), reference)
        # when: htmx asks for the template, with what was typed so far
        response = seller.post(
            f"/dashboard/orders/{mixed.order.number}/messages/{reference}/reply-template/",
            {"template": "shipped", "body": "Good news!"},
            headers={"HX-Request": "true"},
        )
        # then: the message box alone comes back, filled in from the order
        assert response.status_code == 200
        html = response.content.decode()
        assert "<main" not in html
        assert (
            "Good news!\n\nHello John Doe, your order for Mug item has been shipped! "
            "You can expect delivery in 5 days." in html
        )

    def test_without_htmx_the_order_page_comes_back_with_the_box_filled(
        self, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        response = signed_in(world.members["acme"]).post(
            f"/dashboard/orders/{mixed.order.number}/messages/{reference}/reply-template/",
            {"template": "delivered", "body": ""},
        )
        assert response.status_code == 200
        assert "we hope you received your order in perfect condition" in thread_of(
            response.content.decode(), reference
        )

    def test_buyers_get_no_templates(self, world: World, mixed: OrderBundle) -> None:
        reference = reference_of(mixed, "acme")
        buyer = signed_in(world.buyers["john"])
        assert "Insert template" not in thread_of(order_page(buyer, mixed), reference)
        url = f"/dashboard/orders/{mixed.order.number}/messages/{reference}/reply-template/"
        assert buyer.post(url, {"template": "shipped"}).status_code == 404
        assert buyer.get("/dashboard/reply-templates/").status_code == 404

    def test_a_seller_adds_edits_and_deletes_its_own(self, world: World) -> None:
        seller = signed_in(world.members["acme"])
        page = seller.get("/dashboard/reply-templates/").content.decode()
        assert "Order shipped" in page
        assert "Order delivered" in page
        # an unknown placeholder is refused next to the body
        refused = seller.post(
            "/dashboard/reply-templates/", {"name": "Soon", "body": "Hi {first_name}"}
        )
        assert refused.status_code == 422
        assert "uses the unknown placeholder {first_name}" in refused.content.decode()
        added = seller.post(
            "/dashboard/reply-templates/", {"name": "Soon", "body": "Hi {customer_name}"}
        )
        assert added.status_code == 302
        template_id = re.search(
            r'href="/dashboard/reply-templates/([0-9a-f-]{36})/"',
            seller.get("/dashboard/reply-templates/").content.decode(),
        ).group(1)  # type: ignore[union-attr]
        edited = seller.post(
            f"/dashboard/reply-templates/{template_id}/", {"name": "Soon", "body": "Bye"}
        )
        assert edited.status_code == 302
        assert "Bye" in seller.get("/dashboard/reply-templates/").content.decode()
        other = signed_in(world.members["bolt"])
        assert other.get(f"/dashboard/reply-templates/{template_id}/").status_code == 404
        assert other.post(f"/dashboard/reply-templates/{template_id}/delete/").status_code == 404
        deleted = seller.post(f"/dashboard/reply-templates/{template_id}/delete/")
        assert deleted.status_code == 302
        assert "Bye" not in seller.get("/dashboard/reply-templates/").content.decode()


class TestTheInbox:
    def test_lists_the_viewers_threads_with_unread_counts(
        self, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        write(world.buyers["john"], reference, "First question")
        write(world.buyers["john"], reference, "Second question")
        seller = signed_in(world.members["acme"])
        html = seller.get("/dashboard/messages/").content.decode()
        row = html[html.index(f'id="thread-{reference}"') :]
        assert '2<span class="visually-hidden"> unread</span>' in row
        assert "Second question" in row
        assert 'id="unread-messages">2<' in html  # the navigation's count
        assert (
            "First question"
            not in signed_in(world.members["bolt"]).get("/dashboard/messages/").content.decode()
        )
        order_page(seller, mixed)  # reading the thread
        assert 'id="unread-messages"' not in seller.get("/dashboard/messages/").content.decode()

    def test_the_whole_thread_page_keeps_to_scope(self, world: World, mixed: OrderBundle) -> None:
        reference = reference_of(mixed, "acme")
        write(world.buyers["john"], reference, "Hello")
        assert (
            "Hello"
            in signed_in(world.members["acme"])
            .get(f"/dashboard/messages/{reference}/")
            .content.decode()
        )
        for outsider in (world.members["bolt"], world.buyers["jane"]):
            client = signed_in(outsider)
            assert client.get(f"/dashboard/messages/{reference}/").status_code == 404
            assert client.post(post_url(mixed, reference), {"body": "hi"}).status_code == 404
        assert Message.objects.count() == 1


class TestDownloads:
    def test_another_seller_and_another_buyer_cannot_download(
        self, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        write(world.buyers["john"], reference, "", files.upload("a.png", files.png()))
        attachment = Message.objects.get().attached.get().attachment
        url = f"/dashboard/attachments/{attachment.public_id}/"
        for outsider in (world.members["bolt"], world.buyers["jane"]):
            assert signed_in(outsider).get(url).status_code == 404
        for insider in (world.members["acme"], world.buyers["john"], world.owner):
            response = signed_in(insider).get(url)
            assert response.status_code == 200
            assert response["Content-Type"] == "image/png"


class TestQueryCounts:
    def test_the_order_page_costs_the_same_for_1_or_10_messages(
        self, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        buyer = signed_in(world.buyers["john"])
        counts = []
        for batch in (1, 9):
            for _ in range(batch):
                write(
                    world.members["acme"],
                    reference,
                    "Here you go",
                    files.upload("a.png", files.png()),
                    files.upload("b.pdf", files.pdf()),
                )
            order_page(buyer, mixed)  # marks them read: each count below writes nothing
            with CaptureQueriesContext(connection) as queries:
                order_page(buyer, mixed)
            counts.append(len(queries))
        assert counts[0] == counts[1], counts

    def test_the_inbox_costs_the_same_for_1_or_10_threads(self, world: World) -> None:
        seller = signed_in(world.members["acme"])
        counts = []
        for batch in (1, 9):
            for _ in range(batch):
                bundle = pay(world, place_order(world, {"MUG": 1}))
                write(world.buyers["john"], reference_of(bundle, "acme"), "Hello")
            with CaptureQueriesContext(connection) as queries:
                assert seller.get("/dashboard/messages/").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
