"""The handling rounds' events, narrow, beside the log: what the KPIs' rounds read (issue 5).

``orders_round_event`` holds one row for each event that starts, or counts in, a handling round
(docs/kpis.md, Handling rounds): a hand-over to a unit (dispatch, redispatch, return approval), a
move into ``reopened``, a first contact, a reply, a hand-over inside a unit. Each row keeps only
what ``hotline.assessment.rounds.populations`` reads: the event's order, sequence, time, action and
units, the verdict its payload recorded (``on_time``: 2 on time, 1 late, 0 not recorded; first
contacts and replies only) and the deadlines a round's start recorded. A trigger on
``orders_event`` writes the row in the statement that appends the event, so whatever appends an
event (the actions, ``import-history``, the benchmark's COPY) writes it in the same transaction;
events are append-only, so a row never changes. Emptying the log (test teardown, the demo reset)
empties it too. This migration fills it for the events already written (at 1,000,000 orders,
5.7 million events: about a minute; on PostgreSQL the migration lifts the statement timeout for
its own transaction).

On SQLite a later migration that rebuilds ``orders_event`` (Django copies a table into a new one
to change a column there) drops the table's triggers with it: such a migration must create
``orders_round_event_add`` and ``orders_round_event_empty`` again (the KPI tests fail without
them: tests/assessment/test_s30_round_events.py).

Why: at 1,000,000 orders on PostgreSQL the rounds' query read ~400,000 events spread over ~77,000
heap pages of the log, with their whole payloads (a reply carries its text), for ~2 of the
computation's ~3 CPU seconds (docs/benchmarks.md, session 30).
"""

from django.db import migrations

#: Frozen here (a migration must not follow later renames): hotline.orders.models.Action, State.
STARTS = "('dispatch', 'redispatch', 'approve_return')"
COUNTED = (
    "('dispatch', 'redispatch', 'approve_return', 'first_contact', 'reply', 'assign_inside', "
    "'hand_back')"
)
REOPENING = "('reopen', 'callback')"
JUDGED = "('first_contact', 'reply')"
RECORDING = "('dispatch', 'redispatch', 'approve_return', 'reopen', 'callback')"

COLUMNS = (
    "event_id, order_id, seq, at, action, unit_id, assigned_unit_id, starts, judged, "
    "contact_due, reply_due"
)


def _values(row: str, vendor: str) -> str:
    """The projection's columns computed from an event ``row`` (``NEW`` or a table alias)."""
    if vendor == "postgresql":
        judged = (
            f"CASE WHEN jsonb_typeof({row}.payload -> 'on_time') = 'boolean' THEN "
            f"CASE WHEN {row}.payload ->> 'on_time' = 'true' THEN 2 ELSE 1 END ELSE 0 END"
        )

        def text(key: str) -> str:
            return (
                f"CASE WHEN jsonb_typeof({row}.payload -> '{key}') = 'string' "
                f"THEN {row}.payload ->> '{key}' END"
            )

    else:
        judged = (
            f"CASE json_type({row}.payload, '$.on_time') "
            "WHEN 'true' THEN 2 WHEN 'false' THEN 1 ELSE 0 END"
        )

        def text(key: str) -> str:
            return (
                f"CASE WHEN json_type({row}.payload, '$.{key}') = 'text' "
                f"THEN json_extract({row}.payload, '$.{key}') END"
            )

    return f"""{row}.id, {row}.order_id, {row}.seq, {row}.at, {row}.action, {row}.unit_id,
    {row}.assigned_unit_id,
    CASE WHEN {row}.action IN {STARTS}
      OR ({row}.to_state = 'reopened' AND {row}.from_state <> 'reopened') THEN 1 ELSE 0 END,
    CASE WHEN {row}.action IN {JUDGED} THEN {judged} END,
    CASE WHEN {row}.action IN {RECORDING} THEN {text("first_contact_due")} END,
    CASE WHEN {row}.action IN {RECORDING} THEN {text("reply_due")} END"""


