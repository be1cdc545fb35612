"""Pages' forms as a person sends them, for the tests of "once per form" (hotline/web/once.py):
a form page carries a one-time token, and Back and send again — or a double click — must not do
the thing twice."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpResponse
from django.test import Client

from hotline.org.models import User
from tests.conftest import PASSWORD

_TOKEN = re.compile(r'name="submission" value="([^"]+)"')


def logged_in(user: User) -> Client:
    """A browser with ``user`` logged in through the login itself (its checks included)."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def one_time_token(page: HttpResponse | str) -> str:
    """The form's one-time token in ``page`` (a response or its text)."""
    text = page if isinstance(page, str) else page.content.decode()
    found = _TOKEN.search(text)
    assert found, "the form carries no one-time token"
    return found.group(1)


def sent_twice(client: Client, url: str, data: dict[str, Any]) -> tuple[HttpResponse, Any]:
    """The form at ``url`` opened, filled with ``data`` and sent; then sent again, token and all,
    as Back and send does. The first answer as it came, the second followed to its page."""
    sent = {**data, "submission": one_time_token(client.get(url))}
    return client.post(url, sent), client.post(url, sent, follow=True)
