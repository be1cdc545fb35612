"""The wait estimate against simulated days at the demo halls, as one JSON line.

    python bench/hall_estimate.py [--days 5] [--seed 12345] [--halls dnl,jazw] [--history 0]
        [--play hybrid|full|shipped [--plays 50]]

A throwaway SQLite database gets the demo district without orders (its units) and the demo
halls; then ``--days`` working days are simulated per hall through the real actions
(:mod:`hotline.hall.simulate`, deterministic from ``--seed``). Every ticket recorded the range it
was shown at issue; the figures compare it with the wait to its first call: mean absolute error
against the middle of the range, as a share of the mean wait, and the share of waits inside the
range — per day and pooled over all tickets. Targets (issue 17): MAE ≤ 25 % of the mean wait,
≥ 80 % inside the range.

``--history N`` simulates N working days before the measured ones (same seed, not counted): the
estimate reads a hall's previous days (hourly rates, booking habits, its own recorded error), so
without history the first measured day is the hall's first day ever. The measured days are the
same dates and visitors whatever N is.

The estimate is the product's as it ships (``--play hybrid``, the default since session 25);
``--play shipped`` measures it without the full play (its name while that was what shipped).
``--play full`` turns on the full play (:data:`hotline.hall.estimate.FULL_PLAY`, session 23: the
rest of the day played ``--plays`` times from the state at issue, :mod:`hotline.hall.play`) for
the simulated days (the days and visitors are the same: no estimate feeds back into them); the
JSON's ``full`` gives its points scored with and without the learned correction on the same
tickets. ``--play hybrid`` (session 23, h6): the full play only on a hall's days with history
(:data:`hotline.hall.estimate.FULL_PLAY_NEEDS_HISTORY`), the shipped estimate on its first day;
the headline figures are the ranges shown, the ``full`` ones those of the played tickets only
(the first days' counted as ``not_played``). Scratch switches for that measurement:
``HALL_FULL_RATES`` (``profile`` or ``hourly``), ``HALL_FULL_CYCLES`` (``recent`` or ``days``),
``HALL_FULL_PATIENCE_TODAY`` (``1`` or ``0``: :data:`hotline.hall.play_model.FULL_PATIENCE_TODAY`),
``HALL_ESTIMATE_DUMP=PATH`` (per-ticket rows: hall, day, ahead, wait, point, factor, the
shipped estimate's middle on the same state, tickets waiting, matter). The JSON's ``full_cost``:
CPU ms per full-play estimate, all and by tickets waiting.

The hall's hours (session 29): ``--lunch 11:30-13:30`` gives every hall measured that lunch
break (午休), ``--lunch-windows 1`` sets those windows (numbers) to serve through it
(午间不打烊), and ``--saturday 09:00-12:00`` opens the halls on ordinary Saturdays then and
counts those among the days (the ``--days`` and ``--history`` days are then the days the halls
open, Saturdays included, back from 2023-03-09). The simulator keeps the hours
(:mod:`hotline.hall.simulate`). Without them the days are those of every session before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--halls", default="dnl,jazw")
    parser.add_argument("--history", type=int, default=0)
    parser.add_argument(
        "--play",
        choices=("shipped", "full", "hybrid"),
        default="hybrid",
        help="hybrid (the default: what ships since session 25): the full play only where the "
        "hall has history (estimate.FULL_PLAY_NEEDS_HISTORY), the estimate without it on a "
        "hall's first day; full: the full play everywhere; shipped: without the full play "
        "(the name it had while that was what shipped, sessions 10-24)",
    )
    parser.add_argument("--plays", type=int, default=None, help="the full play's plays")
    parser.add_argument("--lunch", default="", help="HH:MM-HH:MM: the halls' lunch break")
    parser.add_argument(
        "--lunch-windows", default="", help="window numbers serving through lunch, e.g. 1,4"
    )
    parser.add_argument(
        "--saturday", default="", help="HH:MM-HH:MM: the halls' Saturday hours (days counted)"
    )
    args = parser.parse_args()
    costs: list[tuple[int, float]] = []  # (tickets waiting, CPU ms) per full-play estimate
    with tempfile.TemporaryDirectory(prefix="hotline-bench-estimate-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["HOTLINE_DATA_DIR"] = folder
        os.environ.setdefault("SECRET_KEY", "bench-only-signing-key-never-used-in-production-4f9")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
        os.environ.update(DEBUG="false", DEMO_ORDERS="0", DEMO_HALL_DAYS="0")
        import django

        django.setup()
        from django.core.management import call_command

        from hotline.hall import demo as hall_demo
        from hotline.hall import estimate, kpis, play_model, simulate
        from hotline.hall.models import Hall
        from hotline.org import demo

        # ``shipped``: the estimate without the full play (on by default since session 25).
        estimate.FULL_PLAY = args.play in ("full", "hybrid")
        if args.play in ("full", "hybrid"):
            estimate.FULL_PLAY_NEEDS_HISTORY = args.play == "hybrid"
            estimate.FULL_LOG = []
            if args.plays:
                play_model.FULL_PLAYS = args.plays
            play_model.FULL_RATES = os.environ.get("HALL_FULL_RATES", play_model.FULL_RATES)
            play_model.FULL_CYCLES = os.environ.get("HALL_FULL_CYCLES", play_model.FULL_CYCLES)
            if "HALL_FULL_PATIENCE_TODAY" in os.environ:
                play_model.FULL_PATIENCE_TODAY = os.environ["HALL_FULL_PATIENCE_TODAY"] == "1"
            _time_the_plays(play_model, costs)
        call_command("migrate", verbosity=0)
        demo.load_district()
        started = time.perf_counter()
        codes = args.halls.split(",")
        for code in codes:
            _set_hours(Hall.objects.get(code=code), args)
        every = (
            _open_days(Hall.objects.get(code=codes[0]), args.days + args.history)
            if args.saturday
            else hall_demo._working_days_before(dt.date(2023, 3, 10), args.days + args.history)
        )
        days = every[args.history :]
        per_day = []
        pooled = []
        for code in codes:
            hall = Hall.objects.get(code=code)
            for day in every[: args.history]:
                simulate.run_day(hall, day, args.seed, hall_demo.volumes(hall))
            for day in days:
                result = simulate.run_day(hall, day, args.seed, hall_demo.volumes(hall))
                per_day.append(
                    {
                        "hall": code,
                        "day": day.isoformat(),
                        "tickets": result["kpis"]["issued"],
                        "mean_wait": result["estimate"]["mean_wait_minutes"],
                        "mae": result["estimate"]["mae_minutes"],
                        "mae_share": result["estimate"]["mae_share_of_mean_wait"],
                        "inside": result["estimate"]["inside_range"],
                    }
                )
                pooled.extend(
                    f
                    for f in kpis.ticket_facts(hall, day, day)
                    if f.first_wait is not None and f.estimate
                )
        waits = [f.first_wait for f in pooled if f.first_wait is not None]
        errors = [
            abs(f.first_wait - (f.estimate[0] + f.estimate[1]) / 2)
            for f in pooled
            if f.first_wait is not None and f.estimate
        ]
        inside = [
            f.estimate[0] <= f.first_wait <= f.estimate[1]
            for f in pooled
            if f.first_wait is not None and f.estimate
        ]
        full = _full_figures(pooled, estimate.FULL_LOG) if estimate.FULL_LOG is not None else None
        mean_wait = sum(waits) / len(waits)
        mae = sum(errors) / len(errors)
        print(
            json.dumps(
                {
                    "seed": args.seed,
                    "days_per_hall": args.days,
                    "history_days": args.history,
                    "tickets": len(pooled),
                    "mean_wait_min": round(mean_wait, 2),
                    "mae_min": round(mae, 2),
                    "mae_share_of_mean_wait": round(mae / mean_wait, 3),
                    "inside_range": round(sum(inside) / len(inside), 3),
                    # unrounded, for pooling seeds: Σ|error|, Σ wait (minutes), tickets inside
                    "sums": {"error": sum(errors), "wait": sum(waits), "inside": sum(inside)},
                    "meets_mae_target": mae / mean_wait <= 0.25,
                    "meets_range_target": sum(inside) / len(inside) >= 0.80,
                    "simulate_s": round(time.perf_counter() - started, 1),
                    "per_day": per_day,
                    "play": args.play,
                    "full_plays": play_model.FULL_PLAYS if args.play != "shipped" else None,
                    "full_patience_today": play_model.FULL_PATIENCE_TODAY
                    if args.play != "shipped"
                    else None,
                    "full": full,
                    "full_cost": _cost_figures(costs) if costs else None,
                    "lunch": args.lunch or None,
                    "lunch_windows": args.lunch_windows or None,
                    "saturday": args.saturday or None,
                },
                ensure_ascii=False,
            )
        )


def _times(text: str) -> tuple[dt.time, dt.time]:
    first, last = text.split("-")
    return dt.time.fromisoformat(first), dt.time.fromisoformat(last)


def _set_hours(hall, args) -> None:  # type: ignore[no-untyped-def]
    """The hall's lunch break, its windows serving through it and its Saturday hours, as the
    options ask (the demo halls have none of them)."""
    from hotline.hall.models import Window

    if args.lunch:
        hall.lunch_starts, hall.lunch_ends = _times(args.lunch)
    if args.saturday:
        hall.saturday_opens_at, hall.saturday_closes_at = _times(args.saturday)
    hall.full_clean()
    hall.save()
    if args.lunch_windows:
        numbers = [int(n) for n in args.lunch_windows.split(",")]
        # Set-up of the bench's halls (the product sets it through actions.set_serves_lunch).
        Window.objects.filter(hall=hall, number__in=numbers).update(serves_lunch=True)


def _open_days(hall, count: int) -> list[dt.date]:  # type: ignore[no-untyped-def]
    """The ``count`` days before 2023-03-10 the hall's windows open (Saturdays included)."""
    from hotline.hall import hours

    found: list[dt.date] = []
    day = dt.date(2023, 3, 10)
    while len(found) < count:
        day -= dt.timedelta(days=1)
        if hours.day_hours(hall, day):
            found.append(day)
    return sorted(found)


