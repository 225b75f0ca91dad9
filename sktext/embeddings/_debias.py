"""Hard debiasing of word vectors (Bolukbasi et al., 2016): neutralize and equalize.

Every function returns new :class:`~gensim.models.KeyedVectors` and leaves its input
untouched. Like the paper, the transformed vectors are unit-normalized: the geometry of
equalization (each word of a pair at the same distance from every neutral word) holds for
unit vectors.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import copy
import sys
import warnings

import numpy as np
from gensim.models import KeyedVectors

__all__ = [
    "GENDER_DEFINITIONAL_PAIRS",
    "GENDER_EQUALIZE_PAIRS",
    "bias_direction",
    "bias_projection",
    "debias",
    "equalize",
    "neutralize",
]

#: The ten definitional pairs of Bolukbasi et al. (2016), lowercased.
GENDER_DEFINITIONAL_PAIRS = (
    ("she", "he"),
    ("her", "his"),
    ("woman", "man"),
    ("mary", "john"),
    ("herself", "himself"),
    ("daughter", "son"),
    ("mother", "father"),
    ("gal", "guy"),
    ("girl", "boy"),
    ("female", "male"),
)

#: Gendered word pairs to equalize: single lowercase words in the spirit of the paper's
#: equalize list (which also has phrases and capitalised variants). Pass your own list
#: for another vocabulary.
GENDER_EQUALIZE_PAIRS = (
    ("she", "he"),
    ("her", "his"),
    ("herself", "himself"),
    ("woman", "man"),
    ("women", "men"),
    ("girl", "boy"),
    ("girls", "boys"),
    ("female", "male"),
    ("females", "males"),
    ("daughter", "son"),
    ("daughters", "sons"),
    ("mother", "father"),
    ("mothers", "fathers"),
    ("motherhood", "fatherhood"),
    ("mom", "dad"),
    ("moms", "dads"),
    ("sister", "brother"),
    ("sisters", "brothers"),
    ("aunt", "uncle"),
    ("niece", "nephew"),
    ("grandmother", "grandfather"),
    ("granddaughter", "grandson"),
    ("grandma", "grandpa"),
    ("wife", "husband"),
    ("wives", "husbands"),
    ("queen", "king"),
    ("queens", "kings"),
    ("princess", "prince"),
    ("lady", "gentleman"),
    ("ladies", "gentlemen"),
    ("spokeswoman", "spokesman"),
    ("chairwoman", "chairman"),
    ("businesswoman", "businessman"),
    ("congresswoman", "congressman"),
    ("councilwoman", "councilman"),
    ("schoolgirl", "schoolboy"),
    ("sorority", "fraternity"),
    ("nun", "monk"),
    ("gal", "guy"),
)


def _check_wv(wv):
    if not isinstance(wv, KeyedVectors):
        raise TypeError(f"wv must be a gensim KeyedVectors; got {type(wv).__name__}.")
    if len(wv) == 0:
        raise ValueError("wv holds no vectors.")


def _check_direction(direction, wv):
    direction = np.asarray(direction, dtype=np.float64)
    if direction.shape != (wv.vector_size,):
        raise ValueError(
            f"direction must be a vector of shape ({wv.vector_size},), the vector size of "
            f"wv; got shape {direction.shape}."
        )
    norm = np.linalg.norm(direction)
    if not np.isfinite(norm) or norm == 0:
        raise ValueError("direction must be a finite, non-zero vector.")
    return direction / norm


def _check_pairs(pairs, name):
    try:
        pairs = [tuple(pair) for pair in pairs]
    except TypeError:
        pairs = None
    if pairs is None or isinstance(pairs, str) or any(len(pair) != 2 for pair in pairs):
        raise ValueError(f"{name} must be a list of (word, word) pairs.")
    return pairs


def _warn_caller(message):
    """``warnings.warn`` pointing at the first frame outside this module (the user's)."""
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)


def _known_pairs(wv, pairs, name):
    """The pairs whose two words are in ``wv``; warn about the others."""
    known = [(a, b) for a, b in pairs if a in wv.key_to_index and b in wv.key_to_index]
    if len(known) < len(pairs):
        missing = [pair for pair in pairs if pair not in known]
        _warn_caller(
            f"{len(missing)} of the {len(pairs)} {name} have a word outside the vocabulary "
            f"and are ignored: {missing[:5]}{' ...' if len(missing) > 5 else ''}"
        )
    return known


def _unit_rows(vectors):
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _with_vectors(wv, vectors):
    """A deep copy of ``wv`` (vocabulary, counts…) holding ``vectors`` instead."""
    new = copy.deepcopy(wv)
    new.vectors = vectors.astype(wv.vectors.dtype)
    new.norms = None
    new.fill_norms(force=True)
    return new


