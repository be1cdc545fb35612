"""Service centres in the assessment: their halls' figures as rates, a composite from the KPI
settings' hall weights, and a peer group of their own (docs/kpis.md, Service centres).

A service centre (unit kind SERVICE_CENTRE) answers for its hall: waits within the service
level, tickets completed (not lost to no-shows or walk-outs), appointments kept, computed from
the hall's ticket events (:mod:`hotline.hall.kpis`), and its cases and ratings — cases concluded
on time, 一次办, 好评, 差评 rectified on time (:mod:`hotline.assessment.hall_cases`). They
enter the centre's composite score beside any hotline KPI it has (a centre that also
receives orders is judged on both, by the same weighted mean). Centres are ranked only
against each other: a street is scored on orders, a centre mostly on tickets and cases, and
neither has the other's figures.

The hall rates stay on the centre: they do not roll up into the street or district above it
(a street's hotline score is the street's own work).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotline.assessment import hall_cases, kpis
from hotline.assessment.models import KpiSettings
from hotline.hall import kpis as hall_kpis
from hotline.hall.models import Hall, Window
from hotline.org.models import UnitKind, User

#: The peer group service centres are ranked in (not one of the unit's own choices: a centre's
#: ``Unit.peer_group`` is ignored, whatever it says).
SERVICE_CENTRES = "service_centres"
GROUP_LABEL = _("Service centres")

WITHIN_LEVEL = "hall_within_level"
COMPLETED = "hall_completed"
APPOINTMENTS_KEPT = "hall_appointments_kept"
HALL_KPIS = (WITHIN_LEVEL, COMPLETED, APPOINTMENTS_KEPT)
LABELS: dict[str, Any] = {
    WITHIN_LEVEL: _("Waits within the service level"),
    COMPLETED: _("Tickets completed"),
    APPOINTMENTS_KEPT: _("Appointments kept"),
    **hall_cases.LABELS,
}


@dataclass
class Throughput:
    """Tickets one window or clerk finished in the period, and their mean serving minutes."""

    label: str
    served: int
    mean_serving: float


@dataclass
class CentreMonth:
    """One hall's figures for a period: the whole hall, per window and clerk, and its rates."""

    hall: Hall
    figures: hall_kpis.Figures
    appointments: tuple[int, int]  # (checked in, no-shows)
    windows: list[Throughput] = field(default_factory=list)
    clerks: list[Throughput] = field(default_factory=list)

    @property
    def ratios(self) -> dict[str, kpis.Ratio]:
        return rates(self.figures, self.appointments)


def rates(figures: hall_kpis.Figures, appointments: tuple[int, int]) -> dict[str, kpis.Ratio]:
    """The hall KPIs as rates with their counts (the figures keep shares; counts are exact from
    them: a share is count ÷ total)."""
    over = round(figures.over_service_level * figures.called)
    lost = round((figures.no_show_rate + figures.abandon_rate) * figures.issued)
    kept, missed = appointments
    return {
        WITHIN_LEVEL: kpis.Ratio(figures.called - over, figures.called),
        COMPLETED: kpis.Ratio(figures.issued - lost, figures.issued),
        APPOINTMENTS_KEPT: kpis.Ratio(kept, kept + missed),
    }


def days_of(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    """The local days ``[start, end)`` covers (tickets belong to a day)."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end - dt.timedelta(microseconds=1)).date()
    return first, last


def centre_months(
    first: dt.date, last: dt.date, *, detail: bool = False, unit_ids: set[int] | None = None
) -> list[CentreMonth]:
    """Each hall's figures from ``first`` to ``last``; ``detail`` adds throughput per window and
    clerk (the dashboard and the report). One read of each hall's ticket events."""
    halls = Hall.objects.select_related("unit").order_by("code")
    if unit_ids is not None:
        halls = halls.filter(unit_id__in=unit_ids)
    result = []
    for hall in halls:
        facts = hall_kpis.ticket_facts(hall, first, last)
        figures = hall_kpis.grouped(hall, facts).get(hall.code, hall_kpis.Figures())
        month = CentreMonth(hall, figures, hall_kpis.appointment_counts(hall, first, last))
        if detail:
            month.windows = _throughput(hall_kpis.grouped(hall, facts, "window"), _windows(hall))
            month.clerks = _throughput(hall_kpis.grouped(hall, facts, "clerk"), _clerks(facts))
        result.append(month)
    return result


def _windows(hall: Hall) -> dict[Any, str]:
    return {
        w.pk: str(_("Window %(number)s") % {"number": w.number})
        for w in Window.objects.filter(hall=hall)
    }


def _clerks(facts: list[hall_kpis.Facts]) -> dict[Any, str]:
    ids = {f.finished_by[1] for f in facts if f.finished_by and f.finished_by[1]}
    return {u.pk: u.get_full_name() or u.get_username() for u in User.objects.filter(pk__in=ids)}


def _throughput(groups: dict[Any, hall_kpis.Figures], names: dict[Any, str]) -> list[Throughput]:
    rows = [
        Throughput(names.get(key, "—"), f.served, f.mean_serving)
        for key, f in groups.items()
        if key is not None
    ]
    rows.sort(key=lambda t: (-t.served, t.label))
    return rows


def enter(report: kpis.KpiReport, settings: KpiSettings) -> None:
    """Put the service centres' hall rates into ``report``: their composite, score and rank in
    their own peer group (units ranked elsewhere are re-ranked without them).

    A centre is ranked when it issued at least the minimum volume of tickets (the same setting
    that ranks other units on orders)."""
    centres = {u.unit_id: u for u in report.units if u.kind == UnitKind.SERVICE_CENTRE}
    if not centres:
        return
    first, last = days_of(report.start, report.end)
    issued: dict[int, int] = {}
    centre_of: dict[str, int] = {}
    for month in centre_months(first, last, unit_ids=set(centres)):
        unit = centres[month.hall.unit_id]
        unit.ratios.update(month.ratios)
        issued[unit.unit_id] = month.figures.issued
        centre_of[month.hall.code] = unit.unit_id
    halls = set(Hall.objects.filter(code__in=centre_of).values_list("pk", flat=True))
    for code, found in hall_cases.figures(report.start, report.end, hall_ids=halls).items():
        ratios = found.ratios
        centres[centre_of[code]].ratios.update({k: ratios[k] for k in hall_cases.CASE_KPIS})
    moved = False
    for unit in centres.values():
        moved = moved or unit.rank is not None
        unit.peer_group = SERVICE_CENTRES
        unit.rank = None
        unit.base_score = kpis.composite_score(
            unit, settings, {**settings.weights(), **settings.hall_weights()}
        )
        unit.score = (
            round(max(0.0, unit.base_score - unit.deduction), 2)
            if unit.base_score is not None
            else None
        )
    if moved:  # a centre had been given another peer group: rank that group again without it
        others = [u for u in report.units if u.unit_id not in centres]
        for unit in others:
            unit.rank = None
        kpis._rank(others, settings.minimum_volume)
    kpis._rank(
        [u for u in centres.values() if issued.get(u.unit_id, 0) >= settings.minimum_volume], 0
    )
