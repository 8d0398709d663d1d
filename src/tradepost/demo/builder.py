"""A believable marketplace for ``make run``: sellers, listings, buyers and orders in every status.

Everything goes through the real services with the clock set in the past, so each order has an
honest timeline (placed, paid, acknowledged, shipped …) spread over the last eight weeks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User

from tradepost.accounts import services as accounts
from tradepost.accounts.models import Buyer
from tradepost.accounts.selectors import actor_for_user
from tradepost.catalog import services as catalog
from tradepost.catalog.models import Listing, Seller
from tradepost.core import clock
from tradepost.core.actors import SYSTEM, Actor
from tradepost.orders import services as fulfilment
from tradepost.orders.checkout import Cart, CartLine, Contact, order_create
from tradepost.orders.selectors import OrderBundle, SellerOrderBundle
from tradepost.payments import services as payments

DEMO_PASSWORD = "tradepost-demo"

SELLERS = [
    (
        "northwind-ceramics",
        "Northwind Ceramics",
        1200,
        [
            ("NWC-MUG-01", "Stoneware mug, speckled white", 1800),
            ("NWC-MUG-02", "Stoneware mug, midnight blue", 1800),
            ("NWC-BWL-01", "Ramen bowl, 900 ml", 3200),
            ("NWC-PLT-01", "Dinner plate set of 4", 7400),
            ("NWC-VAS-01", "Bud vase, celadon glaze", 2600),
            ("NWC-TPT-01", "Teapot with infuser, 1 l", 5900),
            ("NWC-CUP-01", "Espresso cups, pair", 2200),
        ],
    ),
    (
        "harbor-leather",
        "Harbor Leather Co.",
        None,
        [
            ("HLC-WAL-01", "Bifold wallet, tan", 4500),
            ("HLC-BLT-01", "Full-grain belt, 35 mm", 5500),
            ("HLC-KEY-01", "Key fob, brass snap", 1500),
            ("HLC-BAG-01", "Weekender bag, chestnut", 24900),
            ("HLC-CRD-01", "Card holder, black", 2900),
            ("HLC-STR-01", "Watch strap, 20 mm", 3500),
            ("HLC-NBK-01", "Notebook cover, A5", 3900),
        ],
    ),
    (
        "sunrise-botanicals",
        "Sunrise Botanicals",
        800,
        [
            ("SRB-SOP-01", "Oat & honey soap bar", 750),
            ("SRB-SOP-02", "Charcoal & mint soap bar", 750),
            ("SRB-CND-01", "Soy candle, cedar & sage", 2400),
            ("SRB-BLM-01", "Lip balm trio", 1200),
            ("SRB-OIL-01", "Beard oil, 30 ml", 1900),
            ("SRB-SLT-01", "Bath salts, lavender 500 g", 1600),
            ("SRB-GFT-01", "Gift box: soap, candle, balm", 4200),
        ],
    ),
    (
        "atlas-outdoor",
        "Atlas Outdoor Gear",
        1500,
        [
            ("ATL-BTL-01", "Insulated bottle, 750 ml", 3400),
            ("ATL-LMP-01", "Rechargeable headlamp", 4900),
            ("ATL-KNF-01", "Folding knife, 7 cm", 6800),
            ("ATL-HMK-01", "Camping hammock", 7900),
            ("ATL-MUG-01", "Titanium camp mug", 2900),
        ],
    ),
]

FIRST_NAMES = [
    "John",
    "Sarah",
    "Mike",
    "Aisha",
    "Carlos",
    "Mei",
    "Olga",
    "Kwame",
    "Priya",
    "Liam",
    "Emma",
    "Noah",
    "Fatima",
    "Lucas",
    "Hana",
    "Diego",
    "Chloe",
    "Omar",
    "Ingrid",
    "Tomás",
    "Yuki",
    "Grace",
    "Mateo",
    "Amara",
    "Ethan",
    "Zara",
    "Felix",
    "Nora",
    "Ravi",
    "Sofia",
]
LAST_NAMES = [
    "Doe",
    "Miller",
    "Thompson",
    "Okafor",
    "García",
    "Chen",
    "Ivanova",
    "Mensah",
    "Patel",
    "O'Brien",
    "Schmidt",
    "Nakamura",
    "Rossi",
    "Haddad",
    "Kowalski",
    "Silva",
    "Dubois",
    "Larsen",
    "Novak",
    "Andersson",
    "Kim",
    "Murphy",
    "Cohen",
    "Hughes",
    "Fischer",
]
CITIES = [
    ("Portland", "OR", "97205"),
    ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"),
    ("Chicago", "IL", "60601"),
    ("Boston", "MA", "02108"),
    ("Seattle", "WA", "98101"),
    ("Atlanta", "GA", "30303"),
    ("Madison", "WI", "53703"),
    ("Raleigh", "NC", "27601"),
]
STREETS = ["Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm St", "Harbor Way", "Main St"]
CARRIERS = [
    ("UPS", "https://www.ups.com/track?tracknum={}"),
    ("USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={}"),
    ("FedEx", "https://www.fedex.com/fedextrack/?trknbr={}"),
    ("DHL", ""),
]
CANCEL_REASONS = ["Item out of stock", "Buyer asked to cancel", "Unable to ship to this address"]

# Where each demo order stops, with how many orders end there (≈ 230 in all).
OUTCOMES = {
    "awaiting_payment": 14,
    "payment_failed": 10,
    "canceled_unpaid": 10,
    "pending": 30,
    "processing": 28,
    "partially_shipped": 10,
    "shipped": 32,
    "delivered": 26,
    "completed": 50,
    "canceled_paid": 12,
    "refunded": 8,
}


@dataclass
class DemoCredentials:
    password: str = DEMO_PASSWORD
    users: list[dict[str, str]] = field(default_factory=list)

    def add(self, *, role: str, username: str, key: str, seller: str = "") -> None:
        self.users.append({"role": role, "username": username, "api_key": key, "seller": seller})


@dataclass
class _Cast:
    owner: Actor
    seller_actors: dict[int, Actor]
    buyers: list[tuple[Buyer, Actor | None]]
    listings: list[Listing]


def build_demo(*, orders: int | None = None, seed: int = 7) -> DemoCredentials:
    rng = random.Random(seed)
    now = clock.now()
    credentials = DemoCredentials()
    with clock.frozen_at(now - timedelta(days=60)):
        cast = _people_and_catalog(rng, credentials)
    plan = [outcome for outcome, count in OUTCOMES.items() for _ in range(count)]
    rng.shuffle(plan)
    if orders is not None:
        plan = plan[:orders]
    for index, outcome in enumerate(plan):
        placed = now - timedelta(days=56) + timedelta(minutes=int(56 * 24 * 60 * index / len(plan)))
        placed += timedelta(minutes=rng.randint(0, 50))
        _one_order(rng, cast, outcome, placed, now)
    return credentials


def _people_and_catalog(rng: random.Random, credentials: DemoCredentials) -> _Cast:
    owner_user = accounts.user_create(
        username="owner",
        email="owner@tradepost.example",
        password=DEMO_PASSWORD,
        first_name="Olivia",
        last_name="Owner",
        is_staff=True,
    )
    owner = _actor(owner_user)
    credentials.add(role="owner", username="owner", key=_key(owner))
    catalog.marketplace_update(actor=SYSTEM, name="Makers Market")
    seller_actors: dict[int, Actor] = {}
    listings: list[Listing] = []
    for slug, name, rate, products in SELLERS:
        seller = catalog.seller_create(
            actor=SYSTEM,
            slug=slug,
            name=name,
            email=f"orders@{slug}.example",
            commission_rate_bps=rate,
        )
        username = slug.split("-")[0]
        member = accounts.user_create(
            username=username,
            email=f"{username}@{slug}.example",
            password=DEMO_PASSWORD,
            first_name=name,
        )
        accounts.seller_member_add(user=member, seller=seller)
        seller_actors[seller.pk] = _actor(member)
        credentials.add(
            role="seller", username=username, key=_key(seller_actors[seller.pk]), seller=slug
        )
        for sku, title, price in products:
            listings.append(
                catalog.listing_create(
                    actor=SYSTEM,
                    seller_slug=seller.slug,
                    sku=sku,
                    title=title,
                    unit_price_amount=price,
                    stock_quantity=rng.randint(150, 400),
                )
            )
    buyers: list[tuple[Buyer, Actor | None]] = []
    for index in range(40):
        first, last = FIRST_NAMES[index % len(FIRST_NAMES)], rng.choice(LAST_NAMES)
        email = f"{first.lower()}.{last.lower().replace(chr(39), '')}{index}@mail.example"
        user: User | None = None
        if index < 3:
            username = ["buyer", "sarah", "mike"][index]
            user = accounts.user_create(
                username=username,
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
            )
        buyer = accounts.buyer_create(
            name=f"{first} {last}",
            email=email,
            user=user,
            phone=f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        )
        actor = _actor(user) if user else None
        if user and actor:
            credentials.add(role="buyer", username=user.username, key=_key(actor))
        buyers.append((buyer, actor))
    return _Cast(owner, seller_actors, buyers, listings)


def _actor(user: User) -> Actor:
    actor = actor_for_user(user)
    if actor is None:
        raise RuntimeError(f"{user} has no role")
    return actor


def _key(actor: Actor) -> str:
    return accounts.api_key_create(actor=actor, name="demo").token


def _one_order(
    rng: random.Random, cast: _Cast, outcome: str, placed: datetime, now: datetime
) -> None:
    # The buyers with logins place a good share, so their own pages are not empty.
    buyer, buyer_actor = (
        cast.buyers[rng.randint(0, 2)] if rng.random() < 0.3 else rng.choice(cast.buyers)
    )
    chosen = rng.sample(cast.listings, k=rng.choice([1, 1, 2, 2, 3, 4]))
    city, region, postal = rng.choice(CITIES)
    cart = Cart(
        lines=[CartLine(listing.public_id, rng.choice([1, 1, 1, 2, 3])) for listing in chosen],
        shipping_address={
            "name": buyer.name,
            "line1": f"{rng.randint(1, 999)} {rng.choice(STREETS)}",
            "line2": "",
            "city": city,
            "region": region,
            "postal_code": postal,
            "country": "US",
            "phone": buyer.phone,
        },
        shipping_amounts={
            listing.seller.slug: rng.choice([0, 495, 695, 995]) for listing in chosen
        },
        tax_amount=0,
        # Buyers without a login ordered by phone: the owner places those for them.
        contact=None if buyer_actor else Contact(buyer.name, buyer.email, buyer.phone),
    )
    with clock.frozen_at(placed):
        bundle = order_create(
            actor=buyer_actor or cast.owner, cart=cart, buyer=buyer if buyer_actor else None
        )
    _Steps(rng, cast, placed, now).run(bundle, outcome, buyer_actor)


class _Steps:
    """Walks one order down the lifecycle, each step a little later than the one before."""

    def __init__(self, rng: random.Random, cast: _Cast, placed: datetime, now: datetime) -> None:
        self.rng, self.cast, self.at, self.now = rng, cast, placed, now

    def later(self, low_hours: float, high_hours: float) -> datetime:
        self.at = min(
            self.at + timedelta(hours=self.rng.uniform(low_hours, high_hours)),
            self.now - timedelta(minutes=1),
        )
        return self.at

    def run(self, bundle: OrderBundle, outcome: str, buyer: Actor | None) -> None:
        owner, number, total = self.cast.owner, bundle.order.number, bundle.order.total_amount
        if outcome == "awaiting_payment":
            return
        if outcome in ("payment_failed", "canceled_unpaid"):
            with clock.frozen_at(self.later(0.05, 0.3)):
                payments.payment_record(
                    actor=owner,
                    number=number,
                    report=payments.PaymentReport(
                        provider="manual",
                        reference=f"pay-{number}-1",
                        amount=total,
                        succeeded=False,
                        failure_reason=self.rng.choice(["Card declined", "Insufficient funds"]),
                    ),
                )
            if outcome == "canceled_unpaid":
                for part in bundle.seller_orders:
                    with clock.frozen_at(self.later(24, 72)):
                        fulfilment.seller_order_cancel(
                            actor=buyer or owner,
                            reference=part.seller_order.reference,
                            reason="Payment not completed",
                        )
            return
        with clock.frozen_at(self.later(0.01, 0.2)):
            payments.payment_record(
                actor=owner,
                number=number,
                report=payments.PaymentReport(
                    provider="manual", reference=f"pay-{number}", amount=total, succeeded=True
                ),
            )
        for part in bundle.seller_orders:
            self._fulfil(part, self.cast.seller_actors[part.seller_order.seller_id], outcome, buyer)

    def _fulfil(
        self, part: SellerOrderBundle, seller: Actor, outcome: str, buyer: Actor | None
    ) -> None:
        reference = part.seller_order.reference
        if outcome == "pending":
            return
        if outcome == "canceled_paid":
            with clock.frozen_at(self.later(2, 30)):
                fulfilment.seller_order_cancel(
                    actor=seller, reference=reference, reason=self.rng.choice(CANCEL_REASONS)
                )
            return
        with clock.frozen_at(self.later(1, 40)):
            fulfilment.seller_order_acknowledge(actor=seller, reference=reference)
        if outcome == "processing":
            return
        with clock.frozen_at(self.later(4, 60)):
            fulfilment.shipment_create(
                actor=seller,
                reference=reference,
                parcel=self._parcel(part, partial=outcome == "partially_shipped"),
            )
        if outcome in ("shipped", "partially_shipped"):
            return
        with clock.frozen_at(self.later(24, 96)):
            fulfilment.seller_order_deliver(actor=seller, reference=reference)
        if outcome == "delivered":
            return
        if outcome == "refunded":
            with clock.frozen_at(self.later(24, 72)):
                fulfilment.seller_order_refund(
                    actor=self.cast.owner,
                    reference=reference,
                    reason="damaged",
                    note="Arrived broken; photos checked.",
                )
            return
        with clock.frozen_at(self.later(2, 48)):
            fulfilment.seller_order_complete(actor=buyer or self.cast.owner, reference=reference)

    def _parcel(self, part: SellerOrderBundle, *, partial: bool) -> fulfilment.Parcel:
        carrier, url = self.rng.choice(CARRIERS)
        tracking = f"1Z{self.rng.randint(10**9, 10**10 - 1)}"
        first = part.lines[0]
        # A first parcel with one unit, when there is more to follow.
        lines = (
            [fulfilment.ParcelLine(first.sku, 1)]
            if partial and (first.quantity > 1 or len(part.lines) > 1)
            else None
        )
        return fulfilment.Parcel(
            carrier=carrier,
            tracking_number=tracking,
            tracking_url=url.format(tracking) if url else "",
            lines=lines,
        )


def demo_exists() -> bool:
    return Seller.objects.filter(slug=SELLERS[0][0]).exists()
