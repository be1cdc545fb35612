"""Near-identical orders that ended with different units: where the history contradicts itself.

The model learns the unit that finally kept each order. When two orders say the same thing and one
ended with a bureau, the other with its section (or with another bureau), the model cannot learn
both: someone should fix the rule (权责清单) or the taxonomy, or tell the dispatchers. This module
finds such pairs for the corrections report (``hotline dispatch report``).

Not a contradiction: the same complaint in two streets, each kept by its own street (or a 居委会
under it) — 广场舞音响声音过大 at 青云路小区 and at 灵石苑 are near-identical texts that the
territory, not the taxonomy, sends apart. Such a pair is left out when both orders name their
street and each final unit lies under its own order's street (:func:`_by_place`); so is the same
complaint in two 居委会 of one street, each kept by the 居委会 of its own address. (A street and
its own 居委会 keeping it in one place is a contradiction the model meets: listed.)

Near-identical: cosine similarity of the character-bigram sets at or above :data:`SIMILAR`, the
duplicate finder's text measure (:func:`hotline.dispatch.duplicates.text_features`), so
Traditional and Simplified, full- and half-width text compare alike. The similarity is computed as
sparse products in blocks over the most recent orders (a district's whole history would be
quadratic): :data:`DAYS` days, at most :data:`MAX_ORDERS` orders. The orders are read newest
first, :data:`CHUNK` at a time, until :data:`MAX_ORDERS` kept ones are found: the report's cost is
bounded by its cap, not by the years a long period holds (:func:`_newest_kept`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from sklearn.preprocessing import normalize

from hotline import clock
from hotline.dispatch import services
from hotline.dispatch.duplicates import text_features
from hotline.orders.models import WorkOrder

#: Text similarity at or above which two orders count as near-identical.
SIMILAR = 0.9
#: How far back the report looks, in days, and how many orders (the most recent) it compares.
DAYS = 90
MAX_ORDERS = 20_000
#: Rows of the similarity matrix computed at once (bounds memory).
BLOCK = 1000
#: Orders read at once, newest first (their ids one list: below every database's parameter limit).
CHUNK = 900
#: Example pairs listed per pair of units.
EXAMPLES = 3


def find(
    *,
    now: dt.datetime | None = None,
    days: int = DAYS,
    similar: float = SIMILAR,
    max_orders: int | None = None,
    top: int | None = 10,
) -> dict[str, Any]:
    """Pairs of units whose near-identical orders ended apart, most pairs first.

    Returns ``orders`` (how many were compared), ``capped`` (whether the period held more kept
    orders with a final unit than ``max_orders``: then only the newest were compared, registered
    from ``from``),
    ``pairs`` (near-identical pairs with different final units) and ``units``: per pair of
    units (sorted codes), ``pairs``, the number of orders of each unit involved and their
    numbers (``numbers``, newest first), and up to :data:`EXAMPLES` example pairs (both order
    numbers, both units, the similarity).
    """
    since = (now or clock.now()) - dt.timedelta(days=days)
    rows, labels, capped = _newest_kept(since, MAX_ORDERS if max_orders is None else max_orders)
    result: dict[str, Any] = {
        "days": days,
        "similar": similar,
        "orders": len(rows),
        "capped": capped,
        # The oldest order compared, registered on (the page says it when the cap cut the period).
        "from": timezone.localtime(rows[-1][5]).date().isoformat() if rows else None,
        "pairs": 0,
    }
    if len(rows) < 2:
        return {**result, "units": []}
    matrix = _bigram_matrix([services.order_text(t, d) for _pk, _n, t, d, *_rest in rows])
    first_level = services.first_level_codes()
    # Per order: its final unit, and the place that unit serves it as (None: not by place).
    units = [labels[pk] for pk, *_rest in rows]
    places = [
        _by_place(unit, street, community, first_level)
        for unit, (*_rest, street, _at, community) in zip(units, rows, strict=True)
    ]
    # Repeat calls about one event are common and identical: one row per distinct text, with
    # its orders, keeps the pairs from growing with the square of a cluster's size.
    members: dict[bytes, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        members[matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]].tobytes()].append(i)
    clusters = list(members.values())
    near = [(c, c, 1.0) for c in range(len(clusters))]
    near += _similar_pairs(matrix[[c[0] for c in clusters]], similar)
    found: dict[tuple[str, str], _UnitPair] = {}
    for c1, c2, similarity in near:
        _count(found, clusters[c1], clusters[c2] if c2 != c1 else None, units, places, similarity)
    ranked = sorted(found.items(), key=lambda item: (-item[1].pairs, item[0]))
    listed = [
        {
            "units": list(codes),
            "pairs": entry.pairs,
            "orders": {code: len(entry.orders[code]) for code in codes},
            # Every order of each side, newest first (the corrections page links each one).
            "numbers": {code: [rows[i][1] for i in sorted(entry.orders[code])] for code in codes},
            "examples": [
                {
                    "orders": [rows[a][1], rows[b][1]],
                    "units": list(codes),
                    "similarity": round(sim, 3),
                }
                for sim, a, b in sorted(entry.examples, key=lambda e: (-e[0], e[1], e[2]))[
                    :EXAMPLES
                ]
            ],
        }
        for codes, entry in ranked[:top]
    ]
    return {**result, "pairs": sum(e.pairs for e in found.values()), "units": listed}


def capped_note(found: dict[str, Any]) -> str | None:
    """What :func:`find`'s result says when its cap cut the period (``None`` when it did not):
    the corrections page's sentence, for the exports and the command's report to say it too."""
    if not found["capped"]:
        return None
    return _(
        "The last %(days)s days hold more orders than the report compares: only the newest "
        "%(n)s, registered from %(start)s on, were compared. Shorten the period to see it whole."
    ) % {"days": found["days"], "n": found["orders"], "start": found["from"]}


def _newest_kept(
    since: dt.datetime, max_orders: int
) -> tuple[list[tuple[Any, ...]], dict[int, str], bool]:
    """The newest orders registered since ``since`` that a unit kept, at most ``max_orders``,
    newest first — (id, number, title, description, street code, registered at, community
    code) — with their
    final units, and whether older orders of the period that the report would have read (kept,
    with a final unit) were left out.

    Read :data:`CHUNK` orders at a time, newest first along the registration time's index (the
    state is filtered here, not in the query, so that the database walks that index and stops),
    each chunk's final units from its own events, the units' codes once: a period of ten years
    costs what its newest ``max_orders`` orders cost, and each chunk two queries. (Reading every
    kept order of the period first took seconds on 40,000 orders, in one ``IN`` list of them
    all, past the databases' parameter limits on a long history.)"""
    period = WorkOrder.objects.filter(registered_at__gte=since).order_by("-registered_at", "-id")
    kept_states = set(services.KEPT_STATES)
    rows: list[tuple[Any, ...]] = []
    labels: dict[int, str] = {}

    def older_than(row: tuple[Any, ...]) -> QuerySet[WorkOrder]:
        # Not "earlier, or as early with a smaller id" as an OR: SQLite would read both sides
        # whole and sort them, every older order of the period for each chunk.
        return period.filter(registered_at__lte=row[5]).exclude(
            registered_at=row[5], id__gte=row[0]
        )

    def left_out(orders: QuerySet[WorkOrder]) -> bool:
        # Kept and with a final unit: an order imported closed with no unit's event in its
        # history is passed over by the report, and cut by no cap (it said "capped" for them).
        return services.labelled(orders.filter(state__in=kept_states)).exists()

    if max_orders < 1:
        return rows, labels, left_out(period)
    codes = services.unit_codes()
    older: QuerySet[WorkOrder] = period
    while True:
        chunk = list(
            older.values_list(
                "id",
                "number",
                "title",
                "description",
                "street__code",
                "registered_at",
                "community__code",
                "state",
            )[:CHUNK]
        )
        chunk_kept = [row[:7] for row in chunk if row[7] in kept_states]
        found = services.kept_units([row[0] for row in chunk_kept], codes)
        for row in chunk_kept:
            if row[0] in found:
                rows.append(row)
                labels[row[0]] = found[row[0]]
                if len(rows) == max_orders:
                    return rows, labels, left_out(older_than(row))
        if len(chunk) < CHUNK:
            return rows, labels, False
        older = older_than(chunk[-1])


@dataclass
class _UnitPair:
    pairs: int = 0
    orders: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    examples: list[tuple[float, int, int]] = field(default_factory=list)


#: Where an order was kept by the territory it happened in: its street, and its 居委会 when that
#: kept it (else ``None``).
Place = tuple[str, str | None]


def _by_place(
    unit: str, street: str | None, community: str | None, first_level: dict[str, str]
) -> Place | None:
    """The order's street where its final unit is that street or lies under it (the order went
    where it happened), with the order's 居委会 when the final unit is that 居委会; else
    ``None``."""
    if street is not None and first_level.get(unit, unit) == street:
        return street, community if community is not None and unit == community else None
    return None


def _apart(a: Place | None, b: Place | None) -> bool:
    """Whether two orders were each kept where it happened, in two places: two streets, or two
    居委会 of one street (a street and its own 居委会 are not two places)."""
    if a is None or b is None:
        return False
    return a[0] != b[0] or (a[1] is not None and b[1] is not None and a[1] != b[1])


def _place_key(place: Place | None) -> str:
    return "" if place is None else f"{place[0]}/{place[1] or ''}"


def _count(
    found: dict[tuple[str, str], _UnitPair],
    first: list[int],
    second: list[int] | None,
    units: list[str],
    places: list[Place | None],
    similarity: float,
) -> None:
    """Add the orders of two near-identical clusters (``second`` ``None``: one cluster with
    itself) whose units differ: pairs counted per pair of units, not listed one by one. Orders
    each kept where they happened, in two places (:func:`_apart`), are no contradiction."""
    by_unit_1: dict[tuple[str, Place | None], list[int]] = defaultdict(list)
    for i in first:
        by_unit_1[units[i], places[i]].append(i)
    by_unit_2: dict[tuple[str, Place | None], list[int]] = defaultdict(list)
    for j in second if second is not None else first:
        by_unit_2[units[j], places[j]].append(j)
    for (u, place_u), left in by_unit_1.items():
        for (v, place_v), right in by_unit_2.items():
            if u == v or (second is None and (u, _place_key(place_u)) > (v, _place_key(place_v))):
                continue  # the same unit; or, inside one cluster, the pair counted as (v, u)
            if _apart(place_u, place_v):
                continue  # each went to the street (or 居委会) it happened in
            a_side, b_side = (left, right) if u < v else (right, left)
            entry = found.setdefault((min(u, v), max(u, v)), _UnitPair())
            entry.pairs += len(left) * len(right)
            entry.orders[min(u, v)].update(a_side)
            entry.orders[max(u, v)].update(b_side)
            if len(entry.examples) < EXAMPLES * 4:
                entry.examples.extend(
                    (similarity, a, b) for a in a_side[:EXAMPLES] for b in b_side[:EXAMPLES]
                )


def _bigram_matrix(texts: list[str]) -> sp.csr_matrix:
    """One row per text: its bigram set (binary)."""
    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        indices.extend(vocabulary.setdefault(g, len(vocabulary)) for g in text_features(text))
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.ones(len(indices)), indices, indptr), shape=(len(texts), max(1, len(vocabulary)))
    )


