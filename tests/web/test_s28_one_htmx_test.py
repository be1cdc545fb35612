"""Every view asks one function whether htmx sent a request (session 28, h6).

Six views read the ``HX-Request`` header by hand: five took any value for htmx, the CSRF page
only ``true``, as django-htmx's ``request.htmx`` does. They now ask
:func:`hotline.web.htmx.from_htmx`, which reads it as django-htmx does.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from hotline.web.htmx import from_htmx


@pytest.mark.parametrize(
    ("headers", "htmx"),
    [({"HX-Request": "true"}, True), ({"HX-Request": "false"}, False), ({}, False)],
)
def test_it_reads_the_header_as_django_htmx_does(headers, htmx):
    request = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda r: None)(request)

    assert from_htmx(request) is htmx
    assert bool(request.htmx) is htmx
