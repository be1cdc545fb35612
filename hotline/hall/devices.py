"""A registered kiosk's device identity: the browser the hall's manager (or an administrator)
enrolled as kiosk X holds a signed, long-lived, HttpOnly cookie naming the kiosk and its current
enrolment token (hall.actions.selfservice.enrol). Enrolling again or revoking replaces or clears
the token, so an old cookie no longer names the kiosk.

The kiosks' allowances (wrong check-in codes, bookings, tracking look-ups, tickets and
self-service uses counted per kiosk) apply to an enrolled kiosk only: a page that merely names a
kiosk (``?kiosk=``, a link anyone can copy) is a phone's, counted per address like the portal's.
With ``HALL_KIOSK_NETWORKS`` set, the cookie counts only from those networks too.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare

from hotline.hall.models import Hall, Kiosk
from hotline.portal import limits

COOKIE = "hotline_kiosk"
_SALT = "hotline.hall.devices.kiosk"
#: Browsers keep a cookie 400 days at most (Chromium caps longer ones); the kiosk's pages
#: renew it on every visit, so a kiosk in use stays enrolled until revoked.
MAX_AGE = dt.timedelta(days=400)
_CACHED = "_hotline_enrolled_kiosk"


def cookie_value(kiosk: Kiosk, token: str) -> str:
    """The cookie's signed value (as ``set_signed_cookie`` writes it) naming ``kiosk``."""
    return signing.get_cookie_signer(salt=COOKIE + _SALT).sign(f"{kiosk.pk}:{token}")


def set_cookie(response: HttpResponse, request: HttpRequest, kiosk: Kiosk, token: str) -> None:
    response.set_cookie(
        COOKIE,
        cookie_value(kiosk, token),
        max_age=int(MAX_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
    )


def clear_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def _read(request: HttpRequest) -> Kiosk | None:
    value = request.get_signed_cookie(COOKIE, default=None, salt=_SALT)
    if not value or ":" not in value:
        return None
    pk, _sep, token = value.partition(":")
    if not pk.isdigit() or not token or len(pk) > 12:
        return None
    kiosk = Kiosk.objects.select_related("hall__unit").filter(pk=int(pk), active=True).first()
    if kiosk is None or not kiosk.enrolment_token:
        return None
    if not constant_time_compare(kiosk.enrolment_token, token):
        return None  # enrolled again since, or revoked and enrolled again
    return kiosk


def enrolled_kiosk(request: HttpRequest) -> Kiosk | None:
    """The registered kiosk this browser was enrolled as, still enrolled (and, with
    ``HALL_KIOSK_NETWORKS`` set, on those networks), or ``None``."""
    if not hasattr(request, _CACHED):
        kiosk = _read(request) if limits.at_hall_kiosk_network(request) else None
        setattr(request, _CACHED, kiosk)
    found: Kiosk | None = getattr(request, _CACHED)
    return found


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
    """Send an enrolled kiosk's cookie again (a kiosk in daily use never reaches the end of
    :data:`MAX_AGE`)."""
    kiosk = enrolled_kiosk(request)
    if kiosk is not None:
        set_cookie(response, request, kiosk, kiosk.enrolment_token)
    return response
