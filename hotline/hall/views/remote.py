"""Today's ticket from the portal (取号 online, issue 17 item 3): for the matters that allow it, a
citizen takes a ticket on a phone while the windows are open and follows it on "my place"; a text
message comes when the turn is near, so they can come then.

A mobile number is required: it is the ticket's real-name key (one active ticket per person and
matter) and where the text goes. It must be the citizen's: the form texts a six-digit code to it
and only the code typed back takes the ticket (hotline.hall.booking_code, as for booking), or one
address took tickets under made-up numbers, filling the queue with people who never come and
texting "your turn is near" to strangers. The ticket comes from the same action as at the kiosk
(source "portal"), so outside the windows' hours it is refused there too; what it refuses (the
hall closed meanwhile, a ticket already held) brings the form back filled, with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.hall import actions, booking_code, hours, identity, sms
from hotline.hall.forms import CodeForm, hall_matters
from hotline.hall.models import Hall, Source
from hotline.matters.models import Matter
from hotline.portal import limits
from hotline.portal.forms import PhoneField
from hotline.portal.views import link_incomplete
from hotline.security.phone_numbers import phone_key
from hotline.web import once


class RemoteTicketForm(forms.Form):
    matter: forms.ModelChoiceField[Matter] = forms.ModelChoiceField(
        queryset=Matter.objects.none(),
        label=gettext_lazy("Matter"),
        empty_label=gettext_lazy("Choose a matter"),
    )
    phone = PhoneField(label=gettext_lazy("Mobile number"), max_length=30)
    name = forms.CharField(label=gettext_lazy("Name (optional)"), max_length=30, required=False)

    def __init__(self, matters: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters  # type: ignore[attr-defined]


def remote_matters(hall: Hall) -> Any:
    """The hall's matters whose ticket may be taken on the portal."""
    return hall_matters(hall).filter(remote_ticket_allowed=True)


@require_http_methods(["GET", "POST"])
def remote_ticket(request: HttpRequest, code: str) -> HttpResponse:
    """The form texts a code to the number; the code typed back takes the ticket."""
    hall = Hall.objects.select_related("unit").filter(code=code).first()
    if hall is None:  # a hall's code cut short or mistyped: the citizen's page (session 29, h9)
        return link_incomplete(request)
    step = _TicketStep(request, hall, remote_matters(hall), clock.now())
    if request.method != "POST":
        sent = booking_code.code_step(request, hall, step.now, booking_code.TICKET)
        if sent is not None:
            return step.code_page(sent)
        return step.form_page(RemoteTicketForm(step.matters))
    if "pending" in request.POST and "resend" not in request.POST:
        return step.confirm(CodeForm(request.POST))
    form = RemoteTicketForm(step.matters, request.POST)
    if not form.is_valid():
        return step.form_page(form, status=422)
    return step.send_code(form)


