"""The citizen's pages, without a login: the window's rating pad (only in the browser enrolled as
it, :mod:`hotline.ratings.pad`), the ticket's rating page (from the QR code on the ticket and "my
place") and the SMS link. They show no personal data.

A rating posted from a browser where a member of staff is logged in is refused by the action
(the clerk cannot rate for the citizen); these pages pass whoever is logged in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.hall import identity
from hotline.hall.models import Ticket, TicketState, Window
from hotline.orders.models import State
from hotline.org.models import User
from hotline.portal import limits
from hotline.portal.views import link_incomplete
from hotline.ratings import actions, links, pad, visits
from hotline.ratings.actions.rating import follow_up_not_by_slip
from hotline.ratings.actions.sms import holder_number, number_proved
from hotline.ratings.forms import FollowUpForm, RatingForm, SmsLinkForm
from hotline.ratings.models import Channel, Pad, Rating, RatingState
from hotline.security import public_url
from hotline.security.masking import public_text

SMS_PER_TICKET = 2
SMS_LIMIT = limits.Limit("rating-sms", "ticket", SMS_PER_TICKET, dt.timedelta(days=1))
#: Numbers refused for a ticket's link in a day (not the ticket's own proved number): a wrong
#: number is answered as such, so without a cap the page told whoever holds a slip — the clerk
#: who printed and served it — whether a guessed number is the holder's (review, session 23).
#: Three: a citizen's typo or two; past them, on such a slip, the link goes to the ticket's own
#: number only and the page answers every number alike (:func:`_past_refusals`).
SMS_REFUSED = limits.Limit("rating-sms-refused", "ticket", 3, dt.timedelta(days=1))


def _who(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _not_enrolled(request: HttpRequest) -> HttpResponse:
    """Any browser but an enrolled pad: no window, no visit, no form; what the manager does.
    The pad's own polls and posts reload it, so a pad revoked while in use shows this at once."""
    context = {"off_network": pad.PAD.enrolled_off_network(request)}
    response = render(request, "ratings/pad_not_enrolled.html", context, status=403)
    if request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


def _public_reply(rating: Rating | None) -> str:
    order = rating.order if rating is not None else None
    if order is None or not order.reply_text:
        return ""
    return public_text(order.reply_text, order.citizen_name)


@require_http_methods(["GET", "POST"])
def pad_page(request: HttpRequest) -> HttpResponse:
    """The tablet at the window, enrolled as its rating pad by the hall's manager. It asks for
    the window's last finished visit every two seconds (``pad_live``) and shows the form by
    itself; a rating posts here. Any other browser is told it is not a pad."""
    device = pad.enrolled_pad(request)
    if device is None:
        return _not_enrolled(request)
    if request.method == "POST":
        response = _pad_rate(request, device)
    else:
        context = {"window": device.window, **_pad_state(device.window)}
        response = render(request, "ratings/pad.html", context)
    return pad.PAD.renew(request, response)


def pad_live(request: HttpRequest) -> HttpResponse:
    device = pad.enrolled_pad(request)
    if device is None:
        return _not_enrolled(request)
    context = {"window": device.window, **_pad_state(device.window)}
    return render(request, "ratings/_pad.html", context)


def pad_old_address(request: HttpRequest, token: str) -> HttpResponse:
    """The pad's address before pads were enrolled (a signed window in the link): the tablets'
    bookmarks lead to the pad's page, which says whether this browser is one."""
    return redirect("ratings:pad")


def _pad_state(window: Window) -> dict[str, object]:
    ticket = pad.pending(window, clock.now())
    return {"ticket": ticket, "form": RatingForm() if ticket else None}


def _pad_rate(request: HttpRequest, device: Pad) -> HttpResponse:
    window = device.window
    form = RatingForm(request.POST)
    ticket = pad.pending(window, clock.now())
    context: dict[str, object] = {"window": window, "ticket": ticket, "form": form}
    if ticket is None or str(ticket.pk) != request.POST.get("ticket"):
        # Rated meanwhile through the QR code, or the pad's time ran out: back to waiting.
        context.update(ticket=None, form=None)
        return _pad_render(request, "ratings/_pad.html", context)
    if not form.is_valid():
        return _pad_render(request, "ratings/_pad.html", context, status=422)
    try:
        rating = actions.rate(
            ticket, _who(request), channel=Channel.PAD, pad=device, **form.action_kwargs()
        )
    except actions.HallError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        status = 403 if isinstance(exc, actions.NotAllowed) else 422
        return _pad_render(request, "ratings/_pad.html", context, status=status)
    return _pad_render(request, "ratings/_pad_thanks.html", {**context, "rating": rating})


