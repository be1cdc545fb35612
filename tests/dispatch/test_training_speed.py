"""Training that scales (issue 16 item 5): the faster paths give the numbers the slower ones
gave, and the same data gives the same model."""

from __future__ import annotations

import numpy as np

from hotline.dispatch import classifier
from hotline.dispatch.classifier import DispatchClassifier
from hotline.dispatch.text import TextFeatures, _CharIndex, _counts, prepare, tfidf

ODD_TEXTS = [
    "",
    "  a  B\tc  ",  # whitespace runs fold to one space, capitals to lower case
    "𠀀𠀁x",  # characters beyond the basic plane
    "火",
    "火星探测器发射失败火星",
]


def test_char_counts_by_index_are_the_analysers_counts(complaints, new_complaints):
    docs = prepare(complaints[0])
    texts = [d.chars for d in prepare(new_complaints[0])] + ODD_TEXTS
    for n in (1, 2, 3):
        features = TextFeatures(char_ngram_max=n)
        features.fit_transform(docs)
        index = _CharIndex.of(features.chars)
        assert index is not None
        for ours, theirs in zip(index.counts(texts), _counts(features.chars, texts), strict=True):
            assert ours.dtype == theirs.dtype
            np.testing.assert_array_equal(ours, theirs)
        fast, reference = tfidf(features.chars, texts), features.chars.transform(texts)
        np.testing.assert_array_equal(fast.indptr, reference.indptr)
        np.testing.assert_array_equal(fast.indices, reference.indices)
        np.testing.assert_allclose(fast.data, reference.data, rtol=1e-6)


def test_char_counts_of_bigrams_only_and_of_no_text(complaints):
    features = TextFeatures(char_ngram_max=2)
    features.chars.set_params(ngram_range=(2, 2))
    features.fit_transform(prepare(complaints[0][:50]))
    index = _CharIndex.of(features.chars)
    assert index is not None
    texts = ["火星探测器", "星探", "x", ""]
    expected = _counts(features.chars, texts)
    for ours, theirs in zip(index.counts(texts), expected, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    indptr, indices, counts = index.counts([])
    assert list(indptr) == [0] and len(indices) == len(counts) == 0


def test_a_word_analyser_is_counted_by_its_own_analyser(complaints):
    features = TextFeatures()
    features.fit_transform(prepare(complaints[0][:50]))
    assert _CharIndex.of(features.words) is None


def test_sizes_fitted_together_give_what_each_fitted_alone_gives(complaints):
    docs = prepare(complaints[0])
    together = TextFeatures.fit_sizes(docs, [2, 3], 0.7)
    for (features, matrix), n in zip(together, (2, 3), strict=True):
        alone = TextFeatures(char_ngram_max=n, word_weight=0.7)
        expected = alone.fit_transform(docs)
        assert features.char_ngram_max == n
        assert features.chars.vocabulary_ == alone.chars.vocabulary_
        assert features.words.vocabulary_ == alone.words.vocabulary_
        assert (matrix != expected).nnz == 0
    assert together[0][0].words is together[1][0].words  # fitted once


def test_every_texts_features_built_in_workers_are_those_of_one_transform(monkeypatch, complaints):
    model = DispatchClassifier(n_jobs=2)
    model._features = TextFeatures(char_ngram_max=2)
    model._features.fit_transform(prepare(complaints[0][:100]))
    monkeypatch.setattr(classifier, "TRANSFORM_CHUNK", 30)  # tasks of 60 texts, chunks of 30
    monkeypatch.setattr(classifier, "ALL_FEATURES_TASK_CHUNKS", 2)
    built = model._features_of_all(complaints[0])
    expected = model._features.transform(prepare(complaints[0])).astype(np.float64)
    assert built.shape == expected.shape == (240, expected.shape[1])
    assert (built != expected).nnz == 0


def test_the_same_data_gives_the_same_model(complaints, new_complaints):
    texts = new_complaints[0]
    models = []
    for seed in (1, 2):  # numpy's global generator, which liblinear drew its order from
        np.random.seed(seed)
        models.append(DispatchClassifier(grid=[classifier.Params(2, C=1.0)]).fit(*complaints))
    first, second = models
    np.testing.assert_array_equal(first._svm.coef_, second._svm.coef_)
    assert first.threshold == second.threshold
    assert [p.suggestions for p in first.predict(texts)] == [
        p.suggestions for p in second.predict(texts)
    ]
