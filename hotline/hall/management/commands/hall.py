"""``hotline hall simulate --hall CODE [--date D] --seed N [--json]`` and ``hotline hall sweep``.

``simulate`` drives one deterministic day through the real actions and prints the day's KPIs
and the wait estimate's error (``--json``: one JSON object); without ``--date``, the latest
working day before today on which the hall has no tickets (the demo's history fills the last
few). ``sweep`` is the worker's pass
(hotline.hall.sweep, also a step of ``hotline worker``): called tickets past their timeout
become no-shows, bookings past their tolerance too, and the alerts of every hall are evaluated.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from hotline import clock
from hotline.hall import actions, demo, simulate, sweep
from hotline.hall.models import Hall


class Command(BaseCommand):
    help = "Service hall: simulate a day, or run the worker's sweep."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        sim = sub.add_parser("simulate", help="drive a deterministic day through the real actions")
        sim.add_argument("--hall", required=True, help="the hall's code")
        sim.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            help="YYYY-MM-DD (default: the latest working day before today without tickets)",
        )
        sim.add_argument("--seed", type=int, default=1)
        sim.add_argument("--json", action="store_true", help="print one JSON object")
        sub.add_parser(
            "sweep", help="no-shows, booking no-shows, day's end and alerts for every hall"
        )

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        if what == "sweep":
            for done in sweep.sweep_all(clock.now()):
                self.stdout.write(
                    f"{done.hall}: {done.no_shows} no-shows, {done.missed_bookings} missed "
                    f"bookings, {done.alerts} alerts, {done.ended} ended at the day's end, "
                    f"{done.windows_closed} windows closed"
                )
            return
        found = Hall.objects.filter(code=options["hall"]).select_related("unit").first()
        if found is None:
            raise CommandError(f"no hall with code {options['hall']!r}")
        hall = found
        day = options["date"]
        if day is None:
            today = timezone.localdate(clock.now())
            day = simulate.free_day(hall, today - dt.timedelta(days=1), before=today)
            if day is None:
                raise CommandError(f"{hall.code}: no working day without tickets in the last year")
        try:
            with transaction.atomic():
                result = simulate.run_day(hall, day, options["seed"], demo.volumes(hall))
        except actions.HallError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, sort_keys=True))
            return
        k = result["kpis"]
        e = result["estimate"]
        self.stdout.write(f"{hall} {result['day']}")
        self.stdout.write(
            f"tickets {k['issued']}, served {k['served']}, mean wait {k['mean_waiting']} min, "
            f"walk {k['mean_walking']} min, service {k['mean_serving']} min"
        )
        self.stdout.write(
            f"over the service level {k['over_service_level']:.0%}, "
            f"no-shows {k['no_show_rate']:.0%}, abandoned {k['abandon_rate']:.0%}, "
            f"recalls {k['recalls']}"
        )
        self.stdout.write(f"waiting histogram (5 min): {k['histogram']}")
        self.stdout.write(
            f"wait estimate: MAE {e['mae_minutes']} min against a mean wait of "
            f"{e['mean_wait_minutes']} min ({e['mae_share_of_mean_wait']}), inside the range "
            f"{e['inside_range']}"
        )
        for code, figures in result["matters"].items():
            self.stdout.write(
                f"  {code}: {figures['issued']} tickets, mean wait {figures['mean_waiting']} min"
            )
