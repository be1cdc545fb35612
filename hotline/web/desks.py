"""Work queues for each role: the dispatch desk, the unit inbox, the callback desk, supervision.

Every desk is a set of tabs; a tab is a queryset and the deadline that matters for it. One view
renders them all (the table alone for HTMX requests, the whole page otherwise). An open desk polls
every ``REFRESH_SECONDS`` and says how many orders arrived, without touching the table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotline import clock
from hotline.kb.upkeep import open_tasks as open_upkeep_tasks
from hotline.orders.actions.review import with_failed_callback_attempts
from hotline.orders.models import (
    AT_UNIT_STATES,
    OPEN_STATES,
    Action,
    Event,
    Satisfaction,
    State,
    WorkOrder,
)
from hotline.orders.rules import UNIT_WORKERS, held_by, unit_scope, visible_orders
from hotline.org.models import Role, UnitKind, User, UserRole
from hotline.sla.calendar import get_calendar
from hotline.web.models import DeskVisit
from hotline.web.orders import ORDER_ROW_RELATED

Query = Callable[[User, dt.datetime], QuerySet[WorkOrder]]
#: How often an open desk asks whether orders arrived (DESK_REFRESH_SECONDS overrides).
REFRESH_SECONDS = 30


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    query: Query
    due_field: str | None  # the deadline shown (and sorted by) in this queue
    # Work waiting for the person: counted in the navigation's badge for the desk.
    waiting: bool = False
    # Whether this person's desk has the tab at all (None: everyone's does).
    shown: Callable[[User], bool] | None = None
    # The unit's pending request the tab decides on (a return, an extension): each row shows
    # its reason.
    request: str | None = None
    # Part of a tab that is not ``waiting`` yet counted in the badge (new work among the rest).
    badge: Query | None = None
    # The rows' order where it is not the deadline's, then the registration's (oldest first).
    order_by: tuple[str, ...] = ()

    def shown_to(self, user: User) -> bool:
        return self.shown is None or self.shown(user)


@dataclass(frozen=True)
class Desk:
    name: str
    title: str | Promise
    roles: tuple[str, ...]
    tabs: tuple[Tab, ...]
    # The events by which an order arrives at this desk: those since the person's previous
    # visit, by someone else, mark the row 新 and are counted in its tab (:func:`new_since`).
    arrivals: tuple[str, ...] = ()


def _all(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    return visible_orders(user)


def _unit(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    """What the unit handles: its own orders and those assigned to it or below it (二级派单)."""
    return WorkOrder.objects.filter(held_by(unit_scope(user)))


def _holding(units: Collection[int]) -> Q:
    """Orders whose next step is for one of these units: the sub-unit an order is assigned to
    inside, else its lead unit (a street does not sign for what its 居委会 holds)."""
    return Q(assigned_unit__in=units) | Q(assigned_unit__isnull=True, lead_unit__in=units)


def _acting_for(user: User) -> set[int]:
    """The units whose orders this person signs for and handles: their own, and each unit below
    it that has no active handler of its own — a 居委会 without an account would otherwise leave
    an order assigned (or auto-dispatched) to it in nobody's 待签收, while the rules let the
    parent act for it."""
    if not user.unit_id:
        return set()
    # Read once per request, as unit_scope is: the inbox's tabs and the badge each ask.
    cached: set[int] | None = getattr(user, "_acting_for", None)
    if cached is None:
        below = unit_scope(user) - {user.unit_id}
        staffed = set(
            UserRole.objects.filter(
                role__in=UNIT_WORKERS, user__is_active=True, user__unit_id__in=below
            ).values_list("user__unit_id", flat=True)
        )
        cached = {user.unit_id} | (below - staffed)
        user._acting_for = cached  # type: ignore[attr-defined]
    return cached


def _own(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    """What this person's own unit must sign for and handle (and what units below it with
    nobody to do it hold)."""
    return WorkOrder.objects.filter(_holding(_acting_for(user)))


def _assigned_unseen(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    """Orders its parent signed for and then assigned inside to this person's unit, that nobody
    of the unit has acted on since: new work in 'Handling', not 'To sign for' (h5, session 24:
    a 居委会's badge said 0 while its street's order waited for it)."""
    assigned = (
        Event.objects.filter(order=OuterRef("pk"), action=Action.ASSIGN_INSIDE)
        .order_by("-seq")
        .values("seq")[:1]
    )
    acted = Event.objects.filter(
        order=OuterRef("pk"), actor_unit=OuterRef("assigned_unit"), seq__gt=OuterRef("assigned_seq")
    )
    return (
        WorkOrder.objects.filter(
            assigned_unit=user.unit_id, state__in=[State.ACCEPTED, State.REOPENED]
        )
        .annotate(assigned_seq=Subquery(assigned))
        .filter(assigned_seq__isnull=False)
        .exclude(Exists(acted))
    )


def _handed_back_unseen(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    """Signed-for orders a unit below handed back up to this person's unit (二级派单), that nobody
    of the unit has acted on since: new work again under 'Handling', counted in the badge as work
    assigned down is for the 居委会 (h5, session 28: the street's badge stayed as it was and the
    order sat among the rest of 'Handling')."""
    moves = Event.objects.filter(order=OuterRef("pk"), action__in=MOVES).order_by("-seq")
    acted = Event.objects.filter(
        order=OuterRef("pk"), actor_unit__in=_acting_for(user), seq__gt=OuterRef("moved_seq")
    )
    return (
        _own(user, now)
        .filter(state__in=[State.ACCEPTED, State.REOPENED])
        .annotate(
            moved=Subquery(moves.values("action")[:1]), moved_seq=Subquery(moves.values("seq")[:1])
        )
        .filter(moved=Action.HAND_BACK)
        .exclude(Exists(acted))
    )


def _new_in_handling(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    """New work under 'Handling': assigned down to this unit, or handed back up to it."""
    return WorkOrder.objects.filter(
        Q(pk__in=_assigned_unseen(user, now).values("pk"))
        | Q(pk__in=_handed_back_unseen(user, now).values("pk"))
    )


def _has_units_below(user: User) -> bool:
    """A 居委会 with nothing below it assigns nothing inside: no 'Assigned inside' tab."""
    return bool(unit_scope(user) - {user.unit_id})


def _assigned_below(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    """Orders open at a unit below this one (assigned to it inside, or sent to it directly):
    the parent follows them; their signing for and handling are the sub-unit's. Each with the
    deadline the sub-unit works to now (``step_due``), the one its own inbox shows: signing for
    while the order waits for it, then the reply — the reply deadline alone said '5 d left' of an
    order the sub-unit had a day left to sign for."""
    below = unit_scope(user) - {user.unit_id}
    return WorkOrder.objects.filter(_holding(below), state__in=AT_UNIT_STATES).annotate(
        step_due=Case(
            When(state=State.DISPATCHED, then=F("accept_due")),
            default=F("reply_due"),
        )
    )


def _co_handling(user: User, now: dt.datetime) -> QuerySet[WorkOrder]:
    """Open orders the unit (or one below it) is a co-unit (协办) of, not held by it: the lead
    unit and the reply deadline show on each row. A co-unit could open them but its inbox listed
    none, so its staff learned of them only by phone (session 27, h9)."""
    units = unit_scope(user)
    return (
        WorkOrder.objects.filter(co_units__in=units, state__in=OPEN_STATES)
        .exclude(held_by(units))
        .distinct()
    )


def with_no_number_to_call(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """Mark the rectification orders of a 差评 whose rating left no number (``no_number``): the
    callback desk's row says 无回访电话, as the order page does, and the order page offers the
    archive with a note, not a call (rules.no_number_to_call)."""
    return orders.annotate(
        no_number=Case(
            When(Q(citizen_phone="") & Q(hall_rating__isnull=False), then=Value(True)),
            default=Value(False),
        )
    )


#: The events that move an order between units: the centre's and those inside a unit (二级派单).
MOVES = (
    Action.DISPATCH,
    Action.REDISPATCH,
    Action.APPROVE_RETURN,
    Action.ASSIGN_INSIDE,
    Action.HAND_BACK,
)
#: How an order arrives in a unit's inbox: sent to it (by the centre or inside the unit), or
#: sent back to it (a reopening, a reply sent back, a return refused).
UNIT_ARRIVALS: tuple[str, ...] = (
    *MOVES,
    Action.REOPEN,
    Action.REJECT_REPLY,
    Action.REJECT_RETURN,
)
#: How an order arrives on the dispatch desk: registered, a return or an extension asked for,
#: a reply to review.
CENTRE_ARRIVALS: tuple[str, ...] = (
    Action.REGISTER,
    Action.RETURN,
    Action.REQUEST_EXTENSION,
    Action.REPLY,
)

DESKS = {
    desk.name: desk
    for desk in [
        Desk(
            "dispatch_desk",
            _("Dispatch desk"),
            (Role.DISPATCHER,),
            (
                Tab(
                    "new",
                    _("New"),
                    lambda u, n: _all(u, n).filter(state=State.REGISTERED),
                    None,
                    waiting=True,
                ),
                Tab(
                    "returned",
                    _("Returns to decide"),
                    lambda u, n: _all(u, n).filter(state=State.RETURNED),
                    "return_due",
                    waiting=True,
                    request=Action.RETURN,
                ),
                Tab(
                    "extensions",
                    _("Extension requests"),
                    lambda u, n: _all(u, n).filter(
                        state__in=AT_UNIT_STATES, extension_days__isnull=False
                    ),
                    "reply_due",
                    request=Action.REQUEST_EXTENSION,
                ),
                Tab(
                    "review",
                    _("Replies to review"),
                    lambda u, n: _all(u, n).filter(state=State.REPLIED),
                    None,
                    waiting=True,
                ),
            ),
            arrivals=CENTRE_ARRIVALS,
        ),
        Desk(
            "unit_inbox",
            _("Unit inbox"),
            tuple(UNIT_WORKERS),
            (
                Tab(
                    "to_accept",
                    _("To sign for"),
                    lambda u, n: _own(u, n).filter(state=State.DISPATCHED),
                    "accept_due",
                    waiting=True,
                ),
                Tab(
                    "handling",
                    _("Handling"),
                    lambda u, n: _own(u, n).filter(state__in=[State.ACCEPTED, State.REOPENED]),
                    "reply_due",
                    badge=_new_in_handling,
                ),
                Tab(
                    "assigned",
                    _("Assigned inside"),
                    _assigned_below,
                    "step_due",
                    shown=_has_units_below,
                ),
                Tab("co_handling", _("Co-handling"), _co_handling, "reply_due"),
                Tab(
                    "waiting",
                    _("Waiting for the centre"),
                    lambda u, n: _unit(u, n).filter(state__in=[State.RETURNED, State.REPLIED]),
                    None,
                ),
                Tab(
                    "done",
                    _("Done (30 days)"),
                    lambda u, n: _unit(u, n).filter(
                        state__in=[State.REVIEWED, State.CLOSED],
                        replied_at__gte=n - dt.timedelta(days=30),
                    ),
                    None,
                    # Yesterday's work on top, not September's (h5, session 28).
                    order_by=("-replied_at", "-registered_at"),
                ),
            ),
            arrivals=UNIT_ARRIVALS,
        ),
        Desk(
            "callback_desk",
            _("Callback desk"),
            (Role.CALLBACK_AGENT,),
            (
                Tab(
                    "due",
                    _("To call back"),
                    # Each row says how many calls failed so far (the form says it too).
                    lambda u, n: with_no_number_to_call(
                        with_failed_callback_attempts(
                            _all(u, n).filter(state=State.REVIEWED, satisfaction="")
                        )
                    ),
                    "callback_due",
                    waiting=True,
                ),
            ),
        ),
        Desk(
            "supervision_desk",
            _("Supervision"),
            (Role.SUPERVISOR, Role.DISPATCHER, Role.LEADER),
            (
                Tab(
                    "near",
                    _("Due within a day"),
                    lambda u, n: _all(u, n).filter(
                        state__in=AT_UNIT_STATES,
                        overdue=False,
                        reply_due__lte=n + dt.timedelta(days=1),
                    ),
                    "reply_due",
                ),
                Tab(
                    "overdue",
                    _("Overdue"),
                    lambda u, n: _all(u, n).filter(state__in=AT_UNIT_STATES, overdue=True),
                    "reply_due",
                    waiting=True,
                ),
                Tab(
                    "supervised",
                    _("Under supervision"),
                    lambda u, n: _all(u, n).filter(
                        state__in=AT_UNIT_STATES, supervision_due__gte=n
                    ),
                    "supervision_due",
                ),
                Tab(
                    "dissatisfied",
                    _("Dissatisfied: reopen or close"),
                    lambda u, n: _all(u, n).filter(
                        state=State.REVIEWED, satisfaction=Satisfaction.DISSATISFIED
                    ),
                    None,
                ),
            ),
        ),
    ]
}


#: A desk looked at again within this time is the same visit (a reload, another tab, back from
#: an order): its marks stay while the person works through them. After a longer break the next
#: load starts a new visit, new since the last load of the one before.
VISIT_GAP = dt.timedelta(hours=1)
#: How far back the first visit looks for a working day (a long holiday, e.g. 国庆, is 8 days).
_SCAN_DAYS = 31


def start_of_previous_working_day(now: dt.datetime) -> dt.datetime:
    """The opening of the last working day before ``now``'s day (Monday: Friday's 09:00; after a
    holiday, the last working day before it): what a person with no visit yet has not seen."""
    calendar = get_calendar()
    day = now.astimezone(calendar.tz).date()
    for _i in range(_SCAN_DAYS):
        day -= dt.timedelta(days=1)
        if calendar.is_workday(day):
            break
    return dt.datetime.combine(day, calendar.working_hours[0][0], calendar.tz)


def new_since(user: User, desk: str, now: dt.datetime, *, visit: bool = True) -> dt.datetime:
    """Since when this person's desk marks orders as new: their previous visit's last look, or,
    without one, the start of the previous working day. ``visit``: the page is looked at now
    (a full load or a tab), which moves the record (:class:`DeskVisit`); the desk's poll only
    reads it (an inbox left open overnight is not a visit that saw the night's orders)."""
    seen = DeskVisit.objects.filter(user=user, desk=desk).values_list("since", "last_seen")
    found = seen.first()
    if found is None:
        since = start_of_previous_working_day(now)
        if visit:
            try:
                with transaction.atomic():
                    DeskVisit.objects.create(user=user, desk=desk, since=since, last_seen=now)
            except IntegrityError:  # the same person's other tab, at the same moment
                pass
        return since
    since, last_seen = found
    if now - last_seen > VISIT_GAP:
        since = last_seen
    if visit:
        DeskVisit.objects.filter(user=user, desk=desk).update(since=since, last_seen=now)
    return since


def with_arrival(queryset: QuerySet[WorkOrder], arrivals: tuple[str, ...]) -> QuerySet[WorkOrder]:
    """Each order with its latest arrival at the desk (``arrived_at``) and who made it
    (``arrived_by``: a user's id, ``None`` for the system): two subqueries."""
    latest = Event.objects.filter(order=OuterRef("pk"), action__in=arrivals).order_by("-seq")
    return queryset.annotate(
        arrived_at=Subquery(latest.values("at")[:1]),
        arrived_by=Subquery(latest.values("actor")[:1]),
    )


def new_to(user: User, since: dt.datetime) -> Q:
    """Orders (after :func:`with_arrival`) that arrived after ``since``, by someone else: the
    person's own assigning inside is not news to them."""
    return Q(arrived_at__gt=since) & (Q(arrived_by__isnull=True) | ~Q(arrived_by=user.pk))


def waiting_counts(user: User) -> dict[str, int]:
    """For each desk this person works at, the orders waiting in its ``waiting`` tabs (new, to
    sign for, to call back, overdue …): the navigation shows them as badges."""
    now = clock.now()
    counts = {}
    for desk in DESKS.values():
        if user.has_role(*desk.roles):
            counts[desk.name] = sum(
                t.query(user, now).count() for t in desk.tabs if t.waiting
            ) + sum(t.badge(user, now).count() for t in desk.tabs if t.badge and not t.waiting)
    return counts


@login_required
def badges(request: HttpRequest) -> HttpResponse:
    """HTMX: the navigation's badges (asked for after a page loads, and every minute)."""
    user: User = request.user  # type: ignore[assignment]
    return render(request, "web/_nav_badges.html", {"waiting": waiting_counts(user)})


def _since(request: HttpRequest) -> dt.datetime | None:
    try:
        since = dt.datetime.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        return None
    # The poll's own mark is the page's time: a day at the calendar's ends (0001-01-01 at +14:00
    # lies before year 1 in UTC) answered a server error (attack, session 30, h5 F3).
    if since.tzinfo is None or not dt.date(2000, 1, 1) <= since.date() <= dt.date(9998, 12, 31):
        return None
    return since


def _arrived(queryset: QuerySet[WorkOrder], since: dt.datetime) -> int:
    """Orders of the tab that came into it after ``since``: their latest event into their
    current state is newer (a new registration, a return, a reply, an extension request)."""
    return (
        queryset.filter(events__at__gt=since, events__to_state=F("state"))
        .values("pk")
        .distinct()
        .count()
    )


def with_last_move(queryset: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """Each order with its last move (``last_move``: the action) and the unit that made it
    (``last_move_by``: its name): the inbox says an order came back from a sub-unit (handed
    back up), which otherwise sat in 待签收 like any new one. And the unit that assigned it
    inside last (``assigned_by``: its name; empty where the centre or the system did, for the
    lead unit it went through): a 居委会's row says where its order came from, not '已派给' itself
    (session 27). And why it moved (``last_move_reason``): a hand-back's reason on the street's
    row (session 28). Four subqueries on the page's rows, along the events' order index."""
    moves = Event.objects.filter(order=OuterRef("pk"), action__in=MOVES).order_by("-seq")
    assigns = Event.objects.filter(order=OuterRef("pk"), action=Action.ASSIGN_INSIDE).order_by(
        "-seq"
    )
    by = Case(
        When(actor_unit__kind=UnitKind.HOTLINE_CENTRE, then=Value("")),
        default=F("actor_unit__name"),
    )
    return queryset.annotate(
        last_move=Subquery(moves.values("action")[:1]),
        last_move_by=Subquery(moves.values("actor_unit__name")[:1]),
        last_move_reason=Subquery(moves.values("reason")[:1]),
        assigned_by=Subquery(assigns.annotate(by=by).values("by")[:1]),
    )


def with_chasing(queryset: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """Each order with how the centre is chasing it: the urges (催办) since it came to its lead
    unit (``urges``, ``last_urged_at``) and, while it is at the unit, the supervision (督办)
    deadline (``supervised_until``). A unit's morning is which orders the centre chases, and the
    rows said nothing of either: a handler opened each order to find them at the foot of its
    timeline (h5, session 28). Two subqueries on the page's rows."""
    urges = Event.objects.filter(
        order=OuterRef("pk"), action=Action.URGE, at__gte=OuterRef("dispatched_at")
    )
    return queryset.annotate(
        urges=Subquery(urges.order_by().values("order").annotate(n=Count("pk")).values("n")[:1]),
        last_urged_at=Subquery(urges.order_by("-seq").values("at")[:1]),
        supervised_until=Case(When(state__in=AT_UNIT_STATES, then=F("supervision_due"))),
    )


def with_request_reason(queryset: QuerySet[WorkOrder], action: str) -> QuerySet[WorkOrder]:
    """Each order with the reason of its latest ``action`` event (``request_reason``): the
    dispatcher deciding returns and extensions saw only titles and opened every order to read
    why the unit asked. One subquery on the page's rows."""
    requests = Event.objects.filter(order=OuterRef("pk"), action=action).order_by("-seq")
    return queryset.annotate(request_reason=Subquery(requests.values("reason")[:1]))


def desk_view(name: str) -> Callable[[HttpRequest], HttpResponse]:
    desk = DESKS[name]

    @login_required
    def view(request: HttpRequest) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        if not user.has_role(*desk.roles):
            raise PermissionDenied
        now = clock.now()
        tabs = [(tab, tab.query(user, now)) for tab in desk.tabs if tab.shown_to(user)]
        since = _since(request)
        polled = since is not None and request.htmx  # type: ignore[attr-defined]
        fresh = new_since(user, desk.name, now, visit=not polled) if desk.arrivals else None
        counted = [
            (
                t,
                qs.count(),
                with_arrival(qs, desk.arrivals).filter(new_to(user, fresh)).count()
                if fresh is not None
                else 0,
            )
            for t, qs in tabs
        ]
        # Without a tab asked for, the unit inbox opens on the first that has orders: work
        # assigned inside after the parent signed for it is under 'Handling', and an empty
        # 'To sign for' hid it (h5, session 24).
        first = tabs[0]
        if name == "unit_inbox":
            first = next((tabs[i] for i, (_t, n, _new) in enumerate(counted) if n), tabs[0])
        current = next((t for t in tabs if t[0].key == request.GET.get("tab")), first)
        tab, queryset = current
        context: dict[str, Any] = {
            "desk": desk,
            "tabs": counted,
            "tab": tab,
            "since": now.isoformat(),
            "refresh_seconds": getattr(settings, "DESK_REFRESH_SECONDS", REFRESH_SECONDS),
            "max_attempts": settings.CALLBACK_MAX_ATTEMPTS,
        }
        if name == "unit_inbox":  # 知识库更新: consultations closed, articles to write (issue 19)
            context["kb_tasks"] = open_upkeep_tasks(user).count()
        if since is not None and polled:
            # The poll: a line saying what arrived, and the tab counts; the table, the scroll
            # and the selected row stay as they are until the person asks for the new orders.
            context["since"] = since.isoformat()
            context["arrived"] = _arrived(queryset, since)
            context["waiting"] = waiting_counts(user)
            return render(request, "web/_desk_news.html", context)
        order_by = list(tab.order_by) or (
            [tab.due_field, "registered_at"] if tab.due_field else ["registered_at"]
        )
        queryset = queryset.select_related(*ORDER_ROW_RELATED).order_by(*order_by)
        if name == "unit_inbox":
            queryset = with_chasing(with_last_move(queryset))
        if tab.request:
            queryset = with_request_reason(queryset, tab.request)
        if fresh is not None:
            queryset = with_arrival(queryset, desk.arrivals).annotate(
                is_new=Case(
                    When(new_to(user, fresh), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        context.update(
            page=Paginator(queryset, 30).get_page(request.GET.get("page")),
            due_field=tab.due_field,
            new_since=fresh,
        )
        template = "web/_desk_table.html" if request.htmx else "web/desk.html"  # type: ignore[attr-defined]
        return render(request, template, context)

    view.__name__ = name
    return view


dispatch_desk = desk_view("dispatch_desk")
unit_inbox = desk_view("unit_inbox")
callback_desk = desk_view("callback_desk")
supervision_desk = desk_view("supervision_desk")
