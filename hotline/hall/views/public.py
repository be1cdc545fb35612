"""Pages without a login: the kiosk, the printed ticket, the citizen's "my place", the hall board.

They run on the hall's own devices (kiosk, wall display) and on citizens' phones; they show no
personal data beyond a masked name (张*), and a ticket is reached only through its random token.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import segno
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.cases.models import Case, CaseAction, CaseState
from hotline.hall import actions, board, devices, estimate, hours, identity, sms, snapshot
from hotline.hall.actions.tickets import give_up as give_up_ticket
from hotline.hall.actions.tickets import once_token, printed_again_by_staff, reprinted_refusal
from hotline.hall.forms import KioskForm
from hotline.hall.models import (
    ACTIVE_STATES,
    Appointment,
    Hall,
    Kiosk,
    Source,
    Ticket,
    TicketAction,
    TicketEvent,
    TicketState,
    WindowState,
)
from hotline.hall.views.clerk import is_hall_staff
from hotline.hall.views.selfservice import (
    TICKET_KIOSK,
    hall_machines_only,
    kiosk_home,
    kiosk_of,
    no_clerk,
)
from hotline.portal import limits
from hotline.portal.models import PortalHit
from hotline.portal.views import link_incomplete
from hotline.ratings import visits
from hotline.ratings.actions.sms import number_proved
from hotline.security import public_url
from hotline.web import once

#: How long the kiosk shows a ticket it printed before it is ready for the next citizen.
KIOSK_RETURN_SECONDS = 20
#: A kiosk form left with what a citizen typed (a mobile number, a name, an error about them)
#: and nobody touching it for this long starts afresh for the next one.
KIOSK_IDLE_SECONDS = 60


def _hall(code: str) -> Hall:
    return get_object_or_404(Hall.objects.select_related("unit"), code=code)


def citizen_hall(code: str) -> Hall | None:
    """The hall of a citizen's page (booking, cancel, move, the booking's own page), or ``None``
    for a code that names none: the caller answers :func:`~hotline.portal.views.link_incomplete`
    (a link from a text message cut short or mistyped), not the staff's 404 (session 29, h9)."""
    return Hall.objects.select_related("unit").filter(code=code).first()


#: Tickets issued at the ticket kiosk's page in an hour: by one of the hall's enrolled kiosks
#: (hotline.hall.devices), counted per kiosk; by any other browser (a kiosk not enrolled, a
#: phone on the hall's Wi-Fi, anyone when ``HALL_KIOSK_NETWORKS`` is unset), per address. A
#: hall gives a few hundred tickets a day, so a busy hour seldom reaches a hundred; a script
#: cannot fill the queue with thousands, and a phone using up its address's count leaves the
#: enrolled kiosks' own untouched.
KIOSK_TICKETS = limits.Limit("kiosk-ticket", "kiosk", 600, dt.timedelta(hours=1))
ADDRESS_TICKETS = limits.Limit("kiosk-ticket", "ip", 600, dt.timedelta(hours=1))
#: Kiosk tickets asking to text one mobile number in 24 hours, in every hall. The kiosk cannot
#: check that the number typed is the citizen's (the portal's ticket sends a code first), and it is
#: open to any browser while ``HALL_KIOSK_NETWORKS`` is unset: a script took ticket after
#: ticket "texting" a stranger's number, each with another ID number so that no one-per-person
#: rule stopped it (attack, session 19). A person takes a few tickets a day at most.
KIOSK_TEXTS_PER_PHONE = limits.Limit("kiosk-text", "phone", 3, dt.timedelta(days=1))


