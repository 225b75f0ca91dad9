"""Tests of cooccurrence_matrix against a brute-force count."""

import collections
from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp

from sktext.embeddings import Cooccurrences, cooccurrence_matrix


def brute_force(documents, *, window, min_count, max_vocab_size=None, symmetric=True,
                distance_weighting=True):  # fmt: skip
    """The definition, one pair at a time, with exact rational sums."""
    counts = collections.Counter(token for doc in documents for token in doc)
    words = sorted((w for w in counts if counts[w] >= min_count), key=lambda w: (-counts[w], w))
    if max_vocab_size is not None:
        words = words[:max_vocab_size]
    index = {word: i for i, word in enumerate(words)}
    sums = collections.defaultdict(Fraction)
    for doc in documents:
        ids = [index[token] for token in doc if token in index]  # unknown words removed first
        for i, earlier in enumerate(ids):
            for j in range(i + 1, min(i + window, len(ids) - 1) + 1):
                weight = Fraction(1, j - i) if distance_weighting else Fraction(1)
                sums[earlier, ids[j]] += weight
                if symmetric:
                    sums[ids[j], earlier] += weight
    dense = np.zeros((len(words), len(words)))
    for (i, j), value in sums.items():
        dense[i, j] = float(value)  # the correctly rounded exact sum
    return dense, words, [counts[w] for w in words]


def random_documents(n_docs=60, n_types=9, max_length=40, seed=0):
    rng = np.random.default_rng(seed)
    # Zipf-like frequencies so that min_count cuts some words
    types = [f"w{i}" for i in range(n_types)]
    probabilities = 1 / np.arange(1, n_types + 1)
    probabilities /= probabilities.sum()
    return [
        [str(t) for t in rng.choice(types, size=rng.integers(0, max_length), p=probabilities)]
        for _ in range(n_docs)
    ]


DOCS = random_documents()


@pytest.mark.parametrize("window", [1, 2, 5, 10, 16])
@pytest.mark.parametrize("min_count", [1, 10, 40])
@pytest.mark.parametrize("symmetric", [True, False])
def test_matches_brute_force_exactly(window, min_count, symmetric):
    result = cooccurrence_matrix(DOCS, window=window, min_count=min_count, symmetric=symmetric)
    expected, words, counts = brute_force(
        DOCS, window=window, min_count=min_count, symmetric=symmetric
    )
    assert result.words == words
    assert result.counts.tolist() == counts
    assert sp.issparse(result.matrix) and result.matrix.format == "csr"
    assert result.matrix.dtype == np.float64
    np.testing.assert_array_equal(result.matrix.toarray(), expected)
    if symmetric:
        assert (result.matrix != result.matrix.T).nnz == 0


def test_unweighted_counts_match_brute_force():
    result = cooccurrence_matrix(DOCS, window=4, min_count=1, distance_weighting=False)
    expected, _, _ = brute_force(DOCS, window=4, min_count=1, distance_weighting=False)
    np.testing.assert_array_equal(result.matrix.toarray(), expected)
    assert np.all(result.matrix.data == np.round(result.matrix.data))


def test_large_window_is_accurate_to_rounding():
    # lcm(1..20) is too large for exact integer sums: float64 sums of 1/d are used
    docs = random_documents(n_docs=20, max_length=80, seed=3)
    result = cooccurrence_matrix(docs, window=20, min_count=1)
    expected, _, _ = brute_force(docs, window=20, min_count=1)
    np.testing.assert_allclose(result.matrix.toarray(), expected, rtol=1e-13, atol=0)
    assert result.matrix.nnz == np.count_nonzero(expected)


@pytest.mark.parametrize("chunk_size", [1, 7, 100, 10_000])
def test_result_does_not_depend_on_chunking(chunk_size):
    reference = cooccurrence_matrix(DOCS, window=5, min_count=1)
    chunked = cooccurrence_matrix(DOCS, window=5, min_count=1, chunk_size=chunk_size)
    assert chunked.words == reference.words
    np.testing.assert_array_equal(chunked.matrix.toarray(), reference.matrix.toarray())
    np.testing.assert_array_equal(chunked.matrix.indices, reference.matrix.indices)