def bias_direction(wv, pairs=GENDER_DEFINITIONAL_PAIRS):
    """Direction of a bias: first principal component of the definitional pair differences.

    Each pair ``(a, b)`` of unit-normalized vectors is centred on its mean; the first
    principal direction of the centred vectors of all pairs is the bias direction
    (Bolukbasi et al., 2016, section 5).

    Parameters
    ----------
    wv : gensim.models.KeyedVectors
        The word vectors.
    pairs : list of (str, str), default=GENDER_DEFINITIONAL_PAIRS
        Definitional pairs, e.g. ``[("she", "he"), ("woman", "man")]``. Pairs with a
        word outside the vocabulary are skipped with a warning.

    Returns
    -------
    direction : ndarray of shape (vector_size,)
        Unit vector, oriented so that the first words of the pairs project higher than
        the second ones on average (with the default pairs: towards "she").

    Raises
    ------
    ValueError
        If no pair has both words in the vocabulary.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from sktext.embeddings import bias_direction
    >>> wv = KeyedVectors(vector_size=3)
    >>> wv.add_vectors(["she", "he", "queen", "king"],
    ...                np.array([[1, 1, 0], [-1, 1, 0], [1, 0, 1], [-1, 0, 1]], dtype=float))
    >>> bias_direction(wv, [("she", "he"), ("queen", "king")]).round(6).tolist()
    [1.0, 0.0, 0.0]
    """
    _check_wv(wv)
    pairs = _known_pairs(wv, _check_pairs(pairs, "pairs"), "pairs")
    if not pairs:
        raise ValueError("No definitional pair has both words in the vocabulary of wv.")
    first = _unit_rows(wv[[a for a, _ in pairs]])
    second = _unit_rows(wv[[b for _, b in pairs]])
    half_differences = (first - second) / 2  # a - centre; b - centre is its opposite
    centred = np.vstack([half_differences, -half_differences])
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    direction = vt[0]
    if half_differences.sum(axis=0) @ direction < 0:
        direction = -direction
    return direction


def bias_projection(wv, words, direction):
    """Cosine of each word's vector with the bias direction.

    Parameters
    ----------
    wv : gensim.models.KeyedVectors
        The word vectors.
    words : list of str
        Words of the vocabulary.
    direction : array-like of shape (vector_size,)
        The bias direction (normalized here).

    Returns
    -------
    projection : ndarray of shape (len(words),)
        ``cos(w, direction)``; 0 means the word is neutral. The mean of its absolute
        values over gender-neutral words is the paper's *DirectBias*.

    Raises
    ------
    KeyError
        If a word is not in the vocabulary.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from sktext.embeddings import bias_projection
    >>> wv = KeyedVectors(vector_size=2)
    >>> wv.add_vectors(["nurse", "table"], np.array([[1.0, 1.0], [0.0, 2.0]]))
    >>> bias_projection(wv, ["nurse", "table"], [1, 0]).round(3).tolist()
    [0.707, 0.0]
    """
    _check_wv(wv)
    direction = _check_direction(direction, wv)
    missing = [word for word in words if word not in wv.key_to_index]
    if missing:
        raise KeyError(f"Words not in the vocabulary: {missing[:5]}")
    return _unit_rows(wv[list(words)]) @ direction if len(words) else np.zeros(0)


def neutralize(wv, direction, *, words=None, exclude=()):
    """Remove the bias component of words that should be neutral.

    Each vector is unit-normalized, its projection on ``direction`` is removed and it is
    normalized again (Bolukbasi et al., 2016, "hard de-biasing", step 2a).

    Parameters
    ----------
    wv : gensim.models.KeyedVectors
        The word vectors (left untouched).
    direction : array-like of shape (vector_size,)
        The bias direction, e.g. from :func:`bias_direction`.
    words : list of str, default=None
        The words to neutralize; ``None`` for every word of ``wv`` not in ``exclude``.
        Words outside the vocabulary are ignored.
    exclude : collection of str, default=()
        Words to leave as they are (the gender-specific words such as "he", "mother").

    Returns
    -------
    wv_new : gensim.models.KeyedVectors
        A copy with every vector unit-normalized and the neutralized ones orthogonal to
        ``direction``.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from sktext.embeddings import neutralize
    >>> wv = KeyedVectors(vector_size=2)
    >>> wv.add_vectors(["he", "nurse"], np.array([[1.0, 1.0], [1.0, 3.0]]))
    >>> new = neutralize(wv, [1, 0], exclude=["he"])
    >>> new["nurse"].tolist(), wv["nurse"].tolist()
    ([0.0, 1.0], [1.0, 3.0])
    """
    _check_wv(wv)
    direction = _check_direction(direction, wv)
    vectors = _unit_rows(wv.vectors)
    excluded = set(exclude)
    if words is None:
        rows = [i for i, word in enumerate(wv.index_to_key) if word not in excluded]
    else:
        index = wv.key_to_index
        rows = [index[word] for word in words if word in index and word not in excluded]
    rows = np.asarray(rows, dtype=np.intp)
    if len(rows):
        selected = vectors[rows]
        selected -= np.outer(selected @ direction, direction)
        vectors[rows] = _unit_rows(selected)
    return _with_vectors(wv, vectors)


