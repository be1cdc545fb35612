"""Query expansion with the knowledge reviewer's synonyms list (同义词).

A citizen asks with intent words (资格, 要带什么文件, 多久, 多少钱, 在哪里) that the answer does not
use: it says 符合/年满, 检附/应备, 工作天, 元, 地址. A synonym group links such words; a query
that contains one term of a group also searches the group's other terms, each at a lower weight
than the query's own words (:data:`DEFAULT_WEIGHT` of them), so an article that has the query's
own words still ranks above one that only has a synonym.

A group is two-way (any term brings in the others) or one-way (only its first term brings in the
rest: "带什么" → 检附, but 检附 in a query does not bring in "带什么").

Matching is on the folded query (Simplified/Traditional, full-width folded as everywhere in
search), longest term first and without overlaps, so 工作天 in a query does not also match the
group of 工作 (就业/求职). One-character terms are searched for but never trigger: 元 or 楼 inside
another word (元宵, 大楼) says nothing about intent.

No Django here: ``hotline kb evaluate`` and the benchmark read the default list from its file.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from hotline.kb.search import text as kbtext

#: The list shipped with the product: the demo loads it, the reviewer's page offers it to a new
#: centre (:func:`hotline.kb.actions.load_default_list`), ``hotline kb evaluate`` reads it here.
DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "synonyms.csv"
#: A synonym's term weight as a share of the query's own term weight (settings.KB_SYNONYM_WEIGHT):
#: 0.3 of 0.3 / 0.5 / 0.8, chosen on a seeded half of the Taipei dev questions.
DEFAULT_WEIGHT = 0.3
#: What separates terms in a group written as one line (the file, the page, a spreadsheet).
SEPARATORS = re.compile(r"[/／、,，;；|\s]+")
_YES = {"1", "true", "yes", "y", "是"}
_NO = {"", "0", "false", "no", "n", "否"}
MAX_TERM_CHARS = 30


@dataclass(frozen=True)
class Group:
    """Terms that mean the same to a searcher; ``one_way``: only the first brings in the rest."""

    terms: tuple[str, ...]
    one_way: bool = False


def split_terms(raw: str) -> list[str]:
    """Terms of a group as typed, in order, each once."""
    seen: dict[str, None] = {}
    for term in SEPARATORS.split(raw.strip()):
        if term:
            seen.setdefault(term, None)
    return list(seen)


def parse_flag(raw: str) -> bool | None:
    """yes/no (是/否, true/false, 1/0); ``None`` when it is neither."""
    value = raw.strip().lower()
    return True if value in _YES else False if value in _NO else None


def read_file(path: str | Path = DEFAULT_FILE) -> list[Group]:
    """Groups from a CSV with columns ``terms`` (separated by / or 、) and ``one_way``."""
    groups = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            terms = split_terms(row.get("terms") or "")
            one_way = parse_flag(row.get("one_way") or "")
            if len(terms) < 2 or one_way is None:
                raise ValueError(f"{path}: row {number}: needs two terms and one_way yes/no")
            groups.append(Group(tuple(terms), one_way))
    return groups


class Synonyms:
    """The expansion table: a folded trigger term → the folded terms it also searches."""

    def __init__(self, groups: Iterable[Group] = ()) -> None:
        self.groups = list(groups)
        table: defaultdict[str, set[str]] = defaultdict(set)
        for group in self.groups:
            folded = [f for f in dict.fromkeys(kbtext.fold(t).strip() for t in group.terms) if f]
            triggers = folded[:1] if group.one_way else folded
            for trigger in triggers:
                if len(trigger) >= 2:
                    table[trigger].update(t for t in folded if t != trigger)
        self.table = {k: frozenset(v) for k, v in table.items()}
        # Longest first: at each position the regex takes the longest term that matches.
        ordered = sorted(self.table, key=lambda t: (-len(t), t))
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __len__(self) -> int:
        return len(self.table)

    def matches(self, folded: str) -> Iterator[str]:
        """The trigger terms found in a folded query, without overlaps."""
        if self._pattern is None:
            return iter(())
        return (m.group() for m in self._pattern.finditer(folded))

    def expansions(self, query: str) -> list[str]:
        """The terms a raw query also searches (not those it already contains), in order."""
        folded = kbtext.fold(query)
        out: dict[str, None] = {}
        for trigger in self.matches(folded):
            for term in sorted(self.table[trigger]):
                if term not in folded:
                    out.setdefault(term, None)
        return list(out)


NONE = Synonyms()


def default() -> Synonyms:
    return Synonyms(read_file(DEFAULT_FILE))