def _kept(row: str) -> str:
    """Which events have a row: those the rounds read."""
    return (
        f"({row}.action IN {COUNTED} OR ({row}.action IN {REOPENING} "
        f"AND {row}.to_state = 'reopened' AND {row}.from_state <> 'reopened'))"
    )


POSTGRES = f"""
CREATE TABLE orders_round_event (
    event_id bigint PRIMARY KEY,
    order_id bigint NOT NULL,
    seq integer NOT NULL,
    at timestamp with time zone NOT NULL,
    action varchar(24) NOT NULL,
    unit_id bigint NULL,
    assigned_unit_id bigint NULL,
    starts smallint NOT NULL,
    judged smallint NULL,
    contact_due text NULL,
    reply_due text NULL
);
CREATE FUNCTION orders_round_event_add() RETURNS trigger AS $$
BEGIN
    INSERT INTO orders_round_event ({COLUMNS}) VALUES ({_values("NEW", "postgresql")});
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER orders_round_event_add AFTER INSERT ON orders_event
    FOR EACH ROW WHEN {_kept("NEW")} EXECUTE FUNCTION orders_round_event_add();
CREATE FUNCTION orders_round_event_empty() RETURNS trigger AS $$
BEGIN
    TRUNCATE orders_round_event;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER orders_round_event_empty AFTER TRUNCATE ON orders_event
    FOR EACH STATEMENT EXECUTE FUNCTION orders_round_event_empty();
INSERT INTO orders_round_event ({COLUMNS})
    SELECT {_values("e", "postgresql")} FROM orders_event e WHERE {_kept("e")} ORDER BY e.id;
CREATE INDEX orders_round_event_at ON orders_round_event (at);
ANALYZE orders_round_event;
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS orders_round_event_add ON orders_event;
DROP TRIGGER IF EXISTS orders_round_event_empty ON orders_event;
DROP FUNCTION IF EXISTS orders_round_event_add();
DROP FUNCTION IF EXISTS orders_round_event_empty();
DROP TABLE IF EXISTS orders_round_event;
"""

SQLITE = [
    """CREATE TABLE orders_round_event (
    event_id integer NOT NULL PRIMARY KEY,
    order_id bigint NOT NULL,
    seq integer NOT NULL,
    at datetime NOT NULL,
    action varchar(24) NOT NULL,
    unit_id bigint NULL,
    assigned_unit_id bigint NULL,
    starts smallint NOT NULL,
    judged smallint NULL,
    contact_due text NULL,
    reply_due text NULL
)""",
    f"""CREATE TRIGGER orders_round_event_add AFTER INSERT ON orders_event
    FOR EACH ROW WHEN {_kept("NEW")}
    BEGIN
        INSERT INTO orders_round_event ({COLUMNS}) VALUES ({_values("NEW", "sqlite")});
    END""",
    """CREATE TRIGGER orders_round_event_empty AFTER DELETE ON orders_event
    FOR EACH ROW BEGIN
        DELETE FROM orders_round_event WHERE event_id = OLD.id;
    END""",
    f"""INSERT INTO orders_round_event ({COLUMNS})
    SELECT {_values("e", "sqlite")} FROM orders_event e WHERE {_kept("e")} ORDER BY e.id""",
    "CREATE INDEX orders_round_event_at ON orders_round_event (at)",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS orders_round_event_add",
    "DROP TRIGGER IF EXISTS orders_round_event_empty",
    "DROP TABLE IF EXISTS orders_round_event",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The fill reads the whole log: at millions of events it runs past the connection's
        # DB_STATEMENT_TIMEOUT (30 s). Lifted for this migration's transaction only, so an
        # upgrade does not fail half-way on a large district.
        schema_editor.execute("SET LOCAL statement_timeout = 0", params=None)
        schema_editor.execute(POSTGRES, params=None)
    else:
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    else:
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("orders", "0009_replied_awaits_review")]

    operations = [migrations.RunPython(forwards, backwards)]