def _similar_pairs(matrix: sp.csr_matrix, similar: float) -> list[tuple[int, int, float]]:
    """(i, j, similarity) with i < j for every pair of rows whose set cosine is at least
    ``similar`` (almost surely: see below).

    All-pairs products are quadratic, and boilerplate (市民反映, 希望尽快处理) links nearly
    every pair. Candidates come from MinHash signatures cut in bands (locality-sensitive
    hashing): two rows are compared, exactly, when one band of their signatures agrees. A pair at
    cosine 0.9 (Jaccard about 0.82 or more) becomes a candidate with probability above 0.9999;
    one at Jaccard 0.3 with about 5 %.
    """
    signatures = _minhash(matrix)
    left_parts, right_parts = [], []
    for band in range(BANDS):
        keys = signatures[:, band * ROWS : (band + 1) * ROWS]
        _unique, group = np.unique(keys, axis=0, return_inverse=True)
        left, right = _pairs_within(group.ravel())
        left_parts.append(left)
        right_parts.append(right)
    left = np.concatenate(left_parts)
    right = np.concatenate(right_parts)
    if not len(left):
        return []
    pairs = np.unique(np.c_[left, right], axis=0)
    unit = normalize(matrix)
    found: list[tuple[int, int, float]] = []
    for start in range(0, len(pairs), 100_000):  # bounds the row products' memory
        chunk = pairs[start : start + 100_000]
        similarity = np.asarray(unit[chunk[:, 0]].multiply(unit[chunk[:, 1]]).sum(axis=1))
        similarity = similarity.ravel()
        keep = similarity >= similar - 1e-9
        found.extend(
            zip(
                chunk[keep, 0].tolist(),
                chunk[keep, 1].tolist(),
                similarity[keep].tolist(),
                strict=True,
            )
        )
    return found


