"""The reception desk (导服台): hall staff give a ticket for a visitor — any priority, the green
channel (绿色通道) included, which the kiosk does not offer — and print it at once; and they
check in a visitor's appointment the kiosk would not take (by code or mobile number).

The same write path as the kiosk (:func:`hotline.hall.actions.issue`, source "reception", the
member of staff recorded on the ticket's event), so the same refusals apply: outside the windows'
hours, a matter the hall does not handle, a second active ticket for the same person and matter.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.hall import actions, board, hours, identity
from hotline.hall.actions import appointments, tickets
from hotline.hall.forms import KIOSK_PRIORITIES, KioskForm, row_id
from hotline.hall.models import Hall, Priority, Source, Ticket, TicketState, Window
from hotline.hall.views.booking import CheckInForm
from hotline.hall.views.clerk import staff_hall
from hotline.matters.models import Matter
from hotline.org.models import User
from hotline.web import once


class ReceptionForm(KioskForm):
    """The kiosk's fields, with the green channel among the priorities."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["priority"].choices = [  # type: ignore[attr-defined]
            *KIOSK_PRIORITIES,
            (Priority.GREEN, Priority.GREEN.label),
        ]
        self.fields["matter"].empty_label = _("Choose a matter")  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
def reception(request: HttpRequest, code: str) -> HttpResponse:
    hall, user = staff_hall(request, code)
    if request.method == "POST" and request.POST.get("action") == "reprint":
        return _reprint(request, hall, user)
    checking_in = request.method == "POST" and request.POST.get("action") == "check_in"
    form = ReceptionForm(hall, None if checking_in else request.POST or None)
    check_in = CheckInForm(request.POST if checking_in else None)
    status = 200
    reprint = None  # the visitor's open ticket for the matter, when a second one was refused
    if checking_in:
        # A booking the kiosk would not take (shut after wrong codes, a flat phone, a forgotten
        # code): the same check-in, by staff, with no limit on wrong codes.
        if check_in.is_valid():
            try:
                phone = check_in.cleaned_data["phone"]
                ticket = appointments.arrive(
                    hall,
                    code=check_in.cleaned_data["code"],
                    holder_key=identity.holder_key(phone=phone) if phone.strip() else "",
                    actor=user,
                    now=clock.now(),
                )
            except actions.HallError as exc:
                check_in.add_error(None, exc.message)
            else:
                return redirect("hall:ticket", token=ticket.token)
        status = 422
    elif request.method == "POST":
        if form.is_valid():
            # Staff's answer about a kiosk ticket under the visitor's number (asked below): not
            # theirs (give the new ticket beside it) or theirs to replace (cancel it as well).
            choice = request.POST.get("unproved", "")
            try:
                ticket = actions.issue(
                    hall,
                    source=Source.RECEPTION,
                    actor=user,
                    once=once.posted_token(request.POST),
                    not_theirs=row_id(request.POST.get("unproved_ticket"))
                    if choice in {"keep", "cancel"}
                    else None,
                    cancel_not_theirs=choice == "cancel",
                    **form.issue_kwargs(),
                )
            except actions.HallError as exc:
                kwargs = form.issue_kwargs()
                if exc.field == "holder":
                    # The visitor lost the slip of the ticket they hold: staff, who see the
                    # person, print that one again (the kiosk, where anyone may type a number,
                    # only refuses).
                    reprint = tickets.held(
                        hall, kwargs["matter"], kwargs["holder_key"], board.today(clock.now())
                    )
                if reprint is not None and not reprint.holder_proof:
                    # Taken at the kiosk under the typed number, which proves nothing: staff ask
                    # the visitor whether it is theirs — print it again, replace it, or give
                    # theirs beside a stranger's — instead of a refusal.
                    form.add_error(None, _unproved_question(reprint))
                else:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("hall:ticket", token=ticket.token)
        status = 422
    now = clock.now()
    is_open = hours.hall_open(hall, now)
    # At lunch the matters of the windows serving through it are still ticketed (午间不打烊).
    lunch = None if is_open else hours.lunch_service(hall, now)
    context = {
        "hall": hall,
        "form": form,
        "check_in": check_in,
        "lunch": lunch,
        "reprint": reprint,
        # The kiosk ticket staff are asked about, and whether it may still be replaced.
        "unproved": reprint if reprint is not None and not reprint.holder_proof else None,
        "replaceable": reprint is not None and reprint.state == TicketState.WAITING,
        # Only a waiting ticket is printed again (_reprint): one at a window is named, not offered.
        "reprintable": reprint is not None and reprint.state == TicketState.WAITING,
        "submission": once.new_token(),
        "reprint_submission": once.new_token(),
        "closed": not is_open and lunch is None,
        "next_opening": None if is_open else hours.next_opening(hall, now),
        "at_lunch": not is_open and hours.at_lunch(hall, now),
        # A clerk signed in at a window who gives a ticket here prints its slip: if her window
        # then calls it, the slip's QR code does not rate the visit (she would rate herself,
        # f5fd132), and the citizen learns it only at home. Said before she prints (h5, B-M4).
        "own_window": Window.objects.filter(hall=hall, clerk=user)
        .prefetch_related(Prefetch("matters", queryset=Matter.objects.order_by("code")))
        .first(),
    }
    return render(request, "hall/reception.html", context, status=status)


def _unproved_question(ticket: Ticket) -> str:
    return gettext(
        "Ticket %(number)s for %(matter)s was taken at the kiosk under this number at %(time)s "
        "(%(state)s). A number typed at the kiosk proves nothing: ask the visitor whether it is "
        "theirs."
    ) % {
        "number": ticket.number,
        "matter": ticket.matter.name,
        "time": f"{timezone.localtime(ticket.issued_at):%H:%M}",
        "state": ticket.get_state_display(),
    }


def _reprint(request: HttpRequest, hall: Hall, user: User) -> HttpResponse:
    """The visitor's open ticket printed again (offered when a second one was refused, and on
    the ticket's own page for staff): the step is recorded on the ticket, then its page prints
    as a new one does."""
    ticket = get_object_or_404(
        Ticket.objects.select_related("hall"),
        hall=hall,
        pk=row_id(request.POST.get("ticket")),
        state=TicketState.WAITING,  # a citizen at a window needs no slip (its QR rates the visit)
    )
    try:
        # Once per form (its one-time token): a double click, or Back and send again, printed
        # and recorded two reprints of one lost slip. The second sending prints the ticket
        # again, recording nothing more.
        with transaction.atomic():
            if once.claim(once.posted_token(request.POST)):
                tickets.reprint(ticket, actor=user, via=Source.RECEPTION, now=clock.now())
    except actions.HallError as exc:
        messages.error(request, exc.message)
        return redirect("hall:reception", code=hall.code)
    return redirect("hall:ticket", token=ticket.token)
