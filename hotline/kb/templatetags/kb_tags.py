"""Template helpers of the knowledge base's suggestion boxes (intake, portal submit form)."""

from __future__ import annotations

import json

from django import template

from hotline.kb.assist import SUGGEST_FIELD_CHARS

register = template.Library()


@register.simple_tag
def kb_suggest_limits() -> str:
    """The ``data-kb-limits`` value the boxes' scripts cut each field to (escaped on output)."""
    return json.dumps(SUGGEST_FIELD_CHARS, separators=(",", ":"))
