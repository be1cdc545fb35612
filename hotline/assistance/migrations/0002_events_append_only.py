"""On PostgreSQL, refuse UPDATE and DELETE of assistance events in the database itself."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION assistance_event_append_only() RETURNS trigger AS $$
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
    schema_editor.execute(
        "CREATE TRIGGER assistance_assistanceevent_append_only BEFORE UPDATE OR DELETE "
        "ON assistance_assistanceevent FOR EACH ROW EXECUTE FUNCTION assistance_event_append_only();",
        params=None,
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS assistance_assistanceevent_append_only ON assistance_assistanceevent;",
        params=None,
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS assistance_event_append_only();", params=None)


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
