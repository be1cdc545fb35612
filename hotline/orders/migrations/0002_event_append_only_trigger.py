"""On PostgreSQL, refuse UPDATE and DELETE of events in the database itself.

The model layer refuses them already; the trigger also stops raw SQL, admin scripts and any
future code path. TRUNCATE (test teardown, a deliberate purge) is not a row operation and passes.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION orders_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'orders_event is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER orders_event_append_only
    BEFORE UPDATE OR DELETE ON orders_event
    FOR EACH ROW EXECUTE FUNCTION orders_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS orders_event_append_only ON orders_event;
DROP FUNCTION IF EXISTS orders_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
