"""Loading, saving and evaluating word vectors held in gensim ``KeyedVectors``."""

# Authors: The sktext developers
# License: BSD 3 clause

import codecs
import math
import os

import numpy as np
from gensim import utils as gensim_utils
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

__all__ = ["VECTOR_FORMATS", "evaluate_embeddings", "load_vectors", "save_vectors"]

VECTOR_FORMATS = ("word2vec", "word2vec_binary", "glove")

# bytes read after the header to tell a text word2vec file from a binary one
_SNIFF_BYTES = 4096


def _check_format(format, *, allow_auto):
    allowed = (("auto",) if allow_auto else ()) + VECTOR_FORMATS
    if not isinstance(format, str) or format not in allowed:
        choices = ", ".join(repr(choice) for choice in allowed)
        raise ValueError(f"format must be one of {choices}; got {format!r}.")


def _is_int(token):
    try:
        int(token)
    except ValueError:
        return False
    return True


def _is_float(token):
    try:
        float(token)
    except ValueError:
        return False
    return True


def _detect_format(path):
    """Tell a word2vec text, word2vec binary or GloVe text file apart from its first bytes.

    word2vec files (text and binary) start with a ``"<n_words> <vector_size>"`` header; what
    follows is UTF-8 text in a text file and raw float32 bytes in a binary one. GloVe files
    have no header: their first line is a word and its floats.
    """
    with gensim_utils.open(path, "rb") as handle:
        first_line = handle.readline()
        following = handle.read(_SNIFF_BYTES)
    try:
        tokens = first_line.decode("utf8").split()
    except UnicodeDecodeError:
        tokens = []
    if len(tokens) == 2 and all(_is_int(token) for token in tokens):
        try:
            # final=False: a multi-byte character cut at the end of the chunk is fine
            codecs.getincrementaldecoder("utf8")().decode(following, final=False)
        except UnicodeDecodeError:
            return "word2vec_binary"
        return "word2vec"
    if len(tokens) >= 2 and all(_is_float(token) for token in tokens[1:]):
        return "glove"
    raise ValueError(
        f"Cannot tell the format of {os.fspath(path)!r}: its first line is neither a "
        "word2vec header ('<n_words> <vector_size>') nor a GloVe line ('<word> <floats>'). "
        f"Pass format= one of {', '.join(repr(f) for f in VECTOR_FORMATS)}."
    )


def load_vectors(path, *, format="auto", limit=None, encoding="utf8", unicode_errors="strict"):
    """Load pretrained word vectors from a word2vec (text or binary) or GloVe file.

    Files compressed with gzip or bz2 (``.gz``, ``.bz2``) are read transparently.

    Parameters
    ----------
    path : str or path-like
        The file to read.
    format : {"auto", "word2vec", "word2vec_binary", "glove"}, default="auto"
        ``"word2vec"``: the text format of the original word2vec tool (a
        ``"<n_words> <vector_size>"`` header, then one ``word v1 v2 ...`` line per word);
        ``"word2vec_binary"``: its binary format (``-binary 1``); ``"glove"``: the text
        format of Stanford's GloVe files (word lines without header). ``"auto"`` tells
        them apart from the first bytes of the file.
    limit : int, default=None
        Read only the first ``limit`` vectors (files are usually sorted by decreasing
        frequency); ``None`` reads all.
    encoding : str, default="utf8"
        Encoding of the words.
    unicode_errors : str, default="strict"
        How to treat undecodable bytes in words (``"ignore"`` or ``"replace"`` help with
        files of the C tool that cut multi-byte characters).

    Returns
    -------
    wv : gensim.models.KeyedVectors
        The vectors, in file order.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If ``format`` is unknown, or ``"auto"`` cannot recognise the file.

    See Also
    --------
    save_vectors : Write vectors in the same formats.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktext.embeddings import load_vectors
    >>> path = os.path.join(tempfile.mkdtemp(), "tiny.glove.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write("king 0.5 0.1\\nqueen 0.4 0.3\\n")
    >>> wv = load_vectors(path)  # no header: recognised as GloVe
    >>> wv.index_to_key, wv.vector_size
    (['king', 'queen'], 2)
    >>> wv["queen"].tolist()
    [0.4000000059604645, 0.30000001192092896]
    """
    _check_format(format, allow_auto=True)
    if limit is not None and (not isinstance(limit, (int, np.integer)) or limit < 1):
        raise ValueError(f"limit must be a positive integer or None; got {limit!r}.")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such vector file: {os.fspath(path)!r}.")
    if format == "auto":
        format = _detect_format(path)
    return KeyedVectors.load_word2vec_format(
        path,
        binary=format == "word2vec_binary",
        no_header=format == "glove",
        limit=limit,
        encoding=encoding,
        unicode_errors=unicode_errors,
    )


