"""Pre-review figures for a hall and a period: how much it is used, and whether it cut trips and
time — the cases with a passed pre-review against those without.

Definitions (the period is ``start`` to ``end`` inclusive, local dates):

- **submitted**: pre-reviews filed with the hall in the period; **passed**, **more needed**,
  **rejected**, **withdrawn**, **waiting**: how many of those are in that state now (they add
  up to ``submitted``). **pass rate** = passed / decided (passed + rejected), percent.
- **from 12345**: of ``submitted``, those filed from a link a 12345 operator texted the caller
  (:class:`~hotline.prereview.models.PreReviewInvitation`); **links sent**: such links for the
  hall's matters sent in the period (a link sent late in one period may be used in the next).
- **cases**: cases opened at the hall in the period, but those withdrawn (the ticket moved to
  another matter before anything was received: no application was made). A case is
  **pre-reviewed** when a passed pre-review is linked to it; **share pre-reviewed** =
  pre-reviewed / cases, percent.
- For each group (with / without a passed pre-review):
  - **mean trips**: visits per finished case (concluded, delivered or not accepted), counted
    from the case events as :mod:`hotline.cases.trips` counts them;
  - **mean hours to acceptance**: from the issue of the case's first ticket to its 受理 (the
    ACCEPT event), over the cases accepted; a case opened without a ticket counts from its
    opening.

Every numerator is a subset of its denominator. Rates and means are ``None`` for an empty group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from hotline import clock
from hotline.cases.models import Case, CaseAction, CaseEvent, CaseState
from hotline.cases.trips import one_visit_rates
from hotline.hall.models import Hall
from hotline.org.models import Unit
from hotline.prereview.models import PreReview, PreReviewInvitation, PreReviewState


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _mean(total: float, count: int, places: str) -> Decimal | None:
    if not count:
        return None
    return (Decimal(str(total)) / count).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CaseGroup:
    """The cases with (or without) a passed pre-review."""

    cases: int
    finished: int
    visits: int  # over the finished cases
    accepted: int
    hours_to_accept: float  # summed over the accepted cases

    @property
    def mean_trips(self) -> Decimal | None:
        return _mean(self.visits, self.finished, "0.01")

    @property
    def mean_hours_to_accept(self) -> Decimal | None:
        return _mean(self.hours_to_accept, self.accepted, "0.1")


@dataclass(frozen=True)
class PreReviewFigures:
    """A hall's pre-review figures for one period (see the module docstring)."""

    start: dt.date
    end: dt.date
    submitted: int
    passed: int
    more_needed: int
    rejected: int
    withdrawn: int
    waiting: int
    cases: int
    prereviewed: int
    with_prereview: CaseGroup
    without_prereview: CaseGroup
    from_hotline: int = 0
    invited: int = 0

    @property
    def pass_rate(self) -> Decimal | None:
        return _percent(self.passed, self.passed + self.rejected)

    @property
    def share_prereviewed(self) -> Decimal | None:
        return _percent(self.prereviewed, self.cases)


def _between(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return clock.start_of_day(start), clock.start_of_day(end + dt.timedelta(days=1))


def _group(cases: list[Case]) -> CaseGroup:
    # Trips as the 一次办 rate counts them (finished cases only), summed over the halls.
    rates = one_visit_rates(cases, by="hall").values()
    accepted_at = dict(
        CaseEvent.objects.filter(
            case__in=[c.pk for c in cases], action=CaseAction.ACCEPT
        ).values_list("case_id", "at")
    )
    hours = 0.0
    for case in cases:
        at = accepted_at.get(case.pk)
        if at is None:
            continue
        began = case.ticket.issued_at if case.ticket is not None else case.opened_at
        hours += (at - began).total_seconds() / 3600
    return CaseGroup(
        cases=len(cases),
        finished=sum(rate.cases for rate in rates),
        visits=sum(rate.visits for rate in rates),
        accepted=len(accepted_at),
        hours_to_accept=hours,
    )


def figures_of(
    reviews: QuerySet[PreReview],
    cases: QuerySet[Case],
    start: dt.date,
    end: dt.date,
    invitations: QuerySet[PreReviewInvitation] | None = None,
) -> PreReviewFigures:
    """The figures over given pre-reviews, cases and 12345 links (a hall's, a unit's), for
    ``start``–``end``."""
    since, until = _between(start, end)
    filed = reviews.filter(submitted_at__gte=since, submitted_at__lt=until)
    states = Counter(filed.values_list("state", flat=True))
    invited = (
        invitations.filter(sent_at__gte=since, sent_at__lt=until).count()
        if invitations is not None
        else 0
    )
    opened = list(
        cases.filter(opened_at__gte=since, opened_at__lt=until)
        .exclude(state=CaseState.WITHDRAWN)
        .select_related("ticket", "hall")
    )
    passed_ids = set(
        PreReview.objects.filter(
            case__in=[c.pk for c in opened], state=PreReviewState.PASSED
        ).values_list("case_id", flat=True)
    )
    with_ = [c for c in opened if c.pk in passed_ids]
    without = [c for c in opened if c.pk not in passed_ids]
    return PreReviewFigures(
        start=start,
        end=end,
        submitted=sum(states.values()),
        passed=states[PreReviewState.PASSED],
        more_needed=states[PreReviewState.MORE_NEEDED],
        rejected=states[PreReviewState.REJECTED],
        withdrawn=states[PreReviewState.WITHDRAWN],
        waiting=states[PreReviewState.SUBMITTED] + states[PreReviewState.RESUBMITTED],
        cases=len(opened),
        prereviewed=len(with_),
        with_prereview=_group(with_),
        without_prereview=_group(without),
        from_hotline=filed.filter(invitation__isnull=False).count(),
        invited=invited,
    )


def prereview_figures(hall: Hall, start: dt.date, end: dt.date) -> PreReviewFigures:
    """``hall``'s pre-review figures for ``start`` to ``end`` (local dates, inclusive)."""
    return figures_of(
        PreReview.objects.filter(hall=hall),
        Case.objects.filter(hall=hall),
        start,
        end,
        PreReviewInvitation.objects.filter(hall=hall),
    )


def unit_prereview_figures(unit: Unit, start: dt.date, end: dt.date) -> PreReviewFigures:
    """The same figures over every hall of ``unit`` and the units under it (a street's centre,
    a district's centres)."""
    halls = Hall.objects.filter(unit_id__in=unit.subtree_ids())
    return figures_of(
        PreReview.objects.filter(hall__in=halls),
        Case.objects.filter(hall__in=halls),
        start,
        end,
        PreReviewInvitation.objects.filter(hall__in=halls),
    )
