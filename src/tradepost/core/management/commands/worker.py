from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tradepost.core.worker import Worker


class Command(BaseCommand):
    help = (
        "Run the background worker: deliver domain events (webhooks, emails), run periodic jobs "
        "and queued tasks. Run several at once to share the load; stop with SIGTERM or Ctrl+C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="seconds to sleep when idle (default: TRADEPOST_WORKER_INTERVAL)",
        )
        parser.add_argument("--worker-id", default=None, help="name in logs and task records")

    def handle(
        self, *args: Any, interval: float | None, worker_id: str | None, **options: Any
    ) -> None:
        Worker(interval=interval, worker_id=worker_id).run()
