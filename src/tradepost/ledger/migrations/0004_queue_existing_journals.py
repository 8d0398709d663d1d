"""Queue the journals posted before the rollup existed, so the revenue report counts them at
once and the worker's next rollup adds them into the day totals (docs/ledger.md)."""

from datetime import UTC
from typing import Any

from django.db import migrations
from django.db.models import F, Sum
from django.db.models.functions import Coalesce, TruncDate

BATCH = 2_000


def queue_existing(apps: Any, schema_editor: Any) -> None:
    Entry = apps.get_model("ledger", "Entry")
    JournalPendingRollup = apps.get_model("ledger", "JournalPendingRollup")
    sizes = (
        Entry.objects.filter(amount__gt=0)
        .values(
            "journal_id",
            "currency",
            day=TruncDate("journal__created_at", tzinfo=UTC),
            seller_id=Coalesce("journal__seller_order__seller_id", "journal__payout__seller_id"),
            kind=F("journal__kind"),
        )
        .annotate(debits=Sum("amount"))
        .order_by()
    )
    JournalPendingRollup.objects.bulk_create(
        (
            JournalPendingRollup(amount=row.pop("debits"), **row)
            for row in sizes.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )


def unqueue(apps: Any, schema_editor: Any) -> None:
    apps.get_model("ledger", "JournalPendingRollup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_journal_day_totals_and_rollup_queue")]

    operations = [migrations.RunPython(queue_existing, unqueue)]
