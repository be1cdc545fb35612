"""A web worker's start-up: pay the first request's one-off costs before serving, then keep the
garbage collector off everything loaded so far.

Why the freeze: gunicorn forks its workers from a master that has already set Django up, and a
worker's first full collection walks every object it inherited — on the bench of issue 17 one
pass of about 150 ms of CPU (14,000 copy-on-write page faults, 0.4 s of wall time under load)
that stood every thread of the process still, the slowest 1 % of the hall's call-next
(docs/benchmarks.md). Objects alive at start-up (modules, URL patterns, models, catalogues) live
as long as the process; ``gc.freeze`` moves them to a generation that collections skip, so a full
pass walks only what serving created (Python's documentation recommends it for pre-fork servers).
"""

from __future__ import annotations

import gc

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    """Load what the first request would otherwise load: every URLconf with its views' modules,
    and per language served its message catalogue and the URL names reverse() looks up."""
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Service hall")
            resolver.reverse_dict  # noqa: B018 - the property imports and indexes the URLconfs


def ready_to_serve() -> None:
    """The worker is about to serve: warm up, collect what start-up left behind, and freeze the
    rest (long-lived by nature) out of the collector's reach."""
    warm_up()
    gc.collect()
    gc.freeze()
