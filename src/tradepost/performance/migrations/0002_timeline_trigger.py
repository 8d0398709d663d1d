"""A trigger on the order timeline queues each changed order for the seller figures.

Every change to an order writes a timeline event in the change's own transaction (DESIGN.md), so
a row inserted by the database on that insert is as exact as writing the figures in every service,
without every service having to know about them. PostgreSQL fires once per statement, with the
statement's new rows as a table, so a bulk insert of events costs one insert of queue rows;
SQLite fires per row.
"""

from django.db import migrations

POSTGRES_FORWARDS = """
CREATE FUNCTION performance_queue_changed_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO performance_pending_order (order_id)
    SELECT DISTINCT order_id FROM new_events;
    RETURN NULL;
END
$$;
CREATE TRIGGER performance_order_changed
    AFTER INSERT ON orders_orderevent
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION performance_queue_changed_orders();
"""
POSTGRES_BACKWARDS = """
DROP TRIGGER IF EXISTS performance_order_changed ON orders_orderevent;
DROP FUNCTION IF EXISTS performance_queue_changed_orders();
"""
SQLITE_FORWARDS = """
CREATE TRIGGER performance_order_changed AFTER INSERT ON orders_orderevent
BEGIN
    INSERT INTO performance_pending_order (order_id) VALUES (NEW.order_id);
END;
"""
SQLITE_BACKWARDS = "DROP TRIGGER IF EXISTS performance_order_changed;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(POSTGRES_FORWARDS if vendor == "postgresql" else SQLITE_FORWARDS)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(POSTGRES_BACKWARDS if vendor == "postgresql" else SQLITE_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial"), ("performance", "0001_seller_day_stats")]

    operations = [migrations.RunPython(forwards, backwards)]
