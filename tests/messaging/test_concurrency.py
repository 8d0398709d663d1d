"""What the thread's row lock guarantees under real concurrency (PostgreSQL): racing first
messages make one thread, every message is counted once, a file is attached once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.builders import build_world, pay, place_order
from tests.concurrency import outcome, run_together
from tests.messaging import files
from tests.messaging.flows import reference_of
from tradepost.attachments.services import attachments_upload
from tradepost.messaging import services as messaging
from tradepost.messaging.models import Message, Thread

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


class TestRacingMessages:
    def test_first_messages_at_once_make_one_thread_and_count_each(self, media_root) -> None:
        # given: a seller order nobody has written about yet
        world = build_world()
        reference = reference_of(pay(world, place_order(world, {"MUG": 1})), "acme")
        writers = [world.buyers["john"].actor, world.members["acme"].actor] * 4
        # when: eight messages at the same instant, half from each side
        results = run_together(
            len(writers),
            lambda i: messaging.message_post(actor=writers[i], reference=reference, body=f"#{i}"),
        )
        # then
        assert [outcome(result) for result in results] == ["ok"] * len(writers)
        thread = Thread.objects.get()
        assert thread.message_count == Message.objects.count() == len(writers)
        last_seller = max(
            Message.objects.filter(author_party="seller"), key=lambda m: (m.created_at, m.pk)
        )
        buyers_since = Message.objects.filter(
            author_party="buyer", created_at__gt=last_seller.created_at
        )
        assert thread.seller_unread == buyers_since.count()

    def test_a_file_is_attached_to_one_message_only(self, media_root) -> None:
        world = build_world()
        reference = reference_of(pay(world, place_order(world, {"MUG": 1})), "acme")
        john = world.buyers["john"].actor
        upload = SimpleUploadedFile("crack.png", files.png(), "image/png")
        (photo,) = attachments_upload(actor=john, uploads=[upload])
        results = run_together(
            4,
            lambda i: messaging.message_post(
                actor=john, reference=reference, body=f"#{i}", attachment_ids=[photo.public_id]
            ),
        )
        assert sorted(outcome(result) for result in results) == [
            "ok",
            "validation_error",
            "validation_error",
            "validation_error",
        ]
        assert Message.objects.count() == 1
