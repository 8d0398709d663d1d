"""``tradepost returns_docs``: rewrite the generated table in docs/returns.md."""

from __future__ import annotations

from tradepost.core.docs_command import DocsTablesCommand
from tradepost.returns.lifecycle_table import docs_with_table


class Command(DocsTablesCommand):
    help = "Regenerate the return lifecycle table in docs/returns.md from the code."
    document_name = "returns.md"
    rewrite = staticmethod(docs_with_table)
