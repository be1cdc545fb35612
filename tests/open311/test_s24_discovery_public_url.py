"""Open311 discovery names the endpoint on PUBLIC_URL when it is set, not on the request's Host
(brief, session 24, after 1232a79): a client posts its reports, and its api_key, to the address
discovery gives, and the Host may be any name the server answers to, or forged past a proxy."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

PUBLIC = "https://12345.example.gov.cn"
FORGED = "evil.example"
HOSTS = ["12345.example.gov.cn", FORGED]


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_URL=PUBLIC)
@pytest.mark.parametrize("path", ["/open311/v2/discovery.json", "/open311/discovery.json"])
def test_discovery_names_the_public_address_whatever_the_host(path):
    response = Client(HTTP_HOST=FORGED).get(path)
    assert response.status_code == 200
    (endpoint,) = response.json()["endpoints"]
    assert endpoint["url"] == f"{PUBLIC}/open311/v2"
    assert FORGED not in response.content.decode()


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_URL=PUBLIC)
def test_the_xml_discovery_too():
    response = Client(HTTP_HOST=FORGED).get("/open311/v2/discovery.xml")
    assert response.status_code == 200
    assert f"<url>{PUBLIC}/open311/v2</url>" in response.content.decode()
    assert FORGED not in response.content.decode()


@override_settings(ALLOWED_HOSTS=HOSTS, PUBLIC_URL="")
def test_unset_discovery_names_the_requests_host():
    (endpoint,) = Client(HTTP_HOST=FORGED).get("/open311/v2/discovery.json").json()["endpoints"]
    assert endpoint["url"] == f"http://{FORGED}/open311/v2"
