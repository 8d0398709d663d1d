"""The machine the figures were measured on: they mean little without it."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg

from bench import database

# Settings that move write throughput the most: whether a commit waits for the disk, and memory.
POSTGRES_SETTINGS = ("fsync", "synchronous_commit", "shared_buffers", "work_mem")


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def describe(database_url: str) -> dict[str, Any]:
    with psycopg.connect(database.maintenance_conninfo(database_url)) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return {
        "nproc": len(os.sched_getaffinity(0)),
        # Anything else running shares the cores with the server: read the figures with this.
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "cpu_model": _cpu_model(),
        "postgresql": row[0] if row else "unknown",
        "postgresql_settings": database.server_settings(database_url, POSTGRES_SETTINGS),
        "python": platform.python_version(),
        "django": metadata.version("django"),
        "gunicorn": metadata.version("gunicorn"),
    }
