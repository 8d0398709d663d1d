"""Account totals for balances (docs/ledger.md), added up from the entries of every journal
already rolled up; the journals still queued are added by the worker's next rollup."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Exists, F, OuterRef, Sum

# ledger.rollup.LOCK_KEY: a rollup running meanwhile waits, so no journal is counted twice.
ROLLUP_LOCK_KEY = 7_031_338


def add_up(apps: Any, schema_editor: Any) -> None:
    Entry = apps.get_model("ledger", "Entry")
    AccountTotal = apps.get_model("ledger", "AccountTotal")
    JournalPendingRollup = apps.get_model("ledger", "JournalPendingRollup")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK_KEY])
    queued = JournalPendingRollup.objects.filter(journal_id=OuterRef("journal_id"))
    sums = (
        Entry.objects.exclude(Exists(queued))
        .values("account_id", kind=F("journal__kind"))
        .annotate(total=Sum("amount"))
        .order_by()
    )
    AccountTotal.objects.bulk_create(
        AccountTotal(account_id=row["account_id"], kind=row["kind"], amount=row["total"])
        for row in sums
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_queue_existing_journals"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("payment_captured", "A payment captured a seller order's total."),
                            (
                                "commission_earned",
                                "The marketplace took its commission on that sale.",
                            ),
                            ("refund", "Money went back to the buyer through the provider."),
                            (
                                "commission_reversed",
                                "Commission given back pro rata with a refund.",
                            ),
                            ("chargeback", "The buyer's bank took money back (a chargeback lost)."),
                            (
                                "funds_released",
                                "A completed sale's net became available to the seller.",
                            ),
                            ("payout_created", "An available balance was set aside for a payout."),
                            ("payout_paid", "The payout left the marketplace's account."),
                            ("payout_failed", "The payout failed; its money is available again."),
                        ],
                        max_length=32,
                    ),
                ),
                ("amount", models.BigIntegerField()),
                (
                    "account",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ledger.account",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("account", "kind"), name="ledger_account_total_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(add_up, migrations.RunPython.noop),
    ]
