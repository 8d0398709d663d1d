"""PostgreSQL only: the order-number sequence and trigram indexes for substring search.

Django's ``icontains`` compiles to ``UPPER(col::text) LIKE UPPER('%term%')`` on PostgreSQL, so the
indexes are on that same expression. SQLite has neither feature and needs neither: its numbers come
from a counter row and its searches scan a small embedded database.
"""

from django.db import migrations

SEARCHED_COLUMNS = ("number", "buyer_name", "buyer_email")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS orders_order_number_seq START 1001")
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS order_{column}_trgm ON orders_order "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS order_{column}_trgm")
    schema_editor.execute("DROP SEQUENCE IF EXISTS orders_order_number_seq")


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
