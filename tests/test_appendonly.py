"""Every event table of every app refuses changes through one shared guard (hotline.appendonly),
and a new event table's migration gets its PostgreSQL trigger from one operation.

The per-app tests (orders, cases, kb, hall…) change and delete real stored events; this file checks
that no event model was left out of the guard, so a new app's event table is caught when it
forgets it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, migrations, models, transaction
from django.db.migrations.state import ProjectState
from django.utils import translation

from hotline.appendonly import AppendOnly, AppendOnlyQuerySet, AppendOnlyTrigger
from hotline.dispatch import services as dispatch_services
from hotline.dispatch.models import DispatchModel
from hotline.hall.actions import appointments as booking
from hotline.hall.actions import selfservice, tickets, windows
from hotline.hall.identity import holder_key
from hotline.hall.models import Kiosk
from hotline.kb import actions as kb_actions
from hotline.kb.models import UseKind
from hotline.org.models import Role
from hotline.security import phones
from hotline.security.models import Where
from tests.conftest import District, make_user
from tests.hall.conftest import make_hall, opening_hours
from tests.kb.factory import published

# Written-once rows whose names do not end in "Event".
OTHER_LOGS = {
    "kb.Revision",
    "kb.ArticleUse",
    "hall.SelfServiceUse",
    "security.PhoneView",
    "dispatch.ModelChange",
}


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def event_models() -> list[type[models.Model]]:
    # By name (a new event table that forgot the guard is caught) and by base (one that has the
    # guard under another name gets its trigger checked too).
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label != "admin"
        and (
            model.__name__.endswith("Event")
            or model._meta.label in OTHER_LOGS
            or issubclass(model, AppendOnly)
        )
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
        "kb.ArticleUse",
        "cases.CaseEvent",
        "prereview.PreReviewEvent",
        "ratings.RatingEvent",
        "assistance.AssistanceEvent",
        "security.PhoneView",
        "dispatch.ModelChange",
    } <= labels


@pytest.mark.parametrize("model", event_models(), ids=lambda m: m._meta.label)
def test_bulk_update_and_delete_of_events_are_refused(model: type[models.Model]) -> None:
    events = model._default_manager.all()
    assert isinstance(events, AppendOnlyQuerySet)
    with pytest.raises(ValidationError, match="append-only"):
        events.update(pk=1)
    with pytest.raises(ValidationError, match="append-only"):
        events.delete()


@pytest.mark.parametrize("model", event_models(), ids=lambda m: m._meta.label)
def test_a_stored_event_cannot_be_saved_again_or_deleted(model: type[models.Model]) -> None:
    # Every event model has the whole guard (the AppendOnly base), not only the queryset's half.
    assert issubclass(model, AppendOnly)
    # A row loaded from the database is not "adding": the guard refuses before any SQL runs.
    event = model()
    event._state.adding = False
    with pytest.raises(ValidationError, match="append-only"):
        event.save()
    with pytest.raises(ValidationError, match="append-only"):
        event.delete()


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("model", event_models(), ids=lambda m: m._meta.label)
def test_on_postgresql_every_event_table_has_its_trigger(model: type[models.Model]) -> None:
    # tgtype 27 = FOR EACH ROW (1) + BEFORE (2) + DELETE (8) + UPDATE (16); "O": enabled.
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgtype, tgenabled FROM pg_trigger "
            "WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        assert (f"{table}_append_only", 27, "O") in cursor.fetchall()


# Real stored rows, one family per app, made through the apps' own write paths: the guard is
# checked on SQLite (the model) and on PostgreSQL (the model and the trigger under raw SQL). The
# apps written before (orders, cases, ratings, assistance, pre-review) test theirs in their own
# test files.


def hall_rows(district: District) -> None:
    """Wendy opens window 1, a ticket is given, an appointment booked, a kiosk used."""
    with opening_hours():
        town = make_hall(district)
        windows.sign_in(town.w1, town.wendy)
        tickets.issue(town.hall, town.residence)
        slot, *_ = booking.open_slots(
            town.hall, town.residence, dt.date(2023, 3, 10), starts=dt.time(9),
            ends=dt.time(9, 30), minutes=30, capacity=1,
        )  # fmt: skip
        booking.book(slot, holder_key=holder_key(phone="13912345678"))
        kiosk = Kiosk.objects.create(
            hall=town.hall, code="dnl-zz1", name="自助终端1号", place="24小时自助区（东门）"
        )
        kiosk.matters.set([town.residence])
        selfservice.record_use(kiosk, town.residence)


def kb_rows(district: District) -> None:
    """Victor writes an article, Rita publishes it, Olga opens it from a search."""
    rita = make_user("rita", district.centre, Role.KNOWLEDGE_REVIEWER)
    article = published(district.bureau, district.victor, rita)
    kb_actions.record_use(article, district.olga, UseKind.CLICK, query="低保")


def security_rows(district: District) -> None:
    """An export with full phone numbers, recorded."""
    phones.record_export(district.ada, Where.EXPORT, "export-history: 3 orders")


def dispatch_rows(district: District) -> None:
    """Ada activates the first dispatch model."""
    model = DispatchModel.objects.create(version="unit-2023-03")
    dispatch_services.activate(model, via="admin", actor=district.ada, reason="first model")


STORED_ROWS: list[tuple[str, Callable[[District], None]]] = [
    ("hall.WindowEvent", hall_rows),
    ("hall.TicketEvent", hall_rows),
    ("hall.AppointmentEvent", hall_rows),
    ("hall.SelfServiceUse", hall_rows),
    ("kb.Revision", kb_rows),
    ("kb.ArticleEvent", kb_rows),
    ("kb.ArticleUse", kb_rows),
    ("security.PhoneView", security_rows),
    ("dispatch.ModelChange", dispatch_rows),
]


@pytest.mark.parametrize(("label", "make"), STORED_ROWS, ids=[label for label, _ in STORED_ROWS])
def test_a_stored_row_cannot_be_changed_or_deleted(
    label: str, make: Callable[[District], None], district: District
) -> None:
    make(district)
    model = apps.get_model(label)
    row = model._default_manager.order_by("pk").first()
    assert row is not None
    refused: list[Callable[[], object]] = [
        row.save,
        row.delete,
        lambda: model._default_manager.filter(pk=row.pk).update(pk=row.pk),
        lambda: model._default_manager.filter(pk=row.pk).delete(),
    ]
    for attempt in refused:
        with pytest.raises(ValidationError, match="append-only"):
            attempt()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        for sql, operation in (
            (f"UPDATE {table} SET {pk} = {pk} WHERE {pk} = %s", "UPDATE"),
            (f"DELETE FROM {table} WHERE {pk} = %s", "DELETE"),
        ):
            with (
                pytest.raises(DatabaseError, match=f"append-only: {operation} refused"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [row.pk])
    assert model._default_manager.filter(pk=row.pk).exists()


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
