"""Uploads: judged by content and size, stored with their hash, downloaded only by who may see
them, swept when nobody attaches them."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from tests import clock
from tests.builders import ApiClient, World, pay, place_order
from tests.messaging import files
from tests.messaging.flows import download, reference_of, send, upload
from tradepost.attachments.models import Attachment
from tradepost.attachments.services import attachments_sweep_unclaimed

pytestmark = pytest.mark.django_db


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


class TestWhatIsAccepted:
    @pytest.mark.parametrize(
        ("name", "content", "content_type", "kind"),
        [
            ("photo.png", files.png(), "image/png", "image"),
            ("photo.jpg", files.jpeg(), "image/jpeg", "image"),
            ("photo.webp", files.webp(), "image/webp", "image"),
            ("animation.gif", files.gif(), "image/gif", "image"),
            ("receipt.pdf", files.pdf(), "application/pdf", "pdf"),
            ("unboxing.mp4", files.mp4(), "video/mp4", "video"),
            ("unboxing.webm", files.webm(), "video/webm", "video"),
            ("unboxing.mov", files.quicktime(), "video/quicktime", "video"),
        ],
    )
    def test_photos_pdfs_and_short_videos_are_stored_with_their_hash(
        self,
        api: ApiClient,
        world: World,
        media_root: Path,
        name: str,
        content: bytes,
        content_type: str,
        kind: str,
    ) -> None:
        # when
        response = upload(api, world.buyers["john"], files.upload(name, content))
        # then
        assert response.status == 201, response
        (attachment,) = response.json()
        assert (attachment["name"], attachment["content_type"], attachment["kind"]) == (
            name,
            content_type,
            kind,
        )
        assert attachment["size"] == len(content)
        assert attachment["sha256"] == hashlib.sha256(content).hexdigest()
        (stored,) = stored_files(media_root)
        assert stored.read_bytes() == content
        assert name not in str(stored), "the client's file name must not become a path"

    def test_the_type_comes_from_the_content_not_the_client(
        self, api: ApiClient, world: World
    ) -> None:
        # given: a PNG sent as a PDF, and a PDF named like a program
        lying = files.upload("scan.pdf", files.png(), content_type="application/pdf")
        renamed = files.upload("invoice.exe", files.pdf(), content_type="application/x-msdownload")
        # when
        response = upload(api, world.buyers["john"], lying, renamed)
        # then: each is what it is, and downloads under a name that matches
        assert response.status == 201, response
        png, pdf = response.json()
        assert (png["content_type"], png["name"]) == ("image/png", "scan.png")
        assert (pdf["content_type"], pdf["name"]) == ("application/pdf", "invoice.pdf")

    def test_a_program_renamed_png_is_refused_naming_the_field(
        self, api: ApiClient, world: World, media_root: Path
    ) -> None:
        # given: a real photo, then a Windows program dressed up as one
        photo = files.upload("photo.png", files.png(), "image/png")
        fake = files.upload("cute-cat.png", files.windows_program(), "image/png")
        # when
        response = upload(api, world.buyers["john"], photo, fake)
        # then: refused whole, naming the second file, and nothing stored
        assert response.status == 422, response
        problem = response.json()
        assert problem["errors"][0]["field"] == "files[1]"
        assert "cute-cat.png is not a file we accept" in problem["errors"][0]["message"]
        assert Attachment.objects.count() == 0
        assert stored_files(media_root) == []

    @pytest.mark.parametrize(
        "content", [b"plain text, not a photo", b"<html><script>alert(1)</script></html>"]
    )
    def test_anything_else_is_refused(self, api: ApiClient, world: World, content: bytes) -> None:
        response = upload(api, world.buyers["john"], files.upload("note.png", content))
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "files[0]"

    def test_an_oversized_file_is_refused_with_its_limit(
        self, api: ApiClient, world: World, settings: pytest.FixtureRequest, media_root: Path
    ) -> None:
        # given: photos may be 1 MiB here
        settings.TRADEPOST_ATTACHMENT_MAX_IMAGE_MB = 1  # type: ignore[attr-defined]
        big = files.png(padding=1024 * 1024)
        # when
        response = upload(api, world.buyers["john"], files.upload("huge.png", big))
        # then
        assert response.status == 422, response
        error = response.json()["errors"][0]
        assert error["field"] == "files[0]"
        assert error["message"] == "huge.png is 1.01 MB; a photo may be at most 1 MB"
        assert stored_files(media_root) == []

    def test_a_photo_declaring_too_many_pixels_is_refused_unread(
        self, api: ApiClient, world: World, media_root: Path
    ) -> None:
        # given: a few hundred bytes that declare a 15000 x 15000 canvas
        bomb = files.png_declaring(15000, 15000)
        # when
        response = upload(api, world.buyers["john"], files.upload("bomb.png", bomb))
        # then: refused with the limit, nothing stored; a real photo of the limit's size passes
        assert response.status == 422, response
        assert response.json()["errors"][0] == {
            "field": "files[0]",
            "message": "bomb.png declares more pixels than a photo may have (at most 50 million)",
        }
        assert stored_files(media_root) == []
        fine = files.png_declaring(8000, 6000)  # 48 million
        assert upload(api, world.buyers["john"], files.upload("big.png", fine)).status == 201
        just_over = files.png_declaring(10000, 5001)  # under Pillow's ceiling, over ours
        assert upload(api, world.buyers["john"], files.upload("over.png", just_over)).status == 422

    def test_each_kind_has_its_own_limit(
        self, api: ApiClient, world: World, settings: pytest.FixtureRequest
    ) -> None:
        settings.TRADEPOST_ATTACHMENT_MAX_IMAGE_MB = 1  # type: ignore[attr-defined]
        big_pdf = files.pdf("x" * (1024 * 1024 + 10))
        response = upload(api, world.buyers["john"], files.upload("long.pdf", big_pdf))
        assert response.status == 201, response  # PDFs may be 20 MB

    def test_an_empty_file_and_no_file_are_refused(self, api: ApiClient, world: World) -> None:
        empty = upload(api, world.buyers["john"], files.upload("empty.png", b""))
        assert empty.status == 422
        assert empty.json()["errors"][0] == {"field": "files[0]", "message": "empty.png is empty"}
        none = upload(api, world.buyers["john"])
        assert none.status == 422
        assert none.json()["errors"][0]["field"] == "files"


class TestDownloads:
    def test_a_download_is_an_attachment_of_the_stored_type_never_sniffed(
        self, api: ApiClient, world: World
    ) -> None:
        # given
        content = files.pdf()
        (attachment,) = upload(
            api, world.buyers["john"], files.upload("receipt.pdf", content)
        ).json()
        # when
        response = download(api, world.buyers["john"], attachment["id"])
        # then
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]

    def test_an_unattached_upload_is_its_uploaders_alone(
        self, api: ApiClient, world: World
    ) -> None:
        (attachment,) = upload(
            api, world.buyers["john"], files.upload("photo.png", files.png())
        ).json()
        for other in (world.buyers["jane"], world.members["acme"], world.owner):
            response = download(api, other, attachment["id"])
            assert response.status_code == 404, other.user.username
        assert download(api, world.buyers["john"], "not-a-uuid").status_code == 404

    def test_only_the_uploader_attaches_an_upload(self, api: ApiClient, world: World) -> None:
        # given: jane uploads; john tries to send her file on his own order
        bundle = pay(world, place_order(world, {"MUG": 1}))
        reference = reference_of(bundle, "acme")
        (janes,) = upload(api, world.buyers["jane"], files.upload("x.png", files.png())).json()
        # when
        response = api.post(
            f"/seller-orders/{reference}/messages",
            world.buyers["john"].key,
            {"body": "look", "attachment_ids": [janes["id"]]},
        )
        # then
        assert response.status == 422, response
        assert response.json()["errors"][0]["field"] == "attachment_ids[0]"

    def test_an_upload_is_attached_once(self, api: ApiClient, world: World) -> None:
        bundle = pay(world, place_order(world, {"MUG": 1}))
        reference = reference_of(bundle, "acme")
        john = world.buyers["john"]
        (photo,) = upload(api, john, files.upload("x.png", files.png())).json()
        body = {"body": "look", "attachment_ids": [photo["id"]]}
        assert api.post(f"/seller-orders/{reference}/messages", john.key, body).status == 201
        again = api.post(f"/seller-orders/{reference}/messages", john.key, body)
        assert again.status == 422, again


class TestSweep:
    def test_uploads_nobody_attached_go_with_their_files(
        self, api: ApiClient, world: World, media_root: Path, django_capture_on_commit_callbacks
    ) -> None:
        # given: one upload attached to a message, one left waiting
        bundle = pay(world, place_order(world, {"MUG": 1}))
        john = world.buyers["john"]
        kept = files.upload("a.png", files.png())
        assert send(api, john, reference_of(bundle, "acme"), "kept", kept).status == 201
        assert upload(api, john, files.upload("b.png", files.png())).status == 201
        # when: past the waiting time; the files go once the deletion commits
        with django_capture_on_commit_callbacks(execute=True):
            later = clock.now() + timedelta(seconds=1)
            removed = attachments_sweep_unclaimed(uploaded_before=later)
        # then
        assert removed == 1
        assert list(Attachment.objects.values_list("name", flat=True)) == ["a.png"]
        assert len(stored_files(media_root)) == 1
