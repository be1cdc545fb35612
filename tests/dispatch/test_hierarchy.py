"""Two-level dispatch: unit probabilities lifted to the first-level unit."""

from __future__ import annotations

import numpy as np
import pytest

from hotline.dispatch.hierarchy import first_levels, read_units_csv, roll_up, sub_units

#: 区民政局 handles orders itself and through its 社会救助科; 江宁路街道 through two 居委会.
TREE = {
    "区民政局": "区民政局",
    "区民政局社会救助科": "区民政局",
    "江宁路街道": "江宁路街道",
    "江宁路街道一居委": "江宁路街道",
    "江宁路街道二居委": "江宁路街道",
}


def test_a_first_level_unit_gets_the_sum_of_its_sub_units():
    labels = ["江宁路街道一居委", "区民政局社会救助科", "江宁路街道二居委", "区民政局"]
    probabilities = np.array([[0.3, 0.4, 0.2, 0.1], [0.0, 0.1, 0.0, 0.9]])
    groups, rolled = roll_up(labels, probabilities, TREE)
    assert list(groups) == ["区民政局", "江宁路街道"]
    np.testing.assert_allclose(rolled, [[0.5, 0.5], [1.0, 0.0]])


def test_a_unit_the_tree_does_not_know_is_its_own_first_level_unit():
    groups, rolled = roll_up(["区绿化市容局", "江宁路街道一居委"], np.array([0.7, 0.3]), TREE)
    assert list(groups) == ["区绿化市容局", "江宁路街道"]
    np.testing.assert_allclose(rolled, [[0.7, 0.3]])
    assert first_levels(["区绿化市容局", "江宁路街道二居委"], TREE) == [
        "区绿化市容局",
        "江宁路街道",
    ]


def test_labels_and_columns_must_match():
    with pytest.raises(ValueError, match="2 labels but 3"):
        roll_up(["区民政局", "江宁路街道"], np.ones((1, 3)), TREE)


def test_sub_units_per_first_level_unit():
    assert sub_units(TREE)["江宁路街道"] == ["江宁路街道", "江宁路街道一居委", "江宁路街道二居委"]


def test_units_csv(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "\ufeffunit,first_level_unit\n区民政局社会救助科,区民政局\n区民政局,\n\n", encoding="utf-8"
    )
    assert read_units_csv(path) == {"区民政局社会救助科": "区民政局", "区民政局": "区民政局"}


def test_a_unit_under_two_parents_is_refused(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "unit,first_level_unit\n一居委,江宁路街道\n一居委,石门二路街道\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="line 3"):
        read_units_csv(path)


def test_a_units_csv_without_the_parent_column_is_refused(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("unit,parent\n一居委,江宁路街道\n", encoding="utf-8")
    with pytest.raises(ValueError, match="first_level_unit"):
        read_units_csv(path)
