"""A citizen who lost the text message with their link asks for it again on the portal.

The number and the mobile are not enough to open the pre-review: numbers count up by one per
hall and year, and a mobile is known to family, landlords and anyone the citizen called (attack
finding, session 21: a page that opened on a matching pair gave three citizens' ID scans away,
and one pre-review was withdrawn by a stranger). So a matching pair only texts the private link
to that mobile; the page answers the same whether anything matched, so it tells nobody whether a
number was filed with a mobile.

Texts are capped per mobile and per pre-review within a day (the portal's limits table), so the
page cannot be used to flood a citizen; the portal's per-address limit on look-ups still counts
every try, matched or not.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from hotline.hall import identity
from hotline.hall.rules import InvalidInput as HallInvalidInput
from hotline.portal import limits
from hotline.prereview.actions._core import status_link, text_citizen
from hotline.prereview.actions.linking import look_up
from hotline.prereview.models import PreReview
from hotline.security.phone_numbers import phone_key

#: Links texted to one mobile within a day, for all its pre-reviews together: a citizen who
#: asks again because the first text was slow still gets it; a stranger cannot flood the phone.
LINKS_PER_PHONE_DAY = 3
#: Links texted for one pre-review within a day.
LINKS_PER_PREREVIEW_DAY = 2

PER_PHONE = limits.Limit("prereview-link", "phone", LINKS_PER_PHONE_DAY, dt.timedelta(days=1))
PER_PREREVIEW = limits.Limit(
    "prereview-link", "prereview", LINKS_PER_PREREVIEW_DAY, dt.timedelta(days=1)
)

#: The notify action of the text (``prereview_link``).
ACTION = "link"


def _may_send(review: PreReview, number: str) -> bool:
    """Record one text to ``number`` for ``review`` if both caps allow it. A refused one is not
    recorded, so asking again and again does not keep the citizen from their link for longer
    than a day after the last text actually sent."""
    by_phone = limits.record_try(PER_PHONE, phone_key(number, purpose="portal-limit"))
    if by_phone is None:
        return False
    if limits.record_try(PER_PREREVIEW, review.number) is None:
        limits.forget_try(by_phone)
        return False
    return True


def text_link(number: str, phone: str, *, site: str = "") -> bool:
    """Text the link of the pre-review numbered ``number`` to ``phone`` if it was filed with
    that mobile and the caps allow (``site``: the absolute address of the portal). The answer
    is for tests and logs only: the page says the same either way.

    The text goes to the mobile typed, which is the one on file (its keyed hash is the one
    stored); it is sent also after the decision or a withdrawal, when the stored number is
    forgotten: the citizen asked for it, and only that mobile receives it.
    """
    review = look_up(number, phone)
    if review is None:
        return False
    try:
        mobile = identity.mobile(phone)
    except HallInvalidInput:  # look_up found nothing for such a number already
        return False
    if not _may_send(review, mobile):
        return False
    text_citizen(
        review,
        mobile,
        _(
            "%(hall)s: the link to your pre-review %(number)s of %(matter)s, as asked for on "
            "the portal (if you did not ask, ignore this message): %(link)s"
        )
        % {
            "hall": review.hall.unit.name,
            "number": review.number,
            "matter": review.matter.name,
            "link": status_link(review, site),
        },
        ACTION,
    )
    return True