def equalize(wv, direction, pairs=GENDER_EQUALIZE_PAIRS):
    """Make the two words of each pair equidistant from every neutral word.

    For a pair ``(a, b)`` of unit vectors with mean ``mu``, both words are moved to
    ``nu +/- sqrt(1 - |nu|^2) * direction`` where ``nu`` is ``mu`` minus its projection
    on ``direction`` (Bolukbasi et al., 2016, step 2b). They then differ only along
    ``direction``, so any word orthogonal to it (a neutralized word) has the same cosine
    similarity with both.

    Parameters
    ----------
    wv : gensim.models.KeyedVectors
        The word vectors (left untouched).
    direction : array-like of shape (vector_size,)
        The bias direction, e.g. from :func:`bias_direction`.
    pairs : list of (str, str), default=GENDER_EQUALIZE_PAIRS
        Pairs to equalize; pairs with a word outside the vocabulary are skipped with a
        warning.

    Returns
    -------
    wv_new : gensim.models.KeyedVectors
        A copy with every vector unit-normalized and the pairs equalized.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from sktext.embeddings import equalize
    >>> wv = KeyedVectors(vector_size=3)
    >>> wv.add_vectors(["queen", "king", "ruler"],
    ...                np.array([[0.9, 0.4, 0.1], [-0.5, 0.8, 0.3], [0, 1, 0]]))
    >>> new = equalize(wv, [1, 0, 0], [("queen", "king")])
    >>> bool(np.isclose(new.similarity("queen", "ruler"), new.similarity("king", "ruler")))
    True
    """
    _check_wv(wv)
    direction = _check_direction(direction, wv)
    pairs = _known_pairs(wv, _check_pairs(pairs, "pairs"), "pairs")
    vectors = _unit_rows(wv.vectors)
    index = wv.key_to_index
    for a, b in pairs:
        i, j = index[a], index[b]
        if i == j:
            continue
        mu = (vectors[i] + vectors[j]) / 2
        nu = mu - (mu @ direction) * direction
        z = np.sqrt(max(1.0 - nu @ nu, 0.0))
        if (vectors[i] - vectors[j]) @ direction < 0:
            z = -z
        vectors[i] = nu + z * direction
        vectors[j] = nu - z * direction
    return _with_vectors(wv, vectors)


def debias(
    wv,
    *,
    definitional_pairs=GENDER_DEFINITIONAL_PAIRS,
    equalize_pairs=GENDER_EQUALIZE_PAIRS,
    specific_words=(),
):
    """Hard-debias word vectors: bias direction, neutralize, then equalize.

    The bias direction is found from ``definitional_pairs`` (:func:`bias_direction`);
    every word except the words of the pairs and ``specific_words`` is neutralized
    (:func:`neutralize`); then ``equalize_pairs`` are equalized (:func:`equalize`).

    Parameters
    ----------
    wv : gensim.models.KeyedVectors
        The word vectors (left untouched), e.g. a fitted transformer's ``wv_``.
    definitional_pairs : list of (str, str), default=GENDER_DEFINITIONAL_PAIRS
        Pairs defining the bias direction.
    equalize_pairs : list of (str, str), default=GENDER_EQUALIZE_PAIRS
        Pairs made equidistant from the neutral words.
    specific_words : collection of str, default=()
        More words that legitimately carry the bias and must not be neutralized (e.g.
        "actress", "beard", "pregnancy" for gender). The paper learns a list of 218 such
        words; without one, every other word is treated as neutral.

    Returns
    -------
    wv_new : gensim.models.KeyedVectors
        The debiased, unit-normalized vectors, same vocabulary and order as ``wv``.

    References
    ----------
    T. Bolukbasi, K.-W. Chang, J. Zou, V. Saligrama and A. Kalai, "Man is to Computer
    Programmer as Woman is to Homemaker? Debiasing Word Embeddings", NeurIPS 2016.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from sktext.embeddings import bias_direction, bias_projection, debias
    >>> rng = np.random.default_rng(0)
    >>> words = ["he", "she", "man", "woman", "king", "queen", "nurse", "engineer"]
    >>> wv = KeyedVectors(vector_size=10)
    >>> wv.add_vectors(words, rng.normal(size=(8, 10)))
    >>> pairs = [("she", "he"), ("woman", "man")]
    >>> new = debias(wv, definitional_pairs=pairs, equalize_pairs=[("queen", "king")])
    >>> g = bias_direction(wv, pairs)
    >>> bool(np.allclose(bias_projection(new, ["nurse", "engineer"], g), 0, atol=1e-6))
    True
    """
    _check_wv(wv)
    definitional_pairs = _check_pairs(definitional_pairs, "definitional_pairs")
    equalize_pairs = _check_pairs(equalize_pairs, "equalize_pairs")
    direction = bias_direction(wv, definitional_pairs)
    keep = set(specific_words)
    keep.update(word for pair in definitional_pairs for word in pair)
    keep.update(word for pair in equalize_pairs for word in pair)
    neutral = neutralize(wv, direction, exclude=keep)
    return equalize(neutral, direction, equalize_pairs)
