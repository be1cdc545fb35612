"""The leader dashboard (领导驾驶舱): charts, the KPI table with drill-down, hotspots, the report.

Views only read the period from the query string and hand it to :mod:`hotline.assessment`; every
number on the page is one ``kpis.compute`` (the same as ``hotline kpi`` and the Excel report).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hotline import clock
from hotline.assessment import dashboard as data
from hotline.assessment import hall, kpis, periods, report
from hotline.assessment.models import KpiSettings, SatisfactionMeasure
from hotline.dispatch.hotspots import hotspots
from hotline.kb.assist import answered_with_article_share
from hotline.orders.models import State, WorkOrder
from hotline.org.models import PeerGroup, Role, Unit, User
from hotline.web.downloads import attachment
from hotline.web.orders import ORDER_ROW_RELATED

#: Who sees the dashboard: the leaders it is for, and the centre staff who answer for it.
DASHBOARD_ROLES = (Role.LEADER, Role.SUPERVISOR, Role.DISPATCHER, Role.ADMIN)


def can_see_dashboard(user: User) -> bool:
    return user.has_role(*DASHBOARD_ROLES)


@dataclass(frozen=True)
class Period:
    """The period a page shows: a month (``?month=2023-03``) or any days (``?from=&to=``)."""

    first: dt.date
    last: dt.date
    month: str  # "" for a custom period

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return periods.between(self.first, self.last)

    def query(self) -> dict[str, str]:
        if self.month:
            return {"month": self.month}
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def last_complete_month() -> str:
    """The month before today's: the one leaders rank units on (this month is still running)."""
    return (clock.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


#: The longest period the pages read at once: every request reads all of a period's events.
LONGEST_PERIOD_DAYS = 366


def read_period(params: QueryDict) -> Period:
    """The period asked for (``?month=`` or ``?from=&to=``), or the last complete month when none
    was asked for; :class:`periods.PeriodError` with the reason when what was asked for is
    malformed or outside 2000-01-01..2100-12-31, longer than :data:`LONGEST_PERIOD_DAYS` days or
    ends after this month (the views answer 400 rather than quietly showing another period than
    the one the leader typed). Each request reads every event of the period, so a period of all
    history (or of a future with nothing in it, never cached) is refused."""
    if params.get("from") or params.get("to"):
        first = periods.parse_day(params.get("from", ""))
        last = periods.parse_day(params.get("to", ""))
        periods.between(first, last)
        if (last - first).days + 1 > LONGEST_PERIOD_DAYS:
            raise periods.PeriodError(
                _("A period can be at most %(days)s days long.") % {"days": LONGEST_PERIOD_DAYS}
            )
        period = Period(first, last, "")
    else:
        month = params.get("month") or last_complete_month()
        first, last = periods.month_days(month)
        period = Period(first, last, month)
    _not_after_this_month(period.last)
    return period


def _not_after_this_month(last: dt.date) -> None:
    """:class:`periods.PeriodError` for a period ending after this month's last day: nothing is
    in it yet, and a future month's figures are never cached."""
    this_month_end = periods.month_days(clock.today().strftime("%Y-%m"))[1]
    if last > this_month_end:
        raise periods.PeriodError(
            _("A period can end at the end of this month (%(day)s) at the latest.")
            % {"day": this_month_end.isoformat()}
        )


def _period_problem(exc: periods.PeriodError) -> str:
    return _("That period could not be read: %(reason)s") % {"reason": exc}


def _allowed(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not can_see_dashboard(user):
        raise PermissionDenied(_("The dashboard is for leaders, supervisors and dispatchers."))
    return user


def _drill_url(base: str, kpi: str, unit: str, part: str) -> str:
    """The drill-down URL of one number: ``base`` (:func:`_drill_base`) and the cell's keys, as
    ``urlencode`` writes them (quote_plus), without its checks: the page has thousands."""
    return f"{base}&kpi={quote_plus(kpi)}&unit={quote_plus(unit)}&part={quote_plus(part)}"


def _drill_base(period: Period) -> str:
    """The drill-down URL up to the period's parameters, reversed once per page (the table has
    thousands of links)."""
    return reverse("kpi_orders") + "?" + urlencode(period.query())


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    try:
        period = read_period(request.GET)
    except periods.PeriodError as exc:
        return render(
            request,
            "web/dashboard.html",
            {"problem": _period_problem(exc), "bad_period": True, **_month_links()},
            status=400,
        )
    start, end = period.bounds
    # The halls' figures are read once: they score the service centres and fill the hall section;
    # an ended period's are kept in the cache until anything they read changes.
    known_halls, result = data.period_figures(period.first, period.last)
    labels = {name: str(label) for name, label in kpis.LABELS.items()}
    rows: list[dict[str, Any]] = []
    sub_rows: list[dict[str, Any]] = []
    names = {unit.code: unit.name for unit in result.units}
    drill = _drill_base(period)
    for unit in result.units:
        if unit.peer_group == hall.SERVICE_CENTRES:
            continue  # scored on their halls and shown in the hall section
        if not unit.peer_group:
            # Neighbourhood committees count in their street's row; those with figures (二级派单)
            # are listed below the table, under their street, unranked.
            if unit.parent_code and report.has_figures(unit):
                sub_rows.append(
                    {
                        "unit": unit,
                        "parent": names.get(unit.parent_code, unit.parent_code),
                        "cells": _cells(drill, unit),
                        "overdue_url": _drill_url(drill, kpis.OVERDUE, unit.code, "numerator"),
                    }
                )
            continue
        rows.append(
            {
                "unit": unit,
                "group": PeerGroup(unit.peer_group).label,
                "cells": _cells(drill, unit),
                "volume_url": _drill_url(drill, kpis.VOLUME, unit.code, "denominator"),
                "overdue_url": _drill_url(drill, kpis.OVERDUE, unit.code, "numerator"),
            }
        )
    group_order = {value: i for i, value in enumerate(PeerGroup.values)}
    rows.sort(
        key=lambda r: (
            group_order.get(r["unit"].peer_group, 99),
            r["unit"].rank is None,
            r["unit"].rank or 0,
            r["unit"].code,
        )
    )
    # Sub-units in the order of their units' rows above (a street's 居委会 where the street
    # stands), not by their parents' names in code-point order (walk-through, session 26, L5).
    position = {r["unit"].code: i for i, r in enumerate(rows)}
    sub_rows.sort(key=lambda r: (position.get(r["unit"].parent_code, len(rows)), r["unit"].code))
    totals = data.district_totals(result)
    days = data.volume_by_day(start, end)
    mix = data.category_mix(start, end)
    # Six months of trend, none before the first month a period may lie in: ?month=2000-03
    # reached back to 1999-10 and answered a 500 (attack, session 29, h7 F4).
    earliest = periods.EARLIEST
    reach = (period.last.year - earliest.year) * 12 + period.last.month - earliest.month + 1
    points = data.trend(period.last, min(6, reach), known=result)
    halls = data.hall_section(period.first, period.last, result, known_halls)
    context: dict[str, Any] = {
        "period": period,
        "report": result,
        "rows": rows,
        "sub_rows": sub_rows,
        "totals": totals,
        "total_cells": [
            (labels[name], totals.ratios[name], name != kpis.SATISFACTION_SCORE)
            for name in data.TABLE_KPIS
        ],
        "kpi_columns": [(name, labels[name]) for name in data.TABLE_KPIS],
        **_month_links(),
        "peer_groups": dict(PeerGroup.choices),
        "charts": {
            **data.chart_data(result, days, mix, points, labels),
            "groups": {
                **{value: str(label) for value, label in PeerGroup.choices},
                hall.SERVICE_CENTRES: str(hall.GROUP_LABEL),
            },
        },
        "halls": halls["halls"],
        "hall_charts": halls["charts"],
        # The ticket rates and the case and rating rates (hotline.assessment.hall_cases).
        "hall_labels": dict(hall.LABELS),
        "hotspots_url": reverse("dashboard_hotspots") + "?" + urlencode(period.query()),
        "pending_appeals": WorkOrder.objects.exclude(appeal_pending="").count(),
        # Consultations answered at intake with a knowledge-base article (issue 19).
        "kb_answers": answered_with_article_share(start, end),
        "report_month": period.month or period.last.strftime("%Y-%m"),
        # The ranking chart's key: below it units are drawn grey, not ranked.
        "minimum_volume": KpiSettings.current().minimum_volume,
    }
    return render(request, "web/dashboard.html", context)


def _cells(drill: str, unit: kpis.UnitKpis) -> list[dict[str, Any]]:
    """A unit's KPI cells in the table's columns, each count opening the orders behind it."""
    cells = []
    for name in data.TABLE_KPIS:
        ratio = unit.ratios[name]
        cells.append(
            {
                "kpi": name,
                "value": ratio.value,
                # The score is points out of 100 per callback, not a share: no "%".
                "percent": name != kpis.SATISFACTION_SCORE,
                "numerator": ratio.numerator,
                "denominator": ratio.denominator,
                "numerator_url": _drill_url(drill, name, unit.code, "numerator"),
                "denominator_url": _drill_url(drill, name, unit.code, "denominator"),
            }
        )
    return cells


def _month_links() -> dict[str, Any]:
    """The month picker's choices and the this-month / last-month buttons."""
    return {
        "this_month": clock.today().strftime("%Y-%m"),
        "last_month": last_complete_month(),
        "months": periods.months_back(clock.today(), 6)[::-1],
    }


@login_required
def kpi_definitions(request: HttpRequest) -> HttpResponse:
    """How every KPI is counted (docs/kpis.md in the app), with the settings in force and a worked
    example; for everyone assessed or assessing, so units can see how they are ranked."""
    settings = KpiSettings.current()
    weights = settings.weights()
    labels = {name: kpis.LABELS[name] for name in kpis.KPI_NAMES}
    return render(
        request,
        "web/kpi_definitions.html",
        {
            "settings": settings,
            "weights": [(labels[name], weight) for name, weight in weights.items() if weight],
            "hall_weights": [
                (hall.LABELS[name], weight) for name, weight in settings.hall_weights().items()
            ],
            "labels": labels,
            "weighted_measure": labels[
                kpis.SATISFACTION
                if settings.satisfaction_measure == SatisfactionMeasure.RATE
                else kpis.SATISFACTION_SCORE
            ],
            "max_attempts": django_settings.CALLBACK_MAX_ATTEMPTS,
        },
    )


@login_required
def dashboard_hotspots(request: HttpRequest) -> HttpResponse:
    """The hotspots panel, loaded after the page (clustering a month's texts takes a moment)."""
    _allowed(request)
    try:
        period = read_period(request.GET)
    except periods.PeriodError as exc:
        return render(request, "web/_hotspots.html", {"problem": _period_problem(exc)}, status=400)
    found = hotspots(*period.bounds, limit=40)
    # Places first: a hotspot is where to send someone. Clusters of orders without any address
    # (mostly consultations) are district-wide topics, listed after them.
    located = [h for h in found if h.street_code or h.address][:10]
    topics = [h for h in found if not (h.street_code or h.address)][:5]
    return render(request, "web/_hotspots.html", {"hotspots": located, "topics": topics})


@login_required
def kpi_orders(request: HttpRequest) -> HttpResponse:
    """The orders behind one number of the KPI table (drill-down)."""
    _allowed(request)
    return drill_down(request, choose=_("Choose a KPI and a unit from the dashboard."))


def drill_down(
    request: HttpRequest,
    *,
    choose: str,
    within: set[int] | None = None,
    context: dict[str, Any] | None = None,
    back: Callable[[Period], dict[str, Any]] | None = None,
    visible: Callable[[QuerySet[WorkOrder]], QuerySet[WorkOrder]] | None = None,
) -> HttpResponse:
    """The orders behind one number (``?kpi=&unit=&part=`` and the period), for the dashboard and
    a unit's own page (hotline.web.unit_kpis): ``choose`` says what to pick when the number is
    missing, ``within`` the units' ids whose numbers may be opened (403 for another), ``context``
    what every answer adds and ``back`` what an answer with a period adds (the way back).

    ``visible``: the orders of the rows the reader may open; the others counted in the number
    are named by their numbers alone. A unit's figures count the orders it returned, which the
    centre then dispatched to another unit: their rows showed that unit's progress, its title,
    address and state, to a unit that may no longer open them (attack, session 29, h7 F5)."""
    extra = dict(context or {})
    try:
        period = read_period(request.GET)
    except periods.PeriodError as exc:
        return render(
            request, "web/kpi_orders.html", {"error": _period_problem(exc), **extra}, status=400
        )
    if back is not None:
        extra.update(back(period))
    kpi = request.GET.get("kpi", "")
    part: kpis.Part = "denominator" if request.GET.get("part") == "denominator" else "numerator"
    unit = Unit.objects.filter(code=request.GET.get("unit", "")).first()
    if kpi not in kpis.KPI_NAMES or unit is None:
        return render(
            request,
            "web/kpi_orders.html",
            {"error": choose, "period": period, **extra},
            status=400,
        )
    if within is not None and unit.pk not in within:
        raise PermissionDenied(_("You can open the figures of your own unit only."))
    ids = kpis.order_ids(kpi, unit, *period.bounds, part=part)
    qs = WorkOrder.objects.filter(pk__in=ids).select_related(*ORDER_ROW_RELATED).order_by("-pk")
    elsewhere: list[str] = []
    if visible is not None:
        shown = visible(qs)
        elsewhere = list(
            WorkOrder.objects.filter(pk__in=ids)
            .exclude(pk__in=shown.values("pk"))
            .order_by("-pk")
            .values_list("number", flat=True)
        )
        qs = qs.filter(pk__in=shown.values("pk"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/kpi_orders.html",
        {
            "period": period,
            "kpi": kpi,
            "kpi_label": kpis.LABELS[kpi],
            "part": part,
            # A count (工单量, 超期数) has no numerator or denominator to name (walk-through,
            # session 30, h6: the volume's orders were "计入分母的工单").
            "a_count": kpi in (kpis.VOLUME, kpis.OVERDUE),
            "unit": unit,
            "count": len(ids),
            "page": page,
            "elsewhere": elsewhere,
            "params": request.GET,
            "states": State.choices,
            **extra,
        },
    )


@login_required
def monthly_report(request: HttpRequest) -> HttpResponse:
    """The month's Excel report (the same workbook as ``hotline report --month``): a month up to
    this one, as the dashboard reads (brief, session 24: any month 2000-2100 was built, every
    request reading the month whole); a month after this one, or none, is a 400 saying why."""
    _allowed(request)
    try:
        first, last = periods.month_days(request.GET.get("month", ""))
        _not_after_this_month(last)
    except periods.PeriodError as exc:
        return HttpResponse(
            _period_problem(exc), status=400, content_type="text/plain; charset=utf-8"
        )
    month = first.strftime("%Y-%m")
    content = report.build(month)
    return attachment(content, "xlsx", f"hotline-report-{month}.xlsx")
