"""One reading of a phone number: the forms a tired operator or a citizen types are one caller."""

from __future__ import annotations

import pytest

from hotline.security.phone_numbers import normalise_phone, phone_key


@pytest.mark.parametrize(
    "typed",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 139-1234-5678",
        "+8613912345678",
        "0086 13912345678",
        "8613912345678",
        "013912345678",
        "１３９１２３４５６７８",
    ],
)
def test_it_reads_every_way_of_writing_a_mobile_as_one_number(typed):
    assert normalise_phone(typed) == "13912345678"


@pytest.mark.parametrize("typed", ["021-62345678", "(021) 6234-5678", "+86 21 6234 5678"])
def test_it_keeps_a_landline_with_its_area_code(typed):
    assert normalise_phone(typed) == "02162345678"


def test_it_does_not_guess_at_what_is_not_a_mainland_number():
    assert normalise_phone("62345678") == "62345678"
    assert normalise_phone("+1 415 555 0100") == "+14155550100"
    assert normalise_phone("abc") == "abc"
    assert normalise_phone("") == ""
    assert normalise_phone(None) == ""


def test_it_keys_lookups_on_a_hash_that_does_not_hold_the_number(settings):
    key = phone_key("+86 139 1234 5678", purpose="portal-limit")
    assert key == phone_key("13912345678", purpose="portal-limit")
    assert "13912345678" not in key
    assert key != phone_key("13912345678", purpose="hall-ticket")
    settings.SECRET_KEY = "another key of sufficient length for the test only"
    assert key != phone_key("13912345678", purpose="portal-limit")
