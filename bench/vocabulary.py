"""Words the generator builds sellers' catalogues and buyers' names from.

People's names come from Faker's US tables with their real frequencies, so a common surname is as
common in the bench data as in a real customer base, which is what substring search has to cope
with. Product words are ours: Faker has none.
"""

from __future__ import annotations

from faker.providers.person.en_US import Provider as UsPeople

FIRST_NAMES: tuple[str, ...] = tuple(UsPeople.first_names)
FIRST_NAME_WEIGHTS: tuple[float, ...] = tuple(UsPeople.first_names.values())
LAST_NAMES: tuple[str, ...] = tuple(UsPeople.last_names)
LAST_NAME_WEIGHTS: tuple[float, ...] = tuple(UsPeople.last_names.values())

# Reserved for documentation (RFC 2606): generated buyers can never receive real mail.
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")

# Each seller sells in one category: its products and their price range in cents.
CATEGORIES: dict[str, tuple[tuple[str, ...], int, int]] = {
    "ceramics": (
        ("Mug", "Bowl", "Plate set", "Vase", "Teapot", "Espresso cups", "Planter"),
        900,
        9_900,
    ),
    "leather": (
        ("Wallet", "Belt", "Key fob", "Card holder", "Watch strap", "Weekender bag"),
        1_500,
        24_900,
    ),
    "botanicals": (
        ("Soap bar", "Soy candle", "Lip balm", "Beard oil", "Bath salts", "Hand cream"),
        600,
        4_900,
    ),
    "outdoor": (
        ("Insulated bottle", "Headlamp", "Folding knife", "Hammock", "Camp mug", "Dry bag"),
        1_900,
        12_900,
    ),
    "textiles": (
        ("Linen napkins", "Throw blanket", "Tote bag", "Apron", "Cushion cover", "Scarf"),
        1_200,
        8_900,
    ),
    "paper": (
        ("Notebook", "Sketchbook", "Greeting cards", "Wall calendar", "Desk planner"),
        500,
        3_900,
    ),
}
VARIANTS = (
    "black",
    "white",
    "natural",
    "indigo",
    "forest green",
    "terracotta",
    "charcoal",
    "sand",
    "small",
    "large",
    "set of 2",
    "set of 4",
    "gift edition",
)