#: MinHash: BANDS bands of ROWS hashes each (see :func:`_similar_pairs`).
BANDS, ROWS = 20, 5
_PRIME = (1 << 31) - 1


def _minhash(matrix: sp.csr_matrix) -> np.ndarray:
    """Per row, BANDS × ROWS minimum hashes of its column ids."""
    rng = np.random.default_rng(0)  # fixed: the report is the same every time it is run
    a = rng.integers(1, _PRIME, size=BANDS * ROWS, dtype=np.int64)
    b = rng.integers(0, _PRIME, size=BANDS * ROWS, dtype=np.int64)
    sizes = np.diff(matrix.indptr)
    filled = np.flatnonzero(sizes)
    # A row without bigrams (an empty text) matches nothing: a signature of its own.
    out = np.repeat(-1 - np.arange(matrix.shape[0], dtype=np.int64)[:, None], BANDS * ROWS, 1)
    columns = matrix.indices.astype(np.int64)
    for h in range(BANDS * ROWS):
        hashed = (a[h] * columns + b[h]) % _PRIME
        out[filled, h] = np.minimum.reduceat(hashed, matrix.indptr[filled])
    return out


def _pairs_within(group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j), i < j, of rows that share a group id."""
    order = np.argsort(group, kind="stable")
    sorted_groups = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    sizes = np.diff(np.r_[starts, len(group)])
    left, right = [], []
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
        members = np.sort(order[start : start + size])
        i, j = np.triu_indices(size, k=1)
        left.append(members[i])
        right.append(members[j])
    if not left:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(left), np.concatenate(right)
