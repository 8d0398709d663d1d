"""The "delivery in X days" of the shipment email is a marketplace setting the owner manages."""

from __future__ import annotations

import pytest

from tests.builders import ApiClient, World

pytestmark = pytest.mark.django_db


def test_every_role_reads_it_and_the_owner_changes_it(api: ApiClient, world: World) -> None:
    assert api.get("/marketplace", world.buyers["john"].key).json()["delivery_estimate_days"] == 5
    response = api.patch("/marketplace", world.owner.key, {"delivery_estimate_days": 2})
    assert response.status == 200, response
    assert response.json()["delivery_estimate_days"] == 2
    refused = api.patch("/marketplace", world.members["acme"].key, {"delivery_estimate_days": 9})
    assert refused.status == 403


@pytest.mark.parametrize("days", [0, 61])
def test_it_stays_between_one_and_sixty_days(api: ApiClient, world: World, days: int) -> None:
    response = api.patch("/marketplace", world.owner.key, {"delivery_estimate_days": days})
    assert response.status == 422
    assert response.json()["errors"][0]["field"] == "delivery_estimate_days"
