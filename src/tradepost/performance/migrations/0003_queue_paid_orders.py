"""Orders paid before this app existed: queued once, so the worker works out their figures."""

from django.db import migrations


def forwards(apps, schema_editor):
    schema_editor.execute(
        "INSERT INTO performance_pending_order (order_id) "
        "SELECT id FROM orders_order WHERE paid_at IS NOT NULL"
    )


def backwards(apps, schema_editor):
    schema_editor.execute("DELETE FROM performance_pending_order")


class Migration(migrations.Migration):
    dependencies = [("performance", "0002_timeline_trigger")]

    operations = [migrations.RunPython(forwards, backwards)]