def test_small_example_by_hand():
    matrix, words, counts = cooccurrence_matrix(
        [["a", "b", "c", "a"], ["c", "b"]], window=2, min_count=1
    )
    # counts: a 2, b 2, c 2 -> alphabetical ties
    assert words == ["a", "b", "c"] and counts.tolist() == [2, 2, 2]
    expected = np.array(
        [
            # a-b: 1 (d=1) + 1/2 (b..a, d=2); a-c: 1/2 + 1; b-c: 1 + 1 (second doc)
            [0.0, 1.5, 1.5],
            [1.5, 0.0, 2.0],
            [1.5, 2.0, 0.0],
        ]
    )
    np.testing.assert_array_equal(matrix.toarray(), expected)


def test_unknown_words_are_removed_before_windowing():
    # "rare" is below min_count: "x" and "y" become adjacent (distance 1, weight 1)
    docs = [["x", "rare", "y"], ["x", "y", "x", "y"]]
    matrix, words, _ = cooccurrence_matrix(docs, window=1, min_count=2)
    assert words == ["x", "y"]
    assert matrix[0, 1] == 1.0 + 3.0  # first document's pair + three in the second


def test_windows_do_not_cross_documents():
    matrix, words, _ = cooccurrence_matrix([["a"], ["b"], ["a", "b"]], window=5, min_count=1)
    assert words == ["a", "b"]
    np.testing.assert_array_equal(matrix.toarray(), [[0, 1], [1, 0]])


def test_repeated_word_counts_on_the_diagonal_twice_when_symmetric():
    # as the reference: the pair (w, w) is added once for each direction
    matrix, _, _ = cooccurrence_matrix([["w", "w"]], window=1, min_count=1)
    assert matrix[0, 0] == 2.0
    matrix, _, _ = cooccurrence_matrix([["w", "w"]], window=1, min_count=1, symmetric=False)
    assert matrix[0, 0] == 1.0


def test_left_context_only_when_not_symmetric():
    matrix, words, _ = cooccurrence_matrix([["a", "b"]], window=1, min_count=1, symmetric=False)
    assert words == ["a", "b"]
    np.testing.assert_array_equal(matrix.toarray(), [[0, 1], [0, 0]])  # a before b


def test_max_vocab_size_keeps_the_most_frequent_words():
    docs = [["c", "c", "c", "b", "b", "a", "a", "d"]]
    result = cooccurrence_matrix(docs, window=2, min_count=1, max_vocab_size=2)
    assert result.words == ["c", "a"]  # a and b tie at 2: alphabetical
    expected, words, _ = brute_force(docs, window=2, min_count=1, max_vocab_size=2)
    assert words == result.words
    np.testing.assert_array_equal(result.matrix.toarray(), expected)


def test_accepts_tuples_arrays_and_generators():
    docs = [("a", "b", "a"), np.array(["b", "a"]), ["a"]]
    expected = cooccurrence_matrix([list(d) for d in docs], window=2, min_count=1)
    for given in (docs, iter(docs)):
        result = cooccurrence_matrix(given, window=2, min_count=1)
        assert isinstance(result, Cooccurrences)
        assert result.words == expected.words
        np.testing.assert_array_equal(result.matrix.toarray(), expected.matrix.toarray())


def test_empty_input_gives_an_empty_vocabulary():
    for docs in ([], [[], []], [["rare"]]):
        matrix, words, counts = cooccurrence_matrix(docs, min_count=2)
        assert words == [] and len(counts) == 0 and matrix.shape == (0, 0)


def test_no_pairs_gives_an_empty_matrix():
    matrix, words, _ = cooccurrence_matrix([["a"], ["b"]], min_count=1)
    assert words == ["a", "b"] and matrix.shape == (2, 2) and matrix.nnz == 0


@pytest.mark.parametrize(
    "docs, match",
    [
        ("one document", "got a single string"),
        (["a raw string"], "document 0 is str"),
        ([["a"], None], "document 1 is NoneType"),
    ],
)
def test_rejects_untokenized_input(docs, match):
    with pytest.raises(ValueError, match=match):
        cooccurrence_matrix(docs)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"window": 0}, "window must be a positive int"),
        ({"window": 2.5}, "window must be a positive int"),
        ({"min_count": 0}, "min_count must be a positive int"),
        ({"max_vocab_size": 0}, "max_vocab_size must be a positive int or None"),
        ({"chunk_size": True}, "chunk_size must be a positive int"),
    ],
)
def test_rejects_invalid_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        cooccurrence_matrix([["a", "b"]], **params)
