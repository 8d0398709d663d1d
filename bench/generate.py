"""Bulk data for the benchmarks: a marketplace with 100k orders, loaded with COPY.

Rows go straight into the tables instead of through ``order_create``: the API places about a
hundred orders a second here, so 100k orders would take a quarter of an hour; COPY takes seconds.
The rows keep the invariants the services keep (``bench.history`` says which); every order has
its ``order.placed`` timeline event, and numbers and references look like real ones
(``ORD-<n>``, ``ORD-<n>-<k>``).

Afterwards the sequences move past the generated ids and order numbers, so the API carries on
where the generator stopped, and ``VACUUM (ANALYZE)`` leaves the tables as autovacuum would on a
live system: statistics for the planner, visibility maps for index-only scans.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from faker import Faker
from psycopg import sql
from tqdm import tqdm

from bench import marketplace as people_and_catalog
from bench.history import DAY, OrderHistory, Table
from bench.marketplace import Marketplace, Volume

CHUNK_ORDERS = 5_000
SEED = 20_240_601


def generate(url: str, volume: Volume, *, seed: int = SEED) -> Marketplace:
    """Load the marketplace into the freshly migrated database at ``url``; same seed, same data."""
    started = time.perf_counter()
    rng = random.Random(seed)
    faker = Faker("en_US")
    faker.seed_instance(seed)
    now = datetime.now(UTC)
    sellers, seller_rows = people_and_catalog.sellers(rng, faker, volume, now)
    listings, listing_rows = people_and_catalog.listings(rng, sellers, volume, now)
    buyers, buyer_rows = people_and_catalog.buyers(rng, faker, volume, now)
    marketplace = Marketplace(sellers=sellers, listings=listings, buyers=buyers)
    placed = sorted(
        now - timedelta(seconds=rng.uniform(0, volume.days * DAY)) for _ in range(volume.orders)
    )
    with psycopg.connect(url) as connection:
        _copy(
            connection,
            marketplace,
            [
                Table("catalog_seller", people_and_catalog.SELLER_COLUMNS, seller_rows),
                Table("catalog_listing", people_and_catalog.LISTING_COLUMNS, listing_rows),
                Table("accounts_buyer", people_and_catalog.BUYER_COLUMNS, buyer_rows),
            ],
        )
        # The migration created the sequence; the oldest order takes its first number.
        first_number = _fetch_int(connection, "SELECT nextval('orders_order_number_seq')")
        history = OrderHistory(rng, marketplace, now)
        with tqdm(total=volume.orders, unit="order", desc="generating orders") as progress:
            for start in range(0, volume.orders, CHUNK_ORDERS):
                chunk = placed[start : start + CHUNK_ORDERS]
                _copy(connection, marketplace, history.chunk(chunk, first_number + start))
                progress.update(len(chunk))
        connection.commit()
        connection.autocommit = True  # VACUUM refuses to run inside a transaction
        _advance_sequences(connection, marketplace, last_number=first_number + volume.orders - 1)
        for table in marketplace.rows:
            connection.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    marketplace.orders = volume.orders
    marketplace.seconds = time.perf_counter() - started
    return marketplace


def _fetch_int(connection: psycopg.Connection[Any], query: str) -> int:
    row = connection.execute(query).fetchone()
    if row is None:
        raise RuntimeError(f"no result from {query}")
    return int(row[0])


def _copy(
    connection: psycopg.Connection[Any], marketplace: Marketplace, tables: Iterable[Table]
) -> None:
    for table in tables:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, table.columns))
        )
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in table.rows:
                copy.write_row(row)
        marketplace.rows[table.name] += len(table.rows)


def _advance_sequences(
    connection: psycopg.Connection[Any], marketplace: Marketplace, *, last_number: int
) -> None:
    """Rows were written with explicit ids 1..n, so each identity sequence must move past n."""
    for table, count in marketplace.rows.items():
        connection.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, max(count, 1)]
        )
    connection.execute("SELECT setval('orders_order_number_seq', %s)", [last_number])
