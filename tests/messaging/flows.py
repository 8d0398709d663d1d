"""Messaging as an integrator drives it: upload files, post with their ids, read the thread."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.builders import ApiClient, ApiResponse, Party
from tradepost.orders.selectors import OrderBundle


def reference_of(bundle: OrderBundle, seller: str) -> str:
    return next(
        part.seller_order.reference
        for part in bundle.seller_orders
        if part.seller_order.seller.slug == seller
    )


def upload(api: ApiClient, party: Party, *files: SimpleUploadedFile) -> ApiResponse:
    """``POST /attachments`` as multipart, one ``files`` part per file."""
    response = api.client.post(
        "/api/v1/attachments",
        data={"files": list(files)},
        headers={"Authorization": f"Bearer {party.key}"},
    )
    return ApiResponse(response.status_code, response.content, dict(response.headers))


def download(api: ApiClient, party: Party, attachment_id: str) -> Any:
    return api.client.get(
        f"/api/v1/attachments/{attachment_id}", headers={"Authorization": f"Bearer {party.key}"}
    )


def send(
    api: ApiClient, party: Party, reference: str, body: str = "", *files: SimpleUploadedFile
) -> ApiResponse:
    """Upload the files (if any), then post the message with their ids."""
    ids: list[str] = []
    if files:
        uploaded = upload(api, party, *files)
        assert uploaded.status == 201, uploaded
        ids = [attachment["id"] for attachment in uploaded.json()]
    return api.post(
        f"/seller-orders/{reference}/messages", party.key, {"body": body, "attachment_ids": ids}
    )


def thread(api: ApiClient, party: Party, reference: str, **params: Any) -> ApiResponse:
    return api.get(f"/seller-orders/{reference}/messages", party.key, **params)
