"""The checklist a window works from: one matter's materials, or a bundle's merged into one list.

Two materials are **the same** when their normalised names are equal: Unicode NFKC (full-width
letters and digits become half-width), case folded, with whitespace, punctuation and a trailing
bracketed qualifier removed — so 「居民身份证」, 「居民身份证 」 and 「居民身份证（原件）」
are one item, while 「户口簿」 and 「居民身份证」 stay two. The catalogue has no material codes,
and a bundle's matters are written by different units, so the name is the only key they share;
the form is kept apart from the name (a merged item asked as an original by one matter and as a
copy by another asks for both). A shared material is required when any matter requires it, and
asks for the largest number of copies any matter asks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from hotline.matters.models import Material, MaterialForm, Matter

_QUALIFIER = re.compile(r"[(（][^()（）]*[)）]\s*$")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def material_key(name: str) -> str:
    """The key materials merge by (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = _QUALIFIER.sub("", text) or text
    return _NOISE.sub("", text).casefold()


def _merge_form(a: str, b: str) -> str:
    if a == b:
        return a
    if {a, b} <= {MaterialForm.ORIGINAL, MaterialForm.COPY, MaterialForm.BOTH}:
        return MaterialForm.BOTH
    # Electronic beside a paper form: the paper one is what the window checks.
    return b if a == MaterialForm.ELECTRONIC else a


@dataclass
class Item:
    """One line of a checklist: a material, merged over the matters that ask for it."""

    key: str
    name: str
    required: bool
    form: str
    copies: int
    note: str = ""
    matters: list[str] = field(default_factory=list)


def checklist(matters: Iterable[Matter]) -> list[Item]:
    """The merged checklist of ``matters``: each matter's materials in the order given (the
    matter the citizen came for first), a material already asked for merged into its line."""
    ordered = list(dict.fromkeys(matters))
    rank = {m.pk: i for i, m in enumerate(ordered)}
    materials = sorted(
        Material.objects.filter(matter__in=ordered).select_related("matter"),
        key=lambda m: (rank[m.matter_id], m.sort_order, m.pk),
    )
    items: dict[str, Item] = {}
    for material in materials:
        key = material_key(material.name)
        item = items.get(key)
        if item is None:
            items[key] = Item(
                key=key,
                name=material.name,
                required=material.required,
                form=material.form,
                copies=material.copies,
                note=material.note,
                matters=[material.matter.code],
            )
            continue
        item.required = item.required or material.required
        item.form = _merge_form(item.form, material.form)
        item.copies = max(item.copies, material.copies)
        if material.matter.code not in item.matters:
            item.matters.append(material.matter.code)
    return list(items.values())
