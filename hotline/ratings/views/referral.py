"""办不成事 at the hall: one form makes the 12345 work order; the page lists the hall's recent
referrals and, for a ticket, the 12345 orders that came from that citizen's visits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.hall.models import Hall, Ticket
from hotline.hall.rules import STAFF
from hotline.orders.models import WorkOrder
from hotline.org.models import User
from hotline.ratings import actions, hotline_link
from hotline.ratings.forms import ReferralForm
from hotline.ratings.models import HallReferral
from hotline.web import once


def _staff_hall(request: HttpRequest) -> tuple[Hall, User]:
    user = request.user
    assert isinstance(user, User)
    hall = (
        Hall.objects.select_related("unit").filter(unit_id=user.unit_id).first()
        if user.unit_id
        else None
    )
    if hall is None or not user.has_role(*STAFF):
        raise PermissionDenied
    return hall, user


@login_required
@require_http_methods(["GET", "POST"])
def cannot_do(request: HttpRequest) -> HttpResponse:
    hall, user = _staff_hall(request)
    form = ReferralForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data

            def register() -> WorkOrder:
                return actions.refer(hall, user, **data).order

            # A refresh after sending, or Back and send again, must not make a second order:
            # the page moves on after sending, and the form's one-time token answers a second
            # sending with the first order.
            try:
                order, fresh = once.register_once(once.posted_token(request.POST), register)
            except actions.HallError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if not fresh:
                    messages.info(
                        request,
                        _("This form was already sent: order %(number)s is the one it registered.")
                        % {"number": order.number},
                    )
                return redirect(f"{reverse('ratings:cannot_do')}?made={order.number}")
    # What this hall's form just made (the redirect's address names it); another hall's number
    # shows nothing.
    made_number = request.GET.get("made", "")
    made = (
        HallReferral.objects.select_related("order")
        .filter(hall=hall, order__number=made_number)
        .first()
        if made_number and request.method == "GET"
        else None
    )
    looked_up = request.GET.get("ticket", "").strip().upper()
    ticket = (
        Ticket.objects.select_related("hall__unit")
        .filter(hall=hall, day=timezone.localtime(clock.now()).date(), number=looked_up)
        .first()
        if looked_up
        else None
    )
    context = {
        "hall": hall,
        "form": form,
        "made": made,
        "submission": once.posted_token(request.POST) or once.new_token(),
        "recent": HallReferral.objects.filter(hall=hall).select_related("order", "ticket")[:20],
        "looked_up": looked_up,
        "ticket": ticket,
        "linked": hotline_link.orders_for_ticket(ticket, user) if ticket else [],
    }
    return render(request, "ratings/cannot_do.html", context, status=status)
