"""A unit's own assessment (本单位考核): its figures, score and rank for a month, and the orders
behind each number, for the unit's own handlers.

A unit is ranked every month on these figures (the dashboard, the monthly report), but the
dashboard is the centre's page; before this page a unit saw its numbers only when the centre sent
them (walk-through, session 28, h5 F3). The figures are the dashboard's — the same
:func:`hotline.assessment.dashboard.period_figures` — read for the unit and the units below it;
another unit's figures are not shown, only where the unit stands in its peer group (its rank, how
many were ranked, the group's median), as a 考核通报 publishes them.
"""

from __future__ import annotations

import statistics
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hotline import clock
from hotline.assessment import dashboard as data
from hotline.assessment import hall, kpis, periods, report
from hotline.assessment.models import KpiSettings
from hotline.orders.rules import unit_scope, visible_orders
from hotline.org.models import PeerGroup, Role, Unit, User
from hotline.web.dashboard import (
    Period,
    _month_links,
    _period_problem,
    drill_down,
    read_period,
)


def _handler(request: HttpRequest) -> tuple[User, Unit]:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_role(Role.UNIT_HANDLER) or user.unit is None:
        raise PermissionDenied(_("This page is for a handling unit's own handlers."))
    return user, user.unit


def _drill(period: Period, kpi: str, unit: kpis.UnitKpis, part: str) -> str:
    return (
        reverse("unit_kpi_orders")
        + "?"
        + urlencode({**period.query(), "kpi": kpi, "unit": unit.code, "part": part})
    )


def _cells(period: Period, unit: kpis.UnitKpis, medians: dict[str, float | None]) -> list[dict]:
    cells = []
    for name in data.TABLE_KPIS:
        ratio = unit.ratios[name]
        cells.append(
            {
                "kpi": name,
                "label": kpis.LABELS[name],
                "value": ratio.value,
                "percent": name != kpis.SATISFACTION_SCORE,
                "numerator": ratio.numerator,
                "denominator": ratio.denominator,
                "numerator_url": _drill(period, name, unit, "numerator"),
                "denominator_url": _drill(period, name, unit, "denominator"),
                "median": medians.get(name),
                "lower_is_better": name in kpis.LOWER_IS_BETTER,
            }
        )
    return cells


def _peer_medians(result: kpis.KpiReport, peer_group: str) -> dict[str, float | None]:
    """Each KPI's median over the units ranked in ``peer_group`` (a 考核通报's context: where the
    group stands, without naming another unit's figures)."""
    ranked = [u for u in result.units if u.peer_group == peer_group and u.rank is not None]
    medians: dict[str, float | None] = {}
    for name in data.TABLE_KPIS:
        values = [v for u in ranked if (v := u.ratios[name].value) is not None]
        medians[name] = round(statistics.median(values), 2) if values else None
    scores = [s for u in ranked if (s := u.score) is not None]
    medians["score"] = round(statistics.median(scores), 2) if scores else None
    return medians


#: The months this page shows: this one and the eleven before it, a year of assessments (its
#: month picker offers the last six; the centre's monthly reports hold the earlier ones).
MONTHS = 12
#: How long this page reuses a month's figures: the running month's a minute, an ended month's
#: five minutes (they change only through an approved appeal, the KPI settings or an imported
#: history). The dashboard computes them on each load, or whenever anything in the district
#: changed, for a few leaders; this page is every unit handler's (145 on the demo), and each load
#: computed every unit's KPIs and every hall's figures, 1.6-2.2 s on the demo, for any of about
#: 65,000 periods (attack, session 29, h7 F3). Now at most a month and language a minute or five.
RUNNING_MONTH_SECONDS = 60
ENDED_MONTH_SECONDS = 300


def _month(params: QueryDict) -> Period:
    """The month asked for (``?month=``, or the last complete one) among the :data:`MONTHS`
    this page shows; :class:`periods.PeriodError` saying why for any other period (``from`` and
    ``to`` days, a month before those)."""
    if params.get("from") or params.get("to"):
        raise periods.PeriodError(_("This page shows whole months: choose one."))
    period = read_period(params)
    earliest = periods.months_back(clock.today(), MONTHS)[0]
    if period.first < periods.month_days(earliest)[0]:
        raise periods.PeriodError(
            _(
                "This page shows the last %(count)s months, from %(month)s; the centre's monthly "
                "reports hold the earlier ones."
            )
            % {"count": MONTHS, "month": earliest}
        )
    return period