def save_vectors(wv, path, *, format="word2vec"):
    """Save word vectors as a word2vec (text or binary) or GloVe file.

    A path ending in ``.gz`` or ``.bz2`` is compressed.

    Parameters
    ----------
    wv : gensim.models.KeyedVectors
        The vectors, e.g. a fitted transformer's ``wv_``.
    path : str or path-like
        The file to write (overwritten).
    format : {"word2vec", "word2vec_binary", "glove"}, default="word2vec"
        See :func:`load_vectors`. Words are written in the order of ``wv``.

    Raises
    ------
    TypeError
        If ``wv`` is not a ``KeyedVectors``.
    ValueError
        If ``format`` is unknown, or a word contains whitespace (the text formats could
        not be read back).

    See Also
    --------
    load_vectors : Read them back.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from sktext.embeddings import load_vectors, save_vectors
    >>> wv = KeyedVectors(vector_size=3)
    >>> wv.add_vectors(["cat", "dog"], np.eye(2, 3, dtype=np.float32))
    >>> path = os.path.join(tempfile.mkdtemp(), "vectors.bin")
    >>> save_vectors(wv, path, format="word2vec_binary")
    >>> load_vectors(path).index_to_key
    ['cat', 'dog']
    """
    if not isinstance(wv, KeyedVectors):
        raise TypeError(
            f"wv must be a gensim KeyedVectors (e.g. a fitted transformer's wv_); got "
            f"{type(wv).__name__}."
        )
    _check_format(format, allow_auto=False)
    bad = next((key for key in map(str, wv.index_to_key) if key.split() != [key]), None)
    if bad is not None:
        raise ValueError(
            f"The word {bad!r} is empty or contains whitespace; it cannot be written to a "
            "word2vec or GloVe file. Use wv.save() (gensim's own format) instead."
        )
    binary = format == "word2vec_binary"
    vectors = wv.vectors.astype(np.float32, copy=False)
    # written like gensim's save_word2vec_format, but always in the order of wv (gensim
    # re-sorts by stored counts when it has them)
    with gensim_utils.open(os.fspath(path), "wb") as handle:
        if format != "glove":
            handle.write(f"{len(wv)} {wv.vector_size}\n".encode())
        for key, vector in zip(wv.index_to_key, vectors, strict=True):
            if binary:
                handle.write(f"{key} ".encode() + vector.tobytes() + b"\n")
            else:
                handle.write(f"{key} {' '.join(map(str, vector))}\n".encode())


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------

_ANALOGY_FILE = "questions-words.txt"
_WORD_PAIR_FILES = {"wordsim353": "wordsim353.tsv", "simlex999": "simlex999.txt"}


def _count_analogy_questions(path):
    with open(path, encoding="utf8") as handle:
        return sum(1 for line in handle if line.strip() and not line.startswith(":"))


def _accuracy(sections):
    correct = sum(len(section["correct"]) for section in sections)
    answered = correct + sum(len(section["incorrect"]) for section in sections)
    return (correct / answered if answered else math.nan), answered


