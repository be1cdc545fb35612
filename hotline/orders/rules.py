"""Who may do what to an order, in which state: the one transition table.

The write path (:mod:`hotline.orders.actions`) enforces it; pages and the API ask
:func:`allowed_actions` so they only offer what the server would accept.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hotline import clock
from hotline.orders.models import AT_UNIT_STATES, Action, Satisfaction, State, WorkOrder
from hotline.org.models import Role, Unit, User, branch_ids

CENTRE_ROLES: frozenset[str] = frozenset(
    {Role.OPERATOR, Role.DISPATCHER, Role.CALLBACK_AGENT, Role.SUPERVISOR, Role.LEADER, Role.ADMIN}
)


class Scope(Enum):
    """Whose orders an actor may act on."""

    CENTRE = "centre"  # hotline-centre roles act on any order
    LEAD_UNIT = "lead_unit"  # only the lead unit (or a unit above it) acts
    # The unit holding the order (the sub-unit it was assigned to, else the lead unit) or any
    # unit above it: the parent can act on everything below it (二级派单).
    HOLDER = "holder"
    # A sub-unit holding the order (or one between it and the lead unit), never the lead unit.
    SUB_UNIT = "sub_unit"
    VIEWER = "viewer"  # anyone who can see the order


@dataclass(frozen=True)
class Rule:
    sources: frozenset[State]
    roles: frozenset[str]
    scope: Scope
    target: State | None = None  # None: the event does not change the state


def _states(*states: State) -> frozenset[State]:
    return frozenset(states)


ALL_STATES = frozenset(State)
_DISPATCHER = frozenset({Role.DISPATCHER})
#: Who works a unit's orders: its handlers, and a service centre's hall manager, who is the one
#: to sign for and rectify what its own centre holds (a 差评's rectification order, a 办不成事
#: order). A new hall set up with only the 大厅管理员 role left those orders to the street above
#: it and the manager's link to them a 404 (walk-through, session 24, H1).
UNIT_WORKERS = frozenset({Role.UNIT_HANDLER, Role.HALL_MANAGER})
_UNIT = UNIT_WORKERS
_SUPERVISING = frozenset({Role.DISPATCHER, Role.SUPERVISOR})
_SUPERVISOR = frozenset({Role.SUPERVISOR})
#: States in which an order can carry a KPI-negative outcome for its unit (it has been dispatched
#: and is neither merged nor cancelled, which leave every KPI anyway).
APPEALABLE_STATES = _states(
    State.DISPATCHED,
    State.ACCEPTED,
    State.RETURNED,
    State.REPLIED,
    State.REVIEWED,
    State.REOPENED,
    State.CLOSED,
)

#: Ends of the order that release its co-units (协办): they are told the order no longer needs them
#: (:mod:`hotline.orders.notify`), and their one step on it, a note to the lead unit, ends there.
#: The lead unit still comments on a closed order (it may appeal its KPIs there); a co-unit has
#: nothing left to do on it (session 28, h6).
CO_UNITS_RELEASED = _states(State.CLOSED, State.MERGED, State.CANCELLED)

RULES: dict[Action, Rule] = {
    Action.ANSWER: Rule(
        _states(State.REGISTERED),
        frozenset({Role.OPERATOR, Role.DISPATCHER}),
        Scope.CENTRE,
        State.ANSWERED,
    ),
    Action.DISPATCH: Rule(_states(State.REGISTERED), _DISPATCHER, Scope.CENTRE, State.DISPATCHED),
    Action.REDISPATCH: Rule(
        _states(State.DISPATCHED, State.ACCEPTED, State.RETURNED, State.REOPENED),
        _DISPATCHER,
        Scope.CENTRE,
        State.DISPATCHED,
    ),
    Action.ACCEPT: Rule(_states(State.DISPATCHED), _UNIT, Scope.HOLDER, State.ACCEPTED),
    # 二级派单: no state change; the order's deadlines run on (the centre deals with the lead unit).
    Action.ASSIGN_INSIDE: Rule(AT_UNIT_STATES, _UNIT, Scope.HOLDER),
    Action.HAND_BACK: Rule(AT_UNIT_STATES, _UNIT, Scope.SUB_UNIT),
    Action.RETURN: Rule(
        _states(State.DISPATCHED, State.ACCEPTED), _UNIT, Scope.LEAD_UNIT, State.RETURNED
    ),
    Action.APPROVE_RETURN: Rule(
        _states(State.RETURNED), _DISPATCHER, Scope.CENTRE, State.DISPATCHED
    ),
    # Back to the state the return was asked from (dispatched or accepted): decided in actions.
    Action.REJECT_RETURN: Rule(_states(State.RETURNED), _DISPATCHER, Scope.CENTRE, None),
    Action.FIRST_CONTACT: Rule(_states(State.ACCEPTED, State.REOPENED), _UNIT, Scope.HOLDER),
    Action.REQUEST_EXTENSION: Rule(_states(State.ACCEPTED, State.REOPENED), _UNIT, Scope.LEAD_UNIT),
    Action.APPROVE_EXTENSION: Rule(
        _states(State.ACCEPTED, State.REOPENED), _DISPATCHER, Scope.CENTRE
    ),
    Action.REJECT_EXTENSION: Rule(
        _states(State.ACCEPTED, State.REOPENED), _DISPATCHER, Scope.CENTRE
    ),
    Action.REPLY: Rule(_states(State.ACCEPTED, State.REOPENED), _UNIT, Scope.HOLDER, State.REPLIED),
    Action.APPROVE_REPLY: Rule(_states(State.REPLIED), _DISPATCHER, Scope.CENTRE, State.REVIEWED),
    Action.REJECT_REPLY: Rule(_states(State.REPLIED), _DISPATCHER, Scope.CENTRE, State.ACCEPTED),
    # Closes, reopens or (under the "review" rule) leaves the order reviewed: decided in actions.
    Action.CALLBACK: Rule(
        _states(State.REVIEWED), frozenset({Role.CALLBACK_AGENT}), Scope.CENTRE, None
    ),
    # 未接通 / 拒访: recorded with its time; the order stays reviewed for the next try.
    Action.CALLBACK_ATTEMPT: Rule(
        _states(State.REVIEWED), frozenset({Role.CALLBACK_AGENT}), Scope.CENTRE
    ),
    # Follows a refusal or the last failed attempt (CALLBACK_MAX_ATTEMPTS), in the same
    # transaction: nobody takes it on its own, so it is not in ORDER_ACTIONS.
    Action.CLOSE_UNREACHABLE: Rule(
        _states(State.REVIEWED), frozenset({Role.CALLBACK_AGENT}), Scope.CENTRE, State.CLOSED
    ),
    Action.REOPEN: Rule(
        _states(State.REVIEWED, State.CLOSED), _SUPERVISING, Scope.CENTRE, State.REOPENED
    ),
    Action.URGE: Rule(AT_UNIT_STATES | {State.RETURNED, State.REPLIED}, _SUPERVISING, Scope.CENTRE),
    Action.SUPERVISE: Rule(AT_UNIT_STATES, frozenset({Role.SUPERVISOR}), Scope.CENTRE),
    Action.MERGE: Rule(
        _states(State.REGISTERED, State.DISPATCHED, State.ACCEPTED),
        frozenset({Role.OPERATOR, Role.DISPATCHER}),
        Scope.CENTRE,
        State.MERGED,
    ),
    Action.CANCEL: Rule(
        _states(State.REGISTERED, State.DISPATCHED, State.ACCEPTED, State.RETURNED),
        _SUPERVISING,
        Scope.CENTRE,
        State.CANCELLED,
    ),
    # Leaders read (product.md): no comment, no attachment — pages, API and Open311 alike.
    Action.COMMENT: Rule(ALL_STATES, (CENTRE_ROLES - {Role.LEADER}) | _UNIT, Scope.VIEWER),
    Action.CLOSE: Rule(
        _states(State.REVIEWED),
        frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.CALLBACK_AGENT}),
        Scope.CENTRE,
        State.CLOSED,
    ),
    # 申诉: the lead unit contests a KPI-negative outcome; a supervisor decides. No state change.
    Action.APPEAL: Rule(APPEALABLE_STATES, _UNIT, Scope.LEAD_UNIT),
    Action.APPROVE_APPEAL: Rule(APPEALABLE_STATES, _SUPERVISOR, Scope.CENTRE),
    Action.REJECT_APPEAL: Rule(APPEALABLE_STATES, _SUPERVISOR, Scope.CENTRE),
}

#: Actions people take on an existing order (register and the worker's overdue mark are not, nor
#: the closing that follows the last failed callback attempt).
ORDER_ACTIONS: tuple[Action, ...] = tuple(a for a in RULES if a != Action.CLOSE_UNREACHABLE)


class ActionError(Exception):
    """A refused action. ``code`` is stable (API error code); the message is for people."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ActionError):
    code, status = "forbidden", 403


