"""Where a 差评's rectification stands, read from its work order (session 29, h8 F12).

The order goes the hotline's way (sign for, first contact, reply, review); the centre then calls
the citizen back (回访) with the existing callback action, and the 差评 counts as **rectified**
only once the citizen heard the outcome: the callback recorded a verdict, the callback agent
tried until the order closed as unreachable, or, with no number to call (the rating left none),
the order was archived with a note saying how they were told
(:func:`hotline.orders.actions.review.closing_needs_a_reason`). An order archived with none of
these (before that rule) is not rectified.

Nothing here is stored: the stage follows the order's own columns and its closing event, so no
rating step has to follow the order's. The hall's ratings page annotates its rows
(:func:`with_closing`) and reads each row's stage without a query per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotline.orders.models import Action, Event, Satisfaction, State, WorkOrder
from hotline.org.models import User
from hotline.ratings.models import BAD_LEVELS, Rating


class Stage:
    """The stages a rectification goes through, as the hall's ratings page says them."""

    HANDLING = "handling"
    REVIEWING = "reviewing"
    CALLBACK = "callback"
    DISSATISFIED = "dissatisfied"
    RECTIFIED = "rectified"
    UNCONFIRMED = "unconfirmed"
    WITHDRAWN = "withdrawn"

    LABELS: dict[str, Promise] = {
        HANDLING: _("Being rectified by the unit"),
        REVIEWING: _("Rectification reply awaiting review"),
        CALLBACK: _("Awaiting the callback to the citizen"),
        DISSATISFIED: _("Citizen dissatisfied at the callback: to reopen or archive"),
        RECTIFIED: _("Rectified"),
        UNCONFIRMED: _("Archived without a callback or a stated reason"),
        WITHDRAWN: _("Rectification order withdrawn"),
    }


@dataclass(frozen=True)
class Progress:
    stage: str
    label: str
    rectified: bool
    # How the citizen heard the outcome, once closed: the callback's verdict, the unreachable
    # closing, or the archive's note ("" while open).
    outcome: str


#: Annotations :func:`with_closing` adds to ratings (and :func:`closing_of` reads for one order).
CLOSING_ACTION = "rectification_closing_action"
CLOSING_REASON = "rectification_closing_reason"


def _closing_events(order_ref: OuterRef) -> QuerySet[Event]:
    return Event.objects.filter(order=order_ref, to_state=State.CLOSED).order_by("-seq")


def with_closing(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    """The ratings, each with its order's latest closing event (action and reason): two
    subqueries on the page's rows."""
    closing = _closing_events(OuterRef("order"))
    return ratings.annotate(
        **{
            CLOSING_ACTION: Subquery(closing.values("action")[:1]),
            CLOSING_REASON: Subquery(closing.values("reason")[:1]),
        }
    )


def rectified_q() -> Q:
    """Ratings (lookups from :class:`Rating`, after :func:`with_closing`) whose rectification is
    done: closed, and the citizen heard the outcome."""
    return Q(order__state=State.CLOSED) & (
        ~Q(order__satisfaction="")
        | Q(**{CLOSING_ACTION: Action.CLOSE_UNREACHABLE})
        | (Q(**{f"{CLOSING_REASON}__isnull": False}) & ~Q(**{CLOSING_REASON: ""}))
    )


def progress(order: WorkOrder, closing_action: str | None, closing_reason: str | None) -> Progress:
    """The stage of the rectification ``order``, given its latest closing event."""
    state = order.state
    outcome = ""
    if state in (State.CANCELLED, State.MERGED):
        stage = Stage.WITHDRAWN
    elif state == State.REPLIED:
        stage = Stage.REVIEWING
    elif state == State.REVIEWED:
        stage = (
            Stage.DISSATISFIED
            if order.satisfaction == Satisfaction.DISSATISFIED
            else Stage.CALLBACK
        )
    elif state == State.CLOSED:
        stage = Stage.RECTIFIED
        if order.satisfaction:
            verdict = _("resolved") if order.callback_resolved else _("not resolved")
            outcome = str(
                _("Callback: %(verdict)s, %(satisfaction)s")
                % {"verdict": verdict, "satisfaction": order.get_satisfaction_display()}
            )
        elif closing_action == Action.CLOSE_UNREACHABLE:
            outcome = str(Action.CLOSE_UNREACHABLE.label)
        elif closing_reason:
            outcome = str(_("Archived: %(reason)s") % {"reason": closing_reason})
        else:
            stage = Stage.UNCONFIRMED
    else:
        stage = Stage.HANDLING
    return Progress(stage, str(Stage.LABELS[stage]), stage == Stage.RECTIFIED, outcome)


def of_rating(rating: Rating) -> Progress | None:
    """The rectification of ``rating`` (``None`` without an order): from the annotations of
    :func:`with_closing` when the rating has them, else read here."""
    order = rating.order
    if order is None:
        return None
    if hasattr(rating, CLOSING_ACTION):
        return progress(order, getattr(rating, CLOSING_ACTION), getattr(rating, CLOSING_REASON))
    return progress(order, *closing_of(order))


def closing_of(order: WorkOrder) -> tuple[str | None, str | None]:
    if order.state != State.CLOSED:
        return None, None
    last = (
        Event.objects.filter(order=order, to_state=State.CLOSED)
        .order_by("-seq")
        .values_list("action", "reason")
        .first()
    )
    return last if last is not None else (None, None)


@dataclass(frozen=True)
class Rectified:
    done: int
    of: int  # the counted 差评 with a rectification order not withdrawn


def rectified(ratings: QuerySet[Rating]) -> Rectified:
    """How many counted 差评 are rectified (the citizen heard the outcome), of those whose order
    stands: two counts."""
    from hotline.ratings.figures import counted

    bad = (
        counted(ratings)
        .filter(level__in=[level.value for level in BAD_LEVELS], order__isnull=False)
        .exclude(order__state__in=[State.CANCELLED, State.MERGED])
    )
    return Rectified(with_closing(bad).filter(rectified_q()).count(), bad.count())


@dataclass(frozen=True)
class OrderFacts:
    """What the rectification order's page says of the rating it came from."""

    rating: Rating
    progress: Progress
    # The hall's ratings page showing this one rating, for those who may open it (its manager,
    # the centre's supervisors, leaders and administrators); "" for the others.
    rating_url: str
    # Whether the rating left a way to reach the citizen (a mobile number, on the order as the
    # caller's, masked per role as every caller's is).
    reachable: bool


def for_order(order: WorkOrder, user: User) -> OrderFacts | None:
    """The rating ``order`` rectifies, as ``user`` may see it; ``None`` for any other order."""
    from django.urls import reverse

    from hotline.org.models import Role

    rating = (
        Rating.objects.filter(order=order).select_related("hall__unit", "ticket", "order").first()
    )
    if rating is None:
        return None
    manages = user.has_role(Role.HALL_MANAGER) and user.unit_id == rating.hall.unit_id
    opens = manages or user.has_role(Role.SUPERVISOR, Role.LEADER, Role.ADMIN)
    url = ""
    if opens:
        url = f"{reverse('ratings:hall', args=[rating.hall.code])}?rating={rating.pk}"
    found = of_rating(rating)
    assert found is not None
    return OrderFacts(rating, found, url, bool(order.citizen_phone))
