"""Address → street and neighbourhood committee, through the gazetteer (:class:`Place`).

Rules, not guesses: an estate named in the address wins (it pins the neighbourhood committee);
otherwise the road, using the house number when a road is split between streets by number ranges.
When two places of the same weight point at different streets the answer is "don't know".
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from hotline.org.models import Place, PlaceKind, Unit

_NUMBER_AFTER = re.compile(r"\s*(\d{1,6})\s*(?:号|弄|號|衖)")


@dataclass(frozen=True)
class Match:
    street: Unit
    community: Unit | None
    place: Place


_CACHE_SECONDS = 60.0
_lock = threading.Lock()
_cached: tuple[float, list[Place]] | None = None


def _places() -> list[Place]:
    """The gazetteer, read at most once a minute per process (intake asks on every keystroke)."""
    global _cached
    with _lock:
        if _cached is None or time.monotonic() - _cached[0] > _CACHE_SECONDS:
            _cached = (
                time.monotonic(),
                list(
                    Place.objects.select_related("street", "community").filter(street__active=True)
                ),
            )
        return _cached[1]


def invalidate() -> None:
    global _cached
    with _lock:
        _cached = None


def house_number(address: str, road: str) -> int | None:
    """The number right after the road's name: ``江宁路 500 号`` → 500."""
    at = address.find(road)
    if at < 0:
        return None
    found = _NUMBER_AFTER.match(address, at + len(road))
    return int(found.group(1)) if found else None


def match_address(address: str) -> Match | None:
    text = (address or "").strip()
    if len(text) < 2:
        return None
    candidates = [p for p in _places() if p.name in text]
    # Estates and landmarks are more specific than roads; longer names more than shorter ones.
    for kinds in ((PlaceKind.ESTATE, PlaceKind.LANDMARK), (PlaceKind.ROAD,)):
        found = [p for p in candidates if p.kind in kinds]
        found = [
            p for p in found if p.kind != PlaceKind.ROAD or p.covers(house_number(text, p.name))
        ]
        if not found:
            continue
        longest = max(len(p.name) for p in found)
        best = [p for p in found if len(p.name) == longest]
        if len({p.street_id for p in best}) == 1:
            place = best[0]
            return Match(street=place.street, community=place.community, place=place)
        return None
    return None
