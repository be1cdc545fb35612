"""``hotline demo [--if-empty | --reset]``: load the demo district (静安区) into the database.

Without flags it loads into an empty database and otherwise says so; ``--if-empty`` is the silent
form ``make run`` uses on every start (its first load prints no logins: ``serve
--print-logins`` does); ``--reset`` wipes users, units, categories and deadline
policies (demo or not) and loads the demo afresh.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline.org import demo
from hotline.org.models import Category, Unit, UnitKind, User
from hotline.sla.models import DeadlinePolicy


class Command(BaseCommand):
    help = "Load the demo district (Jing'an): units, categories, deadline policies and users."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-empty",
            action="store_true",
            help="load only into an empty database; print nothing when it already has units",
        )
        group.add_argument(
            "--reset",
            action="store_true",
            help="delete ALL users, units, categories and deadline policies, then load the demo",
        )

    def handle(self, *args: object, if_empty: bool, reset: bool, **options: object) -> None:
        if reset:
            self.stdout.write(
                "Resetting: deleting all orders, users, units, categories and deadline policies."
            )
            demo.reset(progress=self._progress)
        elif not demo.is_empty():
            if if_empty:
                return
            if demo.is_loaded():
                self.stdout.write(
                    "The demo district is already loaded; nothing to do "
                    "(`hotline demo --reset` reloads it)."
                )
                return
            raise CommandError(
                "The database already holds units that are not the demo district; refusing to "
                "mix the two. `hotline demo --reset` deletes all users, units, categories and "
                "deadline policies and loads the demo."
            )
        try:
            demo.load_district(progress=self._progress)
        except demo.DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        # ``make run`` loads with --if-empty and then serves with --print-logins: the logins
        # once, beside the address (walk-through, session 25, A-L5).
        self._summary(logins=not if_empty)

    def _progress(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def _summary(self, *, logins: bool = True) -> None:
        units = Unit.objects.all()
        handling = units.exclude(
            kind__in=[
                UnitKind.HOTLINE_CENTRE,
                UnitKind.DISTRICT_GOVERNMENT,
                UnitKind.NEIGHBOURHOOD,
                # the service halls' centres are units too, but not among the hotline's 71
                UnitKind.SERVICE_CENTRE,
            ]
        ).count()
        # A bureau's sections (科室) are its sub-units, not handling units of their own.
        sections = units.filter(parent__kind=UnitKind.BUREAU).count()
        handling -= sections
        centres = units.filter(kind=UnitKind.SERVICE_CENTRE).count()
        neighbourhoods = units.filter(kind=UnitKind.NEIGHBOURHOOD).count()
        categories = Category.objects.count()
        leaves = Category.objects.filter(level=Category.MAX_LEVEL).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district loaded: {handling} handling units, {neighbourhoods} "
                f"neighbourhood committees, {sections} bureau sections, {centres} service centres, "
                f"{categories} categories ({leaves} leaves), "
                f"{DeadlinePolicy.objects.count()} deadline policies, "
                f"{User.objects.count()} users."
            )
        )
        if not logins:
            return
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, description in demo.demo_logins():
            self.stdout.write(f"  {username:<22} {description}")
