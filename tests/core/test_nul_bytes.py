"""NUL characters are refused at the door, with a 400, before they reach a query."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.builders import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/orders/%00",
        "/api/v1/orders?q=%00",
        "/dashboard/orders/%00/",
        "/dashboard/orders/?cursor=%00",
    ],
)
def test_a_nul_in_the_url_is_a_400(world: World, path: str) -> None:
    client = Client()
    client.force_login(world.owner.user)
    response = client.get(path, headers={"Authorization": f"Bearer {world.owner.key}"})
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"


def test_a_nul_in_a_json_body_is_a_400(world: World) -> None:
    response = Client().post(
        "/api/v1/webhook-endpoints",
        data=json.dumps({"url": "https://a.example.com/", "description": "x\u0000y"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.owner.key}"},
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