class NotFound(ActionError):
    code, status = "not_found", 404


class InvalidTransition(ActionError):
    code, status = "invalid_transition", 409


class Conflict(ActionError):
    code, status = "conflict", 409


class InvalidInput(ActionError):
    code, status = "invalid_input", 422


class AlreadyWith(InvalidInput):
    """Sending the order to the unit that has it (or below it): the refusal names where the
    order is, which a caller that may not read orders must not learn (review, session 25, M1)."""


# --- visibility ------------------------------------------------------------------------------


def held_by(units: Collection[int]) -> Q:
    """Orders these units (a subtree, as :func:`unit_scope` gives) handle: as the lead unit or as
    the sub-unit the lead unit assigned them to (二级派单). The one place this is decided: the
    unit inbox, the search's unit filter and visibility use it."""
    return Q(lead_unit__in=units) | Q(assigned_unit__in=units)


def unit_scope(user: User) -> set[int]:
    """The units whose orders a unit user sees and works: their own and the units below it in
    the same first-level unit (:func:`hotline.org.models.branch_ids`). A unit above the first
    level (the district government) gets its own orders only: it is not the unit the centre
    dispatched its streets' and bureaus' orders to. Leaders' views (the dashboard's roll-up) are
    not a unit's authority and do not ask this."""
    cached: set[int] | None = getattr(user, "_unit_scope", None)
    if cached is None:
        cached = branch_ids(user.unit_id) if user.unit_id else set()
        user._unit_scope = cached  # type: ignore[attr-defined]
    return cached


