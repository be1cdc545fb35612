"""Every event table of every app refuses changes through one shared guard (hotline.appendonly),
and a new event table's migration gets its PostgreSQL trigger from one operation.

The per-app tests (orders, cases, kb, hall…) change and delete real stored events; this file checks
that no event model was left out of the guard, so a new app's event table is caught when it
forgets it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, migrations, models, transaction
from django.db.migrations.state import ProjectState
from django.utils import translation

from hotline.appendonly import AppendOnly, AppendOnlyQuerySet, AppendOnlyTrigger

# Written-once rows whose names do not end in "Event".
OTHER_LOGS = {"kb.Revision", "kb.ArticleUse", "hall.SelfServiceUse", "security.PhoneView"}


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def event_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label != "admin"
        and (model.__name__.endswith("Event") or model._meta.label in OTHER_LOGS)
    ]


def test_the_event_tables_are_the_ones_we_know() -> None:
    # A guard list that silently matched nothing would pass everything below.
    labels = {model._meta.label for model in event_models()}
    assert {
        "orders.Event",
        "kb.ArticleEvent",
        "kb.Revision",
        "hall.TicketEvent",
        "hall.WindowEvent",
        "hall.AppointmentEvent",
        "hall.SelfServiceUse",
        "cases.CaseEvent",
        "ratings.RatingEvent",
        "assistance.AssistanceEvent",
        "security.PhoneView",
    } <= labels


@pytest.mark.parametrize("model", event_models(), ids=lambda m: m._meta.label)
def test_bulk_update_and_delete_of_events_are_refused(model: type[models.Model]) -> None:
    events = model._default_manager.all()
    assert isinstance(events, AppendOnlyQuerySet)
    with pytest.raises(ValidationError, match="append-only"):
        events.update(pk=1)
    with pytest.raises(ValidationError, match="append-only"):
        events.delete()


@pytest.mark.parametrize(
    "model",
    [model for model in event_models() if issubclass(model, AppendOnly)],
    ids=lambda m: m._meta.label,
)
def test_a_stored_event_cannot_be_saved_again_or_deleted(model: type[models.Model]) -> None:
    # A row loaded from the database is not "adding": the guard refuses before any SQL runs.
    event = model()
    event._state.adding = False
    with pytest.raises(ValidationError, match="append-only"):
        event.save()
    with pytest.raises(ValidationError, match="append-only"):
        event.delete()


@pytest.mark.parametrize(
    "label",
    [
        "orders.Event",
        "kb.ArticleEvent",
        "cases.CaseEvent",
        "ratings.RatingEvent",
        "assistance.AssistanceEvent",
        "security.PhoneView",
    ],
)
def test_events_with_a_lifecycle_share_the_whole_guard(label: str) -> None:
    assert issubclass(apps.get_model(label), AppendOnly)


# The migration operation new event tables use for their PostgreSQL trigger. A throwaway table
# ("a stamp book": stamps are added, never rubbed out) stands for a new app's event table.

STAMP_APP = "stampbook"


def stamp_book_states() -> tuple[ProjectState, ProjectState]:
    """The migration state before and after a table of stamps is created."""
    create = migrations.CreateModel(
        "Stamp",
        [("id", models.AutoField(primary_key=True)), ("text", models.TextField())],
    )
    before = ProjectState()
    after = before.clone()
    create.state_forwards(STAMP_APP, after)
    return before, after


def test_the_operation_reads_like_a_migration_step() -> None:
    trigger = AppendOnlyTrigger("Stamp")
    assert trigger.deconstruct() == ("AppendOnlyTrigger", ["Stamp"], {})
    assert trigger.migration_name_fragment == "stamp_append_only"
    with pytest.raises(ValueError, match="model name"):
        AppendOnlyTrigger("stampbook_stamp; DROP TABLE orders_event")


@pytest.mark.django_db
def test_the_trigger_sql_is_written_for_postgresql_only() -> None:
    _, after = stamp_book_states()
    # A collecting editor records the statements instead of running them (what sqlmigrate does).
    editor = connection.schema_editor(collect_sql=True)
    AppendOnlyTrigger("Stamp").database_forwards(STAMP_APP, editor, after, after)
    forwards = list(editor.collected_sql)
    editor.collected_sql.clear()
    AppendOnlyTrigger("Stamp").database_backwards(STAMP_APP, editor, after, after)
    backwards = list(editor.collected_sql)
    if connection.vendor != "postgresql":
        # As the trigger migrations before it: SQLite keeps only the model-layer guard.
        assert forwards == backwards == []
        return
    assert any(
        'CREATE TRIGGER "stampbook_stamp_append_only" BEFORE UPDATE OR DELETE ON "stampbook_stamp"'
        in sql
        for sql in forwards
    )
    assert backwards == [
        'DROP TRIGGER IF EXISTS "stampbook_stamp_append_only" ON "stampbook_stamp";',
        'DROP FUNCTION IF EXISTS "stampbook_stamp_append_only"();',
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_postgresql_refuses_rubbing_out_a_stamp_until_the_migration_is_unapplied() -> None:
    before, after = stamp_book_states()
    trigger = AppendOnlyTrigger("Stamp")
    with connection.schema_editor() as editor:
        migrations.CreateModel(
            "Stamp", [("id", models.AutoField(primary_key=True)), ("text", models.TextField())]
        ).database_forwards(STAMP_APP, editor, before, after)
        trigger.database_forwards(STAMP_APP, editor, after, after)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO stampbook_stamp (text) VALUES ('first visit')")
        for sql in (
            "UPDATE stampbook_stamp SET text = 'rubbed out'",
            "DELETE FROM stampbook_stamp",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql)
        # Appending stays allowed.
        cursor.execute("INSERT INTO stampbook_stamp (text) VALUES ('second visit')")
        cursor.execute("SELECT text FROM stampbook_stamp ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first visit", "second visit"]

    with connection.schema_editor() as editor:
        trigger.database_backwards(STAMP_APP, editor, after, after)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE stampbook_stamp SET text = 'corrected'")
        assert cursor.rowcount == 2
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'stampbook_stamp_append_only'")
        assert cursor.fetchone() == (0,)
