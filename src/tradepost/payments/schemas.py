"""Request shapes of the payments API."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema


class PaymentIn(Schema):
    provider: str = Field("manual", max_length=40)
    status: Literal["succeeded", "failed"]
    reference: str = Field(min_length=1, max_length=200, description="The provider's reference.")
    amount: int = Field(ge=0, le=10**13, description="Minor units; must equal the order total.")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    failure_reason: str = Field("", max_length=500)
