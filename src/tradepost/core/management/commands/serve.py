"""``tradepost serve``: the production web server (gunicorn), or Django's for development."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.wsgiapp import run


class Command(BaseCommand):
    help = "Serve Tradepost over HTTP with gunicorn (or Django's auto-reloading server with --dev)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("TRADEPOST_BIND", "127.0.0.1:8000"),
            help="host:port to listen on (default 127.0.0.1:8000, or TRADEPOST_BIND)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("TRADEPOST_WEB_WORKERS") or 0) or None,
            help="gunicorn worker processes (default: 2 x CPU cores + 1)",
        )
        parser.add_argument("--threads", type=int, default=1, help="threads per worker")
        parser.add_argument(
            "--dev",
            action="store_true",
            help="use Django's development server, which reloads on code changes",
        )

    def handle(
        self, *args: Any, bind: str, workers: int | None, threads: int, dev: bool, **options: Any
    ) -> None:
        if dev:
            call_command("runserver", bind, use_reloader=True)
            return
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker_count = workers or (2 * (os.cpu_count() or 1) + 1)
        argv = [
            "gunicorn",
            "tradepost.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(worker_count),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "20",
        ]
        self.stdout.write(f"Serving on http://{bind} with {worker_count} workers")
        sys.argv = argv  # gunicorn reads its options from argv
        run()
