"""Hotspots (热点): clusters of similar orders in one period and one street, for leaders.

Two queries: the period's orders ``[start, end)`` and the previous period's of the same length,
both without merged and cancelled orders, as plain value rows. Everything else is Python:

- orders are grouped by street: the order's own, else the one its address names in the gazetteer
  (:func:`hotline.org.gazetteer.match_address`); orders with neither form one district-wide group,
  shown by the address most of them give, or as "whole district (no address)" — never as an
  "unknown street";
- within a street, orders are clustered greedily in one pass in registration order: an order joins
  the most similar cluster when the cosine of its character bigrams (title + description after
  :func:`hotline.dispatch.text.normalize`) with the cluster's bigram profile (the sum of its
  members') reaches :data:`SIMILAR`, or :data:`SIMILAR_SAME_CATEGORY` when the order has the
  cluster's category; otherwise it starts a cluster of its own. Each bigram weighs its inverse
  document frequency in the period's orders (``ln((1 + n) / (1 + df)) + 1``, shrunk toward 1
  for a period of few orders, see :class:`_Weights`): the wording every
  order shares (市民来电反映, 咨询…需要哪些材料, 诉求：希望得到答复) weighs little, so it no longer
  draws unrelated orders together — with equal weights the demo district's November put 90
  consultations on marriage, household registration, residence permits and sole traders in one
  "hotspot";
- clusters of at least ``min_size`` orders are hotspots; a hotspot's *previous* count is the
  number of the previous period's orders of the same street that would have joined it by the same
  rule, its growth the ratio and the difference;
- hotspots rank by size, then growth (fewer previous orders first), then street code;
- a service hall's own orders are left out: the rectification orders of its 差评 (the category
  ``RATING_CATEGORY``: one templated title for every 差评 of every hall, so they all met in one
  "hotspot" named after one ticket at one hall) and its 办不成事 referrals. They have their own
  figures per hall (the dashboard's cases and ratings table, the hall's ratings page).

Scoring goes through an inverted index (bigram → clusters holding it), so an order is compared
only with the clusters it shares a bigram with: 10 000 orders take a few seconds at most.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.dispatch.text import normalize
from hotline.orders.models import State, WorkOrder
from hotline.org.gazetteer import match_address

#: Cosine with a cluster's profile at which an order joins it.
SIMILAR = 0.45
#: The same, when the order has the cluster's category. 0.3 before the bigrams were weighted:
#: the rare words a paraphrase does not share now weigh more, so three differently worded
#: reports of the same broken street lamp met at about 0.25 (tests/dispatch/test_hotspots.py).
SIMILAR_SAME_CATEGORY = 0.25
#: Orders at which the bigram weights are half way from equal to inverse document frequency.
IDF_SHRINK = 100
#: At most this many order numbers per hotspot.
MAX_NUMBERS = 20

_EXCLUDED = (State.MERGED, State.CANCELLED)


def features(text: str) -> frozenset[str]:
    """Character bigrams of the normalised text, spaces and punctuation dropped."""
    chars = "".join(ch for ch in normalize(text) if ch.isalnum())
    return frozenset(chars[i : i + 2] for i in range(len(chars) - 1)) or frozenset(chars)


@dataclass(frozen=True)
class Hotspot:
    street_code: str
    #: The street, or for orders without one the address most of them give, or "whole district".
    street_name: str
    size: int
    label: str
    category_code: str
    category_name: str
    numbers: list[str]
    first_registered: dt.datetime
    last_registered: dt.datetime
    previous: int
    #: ``size - previous``.
    change: int
    #: ``size / previous``; ``None`` when the previous period had no similar order.
    growth: float | None
    #: The address most of the orders give ("" when none gives one).
    address: str = ""

    def as_dict(self) -> dict[str, Any]:
        local = timezone.localtime
        return {
            "street": {"code": self.street_code, "name": self.street_name},
            "address": self.address,
            "size": self.size,
            "label": self.label,
            "category": {"code": self.category_code, "name": self.category_name},
            "numbers": list(self.numbers),
            "first_registered": local(self.first_registered).isoformat(),
            "last_registered": local(self.last_registered).isoformat(),
            "previous": self.previous,
            "change": self.change,
            "growth": self.growth,
        }


class _Weights:
    """Bigram → its weight: the inverse document frequency in the period's orders (smoothed as
    scikit-learn's ``TfidfVectorizer`` does, so a bigram every order has still weighs 1), its
    excess over 1 shrunk by ``n / (n +`` :data:`IDF_SHRINK` ``)`` for ``n`` orders: a handful of
    orders says little about which wording is common, and there every bigram weighs about the
    same, as before weights were used."""

    def __init__(self, documents: list[frozenset[str]]) -> None:
        df: Counter[str] = Counter()
        for bigrams in documents:
            df.update(bigrams)
        n = len(documents)
        shrink = n / (n + IDF_SHRINK)
        # df 0: a bigram only the previous period has.
        self.unseen = 1 + shrink * math.log(1 + n)
        self.idf = {g: 1 + shrink * math.log((1 + n) / (1 + c)) for g, c in df.items()}

    def __call__(self, g: str) -> float:
        return self.idf.get(g, self.unseen)


@dataclass
class _Cluster:
    category_id: int | None
    profile: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    norm2: float = 0.0
    rows: list[tuple] = field(default_factory=list)

    def add(self, bigrams: frozenset[str], weight: _Weights, row: tuple | None = None) -> None:
        for g in bigrams:
            w = weight(g)
            self.norm2 += (2 * self.profile[g] + w) * w  # (p + w)² - p²
            self.profile[g] += w
        if row is not None:
            self.rows.append(row)


class _Index:
    """Clusters of one street with a bigram → cluster index."""

    def __init__(self, weight: _Weights) -> None:
        self.weight = weight
        self.clusters: list[_Cluster] = []
        self.postings: dict[str, list[int]] = defaultdict(list)

    def add(self, cluster: _Cluster) -> int:
        cid = len(self.clusters)
        self.clusters.append(cluster)
        for g in cluster.profile:
            self.postings[g].append(cid)
        return cid

    def grow(self, cid: int, bigrams: frozenset[str], row: tuple | None = None) -> None:
        cluster = self.clusters[cid]
        for g in bigrams:
            if g not in cluster.profile:
                self.postings[g].append(cid)
        cluster.add(bigrams, self.weight, row)

    def matches(self, bigrams: frozenset[str], category_id: int | None) -> Iterable[int]:
        """The clusters the text would join, best first (ties: the oldest cluster)."""
        if not bigrams:
            return []
        dots: dict[int, float] = defaultdict(float)
        norm2 = 0.0
        for g in bigrams:
            w = self.weight(g)
            norm2 += w * w
            for cid in self.postings.get(g, ()):
                dots[cid] += w * self.clusters[cid].profile[g]
        root = math.sqrt(norm2)
        scored = []
        for cid, dot in dots.items():
            cluster = self.clusters[cid]
            sim = dot / (root * math.sqrt(cluster.norm2))
            same = category_id is not None and category_id == cluster.category_id
            if sim >= (SIMILAR_SAME_CATEGORY if same else SIMILAR):
                scored.append((-sim, cid))
        scored.sort()
        return [cid for _sim, cid in scored]


# Row layout of the period's orders.
_FIELDS = (
    "id",
    "number",
    "title",
    "description",
    "street_id",
    "street__code",
    "street__name",
    "category_id",
    "category__code",
    "category__name",
    "registered_at",
    "address",
)
_ID, _NUMBER, _TITLE, _DESC, _STREET, _SCODE, _SNAME, _CAT, _CCODE, _CNAME, _AT, _ADDR = range(12)


def _located(row: tuple) -> tuple:
    """The row with its street filled in from its address when the order has none."""
    if row[_STREET] is not None or not row[_ADDR]:
        return row
    found = match_address(row[_ADDR])
    if found is None:
        return row
    street = found.street
    return (*row[:_STREET], street.pk, street.code, street.name, *row[_SNAME + 1 :])


def hotspots(
    start: dt.datetime,
    end: dt.datetime,
    *,
    min_size: int = 3,
    limit: int = 20,
    street: str | None = None,
) -> list[Hotspot]:
    """The period's hotspots, largest first; ``street`` limits them to one street (by code)."""
    if end <= start:
        raise ValueError("the period must end after it starts")
    if min_size < 1 or limit < 1:
        raise ValueError("min_size and limit must be positive")
    base = (
        WorkOrder.objects.exclude(state__in=_EXCLUDED)
        .exclude(category__code=settings.RATING_CATEGORY)
        .exclude(hall_referral__isnull=False)
    )
    if street is not None:
        base = base.filter(street__code=street)
    rows = [
        (row, features(f"{row[_TITLE]}\n{row[_DESC]}"))
        for row in map(
            _located,
            base.filter(registered_at__gte=start, registered_at__lt=end)
            .order_by("registered_at", "id")
            .values_list(*_FIELDS),
        )
    ]
    weight = _Weights([bigrams for _row, bigrams in rows])
    streets: dict[int | None, _Index] = {}
    for row, bigrams in rows:
        index = streets.get(row[_STREET])
        if index is None:
            index = streets[row[_STREET]] = _Index(weight)
        best = next(iter(index.matches(bigrams, row[_CAT])), None)
        if best is None:
            cluster = _Cluster(category_id=row[_CAT])
            cluster.add(bigrams, weight, row)
            index.add(cluster)
        else:
            index.grow(best, bigrams, row)

    # Only clusters big enough to report are matched against the previous period.
    big: dict[int | None, _Index] = {}
    for street_id, index in streets.items():
        kept = _Index(weight)
        for cluster in index.clusters:
            if len(cluster.rows) >= min_size:
                kept.add(cluster)
        if kept.clusters:
            big[street_id] = kept
    if not big:
        return []

    previous: Counter[tuple[int | None, int]] = Counter()
    before = (
        base.filter(registered_at__gte=start - (end - start), registered_at__lt=start)
        .order_by("registered_at", "id")
        .values_list("street_id", "title", "description", "category_id", "address")
    )
    for street_id, title, description, category_id, address in before:
        if street_id is None and address and (match := match_address(address)) is not None:
            street_id = match.street.pk
        kept_index = big.get(street_id)
        if kept_index is None:
            continue
        for cid in kept_index.matches(features(f"{title}\n{description}"), category_id):
            previous[street_id, cid] += 1

    found = []
    for street_id, kept_index in big.items():
        for cid, cluster in enumerate(kept_index.clusters):
            found.append(_hotspot(cluster, previous[street_id, cid]))
    found.sort(key=lambda h: (-h.size, h.previous, h.street_code, h.first_registered, h.numbers[0]))
    return found[:limit]


def _hotspot(cluster: _Cluster, previous: int) -> Hotspot:
    rows = cluster.rows
    first = rows[0]
    size = len(rows)
    categories = Counter((r[_CCODE], r[_CNAME]) for r in rows if r[_CAT] is not None)
    category_code, category_name = categories.most_common(1)[0][0] if categories else ("", "")
    title, count = Counter(r[_TITLE] for r in rows).most_common(1)[0]
    label = title if count > 1 or not category_name else category_name
    addresses = Counter(r[_ADDR].strip() for r in rows if r[_ADDR].strip())
    address = addresses.most_common(1)[0][0] if addresses else ""
    return Hotspot(
        street_code=first[_SCODE] or "",
        street_name=first[_SNAME] or address or _("Whole district (no address)"),
        address=address,
        size=size,
        label=label,
        category_code=category_code,
        category_name=category_name,
        numbers=[r[_NUMBER] for r in rows[:MAX_NUMBERS]],
        first_registered=first[_AT],
        last_registered=rows[-1][_AT],
        previous=previous,
        change=size - previous,
        growth=round(size / previous, 3) if previous else None,
    )
