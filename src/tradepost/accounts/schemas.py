"""Request and response shapes of the API-key endpoints."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from tradepost.core.schemas import InputSchema, StrictInt


class ApiKeyCreateIn(InputSchema):
    name: str = Field(min_length=1, max_length=100)
    user_id: StrictInt | None = Field(None, description="Owner only: issue the key for this user.")


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    user: str = Field(alias="user.username")
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyIssuedOut(ApiKeyOut):
    key: str = Field(description="The secret. Shown once; store it now.")


class WhoAmIOut(Schema):
    role: str
    label: str
    seller: str | None = None
