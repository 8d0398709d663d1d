"""``tradepost disputes_docs``: rewrite the generated tables in docs/disputes.md."""

from __future__ import annotations

from tradepost.core.docs_command import DocsTablesCommand
from tradepost.disputes.lifecycle_table import docs_with_tables


class Command(DocsTablesCommand):
    help = "Regenerate the dispute lifecycle tables in docs/disputes.md from the code."
    document_name = "disputes.md"
    rewrite = staticmethod(docs_with_tables)