def sees_all_orders(user: User) -> bool:
    return user.has_role(*CENTRE_ROLES)


def visible_orders(user: User, queryset: QuerySet[WorkOrder] | None = None) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.all() if queryset is None else queryset
    if sees_all_orders(user):
        return qs
    if user.has_role(*UNIT_WORKERS):
        units = unit_scope(user)
        return qs.filter(held_by(units) | Q(co_units__in=units)).distinct()
    return qs.none()


def can_view(user: User, order: WorkOrder) -> bool:
    if sees_all_orders(user):
        return True
    if not user.has_role(*UNIT_WORKERS):
        return False
    units = unit_scope(user)
    if order.lead_unit_id in units or order.assigned_unit_id in units:
        return True
    return order.co_units.filter(pk__in=units).exists()


#: Roles that call citizens or decide on their orders, and so see the phone whole. Leaders
#: (read-only) and unit handlers (who reach the citizen through the order's first-contact step)
#: see it masked. One policy for pages, the API and exports (hotline.interchange.privacy).
PHONE_ROLES: frozenset[str] = frozenset(
    {Role.OPERATOR, Role.DISPATCHER, Role.CALLBACK_AGENT, Role.SUPERVISOR, Role.ADMIN}
)


def sees_full_phone(user: User | None) -> bool:
    """Whether the phone shows whole (else *******5678); ``None`` is the system itself."""
    return user is None or user.has_role(*PHONE_ROLES)


def may_reveal_phone(user: User, order: WorkOrder) -> bool:
    """The handlers of the unit holding the order (the sub-unit it was assigned to, or the lead
    unit, and those above it) must call the citizen (first contact): they reveal the masked number
    with one click, which is recorded like any full view. Co-units and leaders do not; an
    anonymous caller's number stays hidden from every unit."""
    return (
        bool(order.citizen_phone)
        and not order.anonymous
        and not sees_full_phone(user)
        and user.has_role(*UNIT_WORKERS)
        and order.holding_unit_id in unit_scope(user)
    )


# --- authorisation ---------------------------------------------------------------------------


def assignable_unit_ids(order: WorkOrder, actor: User | None) -> set[int]:
    """The units ``actor`` may assign ``order`` to: strictly below the lead unit, and strictly
    below the actor's own unit when that is a sub-unit (a 居委会 passes it only further down its
    own branch, never sideways). The action's check and the page's picker both use this;
    ``actor=None`` is the system (auto-dispatch to a confident sub-unit). Only within the lead
    unit's first-level unit (:func:`hotline.org.models.branch_ids`): an order dispatched to the
    district government is not passed down to a street that way, which is the centre's dispatch.
    A closed unit (inactive) takes no orders: it is not counted, so no dialog is offered with
    nothing to pick."""
    if order.lead_unit_id is None:
        return set()
    below = branch_ids(order.lead_unit_id) - {order.lead_unit_id}
    if actor is not None and actor.unit_id in below:
        below &= branch_ids(actor.unit_id) - {actor.unit_id}
    if not below:
        return below
    return set(Unit.objects.filter(pk__in=below, active=True).values_list("pk", flat=True))


def _only_co_unit(actor: User, order: WorkOrder) -> bool:
    """Whether the actor sees the order only as a handler of one of its co-units (协办): not the
    centre, and neither the lead unit nor the sub-unit holding it (nor a unit above them)."""
    if sees_all_orders(actor) or not actor.has_role(*UNIT_WORKERS):
        return False
    units = unit_scope(actor)
    return order.lead_unit_id not in units and order.assigned_unit_id not in units


