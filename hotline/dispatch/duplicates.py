"""Duplicate detection (重复件): earlier orders that look like the same request.

A lookup pulls a bounded pool with indexed queries only — the same caller (``citizen_phone``
index) and the same street (``street_id`` index), registered in the last ``days`` days, neither
merged nor cancelled — and scores it in Python:

- text: cosine similarity of the character-bigram sets of title + description, after
  :func:`hotline.dispatch.text.normalize` (so Traditional and Simplified, full- and half-width
  match);
- address: the same road and house number (江宁路500号, however the district prefix, spacing,
  script or floor are written), or the same normalised address;
- caller: the same phone number.

A duplicate is about the same place: an order about another place — another house number on the
road, another estate (小区), or, where neither says, coordinates more than :data:`PLACE_RADIUS_M`
apart, when both orders have one — is never offered, however alike the words (the same
complaint about 广场舞 at 青云路小区 and at 灵石苑 is two requests, each for its own estate).
Where one order has no address, nothing is known against it (:func:`different_place`).

Candidates at or above :data:`THRESHOLD` come back, best first, with the reasons. Text features are
cached per process keyed by the text itself (never stale, bounded), and by order id together with
the norm, address and phone: those are written once, when the order is created
(:func:`hotline.orders.actions.register`, the history import), and never change after. The first
lookup on a street reads its pool in full; later ones read only the ids and then the columns of
the orders not cached yet. So a warm lookup costs two narrow indexed queries and a few thousand
set intersections.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hotline import clock
from hotline.dispatch.text import _t2s
from hotline.orders.models import State, WorkOrder

#: How far back to look, in days.
DAYS = 30
#: At most this many orders from one street (the most recent) are scored.
STREET_POOL = 3000
#: At most this many orders from one caller are scored.
PHONE_POOL = 200
#: Score at which an order is offered as a possible duplicate.
THRESHOLD = 0.6
#: Text similarity that counts as "similar text" on its own in the reasons.
TEXT_SIMILAR = 0.4
#: IDF weighting starts once the process has seen this many texts.
IDF_MIN_TEXTS = 1000
ADDRESS_BONUS = 0.25
PHONE_BONUS = 0.15
#: Orders whose coordinates lie further apart than this, in metres, are about different places
#: (where their addresses do not say: one estate may span a few hundred metres).
PLACE_RADIUS_M = 300

REASONS = {
    "caller": _("same caller"),
    "address": _("same address"),
    "text": _("similar text"),
}

_EXCLUDED = (State.MERGED, State.CANCELLED)
_CACHE_MAX = 200_000
_text_cache: dict[str, frozenset[str]] = {}
_df: Counter[str] = Counter()
_address_cache: dict[str, str] = {}
_place_cache: dict[str, tuple[Roads, str]] = {}
#: Order id → (bigram features of title + description, the square root of their count, address,
#: phone, latitude, longitude): all written once, when the order is created, and never changed
#: after.
_Entry = tuple[frozenset[str], float, str, str, float | Decimal | None, float | Decimal | None]
_order_cache: dict[int, _Entry] = {}
#: Streets whose pool has been read in full once: later lookups read only the ids.
_warm_streets: set[int] = set()

_NOT_WORD = re.compile(r"[^\w]+")
#: The two characters before the road suffix, and the house number: 静安区江宁路500号 and
#: 江寧路 500 號 both give 江宁路#500 (district prefixes and floors do not matter).
_ROAD_NUMBER = re.compile(r"([\u4e00-\u9fff]{2}(?:大道|路|街|巷|弄))(\d+)[号弄]")
#: An estate's name: the two characters before its suffix, and the suffix (曹家渡花园 4 号楼 and
#: 静安区曹家渡花园 both give 家渡花园; 三泉新苑 gives 三泉新苑). Longer suffixes first.
_ESTATE = re.compile(
    r"([\u4e00-\u9fff]{2}(?:小区|花园|新苑|新村|家园|公寓|大厦|山庄|公馆|苑|园|村|坊|里))"
    r"(?:\d|[东南西北]?[区期座幢栋]|$)"
)


@dataclass(frozen=True)
class Candidate:
    order: WorkOrder
    score: float
    reasons: list[str] = field(default_factory=list)

    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


def text_features(text: str) -> frozenset[str]:
    """Character bigrams of the normalised text (punctuation and spaces dropped; house numbers
    kept, unlike the classifier's normalisation, since they tell one place from the next)."""
    cached = _text_cache.get(text)
    if cached is None:
        chars = _NOT_WORD.sub("", _fold(text).replace("_", ""))
        cached = frozenset(chars[i : i + 2] for i in range(len(chars) - 1)) or frozenset(chars)
        if len(_text_cache) >= _CACHE_MAX:
            invalidate()
        _text_cache[text] = cached
        _df.update(cached)
    return cached


def _fold(text: str) -> str:
    return _t2s().convert(unicodedata.normalize("NFKC", text).lower())


def _weights(features: frozenset[str]) -> dict[str, float]:
    """IDF weights of a query's bigrams over the texts this process has seen: boilerplate
    (市民反映, 希望尽快…) counts little, the problem and the place count much."""
    seen = len(_text_cache) + 1
    if seen < IDF_MIN_TEXTS:  # too few texts to tell boilerplate: plain cosine
        return dict.fromkeys(features, 1.0)
    return {g: math.log(seen / (1 + _df[g])) + 1.0 for g in features}


def address_key(address: str) -> str:
    """One form for an address: the road and house number when it has them, else the whole
    normalised address ("" when too short to mean anything)."""
    cached = _address_cache.get(address)
    if cached is None:
        text = _NOT_WORD.sub("", _fold(address).replace("_", ""))
        match = _ROAD_NUMBER.search(text)
        cached = f"{match.group(1)}#{match.group(2)}" if match else text
        if len(cached) < 4:
            cached = ""
        _remember(_address_cache, address, cached)
    return cached


_ESTATE_SUFFIXED = re.compile(r"(?<=[园苑村里坊寓厦庄馆])小区")
#: Every road and house number an address names, the road with all the characters before its
#: suffix (北京西路 and 南京西路 are two roads; a district or landmark written before it is
#: matched away by :func:`_same_road`), and a number range (500-502号, 500至502号) whole.
_ROADS = re.compile(r"([\u4e00-\u9fff]{1,6}?(?:大道|路|街|巷|弄))(\d+)(?:[至到](\d+))?[号弄]")
_RANGE_DASH = re.compile(r"(?<=\d)\s*[-~—–]+\s*(?=\d)")
#: A range longer than this is read as its two ends only (a typo, not a block of houses).
_RANGE_MAX = 100

#: (road, the house numbers it names) per road an address names.
Roads = tuple[tuple[str, frozenset[int]], ...]


def place_key(address: str) -> tuple[Roads, str]:
    """Where an address is: the roads and house numbers it names (a landmark first, the place
    after it: both), and its estate (小区), "" when it does not say."""
    cached = _place_cache.get(address)
    if cached is None:
        folded = _RANGE_DASH.sub("至", _fold(address))
        text = _NOT_WORD.sub("", folded.replace("_", ""))
        roads = []
        for written, first, last in _ROADS.findall(text):
            road = _road_name(written)
            start, end = int(first), int(last or first)
            if 0 <= end - start <= _RANGE_MAX:
                numbers = frozenset(range(start, end + 1))
            else:
                numbers = frozenset({start, end})
            roads.append((road, numbers))
        # 曹家渡花园小区 is 曹家渡花园: a 小区 after an estate's own suffix is no name of its own.
        estate = _ESTATE.search(_ESTATE_SUFFIXED.sub("", text))
        cached = (tuple(roads), estate.group(1) if estate else "")
        _remember(_place_cache, address, cached)
    return cached


#: Characters that end what is written before a road's name: an area (静安区, 上海市, 街道) or a
#: landmark's words (对面, 门口, 旁边, 附近, 与…交叉).
_BEFORE_ROAD = frozenset("省市区县镇道面边近口旁侧往与和及对在")
_ROAD_SUFFIXES = ("大道", "路", "街", "巷", "弄")


def _road_name(written: str) -> str:
    """The road's own name in what was written up to its suffix: cut after the last area or
    landmark word that leaves at least two characters before the suffix (静安区江宁路 and
    对面江宁路 give 江宁路; 静安区和平路 gives 和平路, 共和新路 stays whole)."""
    suffix = next(x for x in _ROAD_SUFFIXES if written.endswith(x))
    last = len(written) - len(suffix) - 2  # the last cut that leaves two characters
    for at in range(last - 1, -1, -1):
        if written[at] in _BEFORE_ROAD:
            return written[at + 1 :]
    return written


def _same_road(road: str, other: str) -> bool:
    """One road written with more or less before it (静安区江宁路, 江宁路; 对面江宁路): the
    shorter name ends the longer. 北京西路 and 南京西路 do not."""
    return road.endswith(other) or other.endswith(road)


def _same_house(roads: Roads, other_roads: Roads) -> bool:
    return any(
        _same_road(road, other) and numbers & other_numbers
        for road, numbers in roads
        for other, other_numbers in other_roads
    )


def different_place(
    address: str,
    other_address: str,
    where: tuple[float | Decimal | None, float | Decimal | None] = (None, None),
    other_where: tuple[float | Decimal | None, float | Decimal | None] = (None, None),
) -> bool:
    """Whether two orders are about different places, as far as both say: no house number in
    common on one road (江宁路500号, 江宁路502号; a range 500-502号 holds 502号, a landmark
    named first does not hide the place after it); else two estates; else, with coordinates on
    both, :data:`PLACE_RADIUS_M` apart. An order without an address or coordinates differs from
    none."""
    if address and other_address:
        (roads, estate), (other_roads, other_estate) = place_key(address), place_key(other_address)
        if roads and other_roads:
            return not _same_house(roads, other_roads)
        if estate and other_estate:
            return estate != other_estate
    if None in where or None in other_where:
        return False
    lat, lon = (float(v) for v in where)  # type: ignore[arg-type]
    other_lat, other_lon = (float(v) for v in other_where)  # type: ignore[arg-type]
    # Equirectangular: exact enough over a district.
    dx = math.radians(other_lon - lon) * math.cos(math.radians((lat + other_lat) / 2))
    dy = math.radians(other_lat - lat)
    return 6_371_000 * math.hypot(dx, dy) > PLACE_RADIUS_M


def _remember(cache: dict, key: object, value: object) -> None:
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[key] = value


def invalidate() -> None:
    """Drop the per-process feature caches (tests)."""
    _text_cache.clear()
    _address_cache.clear()
    _place_cache.clear()
    _order_cache.clear()
    _warm_streets.clear()
    _df.clear()


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


_FIELDS = ("id", "title", "description", "address", "citizen_phone", "latitude", "longitude")
#: Up to this many uncached orders of a pool are read by id; more, and the pool is read in full.
_BY_ID_MAX = 200


def _remember_order(
    pk: int,
    title: str,
    description: str,
    address: str,
    phone: str,
    latitude: float | Decimal | None,
    longitude: float | Decimal | None,
) -> _Entry:
    features = text_features(f"{title}\n{description}")
    if len(_order_cache) >= _CACHE_MAX:
        _order_cache.clear()
        _warm_streets.clear()
    entry = _order_cache[pk] = (
        features,
        math.sqrt(len(features)),
        address,
        phone,
        latitude,
        longitude,
    )
    return entry


def _ids(pool: QuerySet[WorkOrder]) -> list[int]:
    """The pool's ids, straight from the cursor (a fifth of a warm lookup went to building rows)."""
    sql, params = pool.values_list("id").query.get_compiler(using=pool.db).as_sql()
    with connections[pool.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _pool(pool: QuerySet[WorkOrder], *, full: bool) -> dict[int, _Entry]:
    """The pool's orders with their cached features. ``full`` reads every column at once (a cold
    pool); otherwise only the ids, and then the columns of the orders not cached yet."""
    if full:
        return {
            r[0]: _order_cache.get(r[0]) or _remember_order(*r) for r in pool.values_list(*_FIELDS)
        }
    ids = _ids(pool)
    found = {pk: _order_cache[pk] for pk in ids if pk in _order_cache}
    missing = [pk for pk in ids if pk not in found]
    if len(missing) > _BY_ID_MAX:
        return _pool(pool, full=True)
    if missing:
        for row in WorkOrder.objects.filter(pk__in=missing).values_list(*_FIELDS):
            found[row[0]] = _remember_order(*row)
    return found


def candidates(
    *,
    title: str,
    description: str,
    address: str = "",
    street_id: int | None = None,
    phone: str = "",
    latitude: float | Decimal | None = None,
    longitude: float | Decimal | None = None,
    exclude_id: int | None = None,
    now: dt.datetime | None = None,
    days: int = DAYS,
    limit: int = 5,
) -> list[Candidate]:
    """Possible duplicates of the request described, best first (score ≥ :data:`THRESHOLD`),
    none about another place (:func:`different_place`)."""
    now = now or clock.now()
    base = WorkOrder.objects.filter(registered_at__gte=now - dt.timedelta(days=days)).exclude(
        state__in=_EXCLUDED
    )
    if exclude_id is not None:
        base = base.exclude(pk=exclude_id)
    phone = phone.strip()
    rows: dict[int, _Entry] = {}
    if len(_digits(phone)) >= 5:
        pool = base.filter(citizen_phone=phone).order_by("-registered_at")[:PHONE_POOL]
        rows.update(_pool(pool, full=False))
    if street_id is not None:
        pool = base.filter(street_id=street_id).order_by("-registered_at")[:STREET_POOL]
        rows.update(_pool(pool, full=street_id not in _warm_streets))
        _warm_streets.add(street_id)
    if not rows:
        return []
    text = text_features(f"{title}\n{description}")
    weights = _weights(text)
    total = sum(weights.values())
    # Cosine with IDF weights; a candidate's norm is taken as its size times the query's mean
    # weight, which saves weighing every candidate's bigrams.
    scale = total / math.sqrt(len(text)) if text else 0.0
    where = address_key(address)
    known_address = _address_cache.get
    weight = weights.__getitem__
    scored = []
    here = (latitude, longitude)
    for pk, (other, root, other_address, other_phone, lat, lon) in rows.items():
        shared = text & other
        sim = sum(map(weight, shared)) / (scale * root) if shared else 0.0
        score = min(sim, 1.0)
        reasons = []
        if phone and other_phone == phone:
            score += PHONE_BONUS
            reasons.append("caller")
        if where and (known_address(other_address) or address_key(other_address)) == where:
            score += ADDRESS_BONUS
            reasons.append("address")
        if score >= THRESHOLD and not different_place(address, other_address, here, (lat, lon)):
            if sim >= TEXT_SIMILAR:
                reasons.append("text")
            scored.append((score, pk, reasons))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    best = scored[:limit]
    orders = WorkOrder.objects.in_bulk([pk for _score, pk, _r in best])
    return [Candidate(orders[pk], round(score, 3), reasons) for score, pk, reasons in best]


def for_order(order: WorkOrder, *, now: dt.datetime | None = None) -> list[Candidate]:
    """Possible duplicates of an existing order (itself and its merged children left out)."""
    return candidates(
        title=order.title,
        description=order.description,
        address=order.address,
        street_id=order.street_id,
        phone=order.citizen_phone,
        latitude=order.latitude,
        longitude=order.longitude,
        exclude_id=order.pk,
        now=now,
    )
