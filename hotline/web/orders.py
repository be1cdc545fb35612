"""The order page, its actions (HTMX), and the order search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from hotline import clock
from hotline.dispatch import duplicates as duplicate_detection
from hotline.dispatch.services import SUGGESTION_FLOOR
from hotline.dispatch.services import suggest as dispatch_suggestions
from hotline.interchange.privacy import name_for
from hotline.orders import actions
from hotline.orders.actions.review import failed_callback_attempts
from hotline.orders.models import Action, Event, State, WorkOrder
from hotline.orders.rules import (
    RULES,
    UNIT_WORKERS,
    ActionError,
    allowed_actions,
    can_view,
    may_reveal_phone,
    sees_full_phone,
    unit_scope,
    visible_orders,
)
from hotline.org.models import Role, Unit, User
from hotline.ratings import rectification
from hotline.security.models import Where
from hotline.security.phones import record_views
from hotline.security.uploads import logged_in, uploads
from hotline.sla import deadlines
from hotline.web.forms import (
    ACTION_FORMS,
    ActionForm,
    AssignInsideForm,
    DispatchForm,
    MergeForm,
    local_input,
)
from hotline.web.htmx import from_htmx
from hotline.web.timeline import timeline

#: What a row of the order table (web/_order_table.html) shows, and no more: on PostgreSQL,
#: planning the eight-table join that also brought the street, neighbourhood, category parents and
#: parent order took several times longer than running it, on every desk view (docs/benchmarks.md,
#: the load test's staff pages).
ORDER_ROW_RELATED = ("lead_unit", "assigned_unit", "category")


def get_order(request: HttpRequest, number: str) -> WorkOrder:
    """The order if this user may see it; a 404 otherwise (never reveal that it exists)."""
    # The category's parents (at most two) and the parent order (merged orders only) are read
    # when shown: a join for each would cost more to plan on PostgreSQL than the small queries.
    order = (
        WorkOrder.objects.select_related(*ORDER_ROW_RELATED, "street", "community", "registered_by")
        .filter(number=number)
        .first()
    )
    if order is None or not can_view(request.user, order):  # type: ignore[arg-type]
        raise Http404(_("No such order."))
    return order


def _suggestions(order: WorkOrder, allowed: list[Action]) -> list[dict[str, Any]]:
    """Where to send the order: never back to a unit that has already returned it."""
    if not any(issubclass(ACTION_FORMS[a], DispatchForm) for a in allowed):
        return []
    returned = set(order.events.filter(action=Action.RETURN).values_list("unit_id", flat=True))
    return [
        s
        for s in dispatch_suggestions(order, floor=SUGGESTION_FLOOR)
        if s["unit"].pk not in returned
    ]


def _inside_suggestions(form: ActionForm | None) -> list[dict[str, Any]]:
    """Sub-units to assign the order to (二级派单) among the units the picker offers: first the
    居委会 its address lies in (the gazetteer's, shown on the order), then the model's; none
    where the person may not assign inside.

    The address comes first, as the centre's dispatch rules come before the model: the model
    alone chose a 居委会 it gave 17 % over the one the address names (walk-through, session 30,
    h6)."""
    if not isinstance(form, AssignInsideForm):
        return []
    offered = {u.pk for u in form.fields["unit"].queryset}  # type: ignore[attr-defined]
    order = form.order
    listed: list[dict[str, Any]] = []
    if order.community_id in offered:
        listed.append({"unit": order.community, "why": _("address"), "probability": None})
    try:
        from hotline.dispatch.services import suggest_inside
    except ImportError:  # the dispatch model's sub-unit suggestions are optional
        return listed
    return listed + [
        {"unit": unit, "why": _("model"), "probability": probability}
        for unit, probability in suggest_inside(order)
        if unit.pk in offered and unit.pk != order.community_id
    ]


def _phone(user: User, order: WorkOrder) -> dict[str, Any]:
    """The caller's number as this user may see it (the phone policy is in orders/rules.py)."""
    if sees_full_phone(user):
        return {"phone": order.citizen_phone, "phone_full": bool(order.citizen_phone)}
    # Units see it masked and nothing of an anonymous caller (as in the API); the lead unit's
    # handlers reveal it with one click (order_phone).
    return {
        "phone": "" if order.anonymous else order.masked_phone(),
        "phone_full": False,
        "phone_revealable": may_reveal_phone(user, order),
    }


def order_context(
    request: HttpRequest,
    order: WorkOrder,
    forms: dict[str, Any] | None = None,
    opened: str = "",
    merge_into: str = "",
) -> dict[str, Any]:
    """``merge_into``: a possible duplicate's number whose button was clicked (``?merge=``): the
    merge dialog opens with it filled in, for the person to confirm (h5, session 23: the hint
    named the order, the dialog made them retype it)."""
    user: User = request.user  # type: ignore[assignment]
    allowed = allowed_actions(order, user)
    # Rules and the model, computed once: they fill the dispatch forms and the suggestion line.
    suggestions = _suggestions(order, allowed)
    built = {}
    inside: list[dict[str, Any]] = []
    for action in allowed:
        form = (forms or {}).get(action) or ACTION_FORMS[action](auto_id=f"id_{action}_%s")
        if isinstance(form, DispatchForm) and not form.is_bound and suggestions:
            form.initial.setdefault("lead_unit", suggestions[0]["unit"].pk)
        if isinstance(form, AssignInsideForm):
            form.limit_to(order, user)
            # The model's top sub-unit is chosen, as the dispatch dialog's suggestion is (h5,
            # session 24: a badge only, and the button did nothing with no unit chosen) — but not
            # on an order already assigned inside: there the dialog moves it away from the
            # sub-unit someone chose, so the person picks (session 30: the walk-through's first
            # press of the button moved an assigned order to a guess).
            inside = _inside_suggestions(form)
            if not form.is_bound and inside and not order.assigned_unit_id:
                form.initial.setdefault("unit", inside[0]["unit"].pk)
        if action == Action.APPROVE_EXTENSION and order.extension_days:
            form.fields["note"].help_text = extension_outcome(order)
        if isinstance(form, MergeForm) and not form.is_bound and merge_into:
            form.initial["parent"] = merge_into
            opened = opened or action.value
        built[action] = form
    events = list(
        order.events.select_related("actor", "actor_unit", "unit", "assigned_unit").order_by("seq")
    )
    # The centre's urges (催办) since the order came to its lead unit, said at the top while it
    # is open: on a phone the timeline that lists them is five screens down (h5, session 28).
    urges = [
        e
        for e in events
        if e.action == Action.URGE
        and order.state in RULES[Action.URGE].sources
        and (order.dispatched_at is None or e.at >= order.dispatched_at)
    ]
    phone = _phone(user, order)
    if phone["phone_full"]:
        record_views(user, [order], Where.ORDER_PAGE, request)
    context = {
        "order": order,
        **phone,
        "show_name": sees_full_phone(user) or not order.anonymous,
        "caller_name": name_for(user, order),
        "co_units": list(order.co_units.all()),
        "events": timeline(events),
        "urges": len(urges),
        "last_urge": urges[-1] if urges else None,
        "action_forms": [(Action(a), built[a]) for a in allowed if a != Action.COMMENT],
        "comment_form": built.get(Action.COMMENT),
        # A dispatcher opens a new order to dispatch it: the dialog is open already (one click
        # fewer per order; the suggested unit is chosen).
        "opened": opened or (Action.DISPATCH.value if Action.DISPATCH in allowed else ""),
        "suggestions": suggestions,
        # Merged children: a number the viewer cannot open is shown, not linked (a unit sees the
        # parent it was sent, not the children merged before: the link was a 404; h5, session 23).
        "duplicates": _linked(user, order.duplicates.all()),
        "parent_visible": order.parent is not None and can_view(user, order.parent),
        # Only those who may merge see possible duplicates (other callers' orders).
        "similar": duplicate_detection.for_order(order) if Action.MERGE in allowed else [],
        "attachments": order.attachments.all(),
        "at_unit": order.state in (State.DISPATCHED, State.ACCEPTED, State.REOPENED),
        "dispatch_next": Action.DISPATCH in allowed,
        "inside_suggestions": inside,
    }
    if Action.CALLBACK_ATTEMPT in allowed:
        context["callback"] = callback_facts(order)
    # A 差评's rectification: the rating it came from, and whether the citizen can be called back
    # (session 29, h8 F12: "来电人 —", and nothing said why no callback came).
    context["rectifies"] = rectification.for_order(order, user)
    # As actions.close asks (closing_needs_a_reason), from the rating read just above.
    if Action.CLOSE in built and context["rectifies"] and not order.satisfaction:
        built[Action.CLOSE].fields["note"].required = True
        built[Action.CLOSE].fields["note"].help_text = _(
            "No callback reached the citizen: say how they were told what was rectified."
        )
    return context


def extension_outcome(order: WorkOrder) -> str:
    """What approving the waiting extension request does, said in its dialog: the days asked
    for and the reply deadline before and after, computed as approve_extension will (h5,
    session 23: the dialog showed only a note box, the days were in the timeline below)."""
    days = order.extension_days or 0
    new_due = deadlines.extend(order.reply_due or clock.now(), days)
    return _(
        "Extension of %(days)d working days asked for: the reply deadline moves from %(old)s "
        "to %(new)s."
    ) % {"days": days, "old": _shown(order.reply_due), "new": _shown(new_due)}


def _shown(when: dt.datetime | None) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else "—"


def _linked(user: User, orders: Any) -> list[tuple[WorkOrder, bool]]:
    """``orders`` each with whether ``user`` may open it (the order page's own rule)."""
    orders = list(orders)
    opens = set(
        visible_orders(user, WorkOrder.objects.filter(pk__in=[o.pk for o in orders])).values_list(
            "pk", flat=True
        )
    )
    return [(o, o.pk in opens) for o in orders]


def callback_facts(order: WorkOrder) -> dict[str, Any]:
    """What the callback form says about failed calls so far and how unreachable orders count."""
    failed = failed_callback_attempts(order)
    return {
        "failed": failed,
        "max": settings.CALLBACK_MAX_ATTEMPTS,
        "left": max(settings.CALLBACK_MAX_ATTEMPTS - failed, 0),
        "kpi_url": kpi_definitions_url(),
    }


def kpi_definitions_url() -> str:
    """The in-app KPI definitions (the dashboard's page), or the dashboard itself."""
    for name in ("kpi_definitions", "dashboard"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = get_order(request, number)
    kept = _kept_refusal(request, number)
    attach = request.session.pop(_ATTACH_REFUSAL_KEY % number, None)
    if kept is not None:
        action, form, version = kept
        context = _refused_context(request, order, action, form, version)
    elif isinstance(attach, dict):
        version = attach.get("version")
        context = _attach_refused_context(
            request,
            order,
            str(attach.get("error", "")),
            version if isinstance(version, int) else None,
        )
    else:
        context = order_context(request, order, merge_into=request.GET.get("merge", "").strip())
    return render(request, "web/order_detail.html", context)


#: The session key of a refused action posted without htmx, kept for the order page it is
#: redirected to (one per order: the page shows the latest).
_REFUSAL_KEY = "hotline.refused_action.%s"


def _keep_refusal(
    request: HttpRequest, number: str, action: str, form: ActionForm, version: int | None
) -> None:
    """What the order page needs to show a refusal again after the redirect: the action, what
    was typed (a chosen file cannot be kept: the browser never sends it again) and why."""
    data: Any = form.data
    request.session[_REFUSAL_KEY % number] = {
        "action": action,
        "data": {k: data.getlist(k) for k in data if k != "csrfmiddlewaretoken"},
        "errors": {field: [str(e) for e in errors] for field, errors in form.errors.items()},
        "version": version,
    }


def _kept_refusal(request: HttpRequest, number: str) -> tuple[str, ActionForm, int | None] | None:
    """The refusal kept by :func:`_keep_refusal`, once: the form bound to what was typed, with
    the errors it was refused with (a reload shows the order as it is)."""
    kept = request.session.pop(_REFUSAL_KEY % number, None)
    form_class = ACTION_FORMS.get(kept.get("action", "")) if isinstance(kept, dict) else None
    if kept is None or form_class is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in kept.get("data", {}).items():
        data.setlist(key, [str(v) for v in values])
    form = form_class(data, auto_id=f"id_{kept['action']}_%s")
    form.is_valid()  # the form's own errors again; the action's were kept
    for field, texts in kept.get("errors", {}).items():
        for message in texts:
            if message not in form.errors.get(field, []):
                form.add_error(None if field == NON_FIELD_ERRORS else field, str(message))
    version = kept.get("version")
    return kept["action"], form, version if isinstance(version, int) else None


@login_required
@require_POST
def order_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action from the order page; on error re-render its form with the input kept.

    A refused action (someone else acted first, the order moved on) says why in place, keeps what
    was typed, and lists what changed since the page was loaded.
    """
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404(_("No such action."))
    form = form_class(request.POST, request.FILES, auto_id=f"id_{action}_%s")
    version = _int(request.POST.get("version"))
    try:
        order = get_order(request, number)
    except Http404:
        if not _was_ours(request.user, number):  # type: ignore[arg-type]
            raise
        return _moved_away(request, number, action, form)
    if not form.is_valid():
        return _refused(request, order, action, form, version, status=422)
    try:
        event = form.perform(order, request.user, version)  # type: ignore[arg-type]
    except ActionError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return _refused(request, order, action, form, version, status=exc.status)
    if "open_next" in request.POST:
        return _open_next(request, order)
    if not can_view(request.user, order):  # type: ignore[arg-type]
        return _left_us(request, order, action)
    if actions.co_unit_notice_held(event):
        return _done(request, number, _co_unit_note_held())
    return _done(request, number, _done_message(order, action))


#: Actions that send the order to a unit: what was done says which (walk-through, session 30,
#: h6: "派单：已完成。" left the dispatcher to look for the lead unit on the page, and the
#: street's 二级派单 named no 居委会, where a hand-back named the unit it went to).
_MOVES = frozenset(
    {
        Action.DISPATCH,
        Action.REDISPATCH,
        Action.APPROVE_RETURN,
        Action.REJECT_RETURN,
        Action.ASSIGN_INSIDE,
    }
)


def _now_with(order: WorkOrder) -> str | None:
    """The unit that holds the order now, as committed: the sub-unit it is assigned to inside
    its lead unit, or the lead unit."""
    now_with = (
        WorkOrder.objects.filter(pk=order.pk)
        .values_list("assigned_unit__name", "lead_unit__name")
        .first()
    )
    return (now_with[0] or now_with[1]) if now_with else None


def _done_message(order: WorkOrder, action: str) -> str:
    unit = _now_with(order) if action in _MOVES else None
    if unit:
        return _("%(action)s: done. %(number)s is now with %(unit)s.") % {
            "action": Action(action).label,
            "number": order.number,
            "unit": unit,
        }
    return _("%(action)s: done.") % {"action": Action(action).label}


def _co_unit_note_held() -> str:
    """What a co-unit's handler is told of a note kept without a notice (the co-unit's notes of
    the hour on this order already told the units holding it, actions.CO_UNIT_NOTES_TOLD)."""
    return _(
        "Comment: done. The units handling the order were told of %(n)d notes of your unit in "
        "the last hour: this one is on the order without another text or e-mail to them."
    ) % {"n": actions.CO_UNIT_NOTES_TOLD.count}


def _from_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the form, and so swaps the panel it gets into the page. The forms are
    real forms and htmx.min.js loads with ``defer``: a press before it has run (a slow phone
    network, script off) posts the form itself, and the browser shows whatever comes back as
    the page (h2, session 26: the bare panel, without layout or styles)."""
    return from_htmx(request)


def _panel(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """The order panel for htmx to swap in; the whole order page for a form posted without it
    (a refused action says why there, with what was typed, as in the panel)."""
    template = "web/_order_panel.html" if _from_htmx(request) else "web/order_detail.html"
    return render(request, template, context, status=status)


def _done(request: HttpRequest, number: str, flash: str) -> HttpResponse:
    """The order as it is now, saying what was done: the panel for htmx; without it, back to
    the order page (post/redirect/get: reloading it does not post the action again), the
    message shown at its top."""
    if not _from_htmx(request):
        messages.success(request, flash)
        return redirect("order_detail", number=number)
    context = order_context(request, get_order(request, number))
    context["flash"] = flash
    return _panel(request, context)


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """To another page: htmx follows HX-Redirect (a 302 would be followed inside the panel)."""
    if _from_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _left_us(request: HttpRequest, order: WorkOrder, action: str) -> HttpResponse:
    """The action took the order out of this person's sight (a 居委会 handing it back up to its
    street): nothing more to show here. Their inbox says it was done and where the order is now;
    the home page they were sent to said nothing, so the hand-back looked lost."""
    unit = _now_with(order)
    if unit:
        message = _("%(action)s: done. %(number)s is now with %(unit)s.") % {
            "action": Action(action).label,
            "number": order.number,
            "unit": unit,
        }
    else:
        message = _("%(action)s: done.") % {"action": Action(action).label}
    messages.success(request, message)
    user: User = request.user  # type: ignore[assignment]
    inbox = user.has_role(*UNIT_WORKERS)
    return _go(request, reverse("unit_inbox" if inbox else "home"))


def _was_ours(user: User, number: str) -> bool:
    """Whether this unit user's unit held the order once (it has since been sent elsewhere, or
    handed back up or reassigned inside the lead unit)."""
    units = unit_scope(user) if user.has_role(*UNIT_WORKERS) else set()
    return (
        bool(units)
        and Event.objects.filter(order__number=number)
        .filter(Q(unit_id__in=units) | Q(assigned_unit_id__in=units))
        .exists()
    )


def _moved_away(request: HttpRequest, number: str, action: str, form: ActionForm) -> HttpResponse:
    """The order left the unit while the page was open: say so in place, keep what was typed."""
    form.is_valid()
    context = {
        "number": number,
        "refused": {"action": Action(action), "form": form, "entered": entered(form)},
    }
    template = "web/_order_moved_away.html" if _from_htmx(request) else "web/order_moved_away.html"
    return render(request, template, context, status=409)


def _refused(
    request: HttpRequest,
    order: WorkOrder,
    action: str,
    form: ActionForm,
    version: int | None,
    *,
    status: int,
) -> HttpResponse:
    """The panel as it is now, with the refused form (and what was typed) and what changed.

    Without htmx (a form posted before the page's script ran) the browser shows what comes back
    as the page: the refusal goes back to the order page (post/redirect/get, session 27, r1
    leftover), which shows it. Rendered at /act/<action>, the address bar kept the action's
    address, which answers only a post: a reload asked to post again, opening it was a 405."""
    if not _from_htmx(request):
        _keep_refusal(request, order.number, action, form, version)
        return redirect("order_detail", number=order.number)
    context = _refused_context(request, order, action, form, version)
    response = _panel(request, context, status=status)
    # The panel is swapped in where the page was scrolled to: on a phone, past the dialog, so the
    # refusal was off the screen and the press seemed to do nothing. Show the refused dialog (or
    # the box that keeps what was typed) at the top of the screen.
    response["HX-Reswap"] = f"outerHTML show:{REFUSED_SHOWN}:top"
    return response


def _refused_context(
    request: HttpRequest, order: WorkOrder, action: str, form: ActionForm, version: int | None
) -> dict[str, Any]:
    order.refresh_from_db()
    context = order_context(request, order, forms={action: form}, opened=action)
    if version is not None and version < order.version:
        context["changes"] = what_changed(order, since=version)
    offered = {a.value for a, _form in context["action_forms"]} | {
        Action.COMMENT.value if context["comment_form"] else ""
    }
    if action not in offered:
        # No longer possible (another dispatcher got there first): keep the input on show, and
        # carry a lost dispatch over to the redispatch form if that is now offered.
        context["refused"] = {"action": Action(action), "form": form, "entered": entered(form)}
        _carry_over(context, form)
    return context


#: What a refused action scrolls into view: the dialog reopened with its errors, or the box that
#: keeps the input of an action no longer offered (htmx splits hx-swap at spaces: none here).
REFUSED_SHOWN = "details[data-action][open],[data-testid=refused]"


def entered(form: ActionForm) -> list[tuple[str, str]]:
    """What the person typed into a form, as they would read it (unit names, choice labels)."""
    shown = []
    for field in form.visible_fields():
        if isinstance(field.field, forms.FileField):
            continue
        data: Any = form.data
        raw = data.getlist(field.html_name) if hasattr(data, "getlist") else []
        values = [v for v in raw if v.strip()]
        if not values:
            continue
        labels = {str(k): str(v) for k, v in getattr(field.field, "choices", ())}
        shown.append((str(field.label), _(", ").join(labels.get(v, v) for v in values)))
    return shown


def _carry_over(context: dict[str, Any], lost: ActionForm) -> None:
    if not isinstance(lost, DispatchForm):
        return
    for action, form in context["action_forms"]:
        if isinstance(form, DispatchForm) and not form.is_bound:
            typed: Any = lost.data
            data = {k: typed.get(k) for k in ("lead_unit", "note")}
            form.initial.update(data, co_units=typed.getlist("co_units"))
            context["opened"] = action.value
            return


def what_changed(order: WorkOrder, since: int) -> list[dict[str, Any]]:
    """The events the person did not see: who did what, when (派单员 Dan 10:02 → 江宁路街道)."""
    changes = []
    events = order.events.filter(seq__gt=since).select_related("actor", "unit", "assigned_unit")
    for event in events.order_by("seq"):
        actor = event.actor
        roles = sorted(actor.roles) if actor is not None else []
        changes.append(
            {
                "event": event,
                "who": actor.get_full_name() or actor.username if actor else _("system"),
                "role": Role(roles[0]).label if roles else "",
                "to_unit": _moved_to(event),
            }
        )
    return changes


def _moved_to(event: Event) -> Unit | None:
    """The unit the event sent the order to: by the centre, or inside the lead unit (二级派单:
    the sub-unit assigned, or the unit a hand-back reached)."""
    if event.action in (Action.DISPATCH, Action.REDISPATCH, Action.APPROVE_RETURN):
        return event.unit
    if event.action in (Action.ASSIGN_INSIDE, Action.HAND_BACK):
        return event.assigned_unit or event.unit
    return None


def _open_next(request: HttpRequest, order: WorkOrder) -> HttpResponse:
    """派单并打开下一件: the oldest order still waiting on the dispatch desk, or the desk itself."""
    following = (
        visible_orders(request.user)  # type: ignore[arg-type]
        .filter(state=State.REGISTERED)
        .exclude(pk=order.pk)
        .order_by("registered_at", "id")
        .values_list("number", flat=True)
        .first()
    )
    target = reverse("order_detail", args=[following]) if following else reverse("dispatch_desk")
    messages.success(request, _("%(number)s dispatched.") % {"number": order.number})
    return _go(request, target)


@login_required
@require_POST
def order_phone(request: HttpRequest, number: str) -> HttpResponse:
    """The lead unit's one-click reveal of the caller's number, recorded as a phone view."""
    order = get_order(request, number)
    user: User = request.user  # type: ignore[assignment]
    if not may_reveal_phone(user, order):
        raise PermissionDenied
    record_views(user, [order], Where.ORDER_PAGE, request, revealed=True)
    return render(request, "web/_order_phone.html", {"phone": order.citizen_phone})


def _may_attach(request: HttpRequest, number: str) -> bool:
    """Files reach the disk only from a user who may see the order."""
    if not logged_in(request):
        return False
    try:
        get_order(request, number)
    except Http404:
        return False
    return True


@uploads(_may_attach)
@login_required
@require_POST
def order_attach(request: HttpRequest, number: str) -> HttpResponse:
    """Upload a file to the order (multipart); the timeline records it."""
    order = get_order(request, number)
    upload = request.FILES.get("file")
    version = _int(request.POST.get("version"))
    if upload is None:
        status, error = 422, _("Choose a file to attach.")
    else:
        try:
            attached = actions.attach(
                order,
                request.user,  # type: ignore[arg-type]
                upload=upload,
                note=request.POST.get("note", ""),
                expected_version=version,
            )
        except ActionError as exc:
            status, error = exc.status, exc.message
        else:
            done = _("Attached %(name)s.") % {"name": upload.name}
            if attached.event is not None and actions.co_unit_notice_held(attached.event):
                done = f"{done} {_co_unit_note_held()}"
            return _done(request, number, done)
    if not _from_htmx(request):
        # As a refused action: back to the order page, which says why (see _refused).
        request.session[_ATTACH_REFUSAL_KEY % number] = {"error": error, "version": version}
        return redirect("order_detail", number=number)
    return _panel(request, _attach_refused_context(request, order, error, version), status=status)


_ATTACH_REFUSAL_KEY = "hotline.refused_attach.%s"


def _attach_refused_context(
    request: HttpRequest, order: WorkOrder, error: str, version: int | None
) -> dict[str, Any]:
    order.refresh_from_db()
    context = order_context(request, order)
    context["attach_error"] = error
    if version is not None and version < order.version:
        context["changes"] = what_changed(order, since=version)
    return context


@login_required
def attachment_download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """Attachments are private: served only to those who may see the order."""
    order = get_order(request, number)
    attachment = order.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404(_("No such attachment."))
    return FileResponse(attachment.file.open("rb"), as_attachment=False, filename=attachment.name)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


__all__ = [
    "attachment_download",
    "local_input",
    "order_act",
    "order_attach",
    "order_detail",
    "order_phone",
]
