"""The portal's confirmation masks the number the unit will call as everywhere else: at most its
last four digits show (review, session 23, LOW-11: /portal/submitted/ showed a mobile as
``139****5678``, seven of its eleven digits, where mask_number shows ``*******5678``)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from hotline.security.masking import mask_number
from tests.portal.test_portal import submit


def contact(page: str) -> str:
    return re.search(r'data-testid="contact">.*?<strong>(.*?)</strong>', page, re.S).group(1)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("139 1234 5678", "*******5678"),
        ("+86 139-1234-5678", "*******5678"),
        ("021-62345678", "*******5678"),
        ("6234 5678", "****5678"),
    ],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_confirmation_shows_at_most_the_last_four_digits(district, typed, shown, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = submit(client, district, phone=typed)
    page = client.get(response["Location"]).content.decode()
    assert contact(page) == shown
    assert sum(ch.isdigit() for ch in contact(page)) <= 4
    assert "139****" not in page


def test_it_is_mask_numbers_form():
    assert mask_number("13912345678") == "*******5678"
