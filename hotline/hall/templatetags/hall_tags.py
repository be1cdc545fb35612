"""Template helpers shared by the hall's pages (hall, cases, pre-review, ratings, 帮办)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def aside(*values: Any, percent: bool = False, sep: str = " ") -> str:
    """A count or short note in brackets after a label: ``Waiting (3)``, ``Paused (lunch)``.

    One translatable pattern, so each language writes its own brackets: English a space and
    half-width ``( )``, Chinese full-width ``（ ）`` with no space (GB/T 15834). The result is
    escaped like any other value (a pause reason is typed by a clerk). Several values are joined
    with ``sep`` (``{% aside 2 1 sep=":" %}`` is ``(2:1)``)."""
    text = sep.join(str(v) for v in values) + (" %" if percent else "")
    return pgettext("a count or note in brackets after a label", " (%(aside)s)") % {"aside": text}


@register.simple_tag
def kiosk_idle_seconds() -> int:
    """How long a kiosk page opened from a kiosk waits untouched before it goes back to it
    (:data:`hotline.hall.views.public.KIOSK_IDLE_SECONDS`), for pages whose view does not say."""
    from hotline.hall.views.public import KIOSK_IDLE_SECONDS

    return KIOSK_IDLE_SECONDS
