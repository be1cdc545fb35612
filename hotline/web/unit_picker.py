"""The dispatch dialog's unit picker: the handling units as a tree, each with its pinyin initials.

The form keeps a plain ``<select>`` (it works without scripts); its options come in tree order
(district bodies, then each street with its neighbourhood committees under it, then bureaus and
companies) and carry what the searchable picker (``static/hotline/unit-picker.js``) needs: the
depth, the parent and the initials, computed here so the browser needs no pinyin table.

The centre's pickers (dispatch, redispatch, approving a return) list the first-level units as
the tree's roots, each with its sub-units under it labelled "三和花园居委会（经 江宁路街道）": the
centre dispatches to the first-level unit, which is assigned the sub-unit in the same step
(:mod:`hotline.orders.actions.dispatching`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from hotline.org.models import Unit, UnitKind, first_level_ids

#: Top-level order of the tree: where dispatchers look first.
KIND_ORDER = [
    UnitKind.STREET,
    UnitKind.BUREAU,
    UnitKind.DISTRICT_GOVERNMENT,
    UnitKind.GROUP_COMPANY,
    UnitKind.SERVICE_CENTRE,
    UnitKind.NEIGHBOURHOOD,
    UnitKind.OTHER,
]


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """江宁路街道 → jnljd: the first letter of each syllable (letters and digits kept as typed)."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()


#: A leading place a unit's name starts with (区房管局, 静安区政务服务中心, 上海市公积金…), which a
#: person leaves out when typing the initials: fgj finds 区房管局, zwfw 静安区政务服务中心.
_PLACE = re.compile(r"^(?:[^区市]{1,3}市)?(?:[^区市]{1,3}区|区)?")


def search_keys(unit: Unit) -> str:
    """What else the picker finds a unit by, besides its name and its name's initials
    (space-separated, each matched from its start): the initials without the leading place,
    and the unit's code (fgj, jnl-01) — the demo's logins and the reports name units by it."""
    keys = [initials(_PLACE.sub("", unit.name, count=1)), unit.code.lower()]
    return " ".join(k for k in dict.fromkeys(keys) if k and k != initials(unit.name))


def tree_order(units: list[Unit], roots: set[int] | None = None) -> list[tuple[Unit, int]]:
    """Units depth-first, each with its depth; a unit whose parent is not in the list is a root,
    and so is every unit in ``roots``."""
    present = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        root = unit.parent_id not in present or (roots is not None and unit.pk in roots)
        parent = None if root else unit.parent_id
        children.setdefault(parent, []).append(unit)

    kinds = [str(k) for k in KIND_ORDER]

    def rank(unit: Unit) -> tuple[int, int, str]:
        kind = kinds.index(unit.kind) if unit.kind in kinds else len(kinds)
        return (kind, unit.sort_order, unit.code)

    ordered: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent, []), key=rank):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


class UnitTreeSelect(forms.Select):
    """The lead unit: one of the tree. Each option carries its depth, parent and initials."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.facts: dict[str, dict[str, Any]] = {}

    def set_units(
        self, units: list[Unit], blank: str | None = None, *, by_first_level: bool = False
    ) -> None:
        """The options in tree order. ``by_first_level`` (the centre's pickers): the first-level
        units are the roots, each sub-unit under its own and labelled with it; a sub-unit whose
        first-level unit is not listed (closed) is left out, as nothing can be sent to it."""
        labels = {u.pk: u.name for u in units}
        roots: set[int] | None = None
        if by_first_level:
            levels = first_level_ids()
            roots = {u.pk for u in units if levels.get(u.pk, u.pk) == u.pk}
            units = [u for u in units if levels.get(u.pk, u.pk) in roots]
            names = dict(labels)
            for u in units:
                if u.pk not in roots:
                    labels[u.pk] = _("%(unit)s (via %(first)s)") % {
                        "unit": u.name,
                        "first": names[levels[u.pk]],
                    }
        ordered = tree_order(units, roots)
        choices: list[tuple[Any, str]] = [("", blank)] if blank is not None else []
        self.choices = choices + [(u.pk, labels[u.pk]) for u, _depth in ordered]
        self.facts = {
            str(u.pk): {
                "data-depth": depth,
                "data-parent": "" if depth == 0 else u.parent_id or "",
                "data-initials": initials(u.name),
                "data-keys": search_keys(u),
            }
            for u, depth in ordered
        }

    def create_option(
        self, name: str, value: Any, label: Any, selected: Any, index: int, *args: Any, **kw: Any
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, *args, **kw)
        option["attrs"].update(self.facts.get(str(value), {}))
        return option


class UnitTreeSelectMultiple(UnitTreeSelect, forms.SelectMultiple):
    """Co-units: any number of the tree."""
