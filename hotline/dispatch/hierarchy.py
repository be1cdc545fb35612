"""Two-level dispatch (二级派单): units grouped under their first-level unit.

A centre sends an order to a first-level unit (a bureau, a street, a group company), which assigns
it inside to one of its sub-units. The classifier learns the units that finally kept the orders;
these pure functions lift its answers to the first level. Nothing here touches Django: the app
builds the mapping from its unit tree, the evaluation reads it from a CSV
(``unit,first_level_unit``).

A unit missing from the mapping is taken as its own first-level unit: a history may hold units the
mapping has not caught up with, and sending such an order to the unit itself is what the centre
did before the tree existed.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np


def first_level(label: str, first_level_of: Mapping[str, str]) -> str:
    """The first-level unit of ``label`` (itself when the mapping does not know it)."""
    return first_level_of.get(label) or label


def first_levels(labels: Sequence[str], first_level_of: Mapping[str, str]) -> list[str]:
    """:func:`first_level` of each label, in order."""
    return [first_level(str(label), first_level_of) for label in labels]


def group_index(
    labels: Sequence[str], first_level_of: Mapping[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """The first-level labels (sorted, distinct) and, per unit label, the index of its group."""
    parents = first_levels(labels, first_level_of)
    groups, index = np.unique(np.array(parents, dtype=object), return_inverse=True)
    return groups, index.astype(np.intp)


def roll_up(
    labels: Sequence[str], probabilities: np.ndarray, first_level_of: Mapping[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Unit probabilities (rows: texts, columns: ``labels``) summed per first-level unit.

    Returns ``(first_level_labels, first_level_probabilities)``: the labels sorted, and a matrix
    with one column per first-level label. A first-level unit's probability is the sum of its
    sub-units' (and its own, where it handles orders itself), so each row still sums to what it
    summed to before.
    """
    matrix = np.asarray(probabilities, dtype=float)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    if matrix.shape[1] != len(labels):
        raise ValueError(f"{len(labels)} labels but {matrix.shape[1]} probability columns")
    groups, index = group_index(labels, first_level_of)
    membership = np.zeros((len(labels), len(groups)))
    membership[np.arange(len(labels)), index] = 1.0
    return groups, matrix @ membership


def sub_units(first_level_of: Mapping[str, str]) -> dict[str, list[str]]:
    """Per first-level unit, the units under it (itself included where it is listed), sorted."""
    out: dict[str, list[str]] = {}
    for unit, parent in first_level_of.items():
        out.setdefault(parent or unit, []).append(unit)
    return {parent: sorted(units) for parent, units in sorted(out.items())}


def read_units_csv(path: str | Path) -> dict[str, str]:
    """``unit → first_level_unit`` from a CSV with those two columns (UTF-8, BOM allowed).

    A blank ``first_level_unit`` means the unit is first-level itself. A unit listed twice with
    different parents is refused: the evaluation would otherwise depend on row order.
    """
    mapping: dict[str, str] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"unit", "first_level_unit"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            unit = (row["unit"] or "").strip()
            parent = (row["first_level_unit"] or "").strip() or unit
            if not unit:
                continue
            if mapping.get(unit, parent) != parent:
                raise ValueError(
                    f"{path}, line {line}: {unit} is under both {mapping[unit]} and {parent}"
                )
            mapping[unit] = parent
    if not mapping:
        raise ValueError(f"{path}: no units")
    return mapping
