import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer

from sktext.preprocessing import SequenceVectorizer
from sktext.preprocessing._sequences import PADDING_ID, UNKNOWN_ID, RaggedSequences

DOCS = [
    "The cat sat on the mat.",
    "A dog chased the cat around the garden",
    "Birds sing in the morning",
    "The dog and the cat are friends now",
    "Nothing here",
    "Morning coffee with the cat",
]
LABELS = np.array(["pets", "pets", "nature", "pets", "other", "nature"])


def test_vocabulary_by_frequency_and_reserved_ids():
    vec = SequenceVectorizer().fit(DOCS)
    # "the" is the most frequent token, then "cat"; ids 0 and 1 are reserved
    assert vec.vocabulary_["the"] == 2
    assert vec.vocabulary_["cat"] == 3
    assert min(vec.vocabulary_.values()) == 2
    assert sorted(vec.vocabulary_.values()) == list(range(2, len(vec.vocabulary_) + 2))
    # same tokens as CountVectorizer with the same analyzer settings
    assert set(vec.vocabulary_) == set(CountVectorizer().fit(DOCS).vocabulary_)
    vocab = vec.get_vocabulary()
    assert vocab[PADDING_ID] == "<pad>" and vocab[UNKNOWN_ID] == "<unk>"
    assert all(vocab[i] == t for t, i in vec.vocabulary_.items())


def test_transform_pads_truncates_and_marks_unknown():
    vec = SequenceVectorizer().fit(DOCS)
    out = vec.transform(["the cat flew", "", "zebra zebra"])
    longest = max(len(CountVectorizer().build_analyzer()(d)) for d in DOCS)
    assert out.dtype == np.int64
    assert out.shape == (3, longest) == (3, vec.max_length_)
    v = vec.vocabulary_
    assert out[0, :3].tolist() == [v["the"], v["cat"], UNKNOWN_ID]
    assert (out[0, 3:] == PADDING_ID).all()
    assert (out[1] == PADDING_ID).all()
    assert out[2, :2].tolist() == [UNKNOWN_ID, UNKNOWN_ID]

    short = SequenceVectorizer(max_length=3).fit(DOCS)
    out = short.transform(["a dog chased the cat around"])
    assert out.shape == (1, 3)
    assert short.inverse_transform(out) == [["dog", "chased", "the"]]


def test_fit_transform_equals_fit_then_transform():
    vec = SequenceVectorizer(max_length=5)
    np.testing.assert_array_equal(vec.fit_transform(DOCS), clone(vec).fit(DOCS).transform(DOCS))
    ragged = vec.fit_transform_ragged(DOCS)
    np.testing.assert_array_equal(ragged.pad(length=5), vec.transform(DOCS))


def test_min_df_max_df_max_features():
    assert "sat" not in SequenceVectorizer(min_df=2).fit(DOCS).vocabulary_
    assert "cat" in SequenceVectorizer(min_df=2).fit(DOCS).vocabulary_
    # "the" is in 5 of 6 documents
    assert "the" not in SequenceVectorizer(max_df=0.5).fit(DOCS).vocabulary_
    assert "the" in SequenceVectorizer(max_df=5).fit(DOCS).vocabulary_
    top = SequenceVectorizer(max_features=2).fit(DOCS)
    assert top.vocabulary_ == {"the": 2, "cat": 3}
    assert top.transform(["the dog"]).tolist()[0][:2] == [2, UNKNOWN_ID]


def test_tokenizer_parameters_are_sklearns():
    vec = SequenceVectorizer(lowercase=False, stop_words="english").fit(DOCS)
    assert "The" in vec.vocabulary_ and "the" not in vec.vocabulary_
    assert "on" not in vec.vocabulary_
    vec = SequenceVectorizer(tokenizer=str.split, token_pattern=None).fit(["a b. c", "b."])
    assert set(vec.vocabulary_) == {"a", "b.", "c"}
    # pre-tokenized documents are used as they are
    vec = SequenceVectorizer().fit([["New York", "is", "big"], ["New York"]])
    assert vec.vocabulary_["New York"] == 2


def test_ragged_sequences_pad():
    ragged = RaggedSequences(np.array([5, 6, 7, 8, 9]), np.array([0, 3, 3, 5]))
    assert len(ragged) == 3
    assert ragged.lengths.tolist() == [3, 0, 2]
    assert ragged[2].tolist() == [8, 9]
    assert ragged.pad([2, 1]).tolist() == [[8, 9], [0, 0]]
    assert ragged.pad([1], min_length=3).tolist() == [[0, 0, 0]]
    assert ragged.pad(length=2).tolist() == [[5, 6], [0, 0], [8, 9]]
    assert ragged.pad().tolist() == [[5, 6, 7], [0, 0, 0], [8, 9, 0]]


