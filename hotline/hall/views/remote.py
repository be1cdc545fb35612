"""Today's ticket from the portal (取号 online, issue 17 item 3): for the matters that allow it, a
citizen takes a ticket on a phone while the windows are open and follows it on "my place"; a text
message comes when the turn is near, so they can come then.

A mobile number is required (the portal's phone check and its per-address and per-phone limits,
as for booking): it is the ticket's real-name key (one active ticket per person and matter) and
where the text goes. The ticket comes from the same action as at the kiosk (source "portal"), so
outside the windows' hours it is refused there too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hotline import clock
from hotline.hall import actions, hours, identity
from hotline.hall.forms import hall_matters
from hotline.hall.models import Hall, Source
from hotline.matters.models import Matter
from hotline.portal import limits
from hotline.portal.forms import PhoneField
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
    hall = get_object_or_404(Hall.objects.select_related("unit"), code=code)
    matters = remote_matters(hall)
    form = RemoteTicketForm(matters, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            values = {
                "ip": limits.client_address(request),
                "phone": phone_key(phone, purpose="portal-limit"),
            }
            if limits.exceeded(limits.submit_limits(), values):
                form.add_error(None, _("Too many tickets from here. Try again later."))
            else:
                try:
                    mobile = identity.mobile(phone)
                    ticket = actions.issue(
                        hall,
                        form.cleaned_data["matter"],
                        source=Source.PORTAL,
                        holder_key=identity.holder_key(phone=mobile),
                        holder_name=form.cleaned_data["name"],
                        sms_phone=mobile,
                        once=once.posted_token(request.POST),
                    )
                except actions.HallError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    return redirect("hall:place", token=ticket.token)
    now = clock.now()
    is_open = hours.hall_open(hall, now)
    context = {
        "hall": hall,
        "form": form,
        "submission": once.new_token(),
        "offered": matters.exists(),
        "closed": not is_open,
        "next_opening": None if is_open else hours.next_opening(hall, now),
    }
    return render(request, "hall/remote_ticket.html", context, status=status)
