"""The caller history's booking question ("Keep it", and "Back" after a refusal) brings the
history back by a POST, the caller's number in its body, no longer in the address of a GET
(brief, session 24: the address went into the access log and the browser's history)."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.hall.conftest import BOOKING_PHONE


def test_keep_it_in_the_caller_history_posts_the_number(client, district, town, appointment):
    client.force_login(district.olga)
    asked = client.post(
        reverse("hall:cancel_for_caller", args=[appointment.code]),
        {"caller_phone": BOOKING_PHONE},
        HTTP_HX_REQUEST="true",
    )
    fragment = asked.content.decode()
    assert asked.status_code == 200 and 'data-action="keep"' in fragment
    assert "citizen_phone=" not in fragment and BOOKING_PHONE not in re.sub(
        r'value="[^"]*"|hx-vals=\'[^\']*\'', "", fragment
    )
    keep = re.search(r'<button[^>]*data-action="keep"[^>]*>', fragment).group(0)
    assert f'hx-post="{reverse("caller_history")}"' in keep
    assert f'"citizen_phone": "{BOOKING_PHONE}"' in keep
