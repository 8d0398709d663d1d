"""Working through a periodic job's batch one row at a time, each row on its own.

The SLA and dispute jobs take the oldest rows that are due and act on each in its own
transaction. A row that no longer qualifies (the seller acted, another worker got there) raises
a ``DomainError`` under its lock and is skipped. Any other failure — a bug, a payment provider
that is down for an automatic cancellation's refund — is logged with its traceback and the batch
goes on: the row is still due, so the next run tries it again, and one bad row never holds up
the marketplace's others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from tradepost.core.errors import DomainError

logger = logging.getLogger("tradepost.automation")
Row = TypeVar("Row")


def each_on_its_own(job: str, rows: Iterable[Row], act: Callable[[Row], bool]) -> int:
    """``act`` on every row (it opens its own transaction); returns how many it acted on."""
    acted = 0
    for row in rows:
        try:
            acted += bool(act(row))
        except DomainError:
            logger.info("%s: %s no longer qualifies", job, row, exc_info=True)
        except Exception:
            logger.exception("%s: %s failed; it stays due for the next run", job, row)
    return acted
