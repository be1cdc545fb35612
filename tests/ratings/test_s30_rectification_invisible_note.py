"""A 差评's rectification is not archived with an invisible note (attack, session 30, h5 F5).

The citizen left no number with the rating, so Cathy archives the order saying how the citizen
was told what was rectified (session 29). A note of zero-width spaces (U+200B), or of the braille
blank, was taken as that note: the rating counted as rectified, and its page read 「归档说明：」
with nothing after it. Such a note is refused as an empty one; a real note is taken as before."""

from __future__ import annotations

import pytest
import time_machine

from hotline.orders import actions as orders
from hotline.orders.models import State
from hotline.ratings import rectification
from hotline.ratings.models import Rating
from tests.conftest import at
from tests.ratings.test_s29_rectification_followed_through import (
    _rated_badly,
    _rectified_and_approved,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("note", ["\u200b", "\u200b\u200d\ufeff", "\u2800", " \u3164 "])
def test_cathy_cannot_archive_it_with_a_note_that_shows_nothing(town, district, note):
    order = _rectified_and_approved(town, district, _rated_badly(town))
    with (
        time_machine.travel(at("2026-12-04 10:00"), tick=False),
        pytest.raises(orders.InvalidInput) as refused,
    ):
        orders.close(order, district.cathy, note=note)
    assert refused.value.field == "note"
    order.refresh_from_db()
    assert order.state == State.REVIEWED
    assert rectification.rectified(Rating.objects.all()).done == 0


def test_a_note_that_says_something_archives_it(town, district):
    order = _rectified_and_approved(town, district, _rated_badly(town))
    with time_machine.travel(at("2026-12-04 10:00"), tick=False):
        orders.close(order, district.cathy, note="\u200b已在大厅公告栏公示")
    assert rectification.rectified(Rating.objects.all()).done == 1
