"""The shape of the ``*_docs`` commands: rewrite the generated tables of one document in docs/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

DOCS_DIR = Path(settings.BASE_DIR).parents[1] / "docs"


class DocsTablesCommand(BaseCommand):
    """Subclasses name the document and the function that returns it with fresh tables."""

    document_name: str
    rewrite: Callable[[str], str]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--document",
            type=Path,
            default=DOCS_DIR / self.document_name,
            help=f"the document to update (default {self.document_name} under docs/)",
        )

    def handle(self, *args: Any, document: Path, **options: Any) -> None:
        document.write_text(type(self).rewrite(document.read_text()))
        self.stdout.write(f"Updated {document}")