def _figures(period: Period) -> tuple[hall.HallFigures, kpis.KpiReport]:
    """The dashboard's figures of the month (:func:`data.period_figures`), reused for
    :data:`RUNNING_MONTH_SECONDS` or :data:`ENDED_MONTH_SECONDS` in the dashboard's store. The
    orders behind a number (the drill-down) are read when opened, so within that time a count
    there may be newer than the page's."""
    running = period.last >= clock.today()
    key = (
        f"hotline:unit-kpis:v1:{period.first.isoformat()}:{period.last.isoformat()}:"
        f"{translation.get_language()}"
    )
    return cast(
        tuple[hall.HallFigures, kpis.KpiReport],
        caches[data.PERIOD_CACHE].get_or_set(
            key,
            lambda: data.period_figures(period.first, period.last),
            RUNNING_MONTH_SECONDS if running else ENDED_MONTH_SECONDS,
        ),
    )


@login_required
def unit_kpis(request: HttpRequest) -> HttpResponse:
    user, own = _handler(request)
    try:
        period = _month(request.GET)
    except periods.PeriodError as exc:
        return render(
            request,
            "web/unit_kpis.html",
            {"problem": _period_problem(exc), **_month_links()},
            status=400,
        )
    _halls, result = _figures(period)
    by_id = {u.unit_id: u for u in result.units}
    mine = by_id.get(own.pk)
    context: dict[str, Any] = {"period": period, "own": own, **_month_links()}
    if mine is None:  # a unit made after the figures were cached, or inactive
        return render(request, "web/unit_kpis.html", context)
    first_level = own.first_level()
    assessed = by_id.get(first_level.pk, mine)
    medians = _peer_medians(result, assessed.peer_group) if assessed.peer_group else {}
    # The units whose orders the handler works (rules.unit_scope), not the whole tree below her
    # unit: a handler at a unit above the first level (the district government) read every
    # street's and bureau's figures here and the orders behind them (attack, session 29, h7 F1).
    subtree = unit_scope(user)
    below = [
        u
        for u in result.units
        if u.unit_id in subtree and u.unit_id != own.pk and report.has_figures(u)
    ]
    settings = KpiSettings.current()
    context.update(
        {
            "mine": mine,
            "cells": _cells(period, mine, medians if mine is assessed else {}),
            "is_assessed": mine is assessed,
            "assessed": assessed,
            # Service centres are scored on their halls, in a group of their own (not a PeerGroup).
            "group": {**dict(PeerGroup.choices), hall.SERVICE_CENTRES: hall.GROUP_LABEL}.get(
                assessed.peer_group, ""
            ),
            "ranked": sum(
                1
                for u in result.units
                if u.peer_group == assessed.peer_group and u.rank is not None
            ),
            "median_score": medians.get("score"),
            "minimum_volume": settings.minimum_volume,
            "volume_url": _drill(period, kpis.VOLUME, mine, "denominator"),
            "overdue_url": _drill(period, kpis.OVERDUE, mine, "numerator"),
            "below": [
                {
                    "unit": u,
                    "cells": _cells(period, u, {}),
                    "overdue_url": _drill(period, kpis.OVERDUE, u, "numerator"),
                }
                for u in below
            ],
        }
    )
    return render(request, "web/unit_kpis.html", context)


@login_required
def unit_kpi_orders(request: HttpRequest) -> HttpResponse:
    """The orders behind one of the unit's own numbers: the dashboard's drill-down, limited to the
    units whose orders the handler works (:func:`hotline.orders.rules.unit_scope`)."""
    user, _own = _handler(request)
    page = reverse("unit_kpis")
    way_back = {"back_url": page, "back_label": _("Our unit's assessment")}
    try:
        _month(request.GET)  # the page's months only, as its links give them
    except periods.PeriodError as exc:
        context = {"error": _period_problem(exc), **way_back}
        return render(request, "web/kpi_orders.html", context, status=400)
    return drill_down(
        request,
        choose=_("Choose a figure on your unit's page."),
        within=unit_scope(user),
        context=way_back,
        back=lambda period: {"back_url": page + "?" + urlencode(period.query())},
        visible=lambda orders: visible_orders(user, orders),
    )
