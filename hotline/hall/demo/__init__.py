"""The demo district's halls: 大宁路街道社区事务受理服务中心 and 静安区政务服务中心.

Everything comes from the data files next to this module (matters, materials and bundles as CSV,
the halls with windows, clerks, self-service kiosks and daily volumes as JSON). Loaded by
``hotline demo`` after the district (:data:`hotline.org.demo.LOAD_HOOKS`): the catalogue through
its importer, the halls, their clerks and manager, appointment slots for the coming week, and
``DEMO_HALL_DAYS`` working days of history simulated through the real actions
(:mod:`hotline.hall.simulate`), with the kiosks' self-service uses of those days.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from hotline import clock
from hotline.appendonly import empty_tables
from hotline.hall import simulate
from hotline.hall.actions import appointments
from hotline.hall.actions.selfservice import record_use
from hotline.hall.models import (
    Alert,
    Appointment,
    AppointmentEvent,
    AppointmentSlot,
    Hall,
    Kiosk,
    KioskEvent,
    SelfServiceUse,
    SlotEvent,
    Ticket,
    TicketCounter,
    TicketEvent,
    Window,
    WindowEvent,
    WindowMatter,
)
from hotline.interchange.tables import read_table
from hotline.matters import interchange
from hotline.matters.models import Bundle, Material, Matter
from hotline.org.demo_district import DEMO_PASSWORD
from hotline.org.models import Role, Unit, UnitKind, User, UserRole

DATA = Path(__file__).resolve().parent
Progress = Callable[[str], None]


def _silent(message: str) -> None:
    pass


def halls_data() -> list[dict[str, Any]]:
    return json.loads((DATA / "halls.json").read_text(encoding="utf-8"))["halls"]


def load_catalogue() -> None:
    for kind, name in (
        ("matters", "matters.csv"),
        ("materials", "materials.csv"),
        ("bundles", "bundles.csv"),
    ):
        importer = interchange.KINDS[kind][0]
        with open(DATA / name, "rb") as source:
            report = importer(read_table(source, "csv"))
        if report.errors:
            raise ValueError(f"demo {name}: {[str(e) for e in report.errors]}")


def volumes(hall: Hall) -> dict[int, float]:
    """matter id → arrivals per day, from the data file (30 a day for a hall not in it)."""
    codes: dict[str, float] = next(
        (h["volumes"] for h in halls_data() if h["code"] == hall.code), {}
    )
    ids = dict(Matter.objects.filter(code__in=codes).values_list("code", "pk"))
    served = set(WindowMatter.objects.filter(window__hall=hall).values_list("matter_id", flat=True))
    found = {ids[code]: float(n) for code, n in codes.items() if ids.get(code) in served}
    return found or {matter_id: 30.0 for matter_id in served}


def _hall(spec: dict[str, Any], password: str) -> Hall:
    parent = Unit.objects.get(code=spec["unit"]["parent"])
    unit = Unit.objects.create(
        code=spec["unit"]["code"],
        name=spec["unit"]["name"],
        kind=UnitKind.SERVICE_CENTRE,
        parent=parent,
    )
    options = dict(spec["settings"])
    # The hours as "HH:MM"; the lunch break and Saturday's where a hall's settings give them.
    times = ("opens_at", "closes_at", "lunch_starts", "lunch_ends")
    for name in (*times, "saturday_opens_at", "saturday_closes_at"):
        if options.get(name) is not None:
            options[name] = dt.time.fromisoformat(options[name])
    hall = Hall.objects.create(unit=unit, code=spec["code"], **options)
    matters = dict(Matter.objects.values_list("code", "pk"))
    for w in spec["windows"]:
        place = Unit.objects.get(code=w["place"]) if w.get("place") else None
        window = Window.objects.create(hall=hall, number=w["number"], kind=w["kind"], place=place)
        WindowMatter.objects.bulk_create(
            WindowMatter(window=window, matter_id=matters[code], weight=weight)
            for code, weight in w["matters"].items()
        )
    for k in spec.get("kiosks", []):
        kiosk = Kiosk.objects.create(hall=hall, code=k["code"], name=k["name"], place=k["place"])
        kiosk.matters.set([matters[code] for code in k["matters"]])
    people: list[tuple[str, str, tuple[str, ...]]] = [
        (u, n, (Role.HALL_CLERK,)) for u, n in spec["clerks"]
    ]
    # The manager also handles the centre's 12345 orders (差评 rectifications, 办不成事 referrals
    # dispatched to the centre): without a unit handler nobody would sign for them.
    people.append((*spec["manager"], (Role.HALL_MANAGER, Role.UNIT_HANDLER)))
    for username, name, roles in people:
        user = User.objects.create(username=username, first_name=name, unit=unit, password=password)
        UserRole.objects.bulk_create(UserRole(user=user, role=role) for role in roles)
    return hall


def _working_days_before(today: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = today
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def self_service_day(hall: Hall, day: dt.date, seed: int) -> int:
    """The day's kiosk uses from the data file's uses per day, at seeded times round the clock
    (the area is open when the windows are not), through the one write path."""
    spec = next((h for h in halls_data() if h["code"] == hall.code), {})
    rng = random.Random(f"{seed}:{hall.code}:{day.isoformat()}")
    count = 0
    for k in spec.get("kiosks", []):
        kiosk = Kiosk.objects.get(code=k["code"])
        matters = {m.code: m for m in kiosk.matters.all()}
        for code, per_day in k.get("uses_per_day", {}).items():
            for _i in range(per_day):
                seconds = rng.randrange(24 * 3600)
                at = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
                record_use(kiosk, matters[code], now=timezone.make_aware(at))
                count += 1
    return count


def load_halls(progress: Progress = _silent, *, days: int | None = None, seed: int = 12345) -> None:
    """The catalogue, both halls, next week's slots and ``days`` working days of history."""
    days = settings.DEMO_HALL_DAYS if days is None else days
    progress("Creating the hall matters and halls …")
    with transaction.atomic():
        load_catalogue()
        password = make_password(DEMO_PASSWORD)
        halls = [_hall(spec, password) for spec in halls_data()]
        today = clock.today()
        for hall in halls:
            for matter_id in volumes(hall):
                matter = Matter.objects.get(pk=matter_id)
                if not matter.appointment_allowed:
                    continue
                for offset in range(0, 8):
                    day = today + dt.timedelta(days=offset)
                    if day.weekday() < 5:
                        appointments.open_slots(
                            hall,
                            matter,
                            day,
                            starts=dt.time(9),
                            ends=dt.time(16),
                            minutes=60,
                            capacity=3,
                        )
    for hall in halls:
        for day in _working_days_before(clock.today(), days):
            progress(f"Simulating {hall.code} on {day} …")
            with transaction.atomic():
                simulate.run_day(hall, day, seed, volumes(hall))
                self_service_day(hall, day, seed)


def purge_halls(progress: Progress = _silent) -> None:
    """Empty every hall table: the demo reset's hook, the only place hall events are removed
    (they are append-only; on PostgreSQL a trigger refuses row deletes, not TRUNCATE)."""
    progress("Deleting halls, tickets and the matter catalogue …")
    models: list[Any] = [
        Alert,
        SelfServiceUse,
        KioskEvent,
        Kiosk.matters.through,
        Kiosk,
        AppointmentEvent,
        Appointment,
        SlotEvent,
        AppointmentSlot,
        TicketEvent,
        Ticket,
        TicketCounter,
        WindowEvent,
        WindowMatter,
        Window,
        Hall,
        Material,
        Bundle.matters.through,
        Bundle,
        Matter,
    ]
    # CASCADE: the apps built on the hall (cases, ratings) point at its tickets.
    empty_tables([m._meta.db_table for m in models], cascade=True)
