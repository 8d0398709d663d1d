"""The benchmark's own PostgreSQL database: recreated from scratch on every run.

The bench drops the database it is pointed at, so it insists on a local database whose name says
it is a benchmark database; a mistyped ``BENCH_DATABASE_URL`` can never drop real data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tradepost_bench"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
REPO_ROOT = Path(__file__).resolve().parent.parent
MIGRATE_TIMEOUT_SECONDS = 180


def bench_database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    _checked_name(url)
    return url


def _checked_name(url: str) -> str:
    params = conninfo_to_dict(url)
    name, host = str(params.get("dbname", "")), str(params.get("host", ""))
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"refusing to benchmark against {host!r}: only 127.0.0.1 is allowed")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name must say 'bench'")
    return name


def maintenance_conninfo(url: str) -> str:
    """The server's ``postgres`` database: there whether or not the bench database is."""
    return make_conninfo(url, dbname="postgres")


def recreate(url: str) -> None:
    """Drop and create the database, ending any connections a crashed earlier run left open."""
    name = _checked_name(url)
    with psycopg.connect(maintenance_conninfo(url), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def tradepost_command() -> list[str]:
    """The ``tradepost`` console script of the interpreter running the bench (the venv's)."""
    script = Path(sys.executable).parent / "tradepost"
    if not script.exists():
        raise SystemExit(f"{script} is missing; run `make dev` first")
    return [str(script)]


def migrate(url: str) -> None:
    subprocess.run(
        [*tradepost_command(), "migrate", "--noinput", "-v0"],
        env={**os.environ, "DATABASE_URL": url},
        cwd=REPO_ROOT,
        check=True,
        timeout=MIGRATE_TIMEOUT_SECONDS,
    )


def server_settings(url: str, names: tuple[str, ...]) -> dict[str, str]:
    """Server settings by name, e.g. to report whether commits wait for the disk."""
    with psycopg.connect(maintenance_conninfo(url)) as connection:
        rows = connection.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)",
            [list(names)],
        ).fetchall()
    return dict(rows)


def deadlocks(url: str) -> int:
    """Deadlocks PostgreSQL detected in this database since it was created."""
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


def analyze(url: str) -> None:
    """Fresh statistics for every table, as autovacuum keeps them on a live system.

    Without them the planner guesses about the small tables the services just wrote to (users,
    API keys) and can pick plans no running deployment would use.
    """
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")
