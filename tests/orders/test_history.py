"""The order-history interchange format (docs/history-format.md): export, import, round trip."""

from __future__ import annotations

import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from hotline.assessment import kpis
from hotline.orders.demo import purge_orders
from hotline.orders.history import import_orders
from hotline.orders.models import Event, State, WorkOrder
from tests.assessment.conftest import MARCH, march_story
from tests.conftest import at
from tests.orders.factory import new_order
from tests.orders.history_lines import closed_order_line, exported, lines, numbered


@pytest.fixture
def record(district) -> dict:
    """One closed order's line, its order purged: a template for hand-made lines."""
    return closed_order_line(district)


def test_an_exported_history_imports_to_the_same_orders_and_kpis(district):
    march = march_story(district)
    live_march = kpis.compute(*MARCH).as_dict()
    live_april = kpis.compute(at("2023-04-01 00:00"), at("2023-05-01 00:00")).as_dict()
    before = exported()
    assert len(before) == 8
    first = json.loads(before[0])
    assert first["events"][0]["action"] == "register"
    assert first["events"][0]["at"].endswith("+08:00")

    purge_orders()
    assert not WorkOrder.objects.exists()
    report = import_orders(before)

    assert report.ok, report.errors
    assert (report.imported, report.events) == (8, Event.objects.count())
    assert exported() == before
    assert kpis.compute(*MARCH).as_dict() == live_march
    assert kpis.compute(at("2023-04-01 00:00"), at("2023-05-01 00:00")).as_dict() == live_april
    merged = WorkOrder.objects.get(number=march.f.number)
    assert merged.parent is not None and merged.parent.number == march.a.number
    reopened = WorkOrder.objects.get(number=march.b.number)
    assert reopened.state == State.REOPENED
    assert reopened.version == reopened.events.count() == march.b.version


def test_every_bad_line_is_reported_with_its_line_and_field(record):
    events = record["events"]
    gap = [dict(e, seq=e["seq"] + 1) if e["seq"] > 2 else e for e in events]
    naive = [dict(events[0], at="2023-03-01T09:00:00"), *events[1:]]
    report = import_orders(
        lines(
            "{not json",
            numbered(record, 2, street="nowhere"),
            numbered(record, 3, channel="fax"),
            numbered(record, 4, events=gap),
            numbered(record, 5, state=State.REOPENED),
            numbered(record, 6, events=naive),
            numbered(record, 7),
            numbered(record, 7),
        )
    )
    assert [(e.line, e.field) for e in report.errors] == [
        (1, ""),
        (2, "street"),
        (3, "channel"),
        (4, "events[3].seq"),
        (5, "state"),
        (6, "events[1].at"),
        (8, "number"),
    ]
    assert str(report.errors[1]) == "line 2: street: No unit has the code nowhere."
    assert report.imported == 0
    assert not WorkOrder.objects.exists()  # all or nothing: line 7 was good


def test_a_number_already_in_the_database_is_an_error(record):
    assert import_orders(lines(numbered(record, 1))).ok
    report = import_orders(lines(numbered(record, 2), numbered(record, 1)))
    assert [(e.line, e.field) for e in report.errors] == [(2, "number")]
    assert WorkOrder.objects.count() == 1


def test_partial_imports_the_good_lines(record):
    report = import_orders(
        lines(numbered(record, 1), numbered(record, 2, kind="gossip"), numbered(record, 3)),
        all_or_nothing=False,
    )
    assert [e.line for e in report.errors] == [2]
    assert report.imported == 2
    assert sorted(WorkOrder.objects.values_list("number", flat=True)) == [
        "20230301-000001",
        "20230301-000003",
    ]


def test_a_dry_run_imports_nothing(record):
    report = import_orders(lines(numbered(record, 1)), dry_run=True)
    assert report.ok and report.imported == 1
    assert not WorkOrder.objects.exists()
    assert not Event.objects.exists()


def test_live_numbering_continues_after_the_imported_numbers(district, record):
    assert import_orders(lines(numbered(record, 41), numbered(record, 7))).ok
    with time_machine.travel(at("2023-03-01 18:00"), tick=False):
        assert new_order(district).number == "20230301-000042"


def test_a_merged_order_may_come_before_its_parent(record):
    child = numbered(record, 1, parent="20230301-000002")
    report = import_orders(lines(child, numbered(record, 2)))
    assert report.ok, report.errors
    assert WorkOrder.objects.get(number="20230301-000001").parent.number == "20230301-000002"
    report = import_orders(lines(numbered(record, 3, parent="20230301-000099")))
    assert [(e.line, e.field) for e in report.errors] == [(1, "parent")]


def test_the_commands_export_and_import(record, tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(lines(numbered(record, 1), numbered(record, 2, urgency="x"))))
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Lines with errors: 1\. Nothing was imported\."):
        call_command("import_history", str(path), stdout=out, stderr=io.StringIO())
    assert "line 2: urgency:" in out.getvalue()
    assert not WorkOrder.objects.exists()

    with pytest.raises(CommandError, match=r"Lines with errors: 1\.$"):
        call_command("import_history", str(path), "--partial", stdout=out, stderr=io.StringIO())
    assert "Imported 1 orders" in out.getvalue()
    assert WorkOrder.objects.count() == 1
    stdout = io.StringIO()
    call_command("export_history", stdout=stdout, stderr=io.StringIO())
    assert stdout.getvalue().splitlines() == exported()
    target = tmp_path / "out.jsonl"
    call_command(
        "export_history",
        "--from",
        "2023-02-01",
        "--to",
        "2023-03-31",
        "--out",
        str(target),
        stderr=io.StringIO(),
    )
    assert target.read_text().splitlines() == exported()


def test_a_time_outside_the_sane_range_is_an_error_on_its_line(record):
    # Year 1 overflowed the time-zone arithmetic when the order was saved: the whole import
    # stopped with "date value out of range" and no line named.
    events = record["events"]
    ancient = [dict(events[0], at="0001-01-01T00:00:00+08:00"), *events[1:]]
    report = import_orders(
        lines(
            numbered(record, 1, registered_at="0001-01-01T00:00:00+08:00"),
            numbered(record, 2, events=ancient),
        )
    )
    assert [(e.line, e.field) for e in report.errors] == [
        (1, "registered_at"),
        (2, "events[1].at"),
    ]
    assert not WorkOrder.objects.exists()
