"""Tests of hard debiasing (Bolukbasi et al., 2016): geometry, not just shapes."""

import copy
import warnings

import numpy as np
import pytest
from gensim.models import KeyedVectors

from sktext import Word2VecTransformer
from sktext.embeddings import (
    GENDER_DEFINITIONAL_PAIRS,
    GENDER_EQUALIZE_PAIRS,
    bias_direction,
    bias_projection,
    debias,
    equalize,
    neutralize,
)

DIM = 20
PAIRS = [("she", "he"), ("woman", "man"), ("mother", "father"), ("girl", "boy")]
EQUALIZE = [("queen", "king"), ("actress", "actor"), ("mother", "father")]
NEUTRAL = ["nurse", "engineer", "doctor", "table", "science", "dance", "kitchen"]


def _unit(v):
    return v / np.linalg.norm(v)


@pytest.fixture
def planted():
    """Random vectors with a planted bias direction g: pair words are base +/- g, neutral
    words carry a random amount of g ("nurse" towards she, "engineer" towards he)."""
    rng = np.random.default_rng(0)
    g = _unit(rng.normal(size=DIM))
    kv = KeyedVectors(vector_size=DIM)
    for a, b in PAIRS + EQUALIZE[:2]:
        base = rng.normal(size=DIM)
        base -= (base @ g) * g
        kv.add_vectors([a, b], np.array([base + 1.5 * g, base - 1.5 * g]))
    for word, lean in zip(NEUTRAL, [1.0, -1.0, -0.4, 0.2, -0.6, 0.7, 0.5], strict=True):
        kv.add_vectors([word], (rng.normal(size=DIM) + lean * 2 * g)[None, :])
    return kv, g


def _snapshot(kv):
    return kv.vectors.copy(), list(kv.index_to_key)


def _assert_untouched(kv, snapshot):
    vectors, keys = snapshot
    np.testing.assert_array_equal(kv.vectors, vectors)
    assert kv.index_to_key == keys


# -------------------------------------------------------------------- direction
def test_bias_direction_recovers_the_planted_direction(planted):
    kv, g = planted
    before = _snapshot(kv)
    direction = bias_direction(kv, PAIRS)
    assert np.linalg.norm(direction) == pytest.approx(1.0)
    assert direction @ g == pytest.approx(1.0, abs=1e-6)  # oriented towards "she"
    flipped = bias_direction(kv, [(b, a) for a, b in PAIRS])
    np.testing.assert_allclose(flipped, -direction, atol=1e-8)
    _assert_untouched(kv, before)


def test_bias_projection_reflects_the_lean(planted):
    kv, g = planted
    projection = bias_projection(kv, ["nurse", "engineer"], g)
    assert projection[0] > 0.2 and projection[1] < -0.2
    expected = [_unit(kv[w]) @ g for w in ("nurse", "engineer")]
    np.testing.assert_allclose(projection, expected, rtol=1e-6)
    with pytest.raises(KeyError, match="not in the vocabulary"):
        bias_projection(kv, ["unicorn"], g)


def test_pairs_outside_the_vocabulary_are_skipped_with_a_warning(planted):
    kv, _ = planted
    with pytest.warns(UserWarning, match="1 of the 5 pairs have a word outside the vocabulary"):
        direction = bias_direction(kv, PAIRS + [("gal", "guy")])
    np.testing.assert_allclose(direction, bias_direction(kv, PAIRS))
    with pytest.raises(ValueError, match="No definitional pair"), pytest.warns(UserWarning):
        bias_direction(kv, [("gal", "guy")])


# ------------------------------------------------------------------- neutralize
def test_neutralize_zeroes_the_projection_and_leaves_the_input_untouched(planted):
    kv, g = planted
    before = _snapshot(kv)
    gendered = [w for pair in PAIRS + EQUALIZE for w in pair]
    new = neutralize(kv, g, exclude=gendered)
    _assert_untouched(kv, before)
    assert new is not kv and new.vectors is not kv.vectors
    assert new.index_to_key == kv.index_to_key
    np.testing.assert_allclose(bias_projection(new, NEUTRAL, g), 0, atol=1e-6)
    # every vector is unit length; excluded words only normalized
    np.testing.assert_allclose(np.linalg.norm(new.vectors, axis=1), 1, rtol=1e-6)
    for word in ("she", "he", "queen"):
        np.testing.assert_allclose(new[word], _unit(kv[word]), rtol=1e-6)
    # what is left of a neutralized word is its component orthogonal to g
    residual = kv["nurse"] - (kv["nurse"] @ g) * g
    np.testing.assert_allclose(new["nurse"], _unit(residual), rtol=1e-5)


def test_neutralize_only_the_given_words(planted):
    kv, g = planted
    new = neutralize(kv, g, words=["nurse", "not-a-word"])
    assert abs(bias_projection(new, ["nurse"], g)[0]) < 1e-6
    assert abs(bias_projection(new, ["engineer"], g)[0]) > 0.2


# --------------------------------------------------------------------- equalize
def test_equalize_makes_pairs_equidistant_from_neutral_words(planted):
    kv, g = planted
    neutral = neutralize(kv, g, words=NEUTRAL)
    before = _snapshot(neutral)
    # make the pair asymmetric first, as learned vectors are
    skewed = copy.deepcopy(neutral)
    skewed.vectors[skewed.key_to_index["queen"]] += 0.5 * skewed["nurse"]
    new = equalize(skewed, g, [("queen", "king"), ("actress", "actor")])
    _assert_untouched(neutral, before)
    for a, b in [("queen", "king"), ("actress", "actor")]:
        assert np.linalg.norm(new[a]) == pytest.approx(1.0, abs=1e-6)
        assert np.linalg.norm(new[b]) == pytest.approx(1.0, abs=1e-6)
        difference = new[a] - new[b]
        # the pair differs only along the bias direction, and keeps its orientation
        np.testing.assert_allclose(difference, (difference @ g) * g, atol=1e-6)
        assert difference @ g > 0
        for word in NEUTRAL:
            distance_a = np.linalg.norm(new[a] - new[word])
            distance_b = np.linalg.norm(new[b] - new[word])
            assert distance_a == pytest.approx(distance_b, abs=1e-6)
    # before equalizing, the skewed queen was much closer to nurse than king was
    assert skewed.similarity("queen", "nurse") - skewed.similarity("king", "nurse") > 0.1