class _TicketStep:
    """The remote ticket page's steps for one request: the form, the code, the ticket."""

    def __init__(self, request: HttpRequest, hall: Hall, matters: Any, now: dt.datetime) -> None:
        self.request, self.hall, self.matters, self.now = request, hall, matters, now

    def _context(self) -> dict[str, Any]:
        is_open = hours.hall_open(self.hall, self.now)
        # At lunch the matters of the windows serving through it are still ticketed (午间不打烊).
        lunch = None if is_open else hours.lunch_service(self.hall, self.now)
        return {
            "hall": self.hall,
            "offered": self.matters.exists(),
            "closed": not is_open and lunch is None,
            "lunch": lunch,
            "next_opening": None if is_open else hours.next_opening(self.hall, self.now),
            "at_lunch": not is_open and hours.at_lunch(self.hall, self.now),
        }

    def form_page(self, form: RemoteTicketForm, status: int = 200) -> HttpResponse:
        context = self._context() | {"form": form, "submission": once.new_token()}
        return render(self.request, "hall/remote_ticket.html", context, status=status)

    def _refilled(self, pending: booking_code.Pending, error: str) -> HttpResponse:
        """The form again, as the citizen filled it, with why the code took no ticket."""
        data = {"matter": pending.matter, "phone": pending.phone, "name": pending.name}
        form = RemoteTicketForm(self.matters, data)
        form.is_valid()
        form.add_error(None, error)
        return self.form_page(form, status=422)

    def send_code(self, form: RemoteTicketForm) -> HttpResponse:
        matter, phone = form.cleaned_data["matter"], form.cleaned_data["phone"]
        try:
            phone = identity.mobile(phone)
            # Closed: no code for a ticket that cannot be had (actions.issue asks again). A
            # ticket already held is said only once the code is typed: before, anyone could
            # learn from this page which number holds a ticket for which matter today.
            hours.refuse_ticket_when_closed(
                self.hall, self.now, source=Source.PORTAL, matter=matter
            )
        except actions.HallError as exc:
            form.add_error("phone" if exc.field == "phone" else None, exc.message)
            return self.form_page(form, status=422)
        name = form.cleaned_data["name"]
        shown, refusal = booking_code.send_posted(
            self.request,
            self.hall,
            None,
            matter=str(matter.pk),
            phone=phone,
            name=name,
            now=self.now,
        )
        if shown is None:
            form.add_error(None, refusal)
            return self.form_page(form, status=422)
        if refusal:
            # "Send again" too soon: the code already sent still holds, on its page, with why.
            return self.code_page(shown, CodeForm.refused(refusal), status=422)
        # Sent (or the same form's code found again): its step is a page of its own, so a
        # reload or Back and Forward shows it without posting the number again.
        return booking_code.code_step_redirect(self.request, shown, self.now)

    def code_page(
        self,
        pending: booking_code.Pending,
        form: CodeForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = (
            self._context()
            | booking_code.page_context(pending, form, self.now)
            | {"for_ticket": True, "matter": self.matters.filter(pk=pending.matter).first()}
        )
        return render(self.request, "hall/remote_ticket.html", context, status=status)

    def confirm(self, form: CodeForm) -> HttpResponse:
        signed = str(form.data.get("pending", ""))[:2000]
        what = booking_code.TICKET
        try:
            pending = booking_code.verify(
                signed, str(form.data.get("code", ""))[:12], self.hall, self.now, what
            )
        except booking_code.NeedNewCode as exc:
            return self._refilled(exc.pending, exc.message)
        except booking_code.CodeRefused as exc:
            form.is_valid()
            form.add_error("code", exc.message)
            return self.code_page(booking_code.read(signed, self.hall, what), form, status=422)
        except actions.HallError as exc:
            # Not a page this hall signed for a ticket: the form from the start.
            again = RemoteTicketForm(self.matters)
            again.full_clean()  # unbound: no errors of its own, only this one
            again.cleaned_data = {}
            again.add_error(None, exc.message)
            return self.form_page(again, status=422)
        return self._take(pending)

    def _take(self, pending: booking_code.Pending) -> HttpResponse:
        """The ticket the typed code confirms; a refusal (a limit, the hall closed or the matter
        taken off meanwhile, a ticket already held) comes back on the form, filled."""
        matter = self.matters.filter(pk=pending.matter).first()
        if matter is None:
            return self._refilled(pending, _("No ticket for this matter can be taken online."))
        values = {
            "ip": limits.client_address(self.request),
            "phone": phone_key(pending.phone, purpose="portal-limit"),
        }
        if limits.exceeded(limits.submit_limits(), values):
            return self._refilled(pending, _("Too many tickets from here. Try again later."))
        try:
            ticket = actions.issue(
                self.hall,
                matter,
                source=Source.PORTAL,
                holder_key=identity.holder_key(phone=pending.phone),
                holder_name=pending.name,
                sms_phone=pending.phone,
                sms_language=sms.page_language(),
                once=pending.submission,
            )
        except actions.HallError as exc:
            return self._refilled(pending, exc.message)
        return booking_code.end_code_step(self.request, redirect("hall:place", token=ticket.token))
