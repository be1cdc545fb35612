"""Masking phone numbers in free text: log lines, access-log URLs, exports.

Imports nothing from the models: the logging filter here is configured before Django's apps load.
"""

from __future__ import annotations

import logging
import re

# Mainland mobile numbers (11 digits, 1[3-9]…, optionally +86) and landlines with an area code
# (010-12345678, 02162345678). Order numbers (20230309-000123) match neither: they start with 2
# and their parts are 8 and 6 digits.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d{9})(?!\d)")
_LANDLINE = re.compile(r"(?<![\d-])(0\d{2,3})-?(\d{7,8})(?!\d)")


def _mask_digits(digits: str) -> str:
    # The rule of hotline.orders.models.mask_phone for numbers of 8 or more digits (a test keeps
    # them equal): the first three and the last four stay.
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_text(text: str) -> str:
    """Every phone number found in ``text`` masked: 138****5678."""
    if not text:
        return text
    text = _MOBILE.sub(lambda m: m.group(0)[:-11] + _mask_digits(m.group(1)), text)
    return _LANDLINE.sub(lambda m: _mask_digits(m.group(1) + m.group(2)), text)


class MaskPhonesFilter(logging.Filter):
    """Masks phone numbers in every record passing the handler it is attached to (see LOGGING):
    order titles in notification logs, numbers in URLs, anything an exception message quotes."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's problem, not ours
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # A traceback can quote a value too: format it now (the formatter reuses exc_text).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True
