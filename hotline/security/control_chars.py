"""C0 control characters: the one definition of which ones text may not carry.

Tab, newline and carriage return are text; every other C0 control (U+0000–U+001F) and DEL is
not. A NUL breaks PostgreSQL (it cannot store one in text), the rest break XML (Open311's
``requests.xml``) and openpyxl (it refuses them, so an export would stop half-written). Input
boundaries — the middleware for pages and the portal, the API's and Open311's schemas, imports —
strip or refuse them with these functions; the spreadsheet writer strips whatever older data
still holds.

Imports nothing from the models: the middleware and the schemas use it.
"""

from __future__ import annotations

import re

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a control character other than tab, newline or carriage return."""
    return CONTROLS.search(text) is not None


def strip_controls(text: str) -> str:
    """``text`` without control characters other than tab, newline or carriage return."""
    return CONTROLS.sub("", text)
