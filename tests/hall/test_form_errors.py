"""What a person sees when a hall form refuses: every refusal names its box (Django's own "at
most 30 characters" does not), and the boxes stop at the length the server keeps."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _inputs(page: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(r'<input[^>]*name="(\w+)"[^>]*>', page)}


def test_an_endless_name_at_the_kiosk_is_refused_with_the_boxs_name(client, town):
    response = client.post(
        f"/hall/{town.hall.code}/kiosk/",
        {"matter": town.residence.pk, "name": "<b>张</b>" * 20, "phone": "+86 139 1234 5678"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    errors = response.content.decode().split('data-testid="kiosk-errors"')[1].split("</div>")[0]
    assert "Name (optional): Ensure this value has at most 30 characters" in errors
    assert "&lt;b&gt;" not in errors  # the typed name is not echoed into the message


def test_booking_names_the_refused_box(client, town):
    town.residence.appointment_allowed = True
    town.residence.save(update_fields=["appointment_allowed"])
    response = client.post(
        f"/hall/{town.hall.code}/book/",
        {"matter": town.residence.pk, "phone": "", "name": "x" * 31},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Mobile number: This field is required." in page
    assert "Name (optional): Ensure this value has at most 30 characters" in page


def test_the_boxes_stop_at_the_length_the_server_keeps(client, town):
    kiosk = _inputs(client.get(f"/hall/{town.hall.code}/kiosk/").content.decode())
    assert 'maxlength="30"' in kiosk["name"] and 'maxlength="30"' in kiosk["phone"]
    check_in = _inputs(client.get(f"/hall/{town.hall.code}/kiosk/check-in/").content.decode())
    # 16: a code may be typed grouped (5NH-NK5, test_check_in_code_as_typed.py).
    assert 'maxlength="16"' in check_in["code"] and 'maxlength="30"' in check_in["phone"]


def test_a_mistyped_mobile_with_the_text_asked_for_gets_one_message(client, town):
    # "abc" with "text me" ticked also read "Give a mobile number for the text message", as if
    # none had been typed: one message says what is wrong with the number.
    response = client.post(
        f"/hall/{town.hall.code}/kiosk/",
        {"matter": town.residence.pk, "phone": "abc", "sms": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    errors = response.content.decode().split('data-testid="kiosk-errors"')[1].split("</div>")[0]
    assert errors.count("<p>") == 1 and "Enter an 11-digit mobile number" in errors
    assert "Give a mobile number for the text message" not in errors
