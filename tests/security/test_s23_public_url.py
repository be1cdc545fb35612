"""Links that leave the site are built on PUBLIC_URL, not on the request's Host (brief, session 23).

The rating link texted to a citizen, the pre-review link an operator texts a caller and the QR
code on a printed ticket took their host from the request: any name in ALLOWED_HOSTS besides the
public one (an internal name, an address) — or a Host header forged past a proxy that passes it
on — sent citizens to that host. With PUBLIC_URL set they carry it whatever Host the request
names; unset, the request's host is used and the deployment check warns in production mode."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, TestCase, override_settings

from hotline.env import env_public_url
from hotline.hall.views import public as hall_public
from hotline.org.models import Role
from hotline.security import checks
from tests.conftest import PASSWORD, at, make_user
from tests.hall.booking_by_code import OUTBOX, Outbox
from tests.hall.conftest import make_hall
from tests.prereview.conftest import make_prereview_town
from tests.ratings.conftest import RatedTown

pytestmark = pytest.mark.django_db

PUBLIC = "https://12345.example.gov.cn"
FORGED = "evil.example"
#: A second name the server answers to, as a deployment may list (an internal name).
HOSTS = ["12345.example.gov.cn", FORGED]


@pytest.fixture
def town(district) -> RatedTown:
    place = make_hall(district)
    return RatedTown(hall=place, rita=make_user("rita", place.hall.unit, Role.UNIT_HANDLER))


def _rating_link(town: RatedTown) -> str:
    ticket = town.serve("2023-03-09 10:00")
    Outbox.sent.clear()
    with (
        time_machine.travel(at("2023-03-09 10:01"), tick=False),
        override_settings(NOTIFIERS=OUTBOX),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = Client(HTTP_HOST=FORGED).post(
            f"/ratings/visit/{ticket.token}/sms", {"phone": "13912345678"}
        )
    assert response.status_code == 200
    (message,) = Outbox.sent
    (link,) = re.findall(r"https?://\S+", message.text)
    return link


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_URL=PUBLIC)
def test_the_texted_rating_link_carries_public_url_whatever_the_host(town):
    link = _rating_link(town)
    assert link.startswith(f"{PUBLIC}/ratings/r/")
    assert FORGED not in link


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_URL="")
def test_unset_the_link_is_built_on_the_requests_host(town):
    assert _rating_link(town).startswith(f"http://{FORGED}/ratings/r/")


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_URL=PUBLIC)
def test_the_tickets_qr_code_carries_public_url(town, monkeypatch):
    ticket = town.serve("2023-03-09 10:00")
    encoded: list[str] = []
    make = hall_public.segno.make

    def recording(content, *args, **kwargs):
        encoded.append(content)
        return make(content, *args, **kwargs)

    monkeypatch.setattr(hall_public.segno, "make", recording)
    response = Client(HTTP_HOST=FORGED).get(f"/hall/ticket/{ticket.token}/")

    assert response.status_code == 200
    assert encoded == [f"{PUBLIC}/hall/place/{ticket.token}/"]


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_URL=PUBLIC)
def test_the_pre_review_link_an_operator_texts_carries_public_url(district, tmp_path):
    # Not pytest-django's ``settings``: set up before this test's overrides, it would restore
    # them, ALLOWED_HOSTS without "testserver" included, for the tests after this one.
    with override_settings(MEDIA_ROOT=tmp_path):
        _pre_review_link(district)


def _pre_review_link(district) -> None:
    pt = make_prereview_town(district)
    olga = Client(HTTP_HOST=FORGED)
    assert olga.login(username="olga", password=PASSWORD)
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        sent = olga.post(
            "/intake/prereview-link",
            {"caller_phone": "13912345678", "prereview": f"{pt.hall.pk}:{pt.residence.pk}"},
            HTTP_HX_REQUEST="true",
        )
    assert 'data-testid="invite-sent"' in sent.content.decode()
    (message,) = [m for m in Outbox.sent if m.action == "prereview_invite"]
    assert f"{PUBLIC}/portal/prereview/new/" in message.text
    assert FORGED not in message.text


@pytest.mark.parametrize(
    ("debug", "public_url", "warned"),
    [(False, "", True), (False, PUBLIC, False), (True, "", False)],
)
def test_production_mode_without_public_url_is_warned(debug, public_url, warned):
    with override_settings(DEBUG=debug, PUBLIC_URL=public_url):
        found = [m.id for m in checks.public_url_set()]
    assert found == (["hotline.W001"] if warned else [])


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("", ""),
        ("https://12345.example.gov.cn", PUBLIC),
        ("https://12345.example.gov.cn/", PUBLIC),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_public_url_is_read_as_a_scheme_and_a_host(value, read):
    assert env_public_url("PUBLIC_URL", {"PUBLIC_URL": value}) == read


@pytest.mark.parametrize(
    "value",
    [
        "12345.example.gov.cn",
        "ftp://12345.example.gov.cn",
        "https://12345.example.gov.cn/hotline/",
        "https://12345.example.gov.cn/?x=1",
        "https://user@12345.example.gov.cn",
        "https://12345.example.gov.cn:port",
        "https://",
    ],
)
def test_anything_else_stops_start_up(value):
    with pytest.raises(ImproperlyConfigured, match="PUBLIC_URL"):
        env_public_url("PUBLIC_URL", {"PUBLIC_URL": value})


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_URL=PUBLIC)
def test_a_lost_pre_review_link_texted_again_carries_public_url(district, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        review = make_prereview_town(district).chen_files()
        Outbox.sent.clear()
        with (
            time_machine.travel(at("2026-03-10 09:00"), tick=False),
            override_settings(NOTIFIERS=OUTBOX),
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            Client(HTTP_HOST=FORGED).post(
                "/portal/prereview/", {"number": review.number, "phone": "13912345678"}
            )
    (text,) = Outbox.sent
    assert f"{PUBLIC}/portal/prereview/s/{review.token}/" in text.text
    assert FORGED not in text.text