def test_feature_names_and_pandas_output():
    vec = SequenceVectorizer(max_length=4).fit(DOCS)
    names = vec.get_feature_names_out()
    assert names.tolist() == [f"sequencevectorizer{i}" for i in range(4)]
    frame = vec.set_output(transform="pandas").transform(DOCS[:2])
    assert isinstance(frame, pd.DataFrame)
    assert frame.columns.tolist() == names.tolist()
    assert frame.shape == (2, 4)


def test_inverse_transform_roundtrip_and_errors():
    vec = SequenceVectorizer().fit(DOCS)
    assert vec.inverse_transform(vec.transform(["the cat", "qq"])) == [["the", "cat"], ["<unk>"]]
    assert vec.inverse_transform(vec.transform_ragged(["dog"])) == [["dog"]]
    with pytest.raises(ValueError, match="vocabulary size"):
        vec.inverse_transform([[10_000]])
    with pytest.raises(ValueError, match="2-D"):
        vec.inverse_transform([1, 2])


def test_bad_input():
    with pytest.raises(ValueError, match="string object received"):
        SequenceVectorizer().fit("one document")
    with pytest.raises(ValueError, match="document 1 is None"):
        SequenceVectorizer().fit(["ok", None])
    with pytest.raises(ValueError, match="empty vocabulary"):
        SequenceVectorizer(stop_words="english").fit(["the", "and of"])
    with pytest.raises(ValueError, match="0 document"):
        SequenceVectorizer().fit([])
    with pytest.raises(ValueError, match="max_length"):
        SequenceVectorizer(max_length=0).fit(DOCS)
    with pytest.raises(ValueError, match=r"min_df=3 \(3 documents\) is above max_df=2 \(2 of"):
        SequenceVectorizer(min_df=3, max_df=2).fit(DOCS)
    with pytest.raises(NotFittedError):
        SequenceVectorizer().transform(DOCS)
    with pytest.raises(NotFittedError):
        SequenceVectorizer().get_feature_names_out()
    # an empty collection is a defined transform result
    assert SequenceVectorizer(max_length=3).fit(DOCS).transform([]).shape == (0, 3)


def test_pickle_keeps_vocabulary():
    vec = SequenceVectorizer().fit(DOCS)
    restored = pickle.loads(pickle.dumps(vec))
    np.testing.assert_array_equal(restored.transform(DOCS), vec.transform(DOCS))


def test_large_corpus_counts_match_countvectorizer():
    rng = np.random.RandomState(0)
    words = np.array([f"w{i}" for i in range(3000)])
    # Zipf-like word frequencies over 20k documents of 0-40 words
    docs = [
        " ".join(words[np.minimum(rng.zipf(1.3, size=rng.randint(0, 40)), 3000) - 1])
        for _ in range(20_000)
    ]
    vec = SequenceVectorizer(min_df=3)
    ragged = vec.fit_transform_ragged(docs)
    cv = CountVectorizer(min_df=3).fit(docs)
    assert set(vec.vocabulary_) == set(cv.vocabulary_)
    counts = np.asarray(cv.transform(docs).sum(axis=0)).ravel()
    ours = np.bincount(ragged.ids, minlength=len(vec.vocabulary_) + 2)
    for token, j in cv.vocabulary_.items():
        assert ours[vec.vocabulary_[token]] == counts[j]
    assert ragged.lengths.sum() == sum(len(d.split()) for d in docs)


def test_min_df_above_the_number_of_documents_names_min_df():
    """``min_df=1000`` on fewer documents used to say "max_df corresponds to < documents
    than min_df", naming the parameter left at its default."""
    with pytest.raises(ValueError, match="at least 1000 documents, but there are 6") as info:
        SequenceVectorizer(min_df=1000).fit(DOCS)
    assert str(info.value).startswith("min_df=1000 keeps only") and "max_df" not in str(info.value)
    # the sequence classifiers build their vocabulary with the same code
    from sktext import TextCNNClassifier

    with pytest.raises(ValueError, match="min_df=1000 keeps only the tokens found in at least"):
        TextCNNClassifier(min_df=1000).fit(DOCS, LABELS)


def test_min_df_max_df_leaving_no_token_give_the_numbers():
    docs = ["ab cd", "ef gh", "ij kl", "mn op"]  # each token in one document of four
    message = r"min_df=0.5/max_df=0.6 leave no token \(no token is found in 2 to 2.4 of the 4"
    with pytest.raises(ValueError, match=message):
        SequenceVectorizer(min_df=0.5, max_df=0.6).fit(docs)