@require_http_methods(["GET", "POST"])
@hall_machines_only
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    """Big buttons, one per matter; optional real name (phone or ID) and priority. Outside the
    windows' hours it offers what needs no clerk instead (the action refuses a ticket then too,
    for a page left open past closing time)."""
    hall = _hall(code)
    form = KioskForm(hall, request.POST or None)
    status = 200
    # Opened from a self-service kiosk (its "take a ticket"): that machine is home, to go back to.
    came_from = kiosk_of(hall, request.GET.get("kiosk", ""))
    home = kiosk_home(hall, came_from) if came_from not in ("", TICKET_KIOSK) else ""
    if request.method == "POST":
        enrolled = devices.enrolled_at(request, hall) is not None
        if form.is_valid() and devices.exceeded(request, enrolled, KIOSK_TICKETS, ADDRESS_TICKETS):
            form.add_error(
                None,
                _(
                    "Too many tickets were taken at this kiosk in the last hour. Please ask at "
                    "reception."
                )
                if enrolled
                else _(
                    "Too many tickets were taken from this address in the last hour. Please "
                    "ask at reception."
                ),
            )
        elif form.is_valid():
            texting = form.cleaned_data.get("sms_phone", "")
            counted = _count_text(texting) if texting else None
            posted = once.posted_token(request.POST)
            if texting and counted is None:
                form.add_error(
                    "sms",
                    _(
                        "This mobile number has asked for texts for %(n)d tickets in the last "
                        "24 hours. Untick the text message, or ask at reception."
                    )
                    % {"n": KIOSK_TEXTS_PER_PHONE.count},
                )
            else:
                # The same form sent again gets the ticket it gave, counted when it was given.
                again = counted is not None and _given_before(posted)
                try:
                    ticket = actions.issue(
                        hall,
                        source=Source.KIOSK,
                        once=posted,
                        sms_language=sms.page_language(),  # the kiosk's, as the citizen set it
                        **form.issue_kwargs(),
                    )
                except actions.HallError as exc:
                    if counted is not None:
                        limits.forget_try(counted)  # no ticket: nothing will be texted
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    if counted is not None and again:
                        limits.forget_try(counted)
                    return redirect(ticket_url(ticket, came_from if home else ""))
        status = 422
    now = clock.now()
    is_open = hours.hall_open(hall, now)
    # At lunch the matters of the windows serving through it are still ticketed (午间不打烊).
    lunch = None if is_open else hours.lunch_service(hall, now)
    early = dt.timedelta(minutes=hall.checkin_early_minutes)
    context = {
        "hall": hall,
        "form": form,
        "submission": once.new_token(),
        "closed": not is_open and lunch is None,
        "lunch": lunch,
        "next_opening": None if is_open else hours.next_opening(hall, now),
        "at_lunch": not is_open and hours.at_lunch(hall, now),
        "check_in_open": is_open or hours.hall_open(hall, now + early),
        # Opened from a self-service kiosk: what needs no clerk (booking, material lists) leads
        # back to that machine, not to this page.
        "no_clerk": no_clerk(hall, Kiosk.objects.filter(hall=hall, code=came_from).first())
        if home
        else no_clerk(hall),
        "idle_after": KIOSK_IDLE_SECONDS,
        "came_from": came_from if home else TICKET_KIOSK,
        "kiosk_home": home,
    }
    response = render(request, "hall/kiosk.html", context, status=status)
    return devices.renew(request, response)  # a ticket machine in use stays enrolled


def _count_text(sms_phone: str) -> PortalHit | None:
    """Count a kiosk ticket asking to text ``sms_phone`` under :data:`KIOSK_TEXTS_PER_PHONE`
    (its keyed hash), before the ticket is given, so that forms sent at the same moment cannot
    all pass: the count's row, taken back (``limits.forget_try``) when no new ticket came of it
    (a refusal, the same form sent again); ``None`` when the number is past the limit."""
    return limits.record_try(KIOSK_TEXTS_PER_PHONE, identity.holder_key(phone=sms_phone))


def _given_before(posted: str) -> bool:
    """Whether the form's one-time token already gave a ticket (``actions.issue`` then gives
    that one back)."""
    return bool(posted) and Ticket.objects.filter(token=once_token(posted)).exists()


def ticket_url(ticket: Ticket, kiosk: str = "") -> str:
    """The ticket's page, told which kiosk it was taken at (``?kiosk=``) so that it goes back
    there (see :func:`ticket`)."""
    url = reverse("hall:ticket", args=[ticket.token])
    return f"{url}?kiosk={kiosk}" if kiosk else url


