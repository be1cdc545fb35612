"""The first-level list names the unit suggestion's first-level unit (session 28).

An operator sees two lists for an order: the units (sections, 居委会) and the first-level units
(bureaus, streets). Where the unit model's first suggestion lies under a first-level unit the
first-level probabilities leave out of their top three, that first-level unit takes the third
place — never the first — so the two lists do not disagree; :mod:`hotline.dispatch.levels` keeps
the rule only where it raises the out-of-fold top-3 on TRAIN.
"""

from __future__ import annotations

import numpy as np

from hotline.dispatch.levels import FirstLevel, listed_hits

BUREAUS = ["交通局", "环保局", "城管局", "住建局", "教育局"]
#: The unit model's labels: each bureau and one of its sections.
UNITS = ["交通局", "交通局停车管理处", "环保局", "环保局监测站", "城管局", "住建局", "教育局"]


def first_level(lists: bool) -> FirstLevel:
    level = FirstLevel()
    level.classes = np.array(BUREAUS, dtype=object)
    level.index = np.array([BUREAUS.index(unit[:3]) for unit in UNITS])
    level.lists_unit_first_level = lists
    return level


# Ms Zhao's complaint about a car park reads most like the housing bureau's, then the education
# and city-management bureaus'; the unit model's first suggestion is the parking office
# (交通局停车管理处), under the transport bureau, which the first-level list ranks fourth.
ZHAO = np.array([0.08, 0.02, 0.2, 0.5, 0.2])
PARKING_OFFICE = UNITS.index("交通局停车管理处")


def test_the_unit_suggestions_bureau_takes_the_third_place():
    listed = first_level(lists=True).top(ZHAO, 3, PARKING_OFFICE)
    assert [name for name, _ in listed] == ["住建局", "城管局", "交通局"]
    # Each bureau keeps its own probability, so the list still reads from the most likely down.
    assert [p for _, p in listed] == [0.5, 0.2, 0.08]


def test_a_bureau_already_listed_moves_nothing():
    housing_section = UNITS.index("住建局")
    assert first_level(lists=True).top(ZHAO, 3, housing_section) == [
        ("住建局", 0.5),
        ("城管局", 0.2),
        ("教育局", 0.2),
    ]


def test_the_first_place_is_never_taken():
    assert first_level(lists=True).top(ZHAO, 1, PARKING_OFFICE) == [("住建局", 0.5)]
    listed = first_level(lists=True).top(ZHAO, 2, PARKING_OFFICE)
    assert listed == [("住建局", 0.5), ("交通局", 0.08)]


def test_a_model_that_does_not_list_it_gives_the_probabilities_top_three():
    plain = [("住建局", 0.5), ("城管局", 0.2), ("教育局", 0.2)]
    assert first_level(lists=False).top(ZHAO, 3, PARKING_OFFICE) == plain
    # A model saved before the rule existed has no such attribute of its own.
    old = first_level(lists=True)
    del old.lists_unit_first_level
    assert old.top(ZHAO, 3, PARKING_OFFICE) == plain


def test_listed_hits_count_as_the_list_reads():
    # Four orders: their first-level probabilities, the first-level unit of each one's unit
    # suggestion, and the bureau that finally kept the order.
    sure = [0.6, 0.3, 0.05, 0.03, 0.02]
    probabilities = np.array([ZHAO, ZHAO, sure, sure])
    unit_first_level = np.array([0, 0, 4, 0])
    kept = np.array(
        [
            0,  # Ms Zhao: the transport bureau, fourth by probability, listed by the rule
            4,  # Mr Qian: the education bureau, third by probability, pushed out by the rule
            1,  # Ms Sun: the environment bureau, second either way
            3,  # Mr Li: the housing bureau, fourth, listed neither way
        ]
    )
    per_order = [
        listed_hits(probabilities[[i]], kept[[i]], unit_first_level[[i]]) for i in range(4)
    ]
    assert per_order == [1.0, 0.0, 1.0, 0.0]
    top3 = np.argsort(-probabilities, axis=1, kind="stable")[:, :3]
    assert list((top3 == kept[:, None]).any(axis=1)) == [False, True, True, False]
    assert listed_hits(probabilities, kept, unit_first_level) == 0.5