def evaluate_embeddings(wv, *, restrict_vocab=300_000, case_insensitive=True):
    """Score word vectors on Google's analogies, WordSim-353 and SimLex-999.

    The three data sets ship inside gensim's wheel
    (:func:`gensim.test.utils.datapath`). Analogies ``a : b :: c : ?`` are solved with
    3CosAdd (``most_similar(positive=[b, c], negative=[a])``) by gensim's
    :meth:`~gensim.models.KeyedVectors.evaluate_word_analogies`; word-pair data sets are
    scored by the correlation of the cosine similarities with the human judgements
    (:meth:`~gensim.models.KeyedVectors.evaluate_word_pairs`). Questions and pairs with a
    word outside the vocabulary are skipped; the ``*_coverage`` entries say which share
    was answered, so that scores of vocabularies of different sizes can be compared
    honestly.

    Parameters
    ----------
    wv : gensim.models.KeyedVectors
        The vectors, e.g. a fitted transformer's ``wv_``.
    restrict_vocab : int, default=300000
        Only the first ``restrict_vocab`` words of ``wv`` (the most frequent ones, for
        vectors sorted by frequency) are used, as questions and as candidate answers.
    case_insensitive : bool, default=True
        Compare words case-insensitively (the data sets are capitalised; sktext's
        tokenizer lowercases by default).

    Returns
    -------
    scores : dict
        ``analogy_accuracy``, ``analogy_semantic_accuracy`` (the 5 semantic sections:
        capitals, currencies, cities, family), ``analogy_syntactic_accuracy`` (the 9
        ``gram*`` sections), ``analogy_coverage`` (share of the 19,544 questions answered),
        ``wordsim353_spearman``, ``wordsim353_pearson``, ``wordsim353_coverage``,
        ``simlex999_spearman``, ``simlex999_pearson`` and ``simlex999_coverage``. A score
        without a single answerable question is ``nan``.

    See Also
    --------
    gensim.models.KeyedVectors.evaluate_word_analogies : The analogy evaluation used here.
    gensim.models.KeyedVectors.evaluate_word_pairs : The word-similarity evaluation used here.

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from sktext.embeddings import evaluate_embeddings
    >>> wv = KeyedVectors(vector_size=2)
    >>> wv.add_vectors(["man", "woman", "king", "queen"],
    ...                np.array([[1, 0], [0, 1], [1, 0.2], [0.2, 1]], dtype=np.float32))
    >>> scores = evaluate_embeddings(wv)
    >>> scores["analogy_accuracy"]  # man:woman::king:queen and its mirror image
    1.0
    >>> round(scores["analogy_coverage"] * 19544)
    2
    """
    if not isinstance(wv, KeyedVectors):
        raise TypeError(f"wv must be a gensim KeyedVectors; got {type(wv).__name__}.")
    if len(wv) == 0:
        raise ValueError("wv holds no vectors; there is nothing to evaluate.")
    scores = {}
    analogy_path = datapath(_ANALOGY_FILE)
    _, sections = wv.evaluate_word_analogies(
        analogy_path, restrict_vocab=restrict_vocab, case_insensitive=case_insensitive
    )
    sections = [s for s in sections if s["section"] != "Total accuracy"]
    semantic = [s for s in sections if not s["section"].startswith("gram")]
    syntactic = [s for s in sections if s["section"].startswith("gram")]
    scores["analogy_accuracy"], answered = _accuracy(sections)
    scores["analogy_semantic_accuracy"], _ = _accuracy(semantic)
    scores["analogy_syntactic_accuracy"], _ = _accuracy(syntactic)
    scores["analogy_coverage"] = answered / _count_analogy_questions(analogy_path)
    for name, filename in _WORD_PAIR_FILES.items():
        try:
            pearson, spearman, oov_percent = wv.evaluate_word_pairs(
                datapath(filename),
                restrict_vocab=restrict_vocab,
                case_insensitive=case_insensitive,
            )
        except ValueError:  # every pair has an unknown word
            spearman_value = pearson_value = math.nan
            coverage = 0.0
        else:
            spearman_value, pearson_value = float(spearman[0]), float(pearson[0])
            coverage = 1.0 - oov_percent / 100.0
        scores[f"{name}_spearman"] = spearman_value
        scores[f"{name}_pearson"] = pearson_value
        scores[f"{name}_coverage"] = coverage
    return scores
