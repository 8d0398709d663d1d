"""The house lock rule, read off the source: every row lock is ``FOR NO KEY UPDATE``.

A plain ``FOR UPDATE`` also blocks the ``FOR KEY SHARE`` lock that PostgreSQL takes on a row
whenever another transaction inserts or updates a row pointing at it by foreign key; two such
transactions, each holding what the other waits for, deadlock (a seller row locked by an order
action against a checkout's new seller order was the first seen). ``FOR NO KEY UPDATE`` serialises
writers just the same and leaves foreign-key checks alone. tests/test_mixed_workload.py shows the
effect under load; this test keeps a new lock from slipping back.
"""

from __future__ import annotations

import re
from pathlib import Path

import tradepost

SOURCE = Path(tradepost.__file__).parent
ORM_LOCK = re.compile(r"select_for_update\((?P<args>[^)]*)\)")
SQL_LOCK = re.compile(r"(?<!NO KEY )FOR UPDATE\b")


def _code_files() -> list[Path]:
    return [path for path in SOURCE.rglob("*.py") if "migrations" not in path.parts]


def test_every_orm_row_lock_leaves_foreign_key_checks_alone() -> None:
    plain = [
        f"{path.relative_to(SOURCE)}: select_for_update({match['args']})"
        for path in _code_files()
        for match in ORM_LOCK.finditer(path.read_text())
        if "no_key=True" not in match["args"]
    ]
    assert plain == []


def test_no_raw_sql_takes_a_plain_for_update() -> None:
    plain = [
        str(path.relative_to(SOURCE))
        for path in _code_files()
        if any(SQL_LOCK.search(line) for line in path.read_text().splitlines() if "FOR" in line)
    ]
    assert plain == []
