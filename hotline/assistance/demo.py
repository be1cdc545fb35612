"""The demo's 帮办 / 代办 records (the week of :mod:`hotline.cases.demo`) and the reset's hook:
emptied before the halls they point at."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from hotline import clock
from hotline.appendonly import empty_tables
from hotline.assistance.actions import records as records_actions
from hotline.assistance.models import Assistance, AssistanceEvent
from hotline.hall.models import Hall
from hotline.matters.models import Matter
from hotline.org.models import User


def purge_assistance(progress: Callable[[str], None] = lambda message: None) -> None:
    """Empty the records and their events: the only place those events are removed (they are
    append-only; on PostgreSQL a trigger refuses row deletes, not TRUNCATE)."""
    progress("Deleting assisted and proxy handling records …")
    tables = [
        AssistanceEvent._meta.db_table,
        Assistance.matters.through._meta.db_table,
        Assistance._meta.db_table,
    ]
    empty_tables(tables)


def record_week(hall: Hall, records: list[dict[str, Any]], days: list[dt.date]) -> None:
    """The hall's 帮办 / 代办 records of the demo week (``assistance`` in
    ``hotline/cases/demo/week.json``), through the one write path: who helped whom with which
    matters, from when to when and how it ended; a 代办's authorisation and the stages it
    reached."""
    for spec in records:
        if spec["hall"] != hall.code or spec["day"] >= len(days):
            continue
        actor = User.objects.get(username=spec["actor"])
        matters = list(Matter.objects.filter(code__in=spec["matters"]))
        hour, minute = (int(part) for part in spec["time"].split(":"))
        at = clock.start_of_day(days[spec["day"]]) + dt.timedelta(hours=hour, minutes=minute)
        if spec["kind"] == "help":
            record = records_actions.start_help(
                hall, actor, matters=matters, citizen_name=spec["citizen"], now=at
            )
            ended = at + dt.timedelta(minutes=spec["minutes"])
            records_actions.end_help(
                record, actor, outcome=spec["outcome"], note=spec.get("note", ""), now=ended
            )
            continue
        record = records_actions.start_proxy(
            hall,
            actor,
            matters=matters,
            applicant_name=spec["citizen"],
            authoriser_name=spec["authoriser"],
            authorisation_ref=spec["reference"],
            authorised_until=days[spec["day"]] + dt.timedelta(days=spec["authorised_days"]),
            now=at,
        )
        stages: dict[str, Callable[..., object]] = {
            "accept": records_actions.accept,
            "submit": records_actions.submit,
            "complete": records_actions.complete,
        }
        for number, stage in enumerate(spec.get("stages", []), start=1):
            moment = at + dt.timedelta(hours=2 * number)
            if moment > clock.now():
                break
            stages[stage](record, actor, now=moment)
