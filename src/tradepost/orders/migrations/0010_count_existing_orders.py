"""Count the orders placed before the payment-status tallies existed, so the revenue report's
payment statuses include them at once (docs/ledger.md)."""

from datetime import UTC
from typing import Any

from django.db import migrations
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate

BATCH = 2_000
LOCK_KEY = 7_031_339  # orders.payment_tallies.LOCK_KEY, written out: migrations stay as they are


def count_existing(apps: Any, schema_editor: Any) -> None:
    Order = apps.get_model("orders", "Order")
    SellerOrder = apps.get_model("orders", "SellerOrder")
    PaymentStatusTally = apps.get_model("orders", "PaymentStatusTally")
    if schema_editor.connection.vendor == "postgresql":
        # As the rebuild does: no merge runs beside the count, and no process writes tally
        # rows while the orders are read, so nothing is counted twice.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            table = PaymentStatusTally._meta.db_table
            cursor.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
    PaymentStatusTally.objects.all().delete()  # rows written before the count are in it
    whole = Order.objects.values(
        "currency", "payment_status", day=TruncDate("created_at", tzinfo=UTC)
    )
    parts = SellerOrder.objects.values(
        "seller_id",
        currency=F("order__currency"),
        payment_status=F("order__payment_status"),
        day=TruncDate("order__created_at", tzinfo=UTC),
    )
    for rows in (whole, parts):
        counted = rows.annotate(orders=Count("pk"), amount=Sum("total_amount")).order_by()
        PaymentStatusTally.objects.bulk_create(
            (PaymentStatusTally(merged=True, **row) for row in counted.iterator(chunk_size=BATCH)),
            batch_size=BATCH,
        )


def uncount(apps: Any, schema_editor: Any) -> None:
    apps.get_model("orders", "PaymentStatusTally").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0009_payment_status_tallies")]

    operations = [migrations.RunPython(count_existing, uncount)]
