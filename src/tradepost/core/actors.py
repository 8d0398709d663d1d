"""Who is acting: the owner (staff), a member of one seller, a buyer, or the system itself.

Every service takes an ``Actor``; selectors scope rows by it. Resolving a user to an actor lives in
``accounts.selectors`` because it reads the seller and buyer profiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    SELLER = "seller"
    BUYER = "buyer"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    role: Role
    label: str
    user_id: int | None = None
    seller_id: int | None = None
    buyer_id: int | None = None

    # Scoped queries read these: a seller actor always has a seller id, a buyer a buyer id.
    @property
    def seller_pk(self) -> int:
        if self.seller_id is None:
            raise LookupError(f"{self.role} actor has no seller")
        return self.seller_id

    @property
    def buyer_pk(self) -> int:
        if self.buyer_id is None:
            raise LookupError(f"{self.role} actor has no buyer")
        return self.buyer_id

    @property
    def user_pk(self) -> int:
        if self.user_id is None:
            raise LookupError(f"{self.role} actor has no user")
        return self.user_id

    @property
    def is_owner(self) -> bool:
        return self.role is Role.OWNER

    @property
    def is_seller(self) -> bool:
        return self.role is Role.SELLER

    @property
    def is_buyer(self) -> bool:
        return self.role is Role.BUYER


SYSTEM = Actor(role=Role.SYSTEM, label="Tradepost")
