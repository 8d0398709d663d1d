"""The database refuses to change a posted journal or entry, whoever asks (a shell, raw SQL).

PostgreSQL: a trigger refuses UPDATE and DELETE of rows. SQLite: a trigger refuses UPDATE only;
deletes stay possible there because Django empties SQLite tables with DELETE between tests (on
PostgreSQL it uses TRUNCATE, which row triggers do not see). The models refuse both on either
database (ledger.models.AppendOnlyModel).
"""

from django.db import migrations

TABLES = ("ledger_journal", "ledger_entry")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    -- No format placeholders: the migration runs this through a driver that would read them.
    RAISE EXCEPTION USING MESSAGE = 'ledger rows are append-only: ' || TG_OP || ' on '
        || TG_TABLE_NAME || ' refused; post a correcting journal';
END;
$$ LANGUAGE plpgsql
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: update on {table} "
                "refused'); END"
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for table in TABLES:
        on = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only{on}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_ledger_accounts_journals_payouts")]

    operations = [migrations.RunPython(forwards, backwards)]
