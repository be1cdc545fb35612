"""On PostgreSQL, refuse UPDATE and DELETE of ticket and window events in the database itself."""

from django.db import migrations

TABLES = ("hall_ticketevent", "hall_windowevent")

FUNCTION = """
CREATE OR REPLACE FUNCTION hall_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION hall_event_append_only();",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS hall_event_append_only();", params=None)


class Migration(migrations.Migration):
    dependencies = [("hall", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
