"""The monthly assessment report as an Excel workbook (``hotline report --month``, and the
dashboard's download button): rankings, every unit's KPIs, the overdue list, sampling results,
appeal decisions, the service halls' figures and throughput, and the halls' cases and ratings
per hall, matter and handling unit. The numbers are
:func:`hotline.assessment.kpis.compute`'s, as on the page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hotline.assessment import hall, hall_cases, kpis, periods
from hotline.assessment.models import SampleReview
from hotline.cases.models import TripCause
from hotline.hall import kpis as hall_kpis
from hotline.interchange.cell_writer import excel_row
from hotline.interchange.print_setup import for_print
from hotline.orders.models import Action, Event
from hotline.org.models import PeerGroup, Unit, first_level_ids
from hotline.ratings.models import Level

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F6FEB")
TITLE_FONT = Font(bold=True, size=14)
RATE_COLUMNS = (
    kpis.SIGN_FOR,
    kpis.FIRST_CONTACT,
    kpis.ON_TIME_REPLY,
    kpis.RESOLUTION,
    kpis.SATISFACTION,
    kpis.SATISFACTION_SCORE,
    kpis.REOPEN,
    kpis.RETURN,
    kpis.UNREACHABLE,
)


def _local(value: Any) -> Any:
    # Excel has no time zones: write the hotline's local wall-clock time, without tzinfo.
    if isinstance(value, str):  # a time recorded in an event's payload (ISO 8601)
        value = parse_datetime(value)
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _text_width(value: Any) -> int:
    """Excel column width units a value needs: a Chinese character takes two."""
    if value is None:
        return 0
    if isinstance(value, float):
        value = f"{value:.2f}"
    elif hasattr(value, "hour"):
        return 16  # yyyy-mm-dd hh:mm
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(value))


#: Column widths stay between these (a long comment wraps rather than widening the sheet).
MIN_WIDTH, MAX_WIDTH = 8, 50


def table_sheet(
    book: Workbook,
    title: str,
    heading: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    empty: str | None = None,
) -> Worksheet:
    """``empty``: the line an empty sheet shows instead of '(none)'."""
    sheet = book.create_sheet(title[:31])
    # The heading names a unit or hall, as an administrator typed it: a text cell, never a live
    # formula, like every row below (attack, session 30, h5 F4).
    sheet.append(excel_row(sheet, [heading]))
    sheet["A1"].font = TITLE_FONT
    sheet.append(list(columns))
    for cell in sheet[2]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    # Wide enough for the longest value (a unit's full name), the header wrapping onto two lines.
    widths = [max(MIN_WIDTH, (_text_width(name) + 1) // 2 + 2) for name in columns]
    count = 0
    for row in rows:
        sheet.append(excel_row(sheet, row))  # no live formulas, no control characters
        for index, value in enumerate(row):
            if index < len(widths):
                widths[index] = max(widths[index], _text_width(value) + 2)
        count += 1
    if not count:
        sheet.append([empty or _("(none)")])
    # Printed: the heading and the column names on every page, the title and period above.
    for_print(
        sheet, title=f"{heading} · {title}", columns=len(columns), heading_rows=2, freeze="B3"
    )
    sheet.row_dimensions[2].height = 32  # two lines of wrapped header (Excel does not refit)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, width)
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if hasattr(cell.value, "year") and hasattr(cell.value, "hour"):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, str) and _text_width(cell.value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def has_figures(unit: kpis.UnitKpis) -> bool:
    """Whether the unit had anything to assess in the month (an order, a deadline, a callback,
    a supervision, a sampled order or knowledge-base upkeep points)."""
    return bool(
        unit.volume
        or unit.overdue
        or unit.supervisions
        or unit.sampling_failed
        or unit.kb_upkeep
        or any(ratio.denominator for ratio in unit.ratios.values())
    )


def _below_their_unit(units: list[kpis.UnitKpis], subs: set[int]) -> list[kpis.UnitKpis]:
    """The units in their order, each sub-unit (``subs``) moved to just below the unit above it,
    as the dashboard lists them under their street: in the units' own order the 居委会 and
    sections came first, spread over the rows above the streets and bureaus (walk-through,
    session 26, M1)."""
    listed = {u.code for u in units}
    below: dict[str, list[kpis.UnitKpis]] = {}
    top = []
    for unit in units:
        if unit.unit_id in subs and unit.parent_code in listed:
            below.setdefault(unit.parent_code or "", []).append(unit)
        else:
            top.append(unit)
    ordered: list[kpis.UnitKpis] = []

    def add(unit: kpis.UnitKpis) -> None:
        ordered.append(unit)
        for sub in below.pop(unit.code, []):
            add(sub)

    for unit in top:
        add(unit)
    return ordered


def _sub_unit_ids() -> set[int]:
    """Units below a first-level unit (a 居委会, a section, a street's service centre). Those
    without a peer group are not scored on their own: their volume is the first-level unit's
    (docs/kpis.md)."""
    levels = first_level_ids()
    return {pk for pk, first in levels.items() if first != pk}


def build(month: str) -> bytes:
    """The workbook for ``month`` (``YYYY-MM``) as bytes."""
    first, last = periods.month_days(month)
    start, end = periods.between(first, last)
    # The month's halls and cases are read once: they score the service centres and fill the
    # hall sheets (session 29: the report read the halls' tickets twice and the cases twice).
    casework = hall_cases.grouped(start, end, groupings=list(CASE_GROUPINGS))
    halls = hall.HallFigures(hall.centre_months(first, last, detail=True), casework["hall"])
    result = kpis.compute(start, end, halls=halls)
    heading = _("Hotline 12345 monthly assessment report %(month)s (%(first)s – %(last)s)") % {
        "month": month,
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    groups = {**dict(PeerGroup.choices), hall.SERVICE_CENTRES: hall.GROUP_LABEL}
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)  # the default empty sheet: ours are created by name

    ranked = sorted(
        (u for u in result.units if u.rank is not None),
        key=lambda u: (list(groups).index(u.peer_group) if u.peer_group in groups else 99, u.rank),
    )
    table_sheet(
        book,
        _("Rankings"),
        heading,
        [
            _("Peer group"),
            _("Rank"),
            _("Unit"),
            _("Score"),
            _("Score before deductions"),
            _("Deduction"),
            _("Volume"),
        ],
        (
            [
                str(groups.get(u.peer_group, u.peer_group)),
                u.rank,
                u.name,
                u.score,
                u.base_score,
                u.deduction,
                u.volume,
            ]
            for u in ranked
        ),
    )

    rate_headers = []
    for name in RATE_COLUMNS:
        label = str(kpis.LABELS[name])
        rate_headers += [label, _("%(kpi)s numerator") % {"kpi": label}, _("denominator")]
    # Units with nothing to assess (most neighbourhood committees, most months) are left out of
    # the table and named together on its last row, so the sheet says which they are.
    subs = {u.unit_id for u in result.units if not u.peer_group} & _sub_unit_ids()
    active = _below_their_unit([u for u in result.units if has_figures(u)], subs)
    idle = [u.name for u in result.units if not has_figures(u)]
    # The unit above a sub-unit by its name, as the dashboard's sub-unit table names it: a code
    # ('jnl') beside a 居委会's name told a street's staff nothing (walk-through, session 27).
    names = {u.code: u.name for u in result.units}
    kpi_sheet = table_sheet(
        book,
        _("KPIs"),
        heading,
        [
            _("Code"),
            _("Unit"),
            _("Parent"),
            _("Peer group"),
            _("Volume"),
            _("Overdue"),
            *rate_headers,
            _("Supervisions"),
            _("Failed sampled orders"),
            _("Knowledge-base upkeep"),
            _("Deduction"),
            _("Score"),
            _("Rank"),
        ],
        (
            [
                u.code,
                u.name,
                names.get(u.parent_code, u.parent_code) if u.parent_code else "",
                str(groups.get(u.peer_group, "")),
                # Volume stays with the first-level unit the centre dispatched to: a sub-unit's
                # cell is left empty, not 0, as the dashboard leaves the column out for them.
                None if u.unit_id in subs else u.volume,
                u.overdue,
                *[
                    value
                    for name in RATE_COLUMNS
                    for value in (
                        u.ratios[name].value,
                        u.ratios[name].numerator,
                        u.ratios[name].denominator,
                    )
                ],
                u.supervisions,
                u.sampling_failed,
                u.kb_upkeep,
                u.deduction,
                u.score,
                u.rank,
            ]
            for u in active
        ),
    )
    if idle:
        kpi_sheet.append([])
        note = _("Left out, no orders or figures this month (%(n)d units): %(names)s") % {
            "n": len(idle),
            "names": _(", ").join(idle),
        }
        kpi_sheet.append(excel_row(kpi_sheet, [note]))
        kpi_sheet.cell(row=kpi_sheet.max_row, column=1).alignment = Alignment(
            wrap_text=False, vertical="top"
        )

    # Each mark with the unit it counts for in the KPI sheet (kpis.HOLDER: the sub-unit holding
    # the order, read from the event before a mark that names none): a 居委会's 超期 there is
    # traced here by its name in 承办子单位 (session 27).
    overdue = (
        Event.objects.filter(action=Action.OVERDUE, at__gte=start, at__lt=end)
        .select_related("order", "order__lead_unit", "order__category", "unit")
        .annotate(holder=kpis.HOLDER)
        .order_by("at", "order_id")
    )
    unit_names = dict(Unit.objects.values_list("pk", "name"))
    table_sheet(
        book,
        _("Overdue"),
        heading,
        [
            _("Number"),
            _("Title"),
            _("Category"),
            _("Unit"),
            _("Reply deadline"),
            _("Marked overdue at"),
            _("State now"),
            _("Assigned to"),
        ],
        (
            [
                e.order.number,
                e.order.title,
                e.order.category.name if e.order.category else "",
                e.unit.name if e.unit else "",
                _local(e.payload.get("reply_due")),
                _local(e.at),
                e.order.get_state_display(),
                unit_names.get(e.holder, "") if e.holder != e.unit_id else "",
            ]
            for e in overdue
        ),
    )

    # Reviews and appeal decisions count in the month they are made, whatever month the order is
    # of (docs/kpis.md): both sheets say so, and an empty one says where this month's orders'
    # reviews will be (h5, session 24: '(none)' read as 'no sampling this month').
    dates = {"first": first.isoformat(), "last": last.isoformat()}
    reviews = (
        SampleReview.objects.filter(reviewed_at__gte=start, reviewed_at__lt=end)
        .select_related("item__draw", "item__order", "item__unit", "reviewer")
        .order_by("reviewed_at", "pk")
    )
    table_sheet(
        book,
        _("Sampling review"),
        heading + " " + _("Counted by the date of the review (%(first)s – %(last)s).") % dates,
        [
            _("Draw"),
            _("Seed"),
            _("Number"),
            _("Unit"),
            _("Reviewer"),
            _("Reviewed at"),
            _("Score"),
            _("Scores"),
            pgettext("a sample review", "Comment"),
        ],
        (
            [
                r.item.draw_id,
                str(r.item.draw.seed),
                r.item.order.number,
                r.item.unit.name if r.item.unit else "",
                r.reviewer.get_full_name() or r.reviewer.get_username(),
                _local(r.reviewed_at),
                float(r.score),
                "；".join(f"{s['criterion']} {s['points']}/{s['max']}" for s in r.scores),
                r.comment,
            ]
            for r in reviews
        ),
        empty=_(
            "No reviews were made this month. A review of this month's orders counts in the "
            "month it is made."
        ),
    )

    decisions = (
        Event.objects.filter(
            Q(action=Action.APPROVE_APPEAL) | Q(action=Action.REJECT_APPEAL),
            at__gte=start,
            at__lt=end,
        )
        .select_related("order", "unit", "actor")
        .order_by("at", "order_id")
    )
    table_sheet(
        book,
        _("Appeals"),
        heading + " " + _("Counted by the date of the decision (%(first)s – %(last)s).") % dates,
        [_("Number"), _("Unit"), _("KPI"), _("Decision"), _("Decided by"), _("At"), _("Reason")],
        (
            [
                e.order.number,
                e.unit.name if e.unit else "",
                str(kpis.LABELS.get(e.payload.get("kpi", ""), e.payload.get("kpi", ""))),
                e.get_action_display(),
                (e.actor.get_full_name() or e.actor.get_username()) if e.actor else "",
                _local(e.at),
                e.reason,
            ]
            for e in decisions
        ),
        empty=_(
            "No appeals were decided this month. An appeal on this month's orders counts in "
            "the month it is decided."
        ),
    )
    _hall_sheet(book, heading, first, last, result, halls.months)
    _cases_sheet(book, heading, start, end, casework)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _hall_sheet(
    book: Workbook,
    heading: str,
    first: dt.date,
    last: dt.date,
    result: kpis.KpiReport,
    months: list[hall.CentreMonth] | None = None,
) -> None:
    """The service halls' month: one row per hall (its figures, the matters completed at its
    self-service kiosks, the wait estimate's error, the 5-minute wait distribution, the centre's
    score and rank), then the tickets each window and clerk finished. ``months``: the halls'
    :func:`hall.centre_months` with detail when already read."""
    scored = {u.unit_id: u for u in result.units if u.peer_group == hall.SERVICE_CENTRES}
    if months is None:
        months = hall.centre_months(first, last, detail=True)
    self_service = hall_kpis.self_service_counts([m.hall.pk for m in months], first, last)
    step = hall_kpis.BUCKET_MINUTES
    buckets = [
        _("Waited %(low)d–%(high)d min") % {"low": i * step, "high": (i + 1) * step}
        for i in range(hall_kpis.BUCKETS)
    ] + [_("Waited %(low)d min or more") % {"low": hall_kpis.BUCKETS * step}]
    labels = [str(hall.LABELS[name]) for name in hall.HALL_KPIS]

    def pct(share: float | None, present: bool = True) -> float | None:
        return round(100 * share, 2) if present and share is not None else None

    rows = []
    for month in months:
        f, unit = month.figures, scored.get(month.hall.unit_id)
        ratios = month.ratios
        rows.append(
            [
                month.hall.code,
                month.hall.unit.name,
                f.issued,
                f.called,
                f.served,
                round(f.mean_waiting, 2) if f.called else None,
                round(f.mean_walking, 2) if f.called else None,
                round(f.mean_serving, 2) if f.served else None,
                month.hall.service_level_minutes,
                pct(f.over_service_level, bool(f.called)),
                pct(f.no_show_rate, bool(f.issued)),
                pct(f.abandon_rate, bool(f.issued)),
                f.recalls,
                self_service.get(month.hall.pk, 0),
                *[ratios[name].value for name in hall.HALL_KPIS],
                round(f.estimate_mae, 2) if f.estimate_mae is not None else None,
                round(f.mean_first_wait, 2) if f.mean_first_wait is not None else None,
                round(f.estimate_mae / f.mean_first_wait * 100, 1)
                if f.estimate_mae is not None and f.mean_first_wait
                else None,
                pct(f.estimate_inside),
                *f.histogram,
                unit.score if unit else None,
                unit.rank if unit else None,
            ]
        )
    table_sheet(
        book,
        _("Service halls"),
        heading,
        [
            _("Code"),
            _("Service centre"),
            _("Tickets"),
            _("Called"),
            _("Served"),
            _("Mean wait (min)"),
            _("Mean walk (min)"),
            _("Mean service (min)"),
            _("Service level (min)"),
            _("Over the service level (%)"),
            _("No-show rate (%)"),
            _("Abandon rate (%)"),
            _("Recalls"),
            _("Self-service uses"),
            *labels,
            _("Estimate error (min)"),
            _("Mean wait to the first call (min)"),
            _("Estimate error (% of the mean wait)"),
            _("Inside the shown range (%)"),
            *buckets,
            _("Score"),
            _("Rank"),
        ],
        rows,
    )
    table_sheet(
        book,
        _("Hall throughput"),
        heading,
        [_("Service centre"), _("Window or clerk"), _("Served"), _("Mean service (min)")],
        (
            [month.hall.unit.name, t.label, t.served, round(t.mean_serving, 2)]
            for month in months
            for t in [*month.windows, *month.clerks]
        ),
    )


#: The groupings of the 办件与好差评 sheet, in its order.
CASE_GROUPINGS = ("hall", "matter", "unit")


def _cases_sheet(
    book: Workbook,
    heading: str,
    start: dt.datetime,
    end: dt.datetime,
    counted: dict[str, dict[str, hall_cases.CaseFigures]] | None = None,
) -> None:
    """Cases and 好差评 of the month per hall, matter and handling unit (definitions:
    :mod:`hotline.assessment.hall_cases`): the case on-time rate, 一次办 and trips with the causes
    of extra trips, the distribution over the five levels, the 好评 rate and 差评 rectified on
    time, each rate beside its numerator and denominator. ``counted``: the month's
    :func:`hall_cases.grouped` by :data:`CASE_GROUPINGS` when already read."""
    groupings = {"hall": _("Hall"), "matter": _("Matter"), "unit": _("Handling unit")}
    causes = list(TripCause)
    levels = list(Level)

    def rate(ratio: kpis.Ratio | None) -> float | None:
        return ratio.value if ratio is not None else None

    rows = []
    # The month's cases and ratings are read once for the three groupings (session 28, h8 F3).
    if counted is None:
        counted = hall_cases.grouped(start, end, groupings=list(CASE_GROUPINGS))
    for by, label in groupings.items():
        for f in counted[by].values():
            r = f.ratios
            rows.append(
                [
                    label,
                    f.key,
                    f.name,
                    f.due,
                    f.on_time,
                    rate(r[hall_cases.CASE_ON_TIME]),
                    f.finished,
                    f.one_visit,
                    rate(r[hall_cases.ONE_VISIT]),
                    f.mean_trips,
                    *[f.extra_causes.get(cause.value, 0) for cause in causes],
                    f.rated,
                    *[f.levels[level.value] for level in levels],
                    rate(r[hall_cases.GOOD_RATING]),
                    f.bad,
                    f.rectification_due,
                    f.rectified_on_time,
                    rate(r[hall_cases.RECTIFIED_ON_TIME]),
                    f.rectification_pending,
                    f.opened,
                    rate(r.get(hall_cases.PREREVIEW_USE)),
                    f.invited,
                    f.from_hotline,
                ]
            )
    table_sheet(
        book,
        _("Cases and ratings"),
        heading,
        [
            _("Grouped by"),
            _("Group code"),
            _("Group name"),
            _("Cases due"),
            _("Concluded on time"),
            _("Case on-time rate (%)"),
            _("Cases finished"),
            _("Done in one visit"),
            _("One-visit rate (%)"),
            _("Average trips"),
            *[_("Extra trips: %(cause)s") % {"cause": cause.label} for cause in causes],
            _("Ratings"),
            *[str(level.label) for level in levels],
            _("Good rating rate (%)"),
            _("Bad ratings"),
            _("Rectifications due"),
            _("Rectified on time"),
            _("Rectified on time (%)"),
            _("Rectifications not yet due"),
            _("Cases opened"),
            _("Pre-reviewed online (%)"),
            _("Pre-review links texted from 12345"),
            _("Pre-reviews filed from a 12345 link"),
        ],
        rows,
    )
