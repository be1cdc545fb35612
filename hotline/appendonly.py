"""Append-only rows: the one guard every event table uses (product.md: events are never edited or
deleted — they are the audit trail and the source of every KPI).

A model whose rows are written once inherits :class:`AppendOnly`: saving a stored row again,
deleting it, and the queryset's bulk ``update()`` / ``delete()`` are refused with a
``ValidationError``. A model that cannot change its base class keeps ``objects =
AppendOnlyQuerySet.as_manager()`` for the bulk half. The model layer is not the whole guard: raw
SQL, an admin script or a future code path bypass it, so on PostgreSQL each event table also gets a
trigger from its migration (:class:`AppendOnlyTrigger`).

Adding an event table
---------------------
1. ``class ThingEvent(AppendOnly)`` in the app's ``models.py`` (or, when the base class must stay,
   ``objects = AppendOnlyQuerySet.as_manager()``).
2. ``manage.py makemigrations`` creates the table; then write the trigger's migration by hand::

       from django.db import migrations

       from hotline.appendonly import AppendOnlyTrigger

       class Migration(migrations.Migration):
           dependencies = [("things", "0001_initial")]
           operations = [AppendOnlyTrigger("ThingEvent")]

   On PostgreSQL it creates the function and trigger ``<table>_append_only``, which refuse
   ``UPDATE`` and ``DELETE`` of a row (``TRUNCATE`` is not a row operation and passes: the demo
   resets and test teardown use it); unapplying the migration drops both. On SQLite it does
   nothing, as the earlier hand-written trigger migrations did: SQLite stores the demo and the
   tests, and their resets delete rows. ``manage.py sqlmigrate`` shows the SQL.
3. ``tests/test_appendonly.py`` finds every model named ``*Event`` (and the written-once rows it
   lists by name) and checks its guard, on PostgreSQL its trigger too.

Emptying an event table
-----------------------
The product never removes an event; the demo reset does (``hotline demo --reset``'s hooks: the
``purge_*`` functions of the apps' ``demo`` modules, and the dispatch model's change log). Every one
of them calls :func:`empty_tables`, which goes around both guards with raw SQL; write no other
``TRUNCATE`` or ``DELETE FROM``.

The trigger migrations written before this helper (orders, hall, cases, ratings, assistance) stay as
they are: they are history, and their triggers follow the same naming.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from django.utils.translation import gettext_lazy as _

_M = TypeVar("_M", bound=models.Model)

CHANGE_REFUSED = _("This record is append-only: it cannot be changed.")
DELETE_REFUSED = _("This record is append-only: it cannot be deleted.")


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """Refuses bulk update and delete; on PostgreSQL a trigger refuses them in the database too."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError(CHANGE_REFUSED)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(DELETE_REFUSED)


class AppendOnly(models.Model):
    """A row written once: saving it again or deleting it is refused, one by one or in bulk."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(CHANGE_REFUSED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(DELETE_REFUSED)


def empty_tables(tables: Sequence[str], *, cascade: bool = False) -> None:
    """Remove every row of ``tables`` (dependants first): the demo reset's way past the guard.

    PostgreSQL: one ``TRUNCATE`` (not a row operation, so the triggers let it pass). SQLite:
    ``DELETE FROM`` each table in the order given (no trigger there, and raw SQL does not meet
    the model's guard).

    ``cascade``: PostgreSQL refuses to truncate a table that a table left out of the statement
    references, even an emptied one; an app that other apps build on (halls, cases) passes
    ``cascade=True`` so that those tables are truncated with it. On SQLite the apps built on it
    have emptied theirs in their own hooks, which the reset runs first.
    """
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows written earlier in this transaction leave deferred foreign-key checks pending,
            # and TRUNCATE refuses a table with pending trigger events: run the checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            names = ", ".join(quote(table) for table in tables)
            cursor.execute(f"TRUNCATE {names}" + (" CASCADE" if cascade else ""))
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")


# The refusal names the table and the operation; the error code is the one the trigger migrations
# written before this helper use, so a caller catching IntegrityError sees the same thing.
_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql
"""
_CREATE_TRIGGER = (
    "CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION {function}()"
)
_DROP_TRIGGER = "DROP TRIGGER IF EXISTS {trigger} ON {table}"
_DROP_FUNCTION = "DROP FUNCTION IF EXISTS {function}()"
_MODEL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class AppendOnlyTrigger(Operation):
    """Migration operation: on PostgreSQL, refuse UPDATE and DELETE of a model's rows in the
    database itself (a trigger), so raw SQL and scripts cannot rewrite the audit trail either.

    ``model_name`` is the model of the migration's own app, as in ``AddField``; its table name is
    read from the migration state, so a ``db_table`` override is followed. Does nothing on other
    databases. Reversible: unapplying drops the trigger and its function.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        if not _MODEL_NAME.match(model_name):
            raise ValueError(f"AppendOnlyTrigger needs a model name, not {model_name!r}")
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.model_name], {})

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        # A trigger is not part of the model state Django tracks.
        pass

    def describe(self) -> str:
        return f"Refuse UPDATE and DELETE of {self.model_name} rows (PostgreSQL trigger)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name.lower()}_append_only"

    def _run(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        state: ProjectState,
        statements: tuple[str, ...],
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = state.apps.get_model(app_label, self.model_name)._meta.db_table
        # Trigger and function share the name (they live in different namespaces), as orders_event
        # does; the hall, cases, ratings and assistance migrations named their triggers so too.
        name = schema_editor.quote_name(f"{table}_append_only")
        names = {"table": schema_editor.quote_name(table), "trigger": name, "function": name}
        for sql in statements:
            schema_editor.execute(sql.format(**names), params=None)

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(app_label, schema_editor, to_state, (_TRIGGER_FUNCTION, _CREATE_TRIGGER))

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(app_label, schema_editor, from_state, (_DROP_TRIGGER, _DROP_FUNCTION))
