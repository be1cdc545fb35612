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

from hotline.assessment import hall_cases, kpis, periods
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
    clerk (the dashboard and the report). One read of all the halls' ticket events, one of their
    appointments (and with ``detail`` one of their windows and one of the clerks): the number of
    queries does not grow with the number of halls."""
    halls = list(
        (
            Hall.objects.select_related("unit")
            if unit_ids is None
            else Hall.objects.select_related("unit").filter(unit_id__in=unit_ids)
        ).order_by("code")
    )
    ids = [hall.pk for hall in halls]
    facts_of = hall_kpis.ticket_facts_by_hall(ids, first, last)
    appointments = hall_kpis.appointment_counts_by_hall(ids, first, last)
    windows = _windows(ids) if detail else {}
    clerks = _clerks([f for facts in facts_of.values() for f in facts]) if detail else {}
    result = []
    for hall in halls:
        facts = facts_of.get(hall.pk, [])
        figures = hall_kpis.grouped(hall, facts).get(hall.code, hall_kpis.Figures())
        month = CentreMonth(hall, figures, appointments.get(hall.pk, (0, 0)))
        if detail:
            month.windows = _throughput(
                hall_kpis.grouped(hall, facts, "window"), windows.get(hall.pk, {})
            )
            month.clerks = _throughput(hall_kpis.grouped(hall, facts, "clerk"), clerks)
        result.append(month)
    return result


def _windows(hall_ids: list[int]) -> dict[int, dict[Any, str]]:
    """hall id → its windows' labels by window id."""
    labels: dict[int, dict[Any, str]] = {}
    for w in Window.objects.filter(hall_id__in=hall_ids):
        labels.setdefault(w.hall_id, {})[w.pk] = str(_("Window %(number)s") % {"number": w.number})
    return labels


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


@dataclass
class HallFigures:
    """Every hall's figures for one period, read once: the hall section of the dashboard and the
    centres' scores (:func:`enter`) both come from them."""

    months: list[CentreMonth]  # with throughput (``detail``)
    casework: dict[str, hall_cases.CaseFigures]  # by hall code


def hall_figures(first: dt.date, last: dt.date) -> HallFigures:
    """All halls' :func:`centre_months` (with detail) and :func:`hall_cases.figures` for the days
    ``first`` to ``last``."""
    return HallFigures(
        centre_months(first, last, detail=True),
        hall_cases.figures(*periods.between(first, last)),
    )


def enter(report: kpis.KpiReport, settings: KpiSettings, known: HallFigures | None = None) -> None:
    """Put the service centres' hall rates into ``report``: their composite, score and rank in
    their own peer group (units ranked elsewhere are re-ranked without them).

    ``known``: the halls' figures for the report's period when already read (the dashboard
    shows them too); the same figures are read here otherwise.

    A centre is ranked when it issued at least the minimum volume of tickets (the same setting
    that ranks other units on orders)."""
    centres = {u.unit_id: u for u in report.units if u.kind == UnitKind.SERVICE_CENTRE}
    if not centres:
        return
    first, last = days_of(report.start, report.end)
    issued: dict[int, int] = {}
    centre_of: dict[str, int] = {}
    months = (
        centre_months(first, last, unit_ids=set(centres))
        if known is None
        else [m for m in known.months if m.hall.unit_id in centres]
    )
    for month in months:
        unit = centres[month.hall.unit_id]
        unit.ratios.update(month.ratios)
        issued[unit.unit_id] = month.figures.issued
        centre_of[month.hall.code] = unit.unit_id
    if known is None:
        halls = set(Hall.objects.filter(code__in=centre_of).values_list("pk", flat=True))
        casework = hall_cases.figures(report.start, report.end, hall_ids=halls)
    else:
        casework = {code: f for code, f in known.casework.items() if code in centre_of}
    for code, found in casework.items():
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
