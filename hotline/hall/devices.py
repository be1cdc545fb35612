"""A registered machine's device identity: the browser the hall's manager (or an administrator)
enrolled as a kiosk, or as a window's rating pad, holds a signed, long-lived, HttpOnly cookie
naming the device and its current enrolment token (the device's ``enrol`` action: kiosks in
hall.actions.selfservice, pads in ratings.actions.pads). Enrolling again or revoking replaces or
clears the token, so an old cookie no longer names the device. Each kind of device
(:class:`DeviceKind`) has its own cookie: one browser can be a kiosk and nothing else names it.

The kiosks' allowances (wrong check-in codes, bookings, tracking look-ups, tickets and
self-service uses counted per kiosk) apply to an enrolled kiosk only: a page that merely names a
kiosk (``?kiosk=``, a link anyone can copy) is a phone's, counted per address like the portal's.
With ``HALL_KIOSK_NETWORKS`` set, a device's cookie counts only from those networks too.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from hotline.hall.models import Hall, Kiosk
from hotline.hall.models.selfservice import EnrolledDevice
from hotline.portal import limits

#: Browsers keep a cookie 400 days at most (Chromium caps longer ones); the device's pages
#: renew it on every visit, so a device in use stays enrolled until revoked.
MAX_AGE = dt.timedelta(days=400)

D = TypeVar("D", bound=EnrolledDevice)


def off_hall_network() -> str:
    """Why a kiosk or a rating pad is not enrolled from this browser: with
    ``HALL_KIOSK_NETWORKS`` set, a device's cookie counts only from those networks, so enrolling
    from outside them would leave a machine that shows nothing (walk-through, session 24, M11)."""
    return _(
        "This device's network address is not among the hall networks the system accepts: "
        "enrolled from here it would still show nothing. Connect it to the hall's network, or "
        "ask the system administrator to add this network."
    )


@dataclass(frozen=True)
class DeviceKind(Generic[D]):
    """One kind of enrolled machine: its cookie and where its devices are read from."""

    cookie: str
    salt: str
    #: The devices a cookie may name (e.g. active kiosks), with what their pages read.
    devices: Callable[[], QuerySet[D]]

    def cookie_value(self, device: D, token: str) -> str:
        """The cookie's signed value (as ``set_signed_cookie`` writes it) naming ``device``."""
        return signing.get_cookie_signer(salt=self.cookie + self.salt).sign(f"{device.pk}:{token}")

    def set_cookie(
        self, response: HttpResponse, request: HttpRequest, device: D, token: str
    ) -> None:
        response.set_cookie(
            self.cookie,
            self.cookie_value(device, token),
            max_age=int(MAX_AGE.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        )

    def clear_cookie(self, response: HttpResponse) -> None:
        response.delete_cookie(self.cookie, samesite="Lax")

    def _read(self, request: HttpRequest) -> D | None:
        value = request.get_signed_cookie(self.cookie, default=None, salt=self.salt)
        if not value or ":" not in value:
            return None
        pk, _sep, token = value.partition(":")
        if not pk.isdigit() or not token or len(pk) > 12:
            return None
        device = self.devices().filter(pk=int(pk)).first()
        if device is None or not device.enrolment_token:
            return None
        if not constant_time_compare(device.enrolment_token, token):
            return None  # enrolled again since, or revoked and enrolled again
        return device

    def enrolled(self, request: HttpRequest) -> D | None:
        """The device this browser was enrolled as, still enrolled (and, with
        ``HALL_KIOSK_NETWORKS`` set, on those networks), or ``None``."""
        cached = f"_hotline_enrolled_{self.cookie}"
        if not hasattr(request, cached):
            device = self._read(request) if limits.at_hall_kiosk_network(request) else None
            setattr(request, cached, device)
        found: D | None = getattr(request, cached)
        return found

    def enrolled_off_network(self, request: HttpRequest) -> D | None:
        """The device this browser was enrolled as, when its cookie is good but the request
        comes from outside ``HALL_KIOSK_NETWORKS`` (so :meth:`enrolled` says ``None``): its
        page says the address is the problem, not the enrolment (walk-through, session 24,
        M11: "not a pad, enrol it" after enrolling it)."""
        if limits.at_hall_kiosk_network(request):
            return None
        return self._read(request)

    def renew(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """Send an enrolled device's cookie again (a device in daily use never reaches the end
        of :data:`MAX_AGE`)."""
        device = self.enrolled(request)
        if device is not None:
            self.set_cookie(response, request, device, device.enrolment_token)
        return response

    def issue(self, device: D, now: dt.datetime) -> str:
        """For the device's ``enrol`` action, in its transaction: a new token replaces the old
        one (a browser enrolled before no longer counts as the device). The caller puts it in
        the browser's cookie."""
        token = secrets.token_urlsafe(32)
        type(device)._default_manager.filter(pk=device.pk).update(
            enrolment_token=token, enrolled_at=now
        )
        device.enrolment_token, device.enrolled_at = token, now
        return token

    def withdraw(self, device: D) -> bool:
        """For the device's ``revoke`` action, in its transaction: no browser counts as the
        device any more. Whether one did."""
        withdrawn = (
            type(device)
            ._default_manager.filter(pk=device.pk)
            .exclude(enrolment_token="")
            .update(enrolment_token="", enrolled_at=None)
        )
        device.enrolment_token, device.enrolled_at = "", None
        return bool(withdrawn)


KIOSK: DeviceKind[Kiosk] = DeviceKind(
    cookie="hotline_kiosk",
    salt="hotline.hall.devices.kiosk",
    devices=lambda: Kiosk.objects.select_related("hall__unit").filter(active=True),
)
COOKIE = KIOSK.cookie


def cookie_value(kiosk: Kiosk, token: str) -> str:
    """The kiosk cookie's signed value naming ``kiosk``."""
    return KIOSK.cookie_value(kiosk, token)


def set_cookie(response: HttpResponse, request: HttpRequest, kiosk: Kiosk, token: str) -> None:
    KIOSK.set_cookie(response, request, kiosk, token)


def clear_cookie(response: HttpResponse) -> None:
    KIOSK.clear_cookie(response)


def enrolled_kiosk(request: HttpRequest) -> Kiosk | None:
    """The registered kiosk this browser was enrolled as, still enrolled (and, with
    ``HALL_KIOSK_NETWORKS`` set, on those networks), or ``None``."""
    return KIOSK.enrolled(request)


def enrolled_at(request: HttpRequest, hall: Hall) -> Kiosk | None:
    """:func:`enrolled_kiosk`, when it is one of ``hall``'s kiosks."""
    kiosk = enrolled_kiosk(request)
    return kiosk if kiosk is not None and kiosk.hall_id == hall.pk else None


def device_key(request: HttpRequest) -> str:
    """The key the kiosks' limits count an enrolled kiosk under, or ``""``: one count per
    machine, which no other browser can use up."""
    kiosk = enrolled_kiosk(request)
    return f"device-{kiosk.pk}" if kiosk is not None else ""


def exceeded(
    request: HttpRequest, enrolled: bool, per_kiosk: limits.Limit, per_address: limits.Limit
) -> bool:
    """Record one hit and say whether its limit is exceeded: the enrolled kiosk's own count
    (``per_kiosk``) when ``enrolled``, else the address's (``per_address``)."""
    if enrolled:
        return limits.exceeded([per_kiosk], {"kiosk": device_key(request)})
    return limits.exceeded([per_address], {"ip": limits.client_address(request)})


def renew(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Send an enrolled kiosk's cookie again."""
    return KIOSK.renew(request, response)
