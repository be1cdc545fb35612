"""Operator intake: register an order in under a minute, keyboard first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline.dispatch import duplicates, services
from hotline.hall import appointment_history, identity
from hotline.hall.forms import row_id
from hotline.hall.models import Appointment, Hall
from hotline.hall.rules import InvalidInput as HallInvalidInput
from hotline.kb import assist as kb_assist
from hotline.matters.models import Matter
from hotline.orders import actions
from hotline.orders.actions.intake import after_registration
from hotline.orders.models import State, WorkOrder
from hotline.orders.rules import ActionError
from hotline.org.gazetteer import match_address
from hotline.org.models import Role, User
from hotline.prereview import actions as prereview
from hotline.prereview.models import PreReviewInvitation
from hotline.ratings import hotline_link
from hotline.security import public_url
from hotline.security.models import Where
from hotline.security.phone_numbers import normalise_phone
from hotline.security.phones import record_views
from hotline.web import once
from hotline.web.forms import IntakeForm
from hotline.web.htmx import from_htmx

INTAKE_ROLES = (Role.OPERATOR, Role.DISPATCHER)
# The caller history lists this caller's latest orders.
HISTORY_LENGTH = 10


def _require_intake(user: User) -> None:
    if not user.has_role(*INTAKE_ROLES):
        raise PermissionDenied


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    _require_intake(user)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The operator may leave the street empty: the gazetteer fills it from the address.
        match = match_address(data["address"]) if data["address"] else None
        if data["street"] is None and match is not None:
            data["street"] = match.street
        community = match.community if match and match.street == data["street"] else None

        def register() -> WorkOrder:
            order = actions.register(
                user,
                title=data["title"],
                description=data["description"],
                channel=data["channel"],
                kind=data["kind"],
                urgency=data["urgency"],
                citizen_name=data["citizen_name"],
                citizen_phone=data["citizen_phone"],
                anonymous=data["anonymous"],
                address=data["address"],
                street=data["street"],
                community=community,
                category=data["category"],
            )
            if data["answer_text"].strip():
                source = kb_assist.answer_source(user, request.POST)  # "answer with this article"
                actions.answer(order, user, text=data["answer_text"], source=source)
                kb_assist.record_answer(order, user, source)
            return order

        try:
            order, fresh = once.register_once(once.posted_token(request.POST), register)
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if fresh:
                # Committed: the prediction may fail, the registration may not.
                after_registration(order)
                done = (
                    _("answered and closed") if order.state == State.ANSWERED else _("registered")
                )
                messages.success(
                    request,
                    _("Order %(number)s %(done)s.") % {"number": order.number, "done": done},
                )
            else:
                # Back and submit again: the first submission registered it; show that order.
                messages.info(
                    request,
                    _("This form was already sent: order %(number)s is the one it registered.")
                    % {"number": order.number},
                )
            if "another" in request.POST:
                return redirect("intake")
            return redirect("order_detail", number=order.number)
    submission = once.posted_token(request.POST) or once.new_token()
    return render(request, "web/intake.html", {"form": form, "submission": submission})


@login_required
def street_suggestion(request: HttpRequest) -> HttpResponse:
    """HTMX: the street (and neighbourhood) the gazetteer finds for the address being typed."""
    user: User = request.user  # type: ignore[assignment]
    _require_intake(user)
    match = match_address(request.GET.get("address", ""))
    return render(request, "web/_street_suggestion.html", {"match": match})


@login_required
def category_suggestion(request: HttpRequest) -> HttpResponse:
    """HTMX: categories the category model suggests for the title and description being typed
    (nothing below its confidence floor)."""
    user: User = request.user  # type: ignore[assignment]
    _require_intake(user)
    get = request.GET
    found = services.suggest_categories(get.get("title", ""), get.get("description", ""))
    return render(request, "web/_category_suggestion.html", {"suggestions": found})


@login_required
@require_POST
def caller_history(request: HttpRequest) -> HttpResponse:
    """HTMX: this caller's earlier orders, shown while the operator types the phone number.

    A POST (CSRF-checked), the number in its body: as a GET the caller's number went into the
    query string, and from there into the access log and the browser's history (brief,
    session 24)."""
    user: User = request.user  # type: ignore[assignment]
    _require_intake(user)
    return caller_history_for(request, user, normalise_phone(request.POST.get("citizen_phone", "")))


def caller_history_for(
    request: HttpRequest,
    user: User,
    phone: str,
    *,
    invited: PreReviewInvitation | None = None,
    invite_error: str = "",
    cancelled: Appointment | None = None,
    cancel_error: str = "",
) -> HttpResponse:
    """The caller history, with the outcome of what the operator just did in it (a pre-review
    link sent, an appointment cancelled: hall.views.booking.cancel_for_caller)."""
    mine = WorkOrder.objects.filter(citizen_phone=phone) if len(phone) >= 5 else None
    orders = (
        list(mine.select_related("lead_unit").order_by("-registered_at")[: HISTORY_LENGTH + 1])
        if mine is not None
        else []
    )
    # A caller asking after an order older than the last ten was told of none: the list ended
    # without a word. Past ten, it says how many there are and opens them all in the search.
    total = mine.count() if mine is not None and len(orders) > HISTORY_LENGTH else len(orders)
    orders = orders[:HISTORY_LENGTH]
    record_views(user, orders, Where.CALLER_HISTORY, request)
    visits = hotline_link.visits_for_phone(phone)
    _with_cancel_reasons(visits.appointments)
    context = {
        "orders": orders,
        "more": total - len(orders),
        "total": total,
        "phone": phone,
        # The caller's service-hall visits (real-name tickets, bookings, cases) and where the
        # operator books a hall appointment for them (the number is typed there, not sent in
        # the link: it would reach the access log and the browser history).
        "visits": visits,
        "halls": Hall.objects.select_related("unit").order_by("code"),
        # Pre-review links texted to this mobile, and what to send one for (mobiles only: the
        # link goes by text message).
        "invitations": prereview.invitations_for_phone(phone),
        "invite_choices": prereview.invitable() if _is_mobile(phone) else [],
        "invited": invited,
        "invite_error": invite_error,
        "cancelled": cancelled,
        "cancel_error": cancel_error,
    }
    return render(request, "web/_caller_history.html", context)


def _with_cancel_reasons(appointments: list[Appointment]) -> None:
    """Why each cancelled booking was cancelled (``cancel_reason``), read as the hall staff's
    day list reads it: the caller who asks what became of a booking hears the reason staff or
    an operator gave."""
    for appointment in appointment_history.with_history(appointments):
        reason = appointment_history.cancel_reason(appointment)
        appointment.cancel_reason = reason  # type: ignore[attr-defined]


def _is_mobile(phone: str) -> bool:
    try:
        return bool(phone) and bool(identity.mobile(phone))
    except HallInvalidInput:
        return False


@login_required
@require_POST
def prereview_invite(request: HttpRequest) -> HttpResponse:
    """HTMX: text the caller the portal's pre-review link for the matter and hall the operator
    picked (the write path records it, rate-limited per mobile); the caller history comes back
    with the link listed, or with the refusal."""
    user: User = request.user  # type: ignore[assignment]
    _require_intake(user)
    phone = normalise_phone(request.POST.get("caller_phone", ""))
    hall_id, _sep, matter_id = request.POST.get("prereview", "").partition(":")
    # row_id: ASCII digits only ("²" passed isdigit() and failed int(); session 30, h5).
    hall_pk, matter_pk = row_id(hall_id), row_id(matter_id)
    hall = (
        Hall.objects.select_related("unit").filter(pk=hall_pk).first()
        if hall_pk is not None
        else None
    )
    matter = Matter.objects.filter(pk=matter_pk).first() if matter_pk is not None else None
    invited, error = None, ""
    if hall is None or matter is None:
        error = _("Choose the matter and the hall.")
    else:
        try:
            invited = prereview.invite(
                user, phone, hall, matter, site=public_url.absolute(request, "/")
            )
        except prereview.PreReviewError as exc:
            error = exc.message
    if not from_htmx(request):
        # Without script the page is left: say what happened on the intake page.
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("The pre-review link was sent."))
        return redirect("intake")
    return caller_history_for(request, user, phone, invited=invited, invite_error=error)


@login_required
@require_POST
def similar_orders(request: HttpRequest) -> HttpResponse:
    """HTMX: possible duplicates (重复件) of the order being typed: same caller, same address or
    street, similar text. A POST of the intake form, as :func:`caller_history` is: the form
    carries the caller's number."""
    user: User = request.user  # type: ignore[assignment]
    _require_intake(user)
    get = request.POST
    title, description = get.get("title", "").strip(), get.get("description", "").strip()
    address = get.get("address", "").strip()
    street_id = row_id(get.get("street", ""))
    if street_id is None and address:
        match = match_address(address)
        street_id = match.street.pk if match is not None else None
    found = (
        duplicates.candidates(
            title=title,
            description=description,
            address=address,
            street_id=street_id,
            phone=normalise_phone(get.get("citizen_phone", "")),
        )
        if title or description
        else []
    )
    # Found by the caller's number: the operator learns which orders that number made.
    record_views(
        user, [c.order for c in found if "caller" in c.reasons], Where.CALLER_HISTORY, request
    )
    return render(request, "web/_similar_orders.html", {"candidates": found, "intake": True})
