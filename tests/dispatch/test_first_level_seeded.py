"""The first-level SVM is seeded as the unit SVM is: liblinear visits the examples in a random
order drawn from numpy's global generator unless told, so an unseeded fit on the same data gave
a slightly different first-level model each time (a coefficient moved by about 2e-5 here)."""

from __future__ import annotations

import numpy as np
import pytest

from hotline.dispatch.levels import FirstLevel
from hotline.dispatch.linear import svm_for
from hotline.dispatch.text import TextFeatures, prepare
from tests.dispatch import synthetic

#: The six synthetic units under three first-level units, two each.
FIRST_LEVEL_OF_UNIT = np.array([0, 0, 1, 1, 2, 2])


@pytest.fixture(scope="module")
def training():
    texts, labels = synthetic.labelled(per_unit=40, seed=1)
    units = sorted(set(labels))
    matrix = TextFeatures(char_ngram_max=2).fit_transform(prepare(texts)).astype(np.float64)
    return matrix, np.array([units.index(label) for label in labels])


def first_level(method: str = "separate") -> FirstLevel:
    level = FirstLevel()
    level.classes = np.array(["east", "west", "north"], dtype=object)
    level.index = FIRST_LEVEL_OF_UNIT
    level.method = method
    return level


def test_the_same_data_gives_the_same_first_level_svm_whatever_the_global_seed(training):
    matrix, y = training
    fitted = []
    for global_seed in (1, 2):
        np.random.seed(global_seed)
        level = first_level()
        level.fit_final(matrix, y, c=4.0)
        assert level.svm is not None
        fitted.append(level.svm.coef_)
    np.testing.assert_array_equal(fitted[0], fitted[1])


def test_the_first_level_svm_takes_the_models_seed(training):
    matrix, y = training
    level = first_level()
    level.random_state = 7  # what calibrate keeps from the model
    level.fit_final(matrix, y, c=4.0)
    expected = svm_for(4.0, 7).fit(matrix, FIRST_LEVEL_OF_UNIT[y])
    assert level.svm is not None
    np.testing.assert_array_equal(level.svm.coef_, expected.coef_)
    # An explicit seed wins over the kept one.
    level.fit_final(matrix, y, c=4.0, seed=3)
    expected = svm_for(4.0, 3).fit(matrix, FIRST_LEVEL_OF_UNIT[y])
    np.testing.assert_array_equal(level.svm.coef_, expected.coef_)


def test_a_roll_up_fits_no_svm(training):
    matrix, y = training
    level = first_level("roll_up")
    level.fit_final(matrix, y, c=4.0)
    assert level.svm is None