#: With ``HALL_ESTIMATE_DUMP``: the shipped estimate's middle and the tickets waiting, per
#: full-play estimate (hall, issued at, matter).
SHIPPED: dict[tuple[int, dt.datetime, int], tuple[float, int]] | None = (
    {} if os.environ.get("HALL_ESTIMATE_DUMP") else None
)


def _time_the_plays(play_model: object, costs: list[tuple[int, float]]) -> None:
    """Wrap :func:`hotline.hall.play_model.full_point` to record each estimate's CPU time and
    the tickets waiting then. ``HALL_PLAY_CAPTURE=PATH`` (scratch) also pickles the (state,
    target, model) of up to 20 estimates with 28–32 waiting, for profiling one."""
    import pickle

    from hotline.hall import play

    point = play_model.full_point  # type: ignore[attr-defined]
    capture = os.environ.get("HALL_PLAY_CAPTURE")
    caught: list[tuple[object, int, object]] = []
    engine = play.plays

    def catching(state, target, model, rng, *rest, **named):  # type: ignore[no-untyped-def]
        if len(caught) < 20 and 28 <= len(state.waiting) <= 32:
            caught.append((state, target, model))
            with open(capture, "wb") as out:  # type: ignore[arg-type]
                pickle.dump(caught, out)
        return engine(state, target, model, rng, *rest, **named)

    def timed(hall, target, now, order, links, busy):  # type: ignore[no-untyped-def]
        began = time.process_time()
        found = point(hall, target, now, order, links, busy)
        waiting = len(order) if order is not None else -1
        costs.append((waiting, (time.process_time() - began) * 1000))
        return found

    play_model.full_point = timed  # type: ignore[attr-defined]
    if SHIPPED is not None:
        from hotline.hall import estimate

        for_waiting = estimate.for_waiting

        def both(hall, ticket, ahead, now, order=None, links=None, busy=None):  # type: ignore[no-untyped-def]
            shown = for_waiting(hall, ticket, ahead, now, order, links, busy)
            # The shipped estimate's middle on the same state (for the dump's comparison).
            estimate.FULL_PLAY = False
            try:
                low, high = for_waiting(hall, ticket, ahead, now, order, links, busy)
            finally:
                estimate.FULL_PLAY = True
            waiting = len(order) if order is not None else -1
            SHIPPED[(hall.pk, now, ticket.matter_id)] = ((low + high) / 2, waiting)
            return shown

        estimate.for_waiting = both  # type: ignore[assignment]
    if capture:
        play.plays = catching  # type: ignore[assignment]


