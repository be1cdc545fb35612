"""The permission matrix: every URL and every API operation × every role × an order of unit A.

The URLs are enumerated from Django's resolver and the API's OpenAPI schema at collection time,
so a page or endpoint added later is in the matrix without anyone touching this file; one that
cannot be classified fails :func:`test_every_url_can_be_classified` (see ``matrix.py``).

The scenario: 江宁路街道 (unit A, Una) holds order A — a broken street lamp reported by 甲先生,
signed for, with a photo attached. 区民政局 (unit B, Victor), 三和花园居委会 (a unit *below* A,
Nina) and 区人民政府 (the district government *above* A and B, Gina: above the first level it
gets its own orders only) must never read or change it; anonymous visitors must be sent to log
in. Hotline-centre staff and Una may see it (their pages must not crash).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import path

from hotline import clock
from hotline.api.v1 import api as api_v1
from hotline.orders import actions
from hotline.orders.models import WorkOrder
from hotline.org.models import ApiToken, Role, Unit, UnitKind, User
from hotline.web.forms import ACTION_FORMS
from tests.conftest import District, make_user
from tests.orders.factory import new_order
from tests.security.matrix import (
    API_EXTRAS,
    API_OPEN_PREFIX,
    API_PATH_PARAMS,
    API_PUBLIC,
    Access,
    Endpoint,
    Unclassifiable,
    endpoints,
    fill,
)

PHONE = "13900001111"
CITIZEN = "甲先生"
MARKER = "MATRIX-A"
SEARCH = "昌平路口路灯坏了"  # finds order A by its description, without echoing MARKER

#: Who, and whether they may see order A.
ROLES = {
    "anonymous": False,
    "operator": True,
    "dispatcher": True,
    "handler_a": True,
    "handler_b": False,
    "sub_unit_handler": False,
    "handler_above": False,
    "callback": True,
    "supervisor": True,
    "leader": True,
    "admin": True,
}
#: Roles that read order A but may not change it in any way (no comment, no attachment).
READ_ONLY = {"leader"}


def person(d: District, role: str) -> User | None:
    if role == "handler_above":  # made by the scenario
        return User.objects.get(username="gina")
    return {
        "anonymous": None,
        "operator": d.olga,
        "dispatcher": d.dan,
        "handler_a": d.una,
        "handler_b": d.victor,
        "sub_unit_handler": d.una_nb,
        "callback": d.cathy,
        "supervisor": d.sam,
        "leader": d.leo,
        "admin": d.ada,
    }[role]


@dataclass
class Scenario:
    district: District
    order: WorkOrder
    attachment: Any
    actions: list[str]

    def sample_item(self) -> Any:
        """Order A drawn in a sampling review (made the first time a URL asks for it)."""
        from hotline.assessment.models import SampleDraw, SampleItem

        item = SampleItem.objects.filter(order=self.order).first()
        if item is None:
            sample = SampleDraw.objects.create(
                drawn_by=self.district.sam,
                drawn_at=clock.now(),
                seed=12345,
                strategy="simple",
                size=1,
                population=1,
            )
            item = SampleItem.objects.create(
                draw=sample, order=self.order, unit=self.district.street, position=1
            )
        return item

    def snapshot(self) -> tuple[Any, ...]:
        o = WorkOrder.objects.get(pk=self.order.pk)
        return (
            o.version,
            o.state,
            o.lead_unit_id,
            o.updated_at,
            o.events.count(),
            o.attachments.count(),
            sorted(o.co_units.values_list("pk", flat=True)),
        )


@pytest.fixture
def scenario(district, settings) -> Scenario:
    settings.MEDIA_ROOT = settings.DATA_DIR / "test-media-matrix"
    # The district government above the centre and both units, as in the demo, with a handler.
    government = Unit.objects.create(
        code="qzf", name="区人民政府", kind=UnitKind.DISTRICT_GOVERNMENT
    )
    Unit.objects.filter(pk__in=[district.centre.pk, district.street.pk, district.bureau.pk]).update(
        parent=government
    )
    make_user("gina", government, Role.UNIT_HANDLER)
    order = new_order(
        district,
        title=f"{MARKER} 路灯不亮",
        description=f"{MARKER} 昌平路口路灯坏了",
        citizen_name=CITIZEN,
        citizen_phone=PHONE,
    )
    actions.dispatch(order, district.dan, lead_unit=district.street)
    actions.accept(order, district.una)
    photo = SimpleUploadedFile("lamp.jpg", b"\xff\xd8\xff\xe0photo", content_type="image/jpeg")
    actions.attach(order, district.una, upload=photo, note="现场照片")
    district.ada.is_staff = district.ada.is_superuser = True  # the admin opens /admin/
    district.ada.save()
    order.refresh_from_db()
    return Scenario(district, order, order.attachments.get(), sorted(ACTION_FORMS))


def client_for(scenario: Scenario, role: str) -> Client:
    client = Client()
    user = person(scenario.district, role)
    if user is not None:
        client.force_login(user)
    return client


def leaks(body: bytes, s: Scenario, *, public: bool = False, asked: str = "") -> list[str]:
    """What of order A this response shows: its number, its text, the caller's name or phone.

    Staff pages echo the search terms sent (:func:`query`), so the phone is not looked for
    there: a page that lists order A shows its number. A refusal may repeat the number that was
    ``asked`` for in the URL ("no order 20230309-000001"): that is an echo, not a leak. Public
    pages get no query, and may show a request's number and text (Open311 publishes them) but
    never the caller's name or phone.
    """
    text = body.decode("utf-8", "replace")
    checks = {"citizen": CITIZEN}
    if public:
        checks["phone"] = PHONE
    else:
        checks["marker"] = MARKER
        if s.order.number not in asked:
            checks["number"] = s.order.number
    return [name for name, needle in checks.items() if needle in text]


def query(s: Scenario) -> dict[str, str]:
    """Sent with every GET, so search and filter features are exercised too."""
    return {"q": SEARCH, "phone": PHONE, "citizen_phone": PHONE, "title": SEARCH}


def post_body(s: Scenario) -> dict[str, Any]:
    """A body most forms would accept: if a view forgot to check, the order would change."""
    d = s.district
    return {
        "version": str(s.order.version),
        "text": "matrix",
        "note": "matrix",
        "reason": "matrix",
        "lead_unit": str(d.bureau.pk),
        "result": "resolved",
        "way": "phone",
        "days": "1",
        "working_days": "1",
        "resolved": "true",
        "satisfaction": "satisfied",
        "title": "matrix",
        "description": "matrix",
        "file": SimpleUploadedFile("x.txt", b"x", content_type="text/plain"),
    }


# --- enumeration ---------------------------------------------------------------------------


def test_every_url_can_be_classified():
    """A new URL with a parameter the matrix cannot fill fails here, loudly (see matrix.py)."""
    assert endpoints()


ALL = endpoints()
WEB = [e for e in ALL if e.access in (Access.PUBLIC, Access.STAFF)]
ADMIN = [e for e in ALL if e.access is Access.ADMIN]
SCHEMA = api_v1.get_openapi_schema()
API_OPS = [
    (route, method.upper())
    for route, ops in SCHEMA["paths"].items()
    for method in ops
    if method in ("get", "post", "put", "patch", "delete")
]


def urlconf_of(*patterns: Any) -> ModuleType:
    module = ModuleType("urls_added_later")
    module.urlpatterns = list(patterns)  # type: ignore[attr-defined]
    return module


def test_a_new_page_is_in_the_matrix_as_a_staff_url_without_any_change_here():
    def view(request):  # a page someone adds later
        raise AssertionError

    urlconf = urlconf_of(path("dashboard/units/<str:number>/", view), path("orders/", view))
    found = {e.route: e.access for e in endpoints(urlconf)}  # type: ignore[arg-type]
    assert found == {"dashboard/units/<str:number>/": Access.STAFF, "orders/": Access.STAFF}


def test_a_new_page_with_an_unknown_parameter_fails_loudly():
    def view(request):
        raise AssertionError

    urlconf = urlconf_of(path("dashboard/<str:period>/", view))
    with pytest.raises(Unclassifiable, match="period"):
        endpoints(urlconf)  # type: ignore[arg-type]


def test_every_api_url_is_an_operation_of_the_schema_or_a_known_extra():
    schema_routes = {re.sub(r"\{(\w+)\}", r"<\1>", p).lstrip("/") for p in SCHEMA["paths"]}
    api_routes = {e.route for e in ALL if e.access is Access.API}
    unknown = api_routes - schema_routes - set(API_EXTRAS)
    assert unknown == set(), "API URLs the matrix does not know: add them to API_EXTRAS"
    assert len(API_OPS) >= 30  # the order actions, reads, register, units, categories


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", WEB, ids=lambda e: e.id)
def test_page_as_every_role(scenario, endpoint: Endpoint):
    s = scenario
    for role, entitled in ROLES.items():
        client = client_for(s, role)
        for url in fill(endpoint, s):
            before = s.snapshot()
            public = endpoint.access is Access.PUBLIC
            got = client.get(url, {} if public else query(s))
            where = f"{role} GET {url}"
            assert got.status_code < 500, where
            if got.status_code == 302 and "notice=phone" in got["Location"]:
                # The order search runs no phone from a URL (session 23): the same search without
                # it, so every role's search by the other terms is still checked for leaks.
                got = client.get(url, {k: v for k, v in query(s).items() if k != "phone"})
                assert got.status_code < 500, where
            if public:
                assert leaks(got.content, s, public=True) == [], where
                continue
            if role == "anonymous":
                assert got.status_code in (302, 405), where
                if got.status_code == 302:
                    assert got["Location"].startswith(resolve_url(settings.LOGIN_URL)), where
            elif not entitled:
                assert got.status_code in (200, 302, 400, 403, 404, 405), where
                assert leaks(got.content, s, asked=url) == [], where
            if entitled and role not in READ_ONLY:
                continue  # their writes are the lifecycle tests' business
            posted = client.post(url, post_body(s))
            where = f"{role} POST {url}"
            if entitled:  # a reader: may see order A, must not change it
                assert posted.status_code < 500, where
                assert s.snapshot() == before, f"{where} changed order A"
                continue
            assert posted.status_code in (200, 302, 400, 403, 404, 405, 422), where
            if role == "anonymous" and posted.status_code == 302:
                assert posted["Location"].startswith(resolve_url(settings.LOGIN_URL)), where
            assert leaks(posted.content, s, asked=url) == [], where
            assert s.snapshot() == before, f"{where} changed order A"


# --- the admin -----------------------------------------------------------------------------


def test_every_admin_url_goes_through_the_admin_sites_login_check():
    # AdminSite.admin_view() (which every admin view but the login goes through) redirects anyone
    # who is not an active staff account to the admin login before the view runs.
    guard = admin.site.admin_view(lambda request: None).__code__

    def guarded(callback: Any) -> bool:
        return getattr(callback, "__code__", None) is guard or any(
            hasattr(callback, a) for a in ("admin_site", "model_admin")
        )

    unguarded = [e.route for e in ADMIN if not guarded(e.callback) and e.route != "admin/login/"]
    assert unguarded == []


def test_the_admin_is_for_staff_accounts_only(scenario):
    pages = ["/admin/"] + [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    ]
    for role in ROLES:
        client = client_for(scenario, role)
        for page in pages:
            got = client.get(page)
            if role == "admin":
                assert got.status_code == 200, page
            else:
                assert got.status_code == 302, (role, page)
                assert got["Location"].startswith("/admin/login/"), (role, page)


# --- the JSON API --------------------------------------------------------------------------


def _resolve(ref: str) -> dict[str, Any]:
    node: Any = SCHEMA
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def example(schema: dict[str, Any], name: str, s: Scenario) -> Any:
    """A value the schema accepts, close enough to real that a missing check would write."""
    if "$ref" in schema:
        return example(_resolve(schema["$ref"]), name, s)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return example(options[0], name, s)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        return {
            prop: example(sub, prop, s)
            for prop, sub in schema.get("properties", {}).items()
            if prop in required
        }
    if kind == "array":
        return []
    if kind == "integer":
        return s.order.version if name == "version" else 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    if schema.get("format") == "date-time":
        return "2030-01-01T10:00:00+08:00"
    if name in ("lead_unit", "unit"):
        return s.district.bureau.code
    if name == "parent":
        return s.order.number
    return "matrix"


def body_for(route: str, method: str, s: Scenario) -> dict[str, Any] | None:
    operation = SCHEMA["paths"][route][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return example(content["application/json"]["schema"], "", s)


def api_client(s: Scenario, role: str) -> Client:
    user = person(s.district, role)
    if user is None:
        return Client()
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user, name='matrix')[1]}"})


@pytest.mark.parametrize(("route", "method"), API_OPS, ids=[f"{m} {r}" for r, m in API_OPS])
def test_api_operation_as_every_role(scenario, route: str, method: str):
    s = scenario
    url = route.replace("{number}", s.order.number)
    for name, value in API_PATH_PARAMS.items():
        url = url.replace(name, value)
    assert "{" not in url, f"{route}: a path parameter the matrix cannot fill"
    about_order_a = "{number}" in route
    if route.startswith(API_OPEN_PREFIX):  # open data: anyone reads, nobody's details show
        for role in ROLES:
            got = api_client(s, role).generic(method, url)
            assert got.status_code < 500, f"{role} {method} {url}"
            assert leaks(got.content, s, public=True) == [], f"{role} {method} {url}"
        return
    for role, entitled in ROLES.items():
        client = api_client(s, role)
        before = s.snapshot()
        where = f"{role} {method} {url}"
        if method == "GET":
            got = client.get(url, query(s) if not about_order_a else {})
        else:
            if entitled and role != "anonymous" and role not in READ_ONLY:
                continue  # writes by those entitled are the API tests' business
            got = client.generic(
                method, url, json.dumps(body_for(route, method, s)), "application/json"
            )
        assert got.status_code < 500, where
        if role == "anonymous":
            assert got.status_code == 401, where
        elif entitled and method != "GET":  # a reader's write
            assert got.status_code in (403, 404, 422), f"{where}: {got.status_code}"
        elif not entitled:
            if about_order_a:
                assert got.status_code in (403, 404), f"{where}: {got.status_code} {got.content}"
            else:
                assert got.status_code in (200, 201, 403), where
            assert leaks(got.content, s, asked=url) == [], where
        assert s.snapshot() == before, f"{where} changed order A"


def test_the_public_api_urls_show_no_order_data(scenario):
    for route in API_PUBLIC:
        got = Client().get("/" + route, follow=True)
        assert got.status_code < 500, route
        assert leaks(got.content, scenario) == [], route


# --- CSRF ------------------------------------------------------------------------------------

#: Pages that take POSTs without Django's CSRF token, and why.
CSRF_EXEMPT = {
    r"^open311/": "Open311 clients authenticate with an api_key, not a browser session",
}


@pytest.mark.parametrize("endpoint", WEB, ids=lambda e: e.id)
def test_every_page_refuses_a_post_without_the_csrf_token(scenario, endpoint: Endpoint):
    """A logged-in dispatcher's browser, tricked into posting from another site, gets 403."""
    route = endpoint.route.replace("^", "")
    if any(re.search(prefix, route) for prefix in CSRF_EXEMPT):
        return
    client = Client(enforce_csrf_checks=True)
    client.force_login(scenario.district.dan)
    for url in fill(endpoint, scenario):
        before = scenario.snapshot()
        got = client.post(url, post_body(scenario))
        assert got.status_code == 403, url
        assert b"CSRF" in got.content, url
        assert scenario.snapshot() == before, url


