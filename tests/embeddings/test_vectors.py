"""Tests of loading, saving and evaluating word vectors."""

import math
from collections import Counter

import numpy as np
import pytest
import scipy.stats
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from sktext.embeddings import evaluate_embeddings, load_vectors, save_vectors
from sktext.embeddings._vectors import _detect_format

WORDS = ["the", "cat", "sat", "naïve", "日本"]


@pytest.fixture
def wv():
    rng = np.random.default_rng(0)
    kv = KeyedVectors(vector_size=6)
    kv.add_vectors(WORDS, rng.normal(size=(len(WORDS), 6)).astype(np.float32))
    return kv


# ------------------------------------------------------------------- round trips
@pytest.mark.parametrize("format", ["word2vec", "word2vec_binary", "glove"])
@pytest.mark.parametrize("suffix", [".txt", ".gz"])
def test_save_load_round_trip_is_exact(wv, tmp_path, format, suffix):
    path = tmp_path / f"vectors{suffix}"
    save_vectors(wv, path, format=format)
    for fmt in (format, "auto"):
        loaded = load_vectors(path, format=fmt)
        assert loaded.index_to_key == WORDS
        np.testing.assert_array_equal(loaded.vectors, wv.vectors)


@pytest.mark.parametrize("format", ["word2vec", "word2vec_binary", "glove"])
def test_auto_detection(wv, tmp_path, format):
    path = tmp_path / "vectors"
    save_vectors(wv, path, format=format)
    assert _detect_format(path) == format


def test_file_layouts(wv, tmp_path):
    save_vectors(wv, tmp_path / "w2v.txt", format="word2vec")
    save_vectors(wv, tmp_path / "glove.txt", format="glove")
    w2v_lines = (tmp_path / "w2v.txt").read_text(encoding="utf8").splitlines()
    glove_lines = (tmp_path / "glove.txt").read_text(encoding="utf8").splitlines()
    assert w2v_lines[0] == "5 6"
    assert w2v_lines[1:] == glove_lines  # GloVe: the same lines without the header
    assert glove_lines[3].split()[0] == "naïve" and len(glove_lines[3].split()) == 7


def test_files_written_by_gensim_are_read(wv, tmp_path):
    for binary in (False, True):
        path = tmp_path / f"gensim-{binary}.bin"
        wv.save_word2vec_format(str(path), binary=binary)
        loaded = load_vectors(path)
        assert sorted(loaded.index_to_key) == sorted(WORDS)
        np.testing.assert_array_equal(loaded["cat"], wv["cat"])


def test_files_we_write_are_read_by_gensim(wv, tmp_path):
    save_vectors(wv, tmp_path / "a.bin", format="word2vec_binary")
    save_vectors(wv, tmp_path / "b.txt", format="glove")
    from_binary = KeyedVectors.load_word2vec_format(str(tmp_path / "a.bin"), binary=True)
    from_glove = KeyedVectors.load_word2vec_format(str(tmp_path / "b.txt"), no_header=True)
    for loaded in (from_binary, from_glove):
        assert loaded.index_to_key == WORDS
        np.testing.assert_array_equal(loaded.vectors, wv.vectors)


def test_limit_reads_the_first_vectors(wv, tmp_path):
    for format in ("word2vec", "glove", "word2vec_binary"):
        path = tmp_path / f"v.{format}"
        save_vectors(wv, path, format=format)
        assert load_vectors(path, limit=2).index_to_key == ["the", "cat"]


def test_save_keeps_the_order_of_wv_even_with_counts(tmp_path):
    kv = KeyedVectors(vector_size=2)
    kv.add_vectors(["rare", "frequent"], np.eye(2, dtype=np.float32))
    kv.set_vecattr("rare", "count", 1)
    kv.set_vecattr("frequent", "count", 100)
    save_vectors(kv, tmp_path / "v.txt")
    assert load_vectors(tmp_path / "v.txt").index_to_key == ["rare", "frequent"]


# ------------------------------------------------------------------------- errors
def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such vector file"):
        load_vectors(tmp_path / "missing.txt")
    (tmp_path / "prose.txt").write_text("this is not a vector file\nat all\n")
    with pytest.raises(ValueError, match="Cannot tell the format"):
        load_vectors(tmp_path / "prose.txt")
    with pytest.raises(ValueError, match="format must be one of 'auto', 'word2vec'"):
        load_vectors(tmp_path / "prose.txt", format="fasttext")
    with pytest.raises(ValueError, match="limit must be a positive integer"):
        load_vectors(tmp_path / "prose.txt", limit=0)


def test_save_errors(wv, tmp_path):
    with pytest.raises(TypeError, match="gensim KeyedVectors"):
        save_vectors(np.zeros((2, 2)), tmp_path / "x.txt")
    with pytest.raises(ValueError, match="format must be one of 'word2vec', "):
        save_vectors(wv, tmp_path / "x.txt", format="auto")
    spaced = KeyedVectors(vector_size=2)
    spaced.add_vectors(["new york", "paris"], np.eye(2, dtype=np.float32))
    with pytest.raises(ValueError, match="'new york' is empty or contains whitespace"):
        save_vectors(spaced, tmp_path / "x.txt")
    assert not (tmp_path / "x.txt").exists()


def test_loaded_vectors_feed_similarity_queries(wv, tmp_path):
    save_vectors(wv, tmp_path / "v.txt", format="glove")
    loaded = load_vectors(tmp_path / "v.txt")
    assert loaded.most_similar("cat", topn=1) == wv.most_similar("cat", topn=1)


# ------------------------------------------------------------------------ evaluation
def _analogy_questions():
    sections, current = {}, None
    with open(datapath("questions-words.txt"), encoding="utf8") as handle:
        for line in handle:
            if line.startswith(":"):
                current = line[1:].strip()
                sections[current] = []
            else:
                sections[current].append(line.split())
    return sections