def ticket(request: HttpRequest, token: str) -> HttpResponse:
    """The 80 mm ticket, printed by the kiosk's browser, with a QR code to "my place"."""
    ticket = Ticket.objects.select_related("hall__unit", "matter").filter(token=token).first()
    if ticket is None:  # an address cut short or mistyped: the citizen's page, not the staff's
        return link_incomplete(request)
    place_url = public_url.absolute(request, reverse("hall:place", args=[ticket.token]))
    qr = segno.make(place_url, error="m").svg_data_uri(scale=4, border=2)
    order = snapshot.waiting_order(ticket.hall, ticket.day)
    ahead = snapshot.position_of(ticket.hall, ticket, order, now=clock.now())
    unserved = ticket.state == TicketState.WAITING and not snapshot.served_now(
        ticket.hall, ticket.matter_id
    )
    # Back to where it was given. The kiosk's page goes back by itself after a while: the next
    # citizen must not find this one's ticket there, to print again; staff's page stays.
    payload, by_staff = _issue_event(ticket)
    # Given at the reception desk (a ticket, or an appointment's checked in there by staff), or
    # printed there: the reception desk checks in again an appointment first checked in at the
    # kiosk, for a citizen who lost the slip. Who prints decides, not where the ticket was
    # first given, or the reception's screen went to the public kiosk by itself. The kiosks
    # are not signed in.
    staff = is_hall_staff(request.user, ticket.hall)
    at_desk = ticket.source == Source.RECEPTION or by_staff or staff
    back = reverse("hall:reception" if at_desk else "hall:kiosk", args=[ticket.hall.code])
    if not at_desk:
        # Taken at a self-service kiosk (a ticket, a check-in): back to that machine, not to
        # the ticket kiosk's page, which would stay on it for the rest of the day.
        back = kiosk_home(ticket.hall, request.GET.get("kiosk", "")) or back
    context: dict[str, object] = {"ticket": ticket, "qr": qr, "place_url": place_url}
    context |= {"ahead": ahead, "unserved": unserved, "back": back, "kiosk": not at_desk}
    context["return_after"] = KIOSK_RETURN_SECONDS
    # "Print again" is the reception desk's recorded reprint (a ticket event, once per form), for
    # hall staff and a ticket still waiting (the reprint refuses any other since e1b1889: a
    # citizen at a window needs no slip, and its QR code rates the visit). The browser's own
    # print, offered to anyone before, handed out a second slip that no event recorded; a
    # citizen who lost theirs asks at reception.
    if staff and ticket.state == TicketState.WAITING:
        context["reprint_submission"] = once.new_token()
    # An appointment's ticket that took the place of the holder's ordinary one says so: the
    # ordinary number in their hand is no longer called.
    context["replaces"] = str(payload.get("replaces", ""))
    # A kiosk ticket under the holder's number that a window had already called when they
    # checked in (theirs, or a stranger's): named, so they know they need only this one.
    context["beside"] = str(payload.get("beside", "")) if ticket.state in ACTIVE_STATES else ""
    return render(request, "hall/ticket.html", context)


def _issue_event(ticket: Ticket) -> tuple[dict[str, object], bool]:
    """An appointment ticket's issue payload, and whether staff checked it in (at reception)."""
    if ticket.source != Source.APPOINTMENT:
        return {}, False
    found = (
        TicketEvent.objects.filter(ticket=ticket, action=TicketAction.ISSUE)
        .values_list("payload", "actor_id")
        .first()
    )
    if found is None:
        return {}, False
    payload, actor = found
    return (payload if isinstance(payload, dict) else {}), actor is not None


class Ending(NamedTuple):
    """Why an ended ticket ended, for its holder's page: ``replaced`` (an appointment's check-in
    gave them another ticket) or ``merged`` (they were served on another ticket of theirs, their
    ID seen at the window); ``number`` is that other ticket's."""

    kind: str
    number: str


def _ending(ticket: Ticket) -> Ending | None:
    """What ended this ticket, if anything but the day's end did. The other ticket's number is
    shown, never a link to its page: the old ticket may have been taken at the kiosk under a
    number typed by someone else (anyone can type anyone's mobile there), and its page then led
    the stranger to the booked person's ticket page, where they could follow it and rate the
    visit first (attack, session 19). The booked person has the new ticket's page from the
    check-in itself."""
    if ticket.state != TicketState.ENDED:
        return None
    event = (
        TicketEvent.objects.filter(
            ticket=ticket, action__in=(TicketAction.REPLACE, TicketAction.MERGE)
        )
        .values_list("action", "payload")
        .first()
    )
    if event is None:
        return None
    action, payload = event
    payload = payload if isinstance(payload, dict) else {}
    if action == TicketAction.MERGE:
        # A merge ends the holder's waiting ticket once their ID was seen at the window serving
        # them on another one (actions.start, end_other): the page tells them so instead of
        # "the hall closed before this ticket was dealt with".
        served_as = payload.get("served_as")
        return Ending("merged", served_as) if isinstance(served_as, str) else None
    appointment_id = payload.get("appointment")
    if not isinstance(appointment_id, int):
        return None
    appointment = Appointment.objects.filter(pk=appointment_id).select_related("ticket").first()
    if appointment is None or appointment.ticket is None:
        return None
    return Ending("replaced", appointment.ticket.number)


