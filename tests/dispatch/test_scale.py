"""A district's history (issue 16 item 5): the features of a large history come in the
cross-validation sample's columns, the neighbour index holds that sample, and the fast feature
path gives exactly what scikit-learn's vectorisers give."""

from __future__ import annotations

import datetime as dt

import numpy as np
import scipy.sparse as sp

from hotline.dispatch import classifier, text
from hotline.dispatch.classifier import DispatchClassifier
from hotline.dispatch.text import TextFeatures, keep_strongest, prepare, side_by_side, tfidf

CREATED = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def reference_features(features: TextFeatures, docs: list[text.Prepared]) -> sp.csr_matrix:
    """The features as scikit-learn's own transform and scipy's stacking build them."""
    chars = features.chars.transform([d.chars for d in docs])
    words = features.words.transform([d.words for d in docs])
    stacked = sp.hstack([chars, words * features.word_weight], format="csr", dtype=np.float32)
    return keep_strongest(stacked, features.max_terms)


def test_the_fast_path_gives_scikit_learns_numbers(monkeypatch, complaints, new_complaints):
    features = TextFeatures(char_ngram_max=2, max_terms=20)
    features.fit_transform(prepare(complaints[0]))
    # Unknown words, an empty text and only punctuation: rows with no known term.
    docs = prepare([*new_complaints[0], "", "！？", "火星探测器发射失败"])
    monkeypatch.setattr(text, "TRANSFORM_CHUNK", 7)  # several chunks, the last one short
    ours, theirs = features.transform(docs), reference_features(features, docs)
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours.indptr, theirs.indptr)
    np.testing.assert_array_equal(ours.indices, theirs.indices)
    np.testing.assert_array_equal(ours.data, theirs.data)  # bit for bit: same ties pruned
    assert ours[len(new_complaints[0])].nnz == 0


def test_tfidf_of_no_texts_is_an_empty_matrix(complaints):
    features = TextFeatures()
    features.fit_transform(prepare(complaints[0]))
    assert tfidf(features.chars, []).shape == (0, len(features.chars.vocabulary_))


def test_side_by_side_places_each_rows_entries_as_hstack_does():
    left = sp.csr_matrix(np.array([[1, 0], [0, 0], [2, 3], [0, 0]], dtype=np.float32))
    right = sp.csr_matrix(np.array([[0, 4, 0], [5, 0, 6], [0, 0, 0], [0, 0, 0]], np.float32))
    stacked = side_by_side(left, right)
    np.testing.assert_array_equal(stacked.toarray(), sp.hstack([left, right]).toarray())
    np.testing.assert_array_equal(stacked.indptr, [0, 2, 4, 6, 6])
    np.testing.assert_array_equal(stacked.indices, [0, 3, 2, 4, 0, 1])


def test_a_large_history_is_learnt_in_the_samples_columns(monkeypatch, complaints, new_complaints):
    # "Large" shrunk to this set's size: cross-validation on about 200 of the 240 texts.
    monkeypatch.setattr(classifier, "FEW_FOLDS_ABOVE", 100)
    monkeypatch.setattr(classifier, "GRID_SAMPLE", 120)
    monkeypatch.setattr(classifier, "CV_SAMPLE", 200)
    model = DispatchClassifier(grid=[classifier.Params(char_ngram_max=2)]).fit(*complaints)
    meta = model.metadata(CREATED)
    assert meta["training_size"] == 240
    # The neighbours are the cross-validation sample's texts, not every text.
    assert meta["neighbour_texts"] == 204
    # The vectorisers were fitted on the sample only: the 36 texts outside it add no column.
    y = np.searchsorted(model.classes_, np.array(complaints[1], dtype=object))
    sample = model._sample(y, classifier.CV_SAMPLE)
    on_sample = TextFeatures(char_ngram_max=2).fit_transform(
        prepare([complaints[0][i] for i in sample])
    )
    on_all = TextFeatures(char_ngram_max=2).fit_transform(prepare(complaints[0]))
    assert on_sample.shape[1] < on_all.shape[1]
    assert meta["columns"] == on_sample.shape[1] == model._svm.coef_.shape[1]
    texts, labels = new_complaints
    hits = [p.label == y for p, y in zip(model.predict(texts), labels, strict=True)]
    assert sum(hits) / len(hits) >= 0.9


def test_a_small_history_keeps_every_text_as_a_neighbour(trained):
    meta = trained.metadata(CREATED)
    assert meta["neighbour_texts"] == meta["training_size"] == 240


def test_all_texts_features_stack_into_one_float64_matrix(complaints):
    features = TextFeatures(char_ngram_max=2)
    features.fit_transform(prepare(complaints[0][:100]))
    chunks = [features.transform(prepare(complaints[0][i : i + 70])) for i in (0, 70, 140, 210)]
    expected = sp.vstack(chunks, format="csr").astype(np.float64)
    stacked = classifier._stack_float64(list(chunks))
    assert stacked.dtype == np.float64 and stacked.indices.dtype == np.int32
    assert stacked.shape == expected.shape == (240, chunks[0].shape[1])
    np.testing.assert_array_equal(stacked.indptr, expected.indptr)
    np.testing.assert_array_equal(stacked.indices, expected.indices)
    np.testing.assert_array_equal(stacked.data, expected.data)


def test_final_fits_one_after_the_other_learn_what_side_by_side_ones_do(
    monkeypatch, complaints, new_complaints
):
    from hotline.dispatch import levels
    from tests.dispatch.test_two_levels import TREE

    # A first level with its own SVM (this set's cross-validation would roll up) and a "large"
    # history (cross-validation on a sample, every text's features stacked).
    monkeypatch.setattr(levels, "METHODS", ("combined",))
    monkeypatch.setattr(classifier, "FEW_FOLDS_ABOVE", 100)
    monkeypatch.setattr(classifier, "GRID_SAMPLE", 120)
    monkeypatch.setattr(classifier, "CV_SAMPLE", 200)
    grid = [classifier.Params(char_ngram_max=2)]
    side_by_side = DispatchClassifier(grid=grid).fit(*complaints, first_level_of=TREE)
    monkeypatch.setattr(classifier, "SIDE_BY_SIDE_TERMS", 0)  # "large": one after the other
    said: list[str] = []
    sequential = DispatchClassifier(grid=grid, progress=said.append).fit(
        *complaints, first_level_of=TREE
    )
    assert sequential.first_level.svm is not None
    assert any(line.startswith("final unit SVM: ") for line in said)
    assert any(line.startswith("final first-level SVM: ") for line in said)
    assert "final first-level SVM" not in side_by_side.report.timings
    # The same problems solved: liblinear's coordinate order comes from numpy's unseeded global
    # generator, so two fits agree to its tolerance, not bit for bit (nor do two runs of either).
    for ours, theirs in (
        (sequential._svm, side_by_side._svm),
        (sequential.first_level.svm, side_by_side.first_level.svm),
    ):
        np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=1e-3)
        np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=0, atol=1e-3)
    texts = new_complaints[0]
    assert [p.suggestions[0][0] for p in sequential.predict(texts)] == [
        p.suggestions[0][0] for p in side_by_side.predict(texts)
    ]
    assert [p.first_level_label for p in sequential.predict(texts)] == [
        p.first_level_label for p in side_by_side.predict(texts)
    ]
