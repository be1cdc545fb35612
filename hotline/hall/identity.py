"""Real-name tickets and appointments keep only keyed hashes of a phone or ID number.

Phones go through :func:`hotline.security.phone_numbers.phone_key` (the same normaliser as the
rest of the product); ID numbers through an HMAC of the upper-cased number. The purposes differ
from every other table's, so a hall key cannot be matched against, say, the portal's rate limits.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

from hotline.hall.rules import InvalidInput
from hotline.security.phone_numbers import ascii_digits, normalise_phone, phone_key

TICKET_PURPOSE = "hall-ticket"
# ASCII digits only: a number in other digits is folded to them first (id_text), never keyed
# apart from the same number in ASCII.
_ID = re.compile(r"^[0-9]{17}[0-9X]$|^[0-9]{15}$")
# GB 11643-1999: the 18th character checks the first 17 (ISO 7064 MOD 11-2), so one mistyped
# digit or two swapped ones is caught at the kiosk instead of keying a ticket to nobody (and
# letting one person hold two tickets for a matter under two spellings of the number).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def id_text(id_number: str) -> str:
    """A resident ID number as typed, in the one spelling it is checked and keyed in: NFKC,
    every script's digits as ASCII (:func:`~hotline.security.phone_numbers.ascii_digits`),
    upper case, no surrounding spaces."""
    return ascii_digits(unicodedata.normalize("NFKC", id_number)).strip().upper()


def id_key(id_number: str, *, purpose: str = TICKET_PURPOSE) -> str:
    """A keyed hash of a resident ID number (18 or 15 characters)."""
    text = id_text(id_number)
    message = f"{purpose}-id:{text}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def mobile(raw: str) -> str:
    """The normalised mobile number, or a refusal the person can read."""
    phone = normalise_phone(raw)
    if not _MOBILE.match(phone):
        raise InvalidInput(_("Enter an 11-digit mobile number."), field="phone")
    return phone


def holder_key(*, phone: str = "", id_number: str = "", purpose: str = TICKET_PURPOSE) -> str:
    """The key of a real-name holder, ``""`` for an anonymous ticket. An ID number wins."""
    if id_number.strip():
        text = id_text(id_number)
        if not _ID.match(text) or not _id_check_digit_ok(text):
            raise InvalidInput(_("That is not a resident ID number."), field="id_number")
        return id_key(text, purpose=purpose)
    if phone.strip():
        return phone_key(mobile(phone), purpose=purpose)
    return ""


def _id_check_digit_ok(text: str) -> bool:
    """The 18-character number's check digit matches; the old 15-digit numbers have none."""
    if len(text) != 18:
        return True
    total = sum(int(digit) * weight for digit, weight in zip(text, _ID_WEIGHTS, strict=False))
    return text[17] == _ID_CHECK[total % 11]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: boards show only the first character."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
