"""The access log cuts the secrets of private links and ``api_key`` values to a few characters
(attack finding, session 20: serve.log held ``POST /open311/v2/requests.json?api_key=hl_…`` and
``GET /portal/prereview/s/<token>/`` — the link to a citizen's ID scans — in clear).

Each address is built from the URL configuration, so a private link whose route changes is
still tested where it now is."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.urls import reverse

from hotline.security.masking import MaskPhonesFilter, mask_secrets

TOKEN = "IZ-I7bQwErTyUiOp4sDfGhJkL"  # a long private-link token
KEY = "hl_Abc123XyZ789LmNoPqRsTuVwXyZ0123456789abcd"  # an API token, as Open311's api_key
CODE = "K7MQ2XPA"  # a booking's code


def private_urls() -> list[tuple[str, str]]:
    """(address, its secret) for every route whose path holds a secret."""
    return [
        (reverse("prereview_portal:status", args=[TOKEN]), TOKEN),
        (reverse("prereview_portal:resubmit", args=[TOKEN]), TOKEN),
        (reverse("prereview_portal:withdraw", args=[TOKEN]), TOKEN),
        (reverse("prereview_portal:file", args=[TOKEN, 7]), TOKEN),
        (reverse("portal:rate", args=[TOKEN]), TOKEN),
        (reverse("ratings:visit", args=[TOKEN]), TOKEN),
        (reverse("ratings:send_sms", args=[TOKEN]), TOKEN),
        (reverse("ratings:sms", args=["eyJ0IjoxMjN9:1vXyZa:AbCdEfGhIjKlMnOp"]), "eyJ0IjoxMjN9"),
        (reverse("ratings:pad_old_address", args=[TOKEN]), TOKEN),
        (reverse("hall:ticket", args=[TOKEN]), TOKEN),
        (reverse("hall:place", args=[TOKEN]), TOKEN),
        (reverse("hall:booked", args=["jingan", CODE]), CODE),
        (reverse("hall:cancel_for_caller", args=[CODE]), CODE),
        (reverse("hall:cancel_appointment", args=["jingan", CODE]), CODE),
        (reverse("password_reset_confirm", args=["MTI", "cb5e2q-" + TOKEN]), "cb5e2q-" + TOKEN),
        (reverse("portal:submitted") + "?t=" + TOKEN, TOKEN),
        (reverse("hall:cancel_booking", args=["jingan"]) + "?booking=" + CODE, CODE),
        # The pre-review invitation a 12345 operator texts (attack leftover of session 20).
        (reverse("prereview_portal:new", args=["dnl", "jzz"]) + "?from=" + TOKEN, TOKEN),
        ("/open311/v2/requests.json?api_key=" + KEY, KEY),
        ("/open311/v2/requests.xml?jurisdiction_id=sh&api_key=" + KEY + "&x=1", KEY),
    ]


@pytest.mark.parametrize(("url", "secret"), private_urls())
def test_each_private_address_is_cut_to_a_few_characters(url, secret):
    masked = mask_secrets(url)

    assert secret not in masked
    assert secret[:2] + "..." in masked or secret[:4] + "..." in masked
    assert len(masked) < len(url)


@pytest.mark.parametrize(
    "url",
    [
        "/hall/jingan/book/cancel/",
        "/hall/jingan/book/",
        "/hall/jingan/appointments/",
        "/accounts/reset/MTI/set-password/",
        "/accounts/reset/done/",
        "/ratings/pad/live",
        "/ratings/pad/",
        "/orders/20230309-000123/",
        "/portal/track/?number=20230309-000123",
        "/dashboard/?from=2026-11-01&to=2026-11-30",
        "/api/v1/orders?status=registered&page=2",
    ],
)
def test_addresses_without_a_secret_are_left_alone(url):
    assert mask_secrets(url) == url


def access_atoms(method: str, path: str, query: str = "", referer: str = "") -> dict:
    from gunicorn.config import Config

    from hotline.security.gunicorn import MaskedAccessLogger

    class Response:
        status, sent, headers = "200 OK", 10, []

    environ = {
        "REQUEST_METHOD": method,
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
    }
    return MaskedAccessLogger(Config()).atoms(Response(), {}, environ, dt.timedelta(0))


@pytest.mark.parametrize(("url", "secret"), private_urls())
def test_the_access_log_cuts_each_private_address(url, secret):
    path, _, query = url.partition("?")

    atoms = access_atoms("GET", path, query, referer="https://12345.example.gov.cn" + url)

    assert secret not in json.dumps(atoms)
    assert "..." in atoms["r"] and "..." in atoms["f"]


def test_the_access_log_cuts_an_open311_key_and_masks_a_phone_alike():
    atoms = access_atoms("POST", "/open311/v2/requests.json", f"api_key={KEY}&phone=13812345678")

    logged = json.dumps(atoms)
    assert KEY not in logged and "13812345678" not in logged
    assert atoms["q"] == "api_key=hl_A...&phone=*******5678"


def test_django_request_log_lines_are_cut_too():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden: %s",
        (f"/hall/ticket/{TOKEN}/",),
        None,
    )

    MaskPhonesFilter().filter(record)

    assert record.getMessage() == "Forbidden: /hall/ticket/IZ-I.../"


@pytest.mark.parametrize("name", ["django", "django.request", "django.server"])
def test_every_handler_django_logs_through_masks(name):
    # Django's default logging gives its loggers a console handler of their own in DEBUG (and
    # runserver's): "Not Found: /portal/prereview/s/<token>/…" went out unmasked beside the
    # masked line (review, session 20). Every handler a record of these loggers reaches masks.
    from hotline.security.masking import MaskPhonesFilter

    logger: logging.Logger | None = logging.getLogger(name)
    reached = []
    while logger is not None:
        # pytest's own capture handlers on the root are the test run's, not the deployment's.
        reached += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None
    assert reached
    for handler in reached:
        assert any(isinstance(f, MaskPhonesFilter) for f in handler.filters), handler


@pytest.mark.parametrize(
    "atom", ["{authorization}i", "{http_authorization}e", "{cookie}i", "{http_cookie}e"]
)
def test_a_custom_log_format_naming_a_credential_header_logs_it_cut(atom):
    # A gunicorn access_log_format with %({authorization}i)s printed the bearer token whole
    # (review, session 20); docs/deploy.md says not to name it, and it is cut anyway.
    from gunicorn.config import Config

    from hotline.security.gunicorn import MaskedAccessLogger

    class Request:
        headers = [("AUTHORIZATION", f"Bearer {KEY}"), ("COOKIE", f"sessionid={TOKEN}; x=1")]

    class Response:
        status, sent, headers = "200 OK", 10, []

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/orders",
        "PATH_INFO": "/api/v1/orders",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {KEY}",
        "HTTP_COOKIE": f"sessionid={TOKEN}; x=1",
    }
    atoms = MaskedAccessLogger(Config()).atoms(Response(), Request(), environ, dt.timedelta(0))

    assert KEY not in atoms[atom] and TOKEN not in atoms[atom]
    assert atoms[atom] in ("Bearer hl_A...", "sessionid=...; x=...")
