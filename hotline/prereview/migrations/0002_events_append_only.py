"""On PostgreSQL, refuse UPDATE and DELETE of pre-review events in the database itself."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION prereview_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER prereview_prereviewevent_append_only BEFORE UPDATE OR DELETE
    ON prereview_prereviewevent FOR EACH ROW EXECUTE FUNCTION prereview_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS prereview_prereviewevent_append_only ON prereview_prereviewevent;
DROP FUNCTION IF EXISTS prereview_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("prereview", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