# ----------------------------------------------------------------------- debias
def test_debias_end_to_end_geometry(planted):
    kv, _ = planted
    before = _snapshot(kv)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every pair is known: no warning
        new = debias(kv, definitional_pairs=PAIRS, equalize_pairs=EQUALIZE)
    _assert_untouched(kv, before)
    direction = bias_direction(kv, PAIRS)
    np.testing.assert_allclose(bias_projection(new, NEUTRAL, direction), 0, atol=1e-6)
    for a, b in EQUALIZE:
        for word in NEUTRAL:
            assert new.similarity(a, word) == pytest.approx(new.similarity(b, word), abs=1e-6)
    # definitional words (not in an equalize pair) keep their gender untouched
    kept = bias_projection(new, ["woman", "man"], direction)
    np.testing.assert_allclose(kept, bias_projection(kv, ["woman", "man"], direction), atol=1e-6)
    assert kept[0] > 0.2 and kept[1] < -0.2


def test_specific_words_are_not_neutralized(planted):
    kv, _ = planted
    new = debias(
        kv, definitional_pairs=PAIRS, equalize_pairs=EQUALIZE[:2], specific_words=["dance"]
    )
    direction = bias_direction(kv, PAIRS)
    dance_before = bias_projection(kv, ["dance"], direction)[0]
    dance_after = bias_projection(new, ["dance"], direction)[0]
    assert dance_after == pytest.approx(dance_before, abs=1e-6)
    assert abs(bias_projection(new, ["nurse"], direction)[0]) < 1e-6


def test_default_pairs_and_missing_ones_warn(planted):
    kv, _ = planted
    assert ("she", "he") in GENDER_DEFINITIONAL_PAIRS and len(GENDER_DEFINITIONAL_PAIRS) == 10
    assert all(len(pair) == 2 for pair in GENDER_EQUALIZE_PAIRS)
    with pytest.warns(UserWarning, match="outside the vocabulary"):
        new = debias(kv)
    assert new.index_to_key == kv.index_to_key


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda kv: bias_direction(np.zeros(3)), TypeError, "KeyedVectors"),
        (lambda kv: bias_direction(KeyedVectors(3)), ValueError, "no vectors"),
        (lambda kv: bias_direction(kv, ["she", "he"]), ValueError, r"\(word, word\) pairs"),
        (lambda kv: bias_direction(kv, "shehe"), ValueError, r"\(word, word\) pairs"),
        (lambda kv: neutralize(kv, np.ones(3)), ValueError, "shape \\(20,\\)"),
        (lambda kv: neutralize(kv, np.zeros(DIM)), ValueError, "non-zero"),
        (lambda kv: equalize(kv, [np.nan] * DIM), ValueError, "finite"),
        (lambda kv: debias(kv, equalize_pairs=[("a", "b", "c")]), ValueError, "pairs"),
    ],
)
def test_errors(planted, call, error, match):
    kv, _ = planted
    with pytest.raises(error, match=match):
        call(kv)


def test_debias_vectors_learned_by_the_transformer():
    # a corpus where "nurse" occurs with female and "engineer" with male words
    rng = np.random.default_rng(0)
    female, male = ["she", "her", "woman", "mother"], ["he", "his", "man", "father"]
    templates = ["{p} works as a {job} in the city", "the {job} said {p} was tired"]
    docs = []
    for _ in range(1500):
        job = str(rng.choice(["nurse", "engineer", "teacher"]))
        side = {"nurse": female, "engineer": male}.get(job, female + male)
        docs.append(str(rng.choice(templates)).format(p=rng.choice(side), job=job))
    wv = Word2VecTransformer(vector_size=16, min_count=1, workers=1, random_state=0).fit(docs).wv_
    pairs = [("she", "he"), ("her", "his"), ("woman", "man"), ("mother", "father")]
    direction = bias_direction(wv, pairs)
    before = bias_projection(wv, ["nurse", "engineer"], direction)
    assert before[0] > before[1]  # the learned space carries the planted bias
    new = debias(wv, definitional_pairs=pairs, equalize_pairs=pairs)
    np.testing.assert_allclose(
        bias_projection(new, ["nurse", "engineer", "teacher", "city"], direction), 0, atol=1e-6
    )
    for a, b in pairs:
        assert new.similarity(a, "nurse") == pytest.approx(new.similarity(b, "nurse"), abs=1e-6)
    assert new.most_similar("nurse", topn=1)  # still a usable KeyedVectors


def test_warnings_point_at_the_caller(planted):
    kv, g = planted
    for call in (
        lambda: bias_direction(kv, PAIRS + [("gal", "guy")]),
        lambda: equalize(kv, g, [("gal", "guy"), ("queen", "king")]),
        lambda: debias(kv, definitional_pairs=PAIRS, equalize_pairs=[("gal", "guy")]),
    ):
        with pytest.warns(UserWarning, match="outside the vocabulary") as record:
            call()
        assert {w.filename for w in record} == {__file__}
