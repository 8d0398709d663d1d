"""``tradepost lifecycle_docs``: write docs/lifecycle.md from the lifecycle table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tradepost.orders.lifecycle_table import lifecycle_markdown

DEFAULT_OUTPUT = Path(settings.BASE_DIR).parents[1] / "docs" / "lifecycle.md"


class Command(BaseCommand):
    help = "Regenerate docs/lifecycle.md from the lifecycle table the services enforce."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=DEFAULT_OUTPUT,
            help=f"where to write (default {DEFAULT_OUTPUT.name} under docs/)",
        )

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(lifecycle_markdown())
        self.stdout.write(f"Wrote {output}")
