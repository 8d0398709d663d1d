"""``tradepost disputes_docs``: rewrite the generated tables in docs/disputes.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tradepost.disputes.lifecycle_table import docs_with_tables

DEFAULT_DOCUMENT = Path(settings.BASE_DIR).parents[1] / "docs" / "disputes.md"


class Command(BaseCommand):
    help = "Regenerate the dispute lifecycle tables in docs/disputes.md from the code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--document",
            type=Path,
            default=DEFAULT_DOCUMENT,
            help=f"the document to update (default {DEFAULT_DOCUMENT.name} under docs/)",
        )

    def handle(self, *args: Any, document: Path, **options: Any) -> None:
        document.write_text(docs_with_tables(document.read_text()))
        self.stdout.write(f"Updated {document}")