def test_analogy_scores_on_planted_vectors():
    # capital-common-countries: each country = its capital + one shared offset, so every
    # question of the section is answerable and right; nothing else is in the vocabulary
    questions = _analogy_questions()["capital-common-countries"]
    capitals = sorted({q[0] for q in questions} | {q[2] for q in questions})
    countries = {q[0]: q[1] for q in questions} | {q[2]: q[3] for q in questions}
    n = len(capitals)
    rng = np.random.default_rng(0)
    capital_vectors = rng.normal(size=(n, n + 1)) * 0.1 + np.eye(n, n + 1)
    offset = np.eye(1, n + 1, n)[0] * 2
    kv = KeyedVectors(vector_size=n + 1)
    kv.add_vectors([c.lower() for c in capitals], capital_vectors)
    kv.add_vectors([countries[c].lower() for c in capitals], capital_vectors + offset)

    scores = evaluate_embeddings(kv)
    assert scores["analogy_accuracy"] == 1.0
    assert scores["analogy_semantic_accuracy"] == 1.0
    assert math.isnan(scores["analogy_syntactic_accuracy"])  # no gram* question answerable
    # the planted words also answer capital-world questions: count every covered one
    vocabulary = {word.upper() for word in kv.index_to_key}
    all_questions = [q for section in _analogy_questions().values() for q in section]
    covered = [q for q in all_questions if {w.upper() for w in q} <= vocabulary]
    assert len(all_questions) == 19544 and len(covered) > len(questions)
    assert scores["analogy_coverage"] * 19544 == pytest.approx(len(covered))


def _word_pairs(filename):
    pairs = []
    with open(datapath(filename), encoding="utf8") as handle:
        for line in handle:
            if not line.startswith("#"):
                a, b, score = line.split("\t")
                pairs.append((a.lower(), b.lower(), float(score)))
    return pairs


def test_word_pair_correlations_on_planted_vectors():
    # pairs whose two words occur in no other pair; cos(a, b) = score / 10 for each, so
    # the Spearman correlation on the covered pairs is exactly 1
    pairs = _word_pairs("wordsim353.tsv")
    occurrences = Counter(word for a, b, _ in pairs for word in (a, b))
    chosen = [(a, b, s) for a, b, s in pairs if a != b and occurrences[a] == occurrences[b] == 1]
    assert len(chosen) >= 20
    kv = KeyedVectors(vector_size=2 * len(chosen))
    for i, (a, b, score) in enumerate(chosen):
        va, vb = np.zeros(kv.vector_size), np.zeros(kv.vector_size)
        va[2 * i] = 1.0
        vb[2 * i], vb[2 * i + 1] = score / 10, np.sqrt(1 - (score / 10) ** 2)
        kv.add_vectors([a, b], np.array([va, vb]))
    scores = evaluate_embeddings(kv)
    assert scores["wordsim353_spearman"] == pytest.approx(1.0)
    assert scores["wordsim353_pearson"] == pytest.approx(1.0)
    assert scores["wordsim353_coverage"] == pytest.approx(len(chosen) / len(pairs))


def test_no_covered_question_gives_nan_not_zero():
    kv = KeyedVectors(vector_size=3)
    kv.add_vectors(["qwzx", "vbnm"], np.eye(2, 3))
    scores = evaluate_embeddings(kv)
    for key in ("analogy_accuracy", "wordsim353_spearman", "simlex999_spearman"):
        assert math.isnan(scores[key])
    assert scores["analogy_coverage"] == 0.0 and scores["simlex999_coverage"] == 0.0


def test_evaluation_errors():
    with pytest.raises(TypeError, match="KeyedVectors"):
        evaluate_embeddings({"cat": [1, 2]})
    with pytest.raises(ValueError, match="no vectors"):
        evaluate_embeddings(KeyedVectors(vector_size=3))


def test_evaluate_a_fitted_transformer():
    from sktext import Word2VecTransformer

    docs = [
        "the king and the queen rule the kingdom",
        "a man and a woman walk in the city",
        "the boy and the girl play in the park",
    ] * 30
    est = Word2VecTransformer(vector_size=10, min_count=1, workers=1, random_state=0).fit(docs)
    wv = est.wv_
    scores = evaluate_embeddings(wv)
    # the same scores by brute force: 3CosAdd over the whole vocabulary, and the rank
    # correlation of cosine similarities with the human judgements
    words = list(wv.index_to_key)
    unit = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)
    index = {w: i for i, w in enumerate(words)}
    answered = correct = 0
    with open(datapath("questions-words.txt")) as f:
        for line in f:
            question = line.lower().split()
            if line.startswith(":") or not all(w in index for w in question):
                continue
            a, b, c, d = (index[w] for w in question)
            sims = unit @ (unit[b] - unit[a] + unit[c])
            sims[[a, b, c]] = -np.inf
            answered += 1
            correct += int(np.argmax(sims) == d)
    assert answered > 0  # king/queen/man/woman/boy/girl make some questions answerable
    assert scores["analogy_coverage"] == pytest.approx(answered / 19544)
    assert scores["analogy_accuracy"] == pytest.approx(correct / answered)
    pairs = []
    with open(datapath("wordsim353.tsv")) as f:
        for line in f:
            fields = line.lower().split("\t")
            if not line.startswith("#") and fields[0] in index and fields[1] in index:
                cosine = unit[index[fields[0]]] @ unit[index[fields[1]]]
                pairs.append((cosine, float(fields[2])))
    assert len(pairs) >= 2
    expected = scipy.stats.spearmanr(*zip(*pairs, strict=True)).statistic
    assert scores["wordsim353_spearman"] == pytest.approx(expected, abs=1e-6)
