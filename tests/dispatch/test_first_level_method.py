"""The first level's method (:mod:`hotline.dispatch.levels`) is chosen by OOF accuracy plus OOF
top-3 accuracy: the first for auto-dispatch, the three for the operator's list."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.naive_bayes import MultinomialNB

from hotline.dispatch.levels import METHODS, NaiveBayes, choose_method, choose_vote


def test_better_top3_outweighs_slightly_lower_accuracy():
    # By accuracy alone "combined" would win (0.850); "separate" gives up 0.002 of it for 0.006
    # of top-3: 0.848 + 0.939 = 1.787 against 0.850 + 0.933 = 1.783.
    hits = {"roll_up": (0.842, 0.924), "combined": (0.850, 0.933), "separate": (0.848, 0.939)}
    assert choose_method(hits) == "separate"


def test_better_accuracy_outweighs_slightly_lower_top3():
    # The Taipei figures of session 7: top-3 alone would pick "separate" (0.9347), but it is
    # 0.0057 short in accuracy for 0.0020 more top-3: 1.7775 against 1.7812 for "combined".
    hits = {"roll_up": (0.8416, 0.9236), "combined": (0.8485, 0.9327), "separate": (0.8428, 0.9347)}
    assert choose_method(hits) == "combined"


def test_among_equals_the_simpler_method_is_kept():
    assert METHODS[0] == "roll_up"
    assert choose_method({m: (0.5, 0.9) for m in METHODS}) == "roll_up"
    assert choose_method({"separate": (0.5, 0.9), "combined": (0.5, 0.9)}) == "combined"


def test_a_vote_is_kept_only_where_it_beats_the_method_alone():
    without = (0.8485, 0.9327)
    # Session 11's Taipei OOF figures: the vote gives up nothing at the top and gains at 3.
    hits = {(0.003, 0.3, 0.2): (0.8496, 0.9411), (0.01, 0.5, 0.2): (0.8491, 0.9404)}
    assert choose_vote(without, hits) == (0.003, 0.3, 0.2)
    # A vote that only trades accuracy for top-3 one for one is no better: none is kept.
    assert choose_vote(without, {(0.01, 1.0, 0.3): (0.8385, 0.9427)}) is None
    assert choose_vote(without, {}) is None


def test_among_equal_votes_the_first_tried_is_kept():
    hits = {v: (0.85, 0.94) for v in [(0.003, 0.3, 0.1), (0.01, 0.3, 0.1)]}
    assert choose_vote((0.8, 0.9), hits) == (0.003, 0.3, 0.1)


def test_the_votes_naive_bayes_is_scikit_learns():
    # The vote keeps its own naive Bayes (levels.NaiveBayes: float32, terms × classes);
    # scikit-learn's MultinomialNB is the reference. Random TF-IDF-like rows, one class without
    # any training text.
    rng = np.random.default_rng(7)
    x = sp.random(120, 400, density=0.05, format="csr", random_state=rng, dtype=np.float64)
    y = rng.integers(0, 4, size=120)  # classes 0-3 of 5: class 4 never seen
    for alpha in (0.003, 0.1, 1.0):
        ours = NaiveBayes(alpha).fit(x[:90], y[:90], 5).log_probabilities(x[90:])
        reference = MultinomialNB(alpha=alpha).fit(x[:90], y[:90]).predict_log_proba(x[90:])
        assert np.allclose(ours[:, :4], reference, atol=1e-4)
        assert (ours[:, 4] < -1000).all()  # the unseen class: no chance
        assert np.allclose(np.exp(ours).sum(axis=1), 1.0)


def test_a_64_bit_indexed_text_gets_the_same_answer():
    # Large feature matrices may index with 64 bits; the product must not depend on it.
    rng = np.random.default_rng(8)
    x = sp.random(60, 300, density=0.05, format="csr", random_state=rng, dtype=np.float64)
    model = NaiveBayes(0.01).fit(x[:50], rng.integers(0, 3, size=50), 3)
    wide = x[50:].copy()
    wide.indices, wide.indptr = wide.indices.astype(np.int64), wide.indptr.astype(np.int64)
    assert np.array_equal(model.log_probabilities(wide), model.log_probabilities(x[50:]))
