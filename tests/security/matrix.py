"""Every URL of the project, enumerated from Django's URL resolver and the API's OpenAPI schema,
classified by the rules in :data:`RULES` (one readable table).

A URL no rule names is a staff URL: login required, and a unit never reads or changes another
unit's order through it. A staff URL that cannot be turned into a request (a path parameter
nobody knows how to fill) makes the enumeration fail loudly instead of being skipped: add its
parameter to :data:`PARAMS` or a rule to :data:`RULES`. Regular-expression routes are filled
group by group (alternatives such as ``(?P<fmt>xml|json)`` each once) and the result must resolve.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern


class Access(Enum):
    #: Anyone, logged in or not; the response must still not show a citizen's data it could leak.
    PUBLIC = "public"
    #: Login required (anonymous: redirect to the login page); unit isolation enforced.
    STAFF = "staff"
    #: Django's admin: staff accounts only (anonymous and non-staff: redirect to the admin login).
    ADMIN = "admin"
    #: The JSON API: enumerated operation by operation from the OpenAPI schema (see API_EXTRAS).
    API = "api"


@dataclass(frozen=True)
class Rule:
    pattern: str  # a regular expression matched against the route, e.g. r"^portal/"
    access: Access
    why: str


#: The classification table. Order matters: the first matching rule wins; no match = STAFF.
RULES: tuple[Rule, ...] = (
    Rule(r"^$", Access.PUBLIC, "the start page: the login form for visitors"),
    Rule(r"^accounts/login/$", Access.PUBLIC, "the login form"),
    Rule(r"^accounts/logout/$", Access.PUBLIC, "logging out needs no login"),
    Rule(r"^accounts/password_reset/", Access.PUBLIC, "password reset by e-mail"),
    Rule(r"^accounts/reset/", Access.PUBLIC, "password reset links from the e-mail"),
    Rule(r"^i18n/", Access.PUBLIC, "the language switch"),
    Rule(r"^healthz$", Access.PUBLIC, "load balancer health check: no data"),
    Rule(r"^favicon\.ico$", Access.PUBLIC, "the browser's icon"),
    Rule(r"^static/", Access.PUBLIC, "CSS, JavaScript, images"),
    Rule(r"^portal/", Access.PUBLIC, "the citizen portal"),
    Rule(r"^open311/", Access.PUBLIC, "Open311 GeoReport v2 (public by the standard)"),
    Rule(
        r"^hall/<slug:code>/(kiosk|book|board|materials)/",
        Access.PUBLIC,
        "service hall: kiosk, booking, board, what to bring",
    ),
    Rule(r"^hall/<slug:code>/today/", Access.PUBLIC, "service hall: today's ticket online"),
    Rule(r"^hall/<slug:code>/self-service/", Access.PUBLIC, "service hall: 24-hour self-service"),
    Rule(r"^hall/(ticket|place)/", Access.PUBLIC, "service hall: a citizen's ticket and place"),
    Rule(r"^ratings/(pad|visit|r)/", Access.PUBLIC, "好差评: the rating pad and a citizen's links"),
    Rule(r"^admin/", Access.ADMIN, "Django's admin"),
    Rule(r"^api/v1/", Access.API, "the JSON API, operation by operation"),
)


@dataclass(frozen=True)
class Param:
    where: str  # a regular expression on the route: the parameter means this there
    name: str
    values: Callable[[Any], list[str]]  # of the scenario (order A and what hangs on it)


#: How to fill a path parameter of a staff URL; the first entry whose ``where`` matches wins.
#: A parameter missing here fails the enumeration of a staff URL (never silently skipped).
PARAMS: tuple[Param, ...] = (
    Param(r"^hall/", "number", lambda s: ["1"]),  # a window of the hall
    Param(r"^cases/", "number", lambda s: ["NO-SUCH-CASE"]),
    Param(r"^cases/", "kind", lambda s: ["receipt", "acceptance", "correction", "refusal"]),
    Param(r"^prereview/", "number", lambda s: ["NO-SUCH-PREREVIEW"]),
    Param(r"^ratings/hall/", "number", lambda s: ["1"]),  # a window of the hall
    Param(r"", "number", lambda s: [s.order.number]),
    Param(r"^hall/", "code", lambda s: ["no-such-hall"]),
    Param(r"^hall/", "token", lambda s: ["no-such-ticket"]),
    Param(r"^hall/", "booking", lambda s: ["no-such-booking"]),
    Param(r"^hall/", "booking_code", lambda s: ["NO-SUCH-BOOKING"]),
    Param(r"^hall/", "kiosk", lambda s: ["no-such-kiosk"]),
    Param(r"^orders/", "action", lambda s: s.actions),
    Param(r"^orders/.*/attachments/", "pk", lambda s: [str(s.attachment.pk)]),
    Param(r"^assessment/samples/", "pk", lambda s: [str(s.sample_item().draw_id)]),
    Param(r"^assessment/samples/", "item", lambda s: [str(s.sample_item().pk)]),
    Param(r"^accounts/reset/", "uidb64", lambda s: ["MQ"]),
    Param(r"^accounts/reset/", "token", lambda s: ["set-password"]),
    # Apps whose objects the scenario does not make: a missing one must still be a clean refusal.
    Param(r"^kb/", "pk", lambda s: ["999999"]),
    Param(r"^kb/", "action", lambda s: ["publish"]),
    Param(r"^kb/", "attachment", lambda s: ["999999"]),
    Param(r"^hall/", "pk", lambda s: ["999999"]),
    Param(r"^ratings/", "code", lambda s: ["no-such-hall"]),
    Param(r"^ratings/", "pk", lambda s: ["999999"]),
    Param(r"^ratings/", "verdict", lambda s: ["approve", "reject"]),
    Param(r"^assistance/", "pk", lambda s: ["999999"]),
    Param(r"^assistance/", "action", lambda s: ["end", "accept"]),
    Param(r"^prereview/", "action", lambda s: ["pass", "ask_more", "reject"]),
    Param(r"prereview/", "pk", lambda s: ["999999"]),
    Param(r"^portal/prereview/", "hall", lambda s: ["no-such-hall"]),
    Param(r"^portal/prereview/", "matter", lambda s: ["no-such-matter"]),
    Param(r"^portal/prereview/", "token", lambda s: ["no-such-token"]),
)


def param(route: str, name: str) -> Param | None:
    return next((p for p in PARAMS if p.name == name and re.search(p.where, route)), None)


#: The API's URL patterns that are not operations in the OpenAPI schema.
API_EXTRAS = {
    "api/v1/": "the API root: redirects to the docs",
    "api/v1/openapi.json": "the schema (public: structure, no data)",
    "api/v1/docs": "the interactive docs (public: structure, no data)",
    "api/v1/<path:rest>": "the fallback: a JSON 404 for unknown paths",
}
API_PUBLIC = {"api/v1/", "api/v1/openapi.json", "api/v1/docs"}
#: API operations that are open data (no token): under this prefix anyone may read, and no
#: response may show a citizen's name or phone.
API_OPEN_PREFIX = "/api/v1/open/"
#: How to fill the path parameters of API operations other than the order's number.
API_PATH_PARAMS = {"{code}": "no-such-hall", "{day}": "2023-03-09"}


def classify(route: str) -> Access:
    plain = route.replace("^", "")  # a regular-expression route's anchors (re_path)
    for rule in RULES:
        if re.search(rule.pattern, plain):
            return rule.access
    return Access.STAFF


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern (or one API operation) to try as every role."""

    route: str  # as the resolver spells it, e.g. "orders/<str:number>/"
    access: Access
    methods: tuple[str, ...] = ("GET", "POST")
    params: tuple[str, ...] = ()
    callback: Any = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return f"{'|'.join(self.methods)} /{self.route}"


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")
_ALTERNATIVES = re.compile(r"^[\w-]+(?:\|[\w-]+)+$")