def _cost_figures(costs: list[tuple[int, float]]) -> dict[str, object]:
    """CPU ms per full-play estimate: all, and by tickets waiting."""
    import statistics

    def summary(ms: list[float]) -> dict[str, object]:
        ms = sorted(ms)
        return {
            "n": len(ms),
            "mean": round(sum(ms) / len(ms), 2),
            "p50": round(statistics.median(ms), 2),
            "p90": round(ms[int(0.9 * (len(ms) - 1))], 2),
            "max": round(ms[-1], 2),
        }

    bands = {
        "0-9": (0, 9),
        "10-19": (10, 19),
        "20-29": (20, 29),
        "30-39": (30, 39),
        "40+": (40, 10**6),
    }
    found: dict[str, object] = {"all": summary([ms for _n, ms in costs])}
    for name, (low, high) in bands.items():
        ms = [ms for n, ms in costs if low <= n <= high]
        if ms:
            found[name] = summary(ms)
    return found


def _full_figures(pooled: list, log: list) -> dict[str, object]:
    """The full play's points (logged at issue) scored two ways on the same tickets: with the
    learned correction (the ranges recorded) and without it (the point as played)."""
    from hotline.hall import estimate
    from hotline.hall.models import Ticket

    at = dict(
        Ticket.objects.filter(pk__in=[f.ticket for f in pooled]).values_list("pk", "issued_at")
    )
    matter = dict(
        Ticket.objects.filter(pk__in=[f.ticket for f in pooled]).values_list("pk", "matter_id")
    )
    hall = dict(
        Ticket.objects.filter(pk__in=[f.ticket for f in pooled]).values_list("pk", "hall_id")
    )
    logged = {(h, now, m): (point, factor) for h, now, m, point, factor in log}
    dump = os.environ.get("HALL_ESTIMATE_DUMP")  # per-ticket rows for analysis (scratch)
    rows = []
    if dump:
        from hotline.hall.models import TicketEvent

        ahead = {
            t: p.get("ahead")
            for t, p in TicketEvent.objects.filter(
                ticket_id__in=list(at), action="issue"
            ).values_list("ticket_id", "payload")
        }
    sums = {"n": 0, "wait": 0.0, "raw": 0.0, "raw_in": 0, "cor": 0.0, "cor_in": 0, "missing": 0}
    for f in pooled:
        found = logged.get((hall[f.ticket], at[f.ticket], matter[f.ticket]))
        if found is None or f.first_wait is None:
            sums["missing"] += 1
            continue
        point, factor = found
        wait = f.first_wait
        sums["n"] += 1
        sums["wait"] += wait
        if dump:
            shipped, waiting = (SHIPPED or {}).get(
                (hall[f.ticket], at[f.ticket], matter[f.ticket]), (None, None)
            )
            rows.append(
                [
                    hall[f.ticket],
                    f.day.isoformat(),
                    ahead.get(f.ticket),
                    wait,
                    point,
                    factor,
                    shipped,
                    waiting,
                    matter[f.ticket],
                ]
            )
        for name, p in (("raw", point), ("cor", point * factor)):
            low, high = estimate.as_range(p)
            sums[name] += abs(wait - (low + high) / 2)
            sums[name + "_in"] += low <= wait <= high
    if dump:
        Path(dump).write_text(json.dumps(rows))
    n, wait = sums["n"] or 1, sums["wait"] or 1.0
    return {
        "tickets": sums["n"],
        "not_played": sums["missing"],
        "uncorrected_mae_share": round(sums["raw"] / wait, 4),
        "uncorrected_inside": round(sums["raw_in"] / n, 3),
        "corrected_mae_share": round(sums["cor"] / wait, 4),
        "corrected_inside": round(sums["cor_in"] / n, 3),
        "sums": sums,
    }


if __name__ == "__main__":
    main()
