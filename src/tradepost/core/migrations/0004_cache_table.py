from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Django's database cache (settings.CACHES) keeps its rows in a table of its own.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name('tradepost_cache')}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_outbox_dispatch_retry")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