def place(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's place: how many are ahead, the wait as a range, or where to go."""
    ticket = (
        Ticket.objects.select_related("hall__unit", "matter", "window", "target_window")
        .filter(token=token)
        .first()
    )
    if ticket is None:
        return link_incomplete(request)
    now = clock.now()
    ahead = None
    low = high = None
    unserved = False
    lunch: dict[str, object] | None = None
    # A ticket still open from an earlier day (the hall closed before its turn) is void: it has
    # no place in today's queue, and its holder takes a new ticket.
    expired = ticket.state in ACTIVE_STATES and ticket.day < board.today(now)
    if ticket.state == TicketState.WAITING and not expired:
        # The queue with the busy windows (one statement), and the windows' links read once
        # for the place, the range and the served-now check (session 28).
        waiting, busy = snapshot.queue_and_busy(ticket.hall, ticket.day)
        order = snapshot.ordered(ticket.hall, waiting, ticket.day)
        links = snapshot.serving(ticket.hall)
        ahead = snapshot.position_of(ticket.hall, ticket, order, links, now=now)
        low, high = estimate.for_place(ticket.hall, ticket, ahead, now, order, links, busy)
        unserved = not any(link.open and link.matter_id == ticket.matter_id for link in links)
        lunch = _lunch_for(ticket, now, links)
        if lunch is not None and not lunch["count"] and low is not None and high is not None:
            # Nobody calls the matter before the break ends: the range starts no sooner than
            # that ("44–140 minutes" at 12:10 with the windows calling again at 13:30, the
            # page saying both; session 30).
            resumes = lunch["resumes"]
            assert isinstance(resumes, dt.datetime)
            until = -int((now - resumes).total_seconds() // 60)  # whole minutes, rounded up
            low, high = max(low, until), max(high, until)
    # After closing an estimate of minutes misleads (the windows may stop, and the ticket ends
    # at the day's end): the page says the hall has closed, ask staff (session 24, M7).
    closed = ahead is not None and now >= hours.closing_of(ticket.hall, ticket.day)
    template = "hall/_place.html" if request.htmx else "hall/place.html"  # type: ignore[attr-defined]
    context: dict[str, object] = {"ticket": ticket, "ahead": ahead, "low": low, "high": high}
    context |= {"now": now, "expired": expired, "ending": _ending(ticket), "closed": closed}
    back_until = _back_until(ticket, now)
    context |= {"unserved": unserved, "back_until": back_until, "given_up": _given_up(ticket)}
    context["lunch"] = lunch
    # A slip staff printed again is given up no more (its token went through their hands).
    context["may_give_up"] = ahead is not None and not printed_again_by_staff(ticket)
    # A ticket whose story is over (served, cancelled, ended, void, a no-show past its chance)
    # tells the page to stop asking (HTMX stops polling on 286): a phone left on the page
    # polled every 10 s for as long as the browser stayed open.
    if ticket.state == TicketState.DONE:
        context |= _served(ticket)
    settled = expired or ticket.state in SETTLED
    settled = settled or (ticket.state == TicketState.NO_SHOW and back_until is None)
    status = 286 if request.htmx and settled else 200  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


def _lunch_for(
    ticket: Ticket, now: dt.datetime, links: list[snapshot.Serving]
) -> dict[str, object] | None:
    """During the hall's lunch break, what a waiting ticket's page says: the windows serving its
    matter through lunch (午间不打烊) that someone serves at now, or, with nobody at them
    (``idle``), that none serves it now; else when the windows call again. None at any other time
    (and no calendar read for a hall without a lunch break)."""
    hall = ticket.hall
    if hall.lunch_starts is None or not hours.at_lunch(hall, now):
        return None
    service = hours.lunch_service(hall, now)
    serving = {link.window_id for link in links if link.matter_id == ticket.matter_id}
    set_to = [w for w in service.windows if w.pk in serving] if service is not None else []
    windows = [w for w in service.staffed if w.pk in serving] if service is not None else []
    return {
        "windows": hours.window_numbers(windows),
        "count": len(windows),
        "idle": bool(set_to) and not windows,
        "resumes": hours.next_opening(hall, now),
    }


def _served(ticket: Ticket) -> dict[str, object]:
    """What a served ticket's page adds (walk-through, session 25, B-M1 and B-M4): the cases of
    the visit with their state — "service finished" is not "concluded" while one waits for
    corrected materials —, numbers and matter names only (the page is the token's, nobody's
    name); and whether its rating link can rate: a slip printed by the clerk who served the
    visit is no key (ratings.actions.rate), so the page says so instead of sending the citizen to
    a refusal, unless the link can be texted to the ticket's own proved number."""
    cases = list(
        Case.objects.filter(
            Q(ticket=ticket) | Q(events__ticket=ticket, events__action=CaseAction.VISIT)
        )
        .exclude(state=CaseState.WITHDRAWN)
        .select_related("matter")
        .distinct()
        .order_by("pk")
    )
    by_server = visits.slips_of(ticket).by_server
    return {
        "cases": cases,
        "rate_by_server": by_server,
        "rate_link": not by_server or number_proved(ticket),
    }


@require_http_methods(["GET", "POST"])
def give_up(request: HttpRequest, token: str) -> HttpResponse:
    """The holder cannot come: "give up my ticket", asked once more before it is done. The
    ticket's page (its random token) is the holder's proof; the place page says it after. Not
    once staff printed the slip again: the token went through their hands, and a signed-out
    browser is no proof of anything (:func:`~hotline.hall.actions.tickets.printed_again_by_staff`;
    the signed-in refusal below only keeps staff from doing it by mistake)."""
    ticket = (
        Ticket.objects.select_related("hall__unit", "matter", "window").filter(token=token).first()
    )
    if ticket is None:
        return link_incomplete(request)
    now = clock.now()
    if request.user.is_authenticated:
        # Staff reach any waiting ticket's page of their hall (a reprint at the reception desk
        # hands them its token), and a give-up records no one and counts as the citizen's own
        # abandonment: a clerk could empty her queue as if its citizens had left (attack, session
        # 24). Only the holder gives a ticket up, on their own phone; staff take a ticket out of
        # the queue through their own recorded steps (call, recall, no-show).
        context = {
            "ticket": ticket,
            "may": False,
            "refused": _(
                "You are signed in as staff: only the ticket's holder gives it up, on their own "
                "phone. Staff do not give up a citizen's ticket here."
            ),
        }
        return render(request, "hall/give_up.html", context, status=403)
    failed = False
    if request.method == "POST":
        try:
            give_up_ticket(ticket, now=now)
        except (actions.InvalidTransition, actions.Conflict):
            ticket.refresh_from_db()
            failed = True
        else:
            return redirect("hall:place", token=ticket.token)
    may = ticket.state == TicketState.WAITING and ticket.day >= board.today(now)
    refused = ""
    if may and printed_again_by_staff(ticket):
        may, refused = False, reprinted_refusal()
    elif failed or not may:
        may, refused = False, _("This ticket can no longer be given up.")
    context = {"ticket": ticket, "may": may, "refused": refused}
    return render(request, "hall/give_up.html", context, status=409 if refused else 200)


def _given_up(ticket: Ticket) -> bool:
    """Whether its holder gave this ticket up on its page (:func:`give_up`)."""
    if ticket.state != TicketState.CANCELLED:
        return False
    return TicketEvent.objects.filter(
        ticket=ticket, action=TicketAction.CANCEL, payload__by="holder"
    ).exists()


#: Ticket states nothing follows (a no-show may still get its place back for a while).
SETTLED = frozenset({TicketState.DONE, TicketState.CANCELLED, TicketState.ENDED})


def _back_until(ticket: Ticket, now: dt.datetime) -> dt.datetime | None:
    """Until when a no-show gets the place back at a window (actions.reactivate's tolerance);
    ``None`` once that has passed, or for a ticket that is not a no-show."""
    if ticket.state != TicketState.NO_SHOW:
        return None
    until = actions.reactivate_until(ticket)
    return until if until is not None and now <= until else None


def hall_board(request: HttpRequest, code: str) -> HttpResponse:
    """The wall display; its live part is fetched again every second (HTMX polling)."""
    hall = _hall(code)
    now = clock.now()
    day = board.today(now)
    is_open = hours.hall_open(hall, now)
    context = {
        "hall": hall,
        "calls": board.recent_calls(hall, day),
        "queues": board.queues(hall, day, now),
        "rule": board.queue_rule(hall),
        "now": now,
        # Outside the windows' hours no ticket is given: the board says when they open again
        # (the last tickets of the day may still be called meanwhile).
        "next_opening": None if is_open else hours.next_opening(hall, now),
        "at_lunch": not is_open and hours.at_lunch(hall, now),
        "lunch": None if is_open else hours.lunch_service(hall, now),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "hall/_board_live.html", context)
    return render(request, "hall/board.html", context)


def window_display(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The small display above one window: the number it calls now, or that it is closed."""
    hall = _hall(code)
    window = hall.windows.filter(number=number).first()
    if window is None:
        raise Http404
    now = clock.now()
    # A closed window (its clerk signed out) calls nobody: its last call is not shown as one.
    closed = window.state == WindowState.CLOSED
    calls = [] if closed else board.recent_calls(hall, board.today(now), limit=1, window=window)
    context = {"hall": hall, "window": window, "calls": calls}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "hall/_window_live.html", context)
    return render(request, "hall/window_display.html", context)
