"""One way to read a citizen's phone number, used wherever a number is typed or compared.

Intake, order search, the portal (submit, track, rate), its rate limits and the caller history all
call :func:`normalise_phone`, so ``+86 139-1234-5678``, ``0086 13912345678``, ``013912345678`` and
``１３９１２３４５６７８`` are the same caller. Rate-limit keys and other stored lookups use
:func:`phone_key`, a keyed hash, so a limit table never holds numbers in clear. Digits of other
scripts are read as the digits they are (:func:`ascii_digits`), here and for resident ID numbers.

Imports nothing from the models: the portal's forms, the limits and the logging set-up use it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

# Separators people type inside a number: spaces (also full-width, after NFKC), dashes, dots,
# brackets around an area code.
_SEPARATORS = re.compile(r"[\s\-–—.()（）/]")
#: A mainland mobile number, normalised.
MOBILE = re.compile(r"1[3-9][0-9]{9}")


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script (Arabic-Indic ``٣``, Devanagari ``३``,
    full-width ``３``…) written as its ASCII digit; everything else left as it is.

    NFKC folds only full-width digits, while ``\\d`` and ``int()`` accept every script's: a number
    typed in other digits passed the checks and was keyed apart from the same number in ASCII,
    so one person held several tickets for one matter and a per-phone limit counted each spelling
    on its own (attack report, session 19). Folding rather than refusing: a person whose phone
    or keyboard types other digits is the same person, and is served as such. Every phone number
    (:func:`normalise_phone`) and resident ID number (hotline.hall.identity) goes through here
    before it is checked, compared or keyed.
    """
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in text
    )


def normalise_phone(raw: str | None) -> str:
    """The canonical form of a phone number as typed, or ``""`` when it is empty.

    - full-width digits and spaces become ASCII (NFKC), as do other scripts' digits
      (:func:`ascii_digits`); separators go;
    - a mainland country code (``+86``, ``0086``, ``86``) goes; a mobile number written with a
      trunk ``0`` (``013912345678``) loses it;
    - a landline keeps its area code with the trunk ``0`` (``+86 21 6234 5678`` →
      ``02162345678``); a number without an area code stays as written (``62345678``).

    Anything else (a foreign number, letters) is returned with only the separators removed, so
    callers that validate can still refuse it; nothing here guesses.
    """
    if not raw:
        return ""
    text = _SEPARATORS.sub("", ascii_digits(unicodedata.normalize("NFKC", raw)))
    if not text:
        return ""
    international = False
    if text.startswith("+"):
        text, international = text[1:], True
    elif text.startswith("00"):
        text, international = text[2:], True
    if text.startswith("86") and len(text) > 10 and text[2:].isascii() and text[2:].isdigit():
        rest = text[2:]
        if MOBILE.fullmatch(rest):
            return rest
        # +86 21 62345678: a landline written internationally gets its trunk 0 back.
        return rest if rest.startswith("0") else "0" + rest
    if international:
        return "+" + text
    if text.startswith("0") and MOBILE.fullmatch(text[1:]):
        return text[1:]
    return text


def mistyped_mobile(phone: str) -> bool:
    """``phone`` (normalised) starts as a mainland mobile number does but is not one: ten
    digits or twelve (``1391234567``), a digit left out or typed twice.

    No number a citizen gives us to call back starts with 1 otherwise: landlines start with
    their area code's 0 or, without it, with 2-9, and service numbers (12345, 10086) call no
    one back. Registered, such a number is one the unit cannot call and the citizen can only
    follow the request with by repeating the typo (h5, session 23), so every form that takes a
    contact number refuses it (:func:`mistyped_mobile_message`): the portal's and the hall's
    (``hotline.portal.forms.PhoneField``) and intake's one write path
    (``hotline.orders.actions.register``: the operator's form, the API, Open311).
    """
    # A trunk 0 before it (+86 139…, 0139…) is no area code: only Beijing's starts 01 (010).
    digits = phone[1:] if phone.startswith("0") and not phone.startswith("010") else phone
    return digits.startswith("1") and not MOBILE.fullmatch(digits)


def mistyped_mobile_message(phone: str) -> str:
    """What the person reads when :func:`mistyped_mobile` refused ``phone``."""
    from django.utils.translation import gettext  # late, as in phone_key

    return gettext(
        "A mobile number has 11 digits; this one has %(n)d. Please check the number."
    ) % {"n": len(phone) - phone.startswith("0")}


def phone_key(phone: str, *, purpose: str = "phone") -> str:
    """A keyed hash of a normalised number, for stored lookups (rate limits, ticket holders).

    Keyed with ``SECRET_KEY`` so a leaked table cannot be reversed by hashing every mobile number;
    ``purpose`` separates the uses (the same number gives unrelated keys in two tables).
    """
    from django.conf import settings  # late: settings are configured before this is called

    message = f"{purpose}:{normalise_phone(phone)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]
