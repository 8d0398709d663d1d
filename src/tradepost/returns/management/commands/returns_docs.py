"""``tradepost returns_docs``: rewrite the generated table in docs/returns.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tradepost.returns.lifecycle_table import docs_with_table

DEFAULT_DOCUMENT = Path(settings.BASE_DIR).parents[1] / "docs" / "returns.md"


class Command(BaseCommand):
    help = "Regenerate the return lifecycle table in docs/returns.md from the code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--document",
            type=Path,
            default=DEFAULT_DOCUMENT,
            help=f"the document to update (default {DEFAULT_DOCUMENT.name} under docs/)",
        )

    def handle(self, *args: Any, document: Path, **options: Any) -> None:
        document.write_text(docs_with_table(document.read_text()))
        self.stdout.write(f"Updated {document}")