class Unclassifiable(Exception):
    """A URL the matrix cannot turn into requests: it needs a rule or a parameter filler."""


def endpoints(urlconf: str | None = None) -> list[Endpoint]:
    """Every URL pattern of ``urlconf`` (the project's by default) as endpoints to try.

    Raises :class:`Unclassifiable` for a staff URL with an unknown parameter or a regex route.
    """
    found: list[Endpoint] = []
    problems: list[str] = []
    for route, pattern in walk(get_resolver(urlconf).url_patterns):
        access = classify(route)
        if access in (Access.ADMIN, Access.API):
            found.append(Endpoint(route, access, callback=pattern.callback))
            continue
        regex = not isinstance(pattern.pattern, RoutePattern)
        params = tuple(m["name"] for m in (_GROUP if regex else _PARAM).finditer(route))
        unknown = [
            p
            for p in params
            if param(route, p) is None
            and not (regex and _ALTERNATIVES.match(_group_body(route, p)))
        ]
        if unknown and access is Access.STAFF:
            problems.append(
                f"/{route}: no filler for parameter(s) {unknown}; add them to PARAMS "
                "(or a rule to RULES if the URL is not a staff URL)"
            )
            continue
        found.append(Endpoint(route, access, params=params, callback=pattern.callback))
    if problems:
        raise Unclassifiable("\n".join(problems))
    return found


def _group_body(route: str, name: str) -> str:
    return next(m["body"] for m in _GROUP.finditer(route) if m["name"] == name)


def _value(route: str, name: str, body: str, converter: str | None, scenario: Any) -> list[str]:
    if body and _ALTERNATIVES.match(body):
        return body.split("|")
    filler = param(route, name)
    if filler is not None:
        return filler.values(scenario)
    # Public URLs only (endpoints() refuses staff URLs with unknown parameters).
    return ["1"] if converter == "int" or body in (r"\d+", "[0-9]+") else [scenario.order.number]


def fill(endpoint: Endpoint, scenario: Any, urlconf: str | None = None) -> list[str]:
    """Every concrete path for the endpoint: one per combination of parameter values. Each
    must resolve back to the endpoint's view (else the filling is wrong: fail loudly)."""
    route = endpoint.route
    paths = ["/" + route]
    regex = bool(_GROUP.search(route)) or "^" in route or "$" in route
    finder = _GROUP if regex else _PARAM
    for m in finder.finditer(route):
        body, converter = (m["body"], None) if regex else ("", m["conv"])
        values = _value(route, m["name"], body, converter, scenario)
        paths = [p.replace(m.group(0), v, 1) for p in paths for v in values]
    if regex:
        paths = [p.replace("^", "").replace("$", "").replace("\\.", ".") for p in paths]
    for url in paths:
        match = resolve(url.split("?")[0], urlconf)
        if match.func is not endpoint.callback:
            raise Unclassifiable(f"/{route}: the filled path {url} resolves to another view")
    return paths