# --- hostile values ----------------------------------------------------------------------------

#: Every query parameter name a page or the API reads, each given a control character, then an
#: extreme date (year 1, year 9999) or month: a clear refusal or the page, never a 500.
HOSTILE_NAMES = (
    "q",
    "phone",
    "citizen_phone",
    "title",
    "description",
    "address",
    "street",
    "unit",
    "state",
    "category",
    "kpi",
    "month",
    "from",
    "to",
    "start",
    "end",
    "day",
    "registered_from",
    "registered_to",
    "start_date",
    "end_date",
    "service_code",
    "status",
    "page",
    "sort",
)
HOSTILE_VALUES = {
    "control characters": {name: "\x00\x01" for name in HOSTILE_NAMES},
    "year 1": {
        **{name: "0001-01-01" for name in HOSTILE_NAMES},
        "month": "0001-01",
        "start_date": "0001-01-01T00:00:00Z",
        "end_date": "0001-01-02T00:00:00Z",
    },
    "year 9999": {
        **{name: "9999-12-31" for name in HOSTILE_NAMES},
        "month": "9999-12",
        "start_date": "9999-12-30T00:00:00Z",
        "end_date": "9999-12-31T23:59:59Z",
    },
}
HOSTILE_GETS = [e for e in WEB if "GET" in e.methods] + [
    Endpoint(route.lstrip("/"), Access.API) for route, method in API_OPS if method == "GET"
]


@pytest.mark.parametrize("endpoint", HOSTILE_GETS, ids=lambda e: e.id)
def test_hostile_query_values_never_give_a_500(scenario, endpoint: Endpoint):
    s = scenario
    if endpoint.access is Access.API:
        url = "/" + endpoint.route.replace("{number}", s.order.number)
        for name, value in API_PATH_PARAMS.items():
            url = url.replace(name, value)
        urls = [url]
        clients = {"dispatcher": api_client(s, "dispatcher"), "leader": api_client(s, "leader")}
    else:
        urls = list(fill(endpoint, s))
        clients = {"dispatcher": client_for(s, "dispatcher"), "leader": client_for(s, "leader")}
    for role, client in clients.items():
        for url in urls:
            for what, values in HOSTILE_VALUES.items():
                got = client.get(url, values)
                assert got.status_code < 500, f"{role} GET {url} with {what}: {got.status_code}"
                if what == "control characters":
                    assert got.status_code in (400, 404), f"{role} GET {url} with {what}"
