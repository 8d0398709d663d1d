"""Returns as the tests walk them: through the API, as the buyer, the seller and the owner."""

from __future__ import annotations

from typing import Any

from tests.builders import ApiClient, ApiResponse, World
from tests.payments.flows import photo_ids

ADDRESS = "Acme Returns, 2 Dock Road, 12345 Springfield, US"


def request_return(
    api: ApiClient,
    world: World,
    reference: str,
    lines: dict[str, int],
    *,
    reason: str = "damaged",
    proofs: int = 1,
    who: str = "john",
    **body: Any,
) -> ApiResponse:
    """``who`` (a buyer's name, or "owner") asks to return ``lines``, with ``proofs`` photos."""
    party = world.owner if who == "owner" else world.buyers[who]
    payload = {
        "reason": reason,
        "lines": [{"sku": sku, "quantity": qty} for sku, qty in lines.items()],
        "attachment_ids": photo_ids(api, party, proofs) if proofs else [],
        **body,
    }
    return api.post(f"/seller-orders/{reference}/returns", party.key, payload)


def step(api: ApiClient, key: str, return_id: str, action: str, **body: Any) -> ApiResponse:
    return api.post(f"/returns/{return_id}/{action}", key, body)


def walk_to_received(api: ApiClient, world: World, reference: str, lines: dict[str, int]) -> str:
    """Requested, authorised, sent back with tracking, received: the return's id."""
    asked = request_return(api, world, reference, lines)
    assert asked.status == 201, asked
    return_id = asked.json()["id"]
    acme, john = world.members["acme"].key, world.buyers["john"].key
    for key, action, body in (
        (acme, "authorize", {"return_address": ADDRESS}),
        (john, "ship-back", {"carrier": "UPS", "tracking_number": "1ZRETURN"}),
        (acme, "receive", {"note": "Box arrived."}),
    ):
        response = step(api, key, return_id, action, **body)
        assert response.status == 200, (action, response)
    return return_id