def check(order: WorkOrder, actor: User | None, action: Action) -> Rule:
    """Refuse an action the actor may not take on this order now; ``actor=None`` is the system."""
    rule = RULES[action]
    if actor is not None:
        if not actor.has_role(*rule.roles):
            raise NotAllowed(_("Your role may not do this."))
        if rule.scope is Scope.LEAD_UNIT and not (
            actor.has_role(*UNIT_WORKERS) and order.lead_unit_id in unit_scope(actor)
        ):
            raise NotAllowed(_("Only the lead unit may do this."))
        if rule.scope is Scope.HOLDER and not (
            actor.has_role(*UNIT_WORKERS) and order.holding_unit_id in unit_scope(actor)
        ):
            raise NotAllowed(_("Only the unit holding the order may do this."))
        if rule.scope is Scope.SUB_UNIT and not (
            actor.has_role(*UNIT_WORKERS)
            and order.assigned_unit_id in unit_scope(actor)
            and order.lead_unit_id not in unit_scope(actor)
        ):
            raise NotAllowed(_("Only the sub-unit the order was assigned to may do this."))
        if rule.scope is Scope.VIEWER and not can_view(actor, order):
            raise NotAllowed(_("You cannot see this order."))
        if (
            action is Action.COMMENT
            and order.state in CO_UNITS_RELEASED
            and _only_co_unit(actor, order)
        ):
            raise InvalidTransition(
                _("This order is %(state)s: its co-units' part in it has ended.")
                % {"state": State(order.state).label}
            )
        if rule.scope is Scope.CENTRE and not actor.has_role(*CENTRE_ROLES & rule.roles):
            raise NotAllowed(_("Only the hotline centre may do this."))
    if order.state not in rule.sources:
        raise InvalidTransition(
            _("Cannot %(action)s an order that is %(state)s.")
            % {"action": Action(action).label, "state": State(order.state).label}
        )
    if action in (Action.CALLBACK, Action.CALLBACK_ATTEMPT) and order.satisfaction:
        # A 不满意 kept for review (CALLBACK_DISSATISFIED=review) stays reviewed with the
        # citizen's verdict on it: a second callback overwrote the 差评 (or, as the last failed
        # attempt, closed the order as unreachable) before the supervisor decided.
        raise InvalidTransition(
            _(
                "The citizen's verdict on this reply is recorded: a supervisor reopens or "
                "archives the order."
            )
        )
    if action in (Action.CALLBACK, Action.CALLBACK_ATTEMPT) and no_number_to_call(order):
        # A 差评's rectification whose rating left no number: nobody can be called, so no verdict
        # or failed call is recorded as if one were (a last failed "attempt" closed it as
        # unreachable, skipping the archive's note); the order is archived saying how the
        # citizen was told (actions.close, session 29).
        raise InvalidTransition(
            _(
                "No number to call back: the citizen left none with the rating. Archive the "
                "order, saying how they were told what was rectified."
            )
        )
    if (
        action is Action.CLOSE
        and order.satisfaction == Satisfaction.DISSATISFIED
        and actor is not None
        and not actor.has_role(Role.DISPATCHER, Role.SUPERVISOR)
    ):
        # The 不满意 kept for review is the dispatcher's or the supervisor's to reopen or archive
        # (README: CALLBACK_DISSATISFIED=review); the callback agent who recorded it archived it
        # themselves (review, session 21).
        raise NotAllowed(
            _("A dissatisfied citizen's order is archived by a dispatcher or a supervisor.")
        )
    return rule


def no_number_to_call(order: WorkOrder) -> bool:
    """A hall 差评's rectification order (its rating's reverse link, read only when there is no
    number) whose citizen left no number: no callback (回访) is possible (session 29, h10)."""
    return not order.citizen_phone and getattr(order, "hall_rating", None) is not None


def _waiting(order: WorkOrder, action: Action, user: User) -> bool:
    """Whether the request a decision is about exists (an appeal decision needs an appeal, an
    extension decision an extension request), so a page never offers a decision already taken."""
    if action in (Action.APPROVE_APPEAL, Action.REJECT_APPEAL):
        return bool(order.appeal_pending)
    if action in (Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION):
        return bool(order.extension_days)
    if action == Action.REQUEST_EXTENSION:
        # One request at a time, asked before the reply deadline (as the action checks).
        return not order.extension_days and (
            order.reply_due is None or clock.now() <= order.reply_due
        )
    if action == Action.ASSIGN_INSIDE:
        # Offered only where there is a sub-unit to pick (not to a 居委会 with none below it).
        return bool(assignable_unit_ids(order, user) - {order.assigned_unit_id})
    if action == Action.APPEAL:
        # Offered only when the order counts against its unit on something (申诉 is about that).
        from hotline.assessment.kpis import negative_kpis

        return not order.appeal_pending and bool(negative_kpis(order))
    return True


def allowed_actions(order: WorkOrder, user: User) -> list[Action]:
    """The actions this user may take on this order now (input checks still apply)."""
    allowed = []
    for action in ORDER_ACTIONS:
        try:
            check(order, user, action)
        except ActionError:
            continue
        if _waiting(order, action, user):
            allowed.append(action)
    return allowed
