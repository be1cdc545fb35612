"""A phone or resident ID number typed in another script's digits is the same number: before,
``\\d`` and ``int()`` took Arabic-Indic (``١٣٩``) and Devanagari (``१३९``) digits, NFKC did not
fold them, and the number was keyed apart from its ASCII spelling — one person held three
tickets for one matter, and a per-phone limit counted each spelling on its own (attack report,
session 19). Every spelling now gives the same key, so the caps hold across them."""

from __future__ import annotations

import re

import pytest

from hotline.hall import booking_code, identity
from hotline.hall.models import Ticket
from hotline.security.phone_numbers import ascii_digits, normalise_phone, phone_key
from tests.hall.conftest import HallTown

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SCRIPTS = (ARABIC_INDIC, DEVANAGARI, FULL_WIDTH)

MOBILE = "13912345678"
ID_18 = "31010619800101001X"  # valid: its check character is X
ID_15 = "310106800101123"  # the old numbers have no check character


def spellings(number: str) -> list[str]:
    # Whole number in one script, and a mix (the first two digits typed in ASCII).
    return [number.translate(s) for s in SCRIPTS] + [
        number[:2] + number[2:].translate(s) for s in SCRIPTS
    ]


def test_every_script_s_digits_read_as_ascii():
    assert ascii_digits("١٣٩ १२३ ４５") == "139 123 45"
    assert ascii_digits("ab-X") == "ab-X"


def test_each_spelling_of_a_mobile_gives_the_same_number_and_key():
    for typed in [*spellings(MOBILE), "+٨٦ ١٣٩-١٢٣٤-٥٦٧٨"]:
        assert normalise_phone(typed) == MOBILE, typed
        assert identity.mobile(typed) == MOBILE
        assert phone_key(typed, purpose="portal-limit") == phone_key(MOBILE, purpose="portal-limit")
        assert identity.holder_key(phone=typed) == identity.holder_key(phone=MOBILE)


def test_each_spelling_of_an_id_number_gives_the_same_key():
    for number in (ID_18, ID_15):
        key = identity.holder_key(id_number=number)
        for typed in spellings(number):
            assert identity.holder_key(id_number=typed) == key, typed
            assert identity.id_key(typed) == identity.id_key(number)


def test_an_id_number_in_other_digits_still_needs_its_check_character():
    mistyped = "31010619800101002X".translate(ARABIC_INDIC)
    with pytest.raises(identity.InvalidInput):
        identity.holder_key(id_number=mistyped)


def _token(page: bytes) -> str:
    found = re.search(rb'name="submission" value="([^"]+)"', page)
    assert found
    return found.group(1).decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,number", [("id_number", ID_18), ("id_number", ID_15), ("phone", MOBILE)]
)
def test_one_person_is_one_holder_at_the_kiosk_however_the_number_is_typed(
    client, town: HallTown, field, number
):
    # A number typed at the kiosk proves nothing, so it binds no one-ticket rule (a stranger
    # must not refuse its owner a ticket); each spelling keys the same holder all the same.
    url = f"/hall/{town.hall.code}/kiosk/"
    typings = [number, *spellings(number)]
    for typed in typings:
        data = {"matter": town.residence.pk, "priority": "regular", field: typed}
        client.post(url, {**data, "submission": _token(client.get(url).content)})
    given = Ticket.objects.filter(matter=town.residence)
    assert given.count() == len(typings)
    assert len(set(given.values_list("holder_key", flat=True))) == 1


@pytest.mark.django_db
def test_a_texted_code_typed_in_other_digits_confirms(town: HallTown, slot):
    pending = booking_code.ask(
        town.hall, slot, matter=str(slot.matter_id), phone=MOBILE, name="", submission="z" * 20
    )
    booking_code.issue(town.hall, pending)
    typed = pending.code().translate(ARABIC_INDIC)
    assert booking_code.verify(pending.signed(), typed, town.hall) == pending
