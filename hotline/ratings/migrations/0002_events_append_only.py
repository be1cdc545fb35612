"""On PostgreSQL, refuse UPDATE and DELETE of rating events in the database itself."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION ratings_event_append_only() RETURNS trigger AS $$
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
        "CREATE TRIGGER ratings_ratingevent_append_only BEFORE UPDATE OR DELETE "
        "ON ratings_ratingevent FOR EACH ROW EXECUTE FUNCTION ratings_event_append_only();",
        params=None,
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS ratings_ratingevent_append_only ON ratings_ratingevent;",
        params=None,
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS ratings_event_append_only();", params=None)


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
