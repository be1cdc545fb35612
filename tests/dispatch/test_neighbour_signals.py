"""The nearest training orders' labels as confidence signals: what they say about a prediction,
and, for the training orders the confidence model learns from, said without the order itself."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from hotline.dispatch import confidence
from hotline.dispatch.levels import FirstLevel
from hotline.dispatch.linear import out_of_fold_neighbours

#: Four orders as term vectors. 0 (label 0) and 1 (label 1) share the first term, 1 and 2 (both
#: label 1) the second; 3 (label 2) shares nothing with the others.
ORDERS = sp.csr_matrix(
    np.array(
        [
            [1.0, 0.0, 0.0],
            [2.0, 1.0, 0.0],
            [0.0, 1.0, 0.0],
            [0.0, 0.0, 1.0],
        ]
    )
)
LABELS = np.array([0, 1, 1, 2])
#: Each order held out on its own: its neighbours are the three others.
LEAVE_EACH_OUT = [(np.setdiff1d(np.arange(4), [i]), np.array([i])) for i in range(4)]
ROOT5 = math.sqrt(5.0)


@pytest.fixture
def found():
    return out_of_fold_neighbours(ORDERS, LABELS, LEAVE_EACH_OUT, n_classes=3)


def test_an_order_never_votes_for_itself(found):
    # Order 0 is nearest to itself (similarity 1, its own label): held out, its only neighbour
    # sharing a term is order 1, at 2 / √5, with label 1.
    assert found.nearest[0] == pytest.approx(2 / ROOT5)
    np.testing.assert_allclose(found.votes[0], [0.0, 1.0, 0.0])
    assert found.labels[0, 0] == 1
    # Order 3 shares no term with anyone: no vote at all, not a vote for label 2.
    assert found.nearest[3] == 0.0
    np.testing.assert_allclose(found.votes[3], [0.0, 0.0, 0.0])


def test_neighbours_are_listed_most_similar_first(found):
    # Order 1: order 0 at 2 / √5 (label 0), order 2 at 1 / √5 (label 1), order 3 at 0.
    np.testing.assert_allclose(found.similarities[1], [2 / ROOT5, 1 / ROOT5, 0.0])
    np.testing.assert_array_equal(found.labels[1, :2], [0, 1])
    np.testing.assert_allclose(found.votes[1], [2 / 3, 1 / 3, 0.0])


def test_the_signals_of_a_prediction_its_nearest_order_contradicts(found):
    # Order 1 predicted as label 1: the nearest says 0, the second agrees, the third shares
    # nothing and agrees with nothing.
    [row] = confidence.neighbour_signals(
        found.labels[[1]], found.similarities[[1]], np.array([1]), found.votes[[1]]
    )
    nearest_agrees, few_agree, all_agree, margin, best_agreeing, best_other = row
    assert nearest_agrees == 0.0
    assert few_agree == pytest.approx(1 / 3)  # three neighbours, fewer than NEAREST_FEW
    assert all_agree == pytest.approx(1 / 3)
    assert margin == pytest.approx(1 / 3 - 2 / 3)
    assert best_agreeing == pytest.approx(1 / ROOT5)
    assert best_other == pytest.approx(2 / ROOT5)


def test_a_prediction_its_neighbours_agree_with(found):
    # Order 2 predicted as label 1: its only neighbour sharing a term is order 1, label 1.
    [row] = confidence.neighbour_signals(
        found.labels[[2]], found.similarities[[2]], np.array([1]), found.votes[[2]]
    )
    np.testing.assert_allclose(row, [1.0, 1 / 3, 1 / 3, 1.0, 1 / ROOT5, 0.0])


def test_models_without_neighbour_labels_keep_their_columns(found):
    probabilities = np.array([[0.2, 0.7, 0.1]])
    args = (probabilities, np.log(probabilities), found.votes[[1]], found.nearest[[1]])
    rest = (np.array([1.0, 2.0, 1.0]), np.array([30.0]))
    before = confidence.signals(*args, *rest)
    now = confidence.signals(
        *args,
        *rest,
        neighbour_labels=found.labels[[1]],
        neighbour_similarities=found.similarities[[1]],
    )
    assert before.shape == (1, 10)
    assert now.shape == (1, 16)
    np.testing.assert_array_equal(now[:, :10], before)


def test_a_sections_neighbours_under_its_own_bureau_back_it_up(found):
    # Units 0 and 1 (a bureau and its section) lie under first-level unit 0; unit 2 under 1.
    level = FirstLevel()
    level.classes = np.array(["bureau", "other"], dtype=object)
    level.index = np.array([0, 0, 1])
    level.membership = np.eye(2)[level.index]
    # Order 1 suggested as unit 1: its nearest (order 0, unit 0) disagrees on the unit but lies
    # under the same first-level unit, as does order 2; order 3 shares no term.
    [row] = level.unit_neighbour_signals(
        found.labels[[1]], found.similarities[[1]], found.votes[[1]], np.array([1])
    )
    np.testing.assert_allclose(row, [1.0, 2 / 3, 2 / 3])