def _pad_render(
    request: HttpRequest, inner: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    """The fragment for the pad's HTMX post; the whole page for a plain form post."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, inner, context, status=status)
    return render(request, "ratings/pad.html", {**context, "inner": inner}, status=status)


@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, token: str) -> HttpResponse:
    """Rate a visit from the ticket's QR code (the "my place" key), or give the follow-up."""
    ticket = Ticket.objects.select_related("hall__unit", "matter").filter(token=token).first()
    if ticket is None:
        return link_incomplete(request)
    return _rate_page(request, ticket, Channel.QR)


@require_http_methods(["GET", "POST"])
def sms(request: HttpRequest, signed: str) -> HttpResponse:
    """The same page reached from the link in a text message."""
    link = links.sms_link(signed)
    if link is None:
        return link_incomplete(request)
    return _rate_page(request, link.ticket, Channel.SMS, to_holder=link.to_holder)


def _rate_page(
    request: HttpRequest, ticket: Ticket, channel: str, *, to_holder: bool = False
) -> HttpResponse:
    rating = Rating.objects.select_related("order").filter(ticket=ticket).first()
    served = visits.service_of(ticket) is not None
    follow_up = (
        rating is not None
        and rating.state == RatingState.RECTIFYING
        and rating.order is not None
        and rating.order.state == State.CLOSED
    )
    # The 追评 through the slip's code of a visit its server printed: the rating's key, refused as
    # the rating is (attack, session 26, h5 F1); the link texted to the citizen's number gives it.
    # Asked only of a rating being rectified, the one state the page says it in.
    follow_up_elsewhere = (
        rating is not None
        and rating.state == RatingState.RECTIFYING
        and rating.order is not None
        and channel == Channel.QR
        and visits.slips_of(ticket).by_server
    )
    form: RatingForm | FollowUpForm | None = None
    # A slip printed by the clerk who served the visit is no key to rate it (the action refuses,
    # f5fd132): said before the citizen fills the form in, with where to rate instead. The
    # link texted to the ticket's own number is a key the clerk never held: it rates.
    by_server = rating is None and served and not to_holder and visits.slips_of(ticket).by_server
    if rating is None and served and not by_server:
        form = RatingForm(request.POST or None)
    elif follow_up and not follow_up_elsewhere:
        form = FollowUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form is None:
            status = 409
        elif not form.is_valid():
            status = 422
        else:
            try:
                if isinstance(form, RatingForm):
                    rating = actions.rate(
                        ticket,
                        _who(request),
                        channel=channel,
                        to_holder=to_holder,
                        **form.action_kwargs(),
                    )
                elif rating is not None:
                    actions.follow_up(rating, _who(request), channel=channel, **form.cleaned_data)
                    rating.refresh_from_db()
            except actions.HallError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = 403 if isinstance(exc, actions.NotAllowed) else 422
            else:
                # Done: the page's own address thanks the citizen (the rating is on it now), so
                # Back or a reload on her phone does not ask to send the form again (PRG;
                # h7's F9 of session 27).
                return redirect(request.get_full_path())
    context = {
        "ticket": ticket,
        "rating": rating,
        "served": served,
        "form": form,
        "following_up": follow_up and form is not None,
        "follow_up_elsewhere": follow_up_not_by_slip() if follow_up_elsewhere else "",
        # The unit's reply on a page whoever holds the slip's code opens: masked as Open311
        # publishes an order's text (review, session 25, L3).
        "reply": _public_reply(rating),
        "sms_form": SmsLinkForm() if channel == Channel.QR else None,
        "by_server": by_server,
        # The slip's QR page of such a visit offers only the link to the ticket's own number.
        "holder_form": SmsLinkForm()
        if by_server and channel == Channel.QR and number_proved(ticket)
        else None,
    }
    return render(request, "ratings/visit.html", context, status=status)


@require_http_methods(["POST"])
def send_sms(request: HttpRequest, token: str) -> HttpResponse:
    """From the QR page: the citizen asks for the rating link by text, to rate later."""
    ticket = Ticket.objects.select_related("hall__unit").filter(token=token).first()
    if ticket is None:
        return link_incomplete(request)
    form = SmsLinkForm(request.POST)
    sent = False
    # Anyone holding the ticket could ask: a few messages per ticket, so the page cannot be used
    # to send text messages to strangers. Counted in the database (limits), not in a process's
    # cache: every worker and machine shares the count, it survives a restart, and two requests
    # at once cannot both pass the last one (the hit is recorded before it is counted). Only
    # texts sent count: a refused number took one of the two, so the clerk who printed a slip
    # and served the visit could use both up with wrong numbers and its holder got no link
    # (attack, session 23).
    # A refused number counts apart, three a day (SMS_REFUSED): recorded before the number is
    # compared and taken back when the link is sent, so asks made at the same moment cannot
    # compare more. Past them every number is still compared, but answered alike (_past_refusals).
    blind = False
    if form.is_valid() and ticket.state == TicketState.DONE:
        key = str(ticket.pk)
        miss = limits.record_try(SMS_REFUSED, key)
        # Only where the slip's clerk served the visit is a number refused for not being the
        # holder's (the guessing the cap stops); elsewhere any mobile number gets the link, so
        # past the cap the ask goes on as before it.
        blind = miss is None and visits.slips_of(ticket).by_server
        hit = limits.record_try(SMS_LIMIT, key) if not blind else None
        if blind:
            try:
                _past_refusals(request, ticket, form.cleaned_data["phone"])
                form = SmsLinkForm()  # the page does not repeat the number either
            except actions.HallError as exc:  # not a mobile number: nobody's, said as such
                blind = False
                form.add_error("phone", exc.message)
        elif hit is None:
            if miss is not None:
                limits.forget_try(miss)
            form.add_error(None, _("The link has already been sent."))
        else:
            try:
                actions.send_link(ticket, form.cleaned_data["phone"], link=_link(request, ticket))
                sent = True
                if miss is not None:
                    limits.forget_try(miss)
            except actions.HallError as exc:
                limits.forget_try(hit)  # a refused number's miss stays
                form.add_error("phone", exc.message)
    # The holder's form (the slip printed by the visit's server) answers into its own box.
    target = "holder-link" if request.POST.get("to") == "holder" else "sms-link"
    # The box alone for htmx to swap in; a form posted before htmx ran (a phone on a slow
    # network) shows the answer as a page, not as a bare fragment without styles (session 26).
    htmx = request.htmx  # type: ignore[attr-defined]
    template = "ratings/_sms_sent.html" if htmx else "ratings/sms_sent.html"
    return render(
        request,
        template,
        {"ticket": ticket, "sms_form": form, "sent": sent, "blind": blind, "target": target},
        status=200 if sent or blind else 422,
    )


def _link(request: HttpRequest, ticket: Ticket) -> Callable[[bool], str]:
    def link(to_holder: bool) -> str:
        token = links.sms_token(ticket, to_holder=to_holder)
        return public_url.absolute(request, reverse("ratings:sms", args=[token]))

    return link


def _past_refusals(request: HttpRequest, ticket: Ticket, phone: str) -> None:
    """An ask after the day's refused numbers (SMS_REFUSED): the link goes to the number the
    ticket was given under (:func:`holder_number`, within the day's texts, SMS_LIMIT) and to no
    other, and the page answers every number alike, sent or not, already sent or not ("if this
    is the ticket's number, the link is on its way"). Refusing every number past the cap let the
    clerk who printed the slip and served the visit burn its holder's link with three wrong
    numbers (attack, session 24: F4 again); answering each number as before would tell her, guess
    after guess, whether a number is the holder's (review, session 23). Only the holder's number
    uses up a text, so wrong numbers neither block the link nor learn anything. The send itself
    is off the request (notify's queue). What is not a mobile number at all is refused as such
    (raised), whoever asks: that tells nothing of the holder."""
    number = identity.mobile(phone)
    if visits.service_of(ticket) is None or not holder_number(ticket, number):
        return
    hit = limits.record_try(SMS_LIMIT, str(ticket.pk))
    if hit is None:
        return
    try:
        actions.send_link(ticket, number, link=_link(request, ticket))
    except actions.HallError:
        limits.forget_try(hit)
