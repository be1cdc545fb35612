"""Open311 GeoReport v2 at ``/open311/v2/`` (http://wiki.open311.org/GeoReport_v2).

Every resource comes as ``.xml`` and ``.json``. Reading is public; posting a request needs an
``api_key`` — an API token scoped for it (``hotline token create USER --scope open311``), best
posted in the body (the access log cuts a query string's key to a few characters). A posted
request is registered through the same action as a phone call (channel ``open311``) and gets its
order number as ``service_request_id`` at once, so no token resource is needed. Only requests
that came in through Open311 can be read back here: orders taken by phone or on the portal are
not published. What is published is masked (:func:`_request_record`): the caller's own name,
phone, e-mail and ID numbers in the text and the address line, and the address's flat number.
Of an anonymous request, no address but its street, no ``lat``/``long``, and its
``description`` and ``status_notes`` are published as null (the text names the whistle-blower's
door as often as the address does, the unit's reply the place it visited); its category,
status, dates and street stay public.

No view relies on cookies (posting carries its api_key), so none needs Django's CSRF check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from hotline import clock
from hotline.api import idempotency
from hotline.assessment import periods
from hotline.open311 import services
from hotline.open311.render import Nested, document, errors, single
from hotline.orders import actions
from hotline.orders.actions.intake import REGISTER_ROLES
from hotline.orders.models import (
    DESCRIPTION_MAX_LENGTH,
    FINAL_STATES,
    Channel,
    Kind,
    WorkOrder,
)
from hotline.orders.rules import ActionError
from hotline.org import gazetteer
from hotline.org.models import ApiToken, Place, Unit
from hotline.portal.public import is_closed, public_reply
from hotline.security import public_url
from hotline.security.masking import public_text

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: When this endpoint last changed in a way clients should notice (discovery's changeset).
CHANGESET = "2026-11-22T00:00:00+08:00"
#: GET requests: the spec's default window and the most a query may span.
WINDOW = dt.timedelta(days=90)
#: GET requests: at most this many, newest first.
LIMIT = 1000


def _time(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _parse_time(raw: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if timezone.is_naive(value):
        return None
    try:  # the one sane range of days (year 1 or 9999 would overflow the zone arithmetic)
        periods.check_day(value.date())
    except periods.PeriodError:
        return None
    return value


def _allow(request: HttpRequest, fmt: str, *methods: str) -> HttpResponse | None:
    if request.method in methods or (request.method == "HEAD" and "GET" in methods):
        return None
    response = errors(fmt, 405, _("Method %(method)s not allowed.") % {"method": request.method})
    response["Allow"] = ", ".join(methods)
    return response


# --- discovery and services ----------------------------------------------------------------------


@csrf_exempt
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if refused := _allow(request, fmt, "GET"):
        return refused
    endpoint = {
        "specification": SPECIFICATION,
        # On PUBLIC_URL when set: a client takes this as the address to post its reports (and
        # its api_key) to, and the request's Host may be any name the server answers to, or
        # forged past a proxy (brief, session 24).
        "url": public_url.absolute(request, reverse("open311:root")).rstrip("/"),
        "changeset": CHANGESET,
        "type": "production",
        "formats": Nested("format", ["text/xml", "application/json"]),
    }
    return single(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": _("12345 citizen service hotline: call 12345 or use the citizen portal."),
            "key_service": _("Ask the hotline centre's administrator for an API key."),
            "endpoints": Nested("endpoint", [endpoint]),
        },
    )


@csrf_exempt
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if refused := _allow(request, fmt, "GET"):
        return refused
    records = [services.service_record(c) for c in services.leaves()]
    return document(fmt, "services", "service", records)


@csrf_exempt
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if refused := _allow(request, fmt, "GET"):
        return refused
    category = services.find(code)
    if category is None:
        return errors(fmt, 404, _("service_code %(code)s not found.") % {"code": code})
    return single(
        fmt,
        "service_definition",
        {
            "service_code": category.code,
            "attributes": Nested("attribute", services.attributes()),
        },
    )


# --- requests ------------------------------------------------------------------------------------


def _published() -> QuerySet[WorkOrder]:
    return WorkOrder.objects.filter(channel=Channel.OPEN311).select_related(
        "category", "lead_unit", "street"
    )


def _request_record(order: WorkOrder) -> dict[str, Any]:
    def coordinate(value: Decimal | None) -> float | None:
        # An anonymous report's point is the whistle-blower's door as often as the problem's.
        return float(value) if value is not None and not order.anonymous else None

    description: str | None
    status_notes: str | None
    if order.anonymous:
        # No unit user is shown anything of an anonymous caller; the public is shown at most
        # the street or town the gazetteer placed the report in, never the building or flat.
        address = order.street.name if order.street else None
        # Nor the texts: the description names the door as often as the address does ("我住…
        # 3号楼201室"), and the unit's reply the place it visited (attack report, session 23,
        # F10). Open311 lets both be empty; the category, status and street are still public.
        description = status_notes = None
    else:
        # Published to anyone: the caller's own name (the order knows it: "我叫王小明" → 王**),
        # and a phone number, e-mail or ID number in the text are masked (h4's finding C,
        # session 24; attack report, session 22).
        # The flat's number too (…3号楼***室): whose door, not where — in the address line (free
        # text as the partner app typed it) and in the texts, which name it as often ("我住共和新
        # 路100弄3号201室" went out whole in the description while the address masked it; attack,
        # session 26, F6).
        def public(text: str) -> str:
            return public_text(text, order.citizen_name)

        address = public(order.address) or None
        description = public(order.description)
        status_notes = public(public_reply(order)) or None
    return {
        "service_request_id": order.number,
        "status": "closed" if is_closed(order) else "open",
        "status_notes": status_notes,
        "service_name": order.category.name if order.category else None,
        "service_code": order.category.code if order.category else None,
        "description": description,
        "agency_responsible": order.lead_unit.name if order.lead_unit else None,
        "service_notice": None,
        "requested_datetime": _time(order.registered_at),
        "updated_datetime": _time(order.updated_at),
        "expected_datetime": _time(order.reply_due),
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": coordinate(order.latitude),
        "long": coordinate(order.longitude),
        "media_url": None,
    }


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if refused := _allow(request, fmt, "GET", "POST"):
        return refused
    if request.method == "POST":
        return _create(request, fmt)
    return _search(request, fmt)


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    query = request.GET
    orders = _published()
    ids = [i.strip() for i in query.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        # The spec: a list of ids overrides every other parameter.
        orders = orders.filter(number__in=ids)
        return document(fmt, "service_requests", "request", [_request_record(o) for o in orders])
    codes = [c.strip() for c in query.get("service_code", "").split(",") if c.strip()]
    if codes:
        orders = orders.filter(category__code__in=codes)
    statuses = {s.strip() for s in query.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        return errors(fmt, 400, _("status must be open, closed or both."))
    if statuses == {"open"}:
        orders = orders.exclude(state__in=FINAL_STATES)
    elif statuses == {"closed"}:
        orders = orders.filter(state__in=FINAL_STATES)
    bounds: dict[str, dt.datetime | None] = {}
    for name in ("start_date", "end_date"):
        raw = query.get(name, "")
        bounds[name] = _parse_time(raw) if raw else None
        if raw and bounds[name] is None:
            return errors(
                fmt,
                400,
                _("%(name)s must be a date and time with its zone, e.g. 2010-01-01T00:00:00Z.")
                % {"name": name}
                + " "
                + periods.out_of_range_message(),
            )
    start, end = bounds["start_date"], bounds["end_date"]
    if start is None and end is None:
        end = clock.now()
    if start is None:
        assert end is not None
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    if end < start:
        return errors(fmt, 400, _("end_date is before start_date."))
    if end - start > WINDOW:
        return errors(fmt, 400, _("start_date and end_date may span at most 90 days."))
    orders = orders.filter(registered_at__gte=start, registered_at__lte=end)
    records = [_request_record(o) for o in orders.order_by("-registered_at", "-pk")[:LIMIT]]
    return document(fmt, "service_requests", "request", records)


@csrf_exempt
def service_request(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    if refused := _allow(request, fmt, "GET"):
        return refused
    order = _published().filter(number=number).first()
    if order is None:
        return errors(fmt, 404, _("service_request_id %(id)s not found.") % {"id": number})
    return document(fmt, "service_requests", "request", [_request_record(order)])


def _citizen_name(first: str, last: str) -> str:
    # 张 + 三 → 张三; John + Smith → John Smith.
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    # Clients put api_key in the body (the spec) or in the query string (several libraries).
    key = (data.get("api_key") or request.GET.get("api_key") or "").strip()
    token = ApiToken.objects.authenticate(key) if key else None
    if token is None:
        return errors(fmt, 403, _("api_key is missing or not valid."))
    # Only a key made for Open311 (hotline token create --scope open311): a JSON API token given
    # to one system is not also a key for another.
    if not token.allows(ApiToken.OPEN311):
        return errors(fmt, 403, _("This api_key is not scoped for Open311."))
    # The key's account registers the request (the event names it), so only an account that may
    # register — an operator or dispatcher, or a partner system's account given that role — can.
    if not token.user.has_role(*REGISTER_ROLES):
        return errors(fmt, 403, _("This api_key's account may not register requests."))
    try:  # a retry with the same Idempotency-Key gets the first request's number back
        idempotency_key = idempotency.key_of(request)
    except ActionError as exc:
        return errors(fmt, 400, exc.message)
    code = data.get("service_code", "").strip()
    if not code:
        return errors(fmt, 400, _("service_code was not provided."))
    category = services.find(code)
    if category is None:
        return errors(fmt, 400, _("service_code %(code)s not found.") % {"code": code})
    problems: list[str] = []
    fields: dict[str, Any] = {}
    for name, low, high in (("lat", -90, 90), ("long", -180, 180)):
        raw = data.get(name, "").strip()
        if raw:
            try:
                value = float(raw)
            except ValueError:
                value = float("nan")
            if not low <= value <= high:
                problems.append(_("%(name)s is not a valid coordinate.") % {"name": name})
            fields[name] = value
    address = data.get("address_string", "").strip()
    place = None
    address_id = data.get("address_id", "").strip()
    if address_id:
        place = (
            Place.objects.select_related("street", "community").filter(pk=address_id).first()
            # ASCII digits that fit a row id: "²" passes isdigit() and then fails in int(), and
            # forty digits overflow PostgreSQL's bigint (both a 500 on the public API).
            if address_id.isascii() and address_id.isdigit() and len(address_id) <= 18
            else None
        )
        if place is None:
            problems.append(_("address_id %(id)s not found.") % {"id": address_id})
    if not (address or address_id or ("lat" in fields and "long" in fields)):
        problems.append(_("Give lat and long, address_string or address_id."))
    description = data.get("description", "").replace("\r\n", "\n").strip()
    media_url = data.get("media_url", "").strip()
    # The photo's address is stored with the description: the cap counts its line too.
    photo = "\n\n" + _("Photo: %(url)s") % {"url": media_url[:500]} if media_url else ""
    if not description:
        problems.append(_("description was not provided."))
    elif len(description + photo) > DESCRIPTION_MAX_LENGTH:
        problems.append(
            _("description is longer than %(limit)d characters.")
            % {"limit": DESCRIPTION_MAX_LENGTH - len(photo)}
        )
    kind = data.get(f"attribute[{services.KIND}]", "").strip() or Kind.HELP
    if kind not in Kind.values:
        problems.append(_("attribute[kind] must be one of the listed keys."))
    anonymous = data.get(f"attribute[{services.ANONYMOUS}]", "false").strip().lower()
    if anonymous not in ("true", "false"):
        problems.append(_("attribute[anonymous] must be true or false."))
    if problems:
        return errors(fmt, 400, *problems)
    street: Unit | None = None
    community: Unit | None = None
    if place is not None:
        address = address or str(place)
        street, community = place.street, place.community
    else:
        match = gazetteer.match_address(address) if address else None
        street = match.street if match else None
        community = match.community if match else None
    description += photo
    account = token.user
    request_print = idempotency.fingerprint(
        "open311.requests", sorted((k, v) for k, v in data.lists() if k != "api_key")
    )

    def register(store: Callable[[WorkOrder], object]) -> WorkOrder:
        return actions.register(
            account,
            through_open311=True,
            within=store,
            title=category.name,
            description=description,
            channel=Channel.OPEN311,
            citizen_name=_citizen_name(
                data.get("first_name", "").strip(), data.get("last_name", "").strip()
            ),
            citizen_phone=data.get("phone", "").strip(),
            citizen_email=data.get("email", "").strip(),
            anonymous=anonymous == "true",
            address=address,
            street=street,
            community=community,
            latitude=fields.get("lat"),
            longitude=fields.get("long"),
            category=category,
            kind=kind,
        )

    try:
        order, _fresh = idempotency.register_once(account, idempotency_key, request_print, register)
    except idempotency.KeyReused as exc:
        return errors(fmt, 409, exc.message)
    except ActionError as exc:
        return errors(fmt, 400, exc.message)
    record = {
        "service_request_id": order.number,
        "service_notice": _("Keep the number %(number)s to follow your request.")
        % {"number": order.number},
        "account_id": data.get("account_id", "").strip() or None,
    }
    return document(fmt, "service_requests", "request", [record])


@csrf_exempt
def not_found(request: HttpRequest, path: str, fmt: str = "xml") -> HttpResponse:
    return errors(fmt, 404, _("No such resource."))
