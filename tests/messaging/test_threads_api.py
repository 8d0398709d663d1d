"""A seller order's conversation through the API: buyer and seller write with files, the owner
reads and joins, unread counts move, the timeline records each message for the right people."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import ApiClient, Party, World, pay, place_order
from tests.messaging import files
from tests.messaging.flows import download, reference_of, send, thread, upload
from tradepost.messaging.models import Message, Thread
from tradepost.orders.selectors import OrderBundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(world: World) -> OrderBundle:
    """John's paid order of a mug from acme and a tee from bolt."""
    return pay(world, place_order(world, {"MUG": 1, "TEE": 1}))


def unread(api: ApiClient, party: Party) -> dict[str, int]:
    body = api.get("/messages/unread", party.key).json()
    per_thread = {row["seller_order"]: row["unread_count"] for row in body["threads"]}
    assert body["total"] == sum(per_thread.values())
    return per_thread


class TestConversation:
    def test_buyer_and_seller_exchange_messages_with_a_pdf_and_a_photo(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        # given
        john, acme = world.buyers["john"], world.members["acme"]
        reference = reference_of(mixed, "acme")
        photo, receipt = files.png(4, 4), files.pdf("Order receipt")
        # when: john writes with a photo and a PDF; acme answers
        first = send(
            api,
            john,
            reference,
            "The mug arrived cracked, photo and receipt attached.",
            files.upload("crack.png", photo, "image/png"),
            files.upload("receipt.pdf", receipt, "application/pdf"),
        )
        second = send(api, acme, reference, "So sorry! A new one ships today.")
        # then
        assert (first.status, second.status) == (201, 201), (first, second)
        sent = first.json()
        assert [(a["name"], a["content_type"]) for a in sent["attachments"]] == [
            ("crack.png", "image/png"),
            ("receipt.pdf", "application/pdf"),
        ]
        seen_by_seller = thread(api, acme, reference).json()
        assert [m["body"] for m in seen_by_seller["items"]] == [
            "The mug arrived cracked, photo and receipt attached.",
            "So sorry! A new one ships today.",
        ]
        assert [m["author"]["name"] for m in seen_by_seller["items"]] == [
            "John Doe",
            acme.actor.label,
        ]
        seen_by_buyer = thread(api, john, reference).json()
        assert [(m["author"]["name"], m["author"]["is_you"]) for m in seen_by_buyer["items"]] == [
            ("You", True),
            ("Acme", False),
        ]
        # and the seller downloads exactly what was sent
        by_name = {a["name"]: a for a in seen_by_seller["items"][0]["attachments"]}
        for name, content in (("crack.png", photo), ("receipt.pdf", receipt)):
            response = download(api, acme, by_name[name]["id"])
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == content

    def test_the_thread_pages_oldest_or_newest_first(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        for number in range(5):
            assert send(api, world.buyers["john"], reference, f"message {number}").status == 201

        def walk(sort: str) -> list[str]:
            seen, cursor = [], None
            while True:
                page = thread(
                    api,
                    world.members["acme"],
                    reference,
                    sort=sort,
                    limit=2,
                    **({"cursor": cursor} if cursor else {}),
                ).json()
                seen += [m["body"] for m in page["items"]]
                cursor = page["next_cursor"]
                if cursor is None:
                    return seen

        assert walk("created_at") == [f"message {n}" for n in range(5)]
        assert walk("-created_at") == [f"message {n}" for n in reversed(range(5))]

    def test_a_message_needs_text_or_a_file(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        empty = send(api, world.buyers["john"], reference, "   ")
        assert empty.status == 422
        assert empty.json()["errors"][0]["field"] == "body"
        only_a_file = send(
            api, world.buyers["john"], reference, "", files.upload("a.png", files.png())
        )
        assert only_a_file.status == 201, only_a_file
        too_long = send(api, world.buyers["john"], reference, "x" * 5001)
        assert too_long.status == 422
        assert too_long.json()["errors"][0]["field"] == "body"
        assert Message.objects.count() == 1

    def test_a_retried_post_with_the_same_key_sends_once(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        path = f"/seller-orders/{reference_of(mixed, 'acme')}/messages"
        body = {"body": "Is it gift-wrapped?"}
        first = api.post(path, world.buyers["john"].key, body, idempotency_key="msg-1")
        again = api.post(path, world.buyers["john"].key, body, idempotency_key="msg-1")
        assert (first.status, again.status) == (201, 201)
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert first.json() == again.json()
        assert Message.objects.count() == 1


class TestScope:
    def test_another_seller_and_another_buyer_find_no_thread_and_no_files(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        # given: john and acme talk about acme's part of john's order, with a photo
        reference = reference_of(mixed, "acme")
        sent = send(api, world.buyers["john"], reference, "hi", files.upload("a.png", files.png()))
        attachment_id = sent.json()["attachments"][0]["id"]
        outsiders = (world.members["bolt"], world.buyers["jane"])  # bolt sells into the order
        for outsider in outsiders:
            # when / then
            for response in (
                thread(api, outsider, reference),
                send(api, outsider, reference, "let me in"),
                api.post(f"/seller-orders/{reference}/messages/read", outsider.key),
            ):
                assert response.status == 404, (outsider.user.username, response)
                assert response.json()["code"] == "not_found"
            assert download(api, outsider, attachment_id).status_code == 404
            assert unread(api, outsider) == {}
            assert api.get("/messages/threads", outsider.key).json()["items"] == []
        assert Message.objects.count() == 1
        assert download(api, world.members["acme"], attachment_id).status_code == 200

    def test_the_owner_reads_every_thread_and_joins(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        reference = reference_of(mixed, "acme")
        owner, john = world.owner, world.buyers["john"]
        sent = send(api, john, reference, "Where is it?", files.upload("a.pdf", files.pdf()))
        # when: the owner reads, then writes
        read = thread(api, owner, reference).json()
        assert [m["body"] for m in read["items"]] == ["Where is it?"]
        assert read["owner_joined"] is False
        assert download(api, owner, sent.json()["attachments"][0]["id"]).status_code == 200
        assert send(api, owner, reference, "The marketplace is looking into it.").status == 201
        # then: both parties see the marketplace in the thread, not the staff member's name
        for party in (john, world.members["acme"]):
            body = thread(api, party, reference).json()
            assert body["owner_joined"] is True
            assert body["items"][-1]["author"] == {
                "party": "owner",
                "name": "Marketplace",
                "is_you": False,
            }
        # and the owner sees its staff member's own name
        names = [m["author"]["name"] for m in thread(api, owner, reference).json()["items"]]
        assert names == ["John Doe", owner.actor.label]


class TestUnreadCounts:
    def test_counts_move_with_each_message_and_each_read(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        john, acme, bolt, owner = (
            world.buyers["john"],
            world.members["acme"],
            world.members["bolt"],
            world.owner,
        )
        ref = reference_of(mixed, "acme")
        send(api, john, ref, "one")
        send(api, john, ref, "two")
        assert unread(api, acme) == {ref: 2}
        assert unread(api, john) == {}  # one's own messages are not unread
        assert unread(api, bolt) == {}
        assert unread(api, owner) == {}  # not in the conversation yet
        # when the seller reads
        read = api.post(f"/seller-orders/{ref}/messages/read", acme.key).json()
        assert read["unread_count"] == 0
        assert read["read_at"] is not None
        assert unread(api, acme) == {}
        # the seller answers, the owner joins, the buyer answers
        send(api, acme, ref, "three")
        assert unread(api, john) == {ref: 1}
        send(api, owner, ref, "four")
        assert (unread(api, john), unread(api, acme)) == ({ref: 2}, {ref: 1})
        send(api, john, ref, "five")
        assert (unread(api, john), unread(api, acme), unread(api, owner)) == (
            {},
            {ref: 2},
            {ref: 1},
        )
        flags = [(m["body"], m["unread"]) for m in thread(api, acme, ref).json()["items"]]
        assert flags == [
            ("one", False),
            ("two", False),
            ("three", False),
            ("four", True),
            ("five", True),
        ]

    def test_the_inbox_lists_threads_by_latest_activity(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        other = pay(world, place_order(world, {"BOWL": 1}))
        older, newer = reference_of(mixed, "acme"), reference_of(other, "acme")
        send(api, world.buyers["john"], older, "first")
        send(api, world.buyers["john"], newer, "second")
        items = api.get("/messages/threads", world.members["acme"].key).json()["items"]
        assert [t["seller_order"] for t in items] == [newer, older]
        assert items[0]["last_message"]["excerpt"] == "second"
        assert items[0]["unread_count"] == 1
        send(api, world.members["acme"], older, "answer")
        assert [
            t["seller_order"]
            for t in api.get("/messages/threads", world.members["acme"].key, unread=True).json()[
                "items"
            ]
        ] == [newer]


class TestTimeline:
    def test_each_message_is_on_the_timeline_of_those_who_see_its_thread(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        # given
        ref = reference_of(mixed, "acme")
        number = mixed.order.number
        photo = files.upload("a.png", files.png())
        send(api, world.buyers["john"], ref, "Cracked on arrival", photo)
        send(api, world.members["acme"], ref, "Replacing it")

        def messages_on_timeline(party: Party) -> list[dict]:
            events = api.get(f"/orders/{number}/events", party.key).json()
            return [event for event in events if event["kind"] == "message.posted"]

        # then
        for party in (world.owner, world.buyers["john"], world.members["acme"]):
            events = messages_on_timeline(party)
            assert [event["seller_order"] for event in events] == [ref, ref], party.user.username
            assert events[0]["message"] == f"{ref}: message with 1 attachment: “Cracked on arrival”"
        assert messages_on_timeline(world.members["bolt"]) == []


class TestTheBuyersEmail:
    def test_a_seller_never_sees_it_in_any_messaging_response(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        # given: john types his address into a message
        ref = reference_of(mixed, "acme")
        acme = world.members["acme"]
        send(api, world.buyers["john"], ref, "Write to me at JOHN@buyers.test please")
        posted = send(api, acme, ref, "We keep it here, john@buyers.test is not needed")
        rendered = api.post("/reply-templates/shipped/render", acme.key, {"seller_order": ref})
        # when
        responses = [
            posted,
            rendered,
            thread(api, acme, ref),
            api.get("/messages/threads", acme.key),
            api.get("/messages/unread", acme.key),
            api.post(f"/seller-orders/{ref}/messages/read", acme.key),
            api.get(f"/orders/{mixed.order.number}/events", acme.key),
        ]
        # then
        for response in responses:
            assert response.status in (200, 201), response
            assert "john@buyers.test" not in response.body.decode().lower(), response
        bodies = [m["body"] for m in thread(api, acme, ref).json()["items"]]
        assert bodies[0] == "Write to me at j***@buyers.test please"
        # the owner and the buyer read it as written
        owner_bodies = [m["body"] for m in thread(api, world.owner, ref).json()["items"]]
        assert owner_bodies[0] == "Write to me at JOHN@buyers.test please"


class TestQueryCounts:
    def _count(self, api: ApiClient, path: str, party: Party, **params: object) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path, party.key, **params).status == 200
        return len(queries)

    def test_a_thread_page_costs_the_same_for_1_or_10_messages_with_files(
        self, api: ApiClient, world: World, mixed: OrderBundle
    ) -> None:
        ref = reference_of(mixed, "acme")
        john = world.buyers["john"]
        counts = []
        for batch in (1, 9):
            for _ in range(batch):
                photo, pdf = files.upload("a.png", files.png()), files.upload("b.pdf", files.pdf())
                assert send(api, john, ref, "look", photo, pdf).status == 201
            counts.append(self._count(api, f"/seller-orders/{ref}/messages", world.members["acme"]))
        assert counts[0] == counts[1], counts

    def test_the_inbox_costs_the_same_for_1_or_10_threads(
        self, api: ApiClient, world: World
    ) -> None:
        john, acme = world.buyers["john"], world.members["acme"]
        counts = []
        for batch in (1, 9):
            for _ in range(batch):
                bundle = pay(world, place_order(world, {"MUG": 1}))
                assert send(api, john, reference_of(bundle, "acme"), "hello").status == 201
            counts.append(self._count(api, "/messages/threads", acme))
            counts.append(self._count(api, "/messages/unread", acme))
        assert counts[0] == counts[2], counts
        assert counts[1] == counts[3], counts
        assert Thread.objects.count() == 10


def test_payloads_are_json_serialisable_for_every_role(
    api: ApiClient, world: World, mixed: OrderBundle
) -> None:
    ref = reference_of(mixed, "acme")
    send(api, world.buyers["john"], ref, "hi", files.upload("a.webm", files.webm()))
    for party in (world.owner, world.members["acme"], world.buyers["john"]):
        body = thread(api, party, ref).json()
        assert json.loads(json.dumps(body)) == body
        assert body["items"][0]["attachments"][0]["kind"] == "video"
    assert upload(api, world.owner, files.upload("a.png", files.png())).status == 201
