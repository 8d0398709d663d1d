"""The start every phase that runs alone shares: ``--orders``, a fresh bench database, the data."""

from __future__ import annotations

import argparse
from typing import Any

from bench import database, generate, machine
from bench.marketplace import Marketplace, Volume


def fresh_marketplace(prog: str, argv: list[str] | None) -> tuple[str, Marketplace, dict[str, Any]]:
    """Parse ``--orders``, recreate and migrate the bench database, generate the marketplace;
    returns the database URL, the marketplace and the summary begun with the machine."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--orders", type=int, default=1_000_000)
    options = parser.parse_args(argv)
    url = database.bench_database_url()
    summary: dict[str, Any] = {"machine": machine.describe(url), "orders": options.orders}
    database.recreate(url)
    database.migrate(url)
    marketplace = generate.generate(url, Volume(orders=options.orders))
    summary["generate_seconds"] = round(marketplace.seconds, 1)
    return url, marketplace, summary
