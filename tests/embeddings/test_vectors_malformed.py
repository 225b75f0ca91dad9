"""load_vectors on malformed, truncated and non-UTF-8 vector files: clear errors or right keys."""

import bz2
import gzip
import re
import warnings

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.exceptions import ConvergenceWarning

from sktext import TextCNNClassifier
from sktext.embeddings import load_vectors
from sktext.embeddings._vectors import _detect_format
from sktext.utils._testing import make_sentiment_corpus

LATIN1_WORDS = ["great", "café", "naïve", "élan"]
LATIN1_VECTORS = np.array(
    [[0.5, -0.25, 1.0], [0.125, 2.0, -1.5], [-0.75, 0.0, 0.25], [1.25, 0.5, -0.5]],
    dtype=np.float32,
)


def _text_lines(words, vectors):
    return "".join(
        f"{w} {' '.join(map(str, v.tolist()))}\n" for w, v in zip(words, vectors, strict=True)
    )


def _binary_records(words, vectors, encoding="utf8"):
    return b"".join(
        w.encode(encoding) + b" " + np.asarray(v, np.float32).tobytes() + b"\n"
        for w, v in zip(words, vectors, strict=True)
    )


def _latin1_file(tmp_path, format):
    n, dim = LATIN1_VECTORS.shape
    if format == "word2vec_binary":
        data = f"{n} {dim}\n".encode() + _binary_records(LATIN1_WORDS, LATIN1_VECTORS, "latin-1")
    else:
        header = f"{n} {dim}\n" if format == "word2vec" else ""
        data = (header + _text_lines(LATIN1_WORDS, LATIN1_VECTORS)).encode("latin-1")
    path = tmp_path / f"latin1.{format}"
    path.write_bytes(data)
    return path


def _in(path):
    """A regex matching the file's name in a message."""
    return re.escape(repr(str(path)))


# ------------------------------------------------------------------ encodings, detection
@pytest.mark.parametrize("format", ["word2vec", "word2vec_binary", "glove"])
def test_latin1_words_load_with_their_encoding(tmp_path, format):
    # the original code took the latin-1 text file for a binary one: keys 'great', '572', ...
    path = _latin1_file(tmp_path, format)
    assert _detect_format(path) == format
    for fmt in ("auto", format):
        wv = load_vectors(path, format=fmt, encoding="latin-1")
        assert wv.index_to_key == LATIN1_WORDS
        np.testing.assert_array_equal(wv.vectors, LATIN1_VECTORS)
        np.testing.assert_array_equal(wv["café"], LATIN1_VECTORS[1])


@pytest.mark.parametrize("format", ["word2vec", "word2vec_binary", "glove"])
def test_undecodable_word_names_its_line_and_the_remedy(tmp_path, format):
    path = _latin1_file(tmp_path, format)
    where = {"word2vec": "line 3", "word2vec_binary": "record 2", "glove": "line 2"}[format]
    with pytest.raises(ValueError, match=_in(path) + f", {where}: the word b'caf\\\\xe9' is not"):
        load_vectors(path)
    with pytest.raises(ValueError, match="encoding=.*unicode_errors="):
        load_vectors(path)
    replaced = load_vectors(path, unicode_errors="replace")
    assert replaced.index_to_key == ["great", "caf\ufffd", "na\ufffdve", "\ufffdlan"]


def test_a_non_ascii_first_word_does_not_hide_the_format(tmp_path):
    # the first line is 'café 0.125 2.0 -1.5' in latin-1: the original code could not tell
    # the format, even with encoding="latin-1"
    path = tmp_path / "first.glove.txt"
    path.write_bytes(_text_lines(LATIN1_WORDS[1:], LATIN1_VECTORS[1:]).encode("latin-1"))
    wv = load_vectors(path, encoding="latin-1")
    assert wv.index_to_key == LATIN1_WORDS[1:]
    np.testing.assert_array_equal(wv.vectors, LATIN1_VECTORS[1:])


def test_binary_vectors_of_ascii_bytes_are_still_binary(tmp_path):
    # float32 bytes of 0.0 and 2.0 (00 00 00 00, 00 00 00 40) decode as UTF-8: the original
    # code read this binary file as text and failed
    vectors = np.array([[0.0, 2.0, 0.0], [2.0, 0.0, 0.0]], dtype=np.float32)
    path = tmp_path / "ascii.bin"
    path.write_bytes(b"2 3\n" + _binary_records(["cat", "dog"], vectors))
    assert _detect_format(path) == "word2vec_binary"
    wv = load_vectors(path)
    assert wv.index_to_key == ["cat", "dog"]
    np.testing.assert_array_equal(wv.vectors, vectors)


def test_explicit_format_is_respected_with_a_warning(tmp_path):
    # a word2vec file of 1-d vectors is also a valid GloVe file whose header "2 1" is a vector
    path = tmp_path / "one_d.txt"
    path.write_text("2 1\ncat 0.5\ndog 1.5\n")
    assert load_vectors(path).index_to_key == ["cat", "dog"]
    with pytest.warns(UserWarning, match=_in(path) + r" is read as format='glove'.*'word2vec'"):
        wv = load_vectors(path, format="glove")
    assert wv.index_to_key == ["2", "cat", "dog"]
    np.testing.assert_array_equal(wv.vectors, [[1.0], [0.5], [1.5]])


# ------------------------------------------------------------------ truncated files
def test_truncated_text_file(tmp_path):
    path = tmp_path / "truncated.txt"
    path.write_text("5 2\na 1 2\nb 3 4\nc 5 6\n")
    message = _in(path) + " is truncated: its header says 5 vectors, but the file ends after 3"
    with pytest.raises(ValueError, match=message):
        load_vectors(path)
    assert load_vectors(path, limit=3).index_to_key == ["a", "b", "c"]  # within the file


def test_header_only_file_is_truncated(tmp_path):
    path = tmp_path / "header_only.txt"
    path.write_text("3 100\n")
    with pytest.raises(ValueError, match=_in(path) + " is truncated: .* ends after 0"):
        load_vectors(path)


def test_binary_record_cut_short(tmp_path):
    vectors = np.arange(9, dtype=np.float32).reshape(3, 3) + 1
    path = tmp_path / "cut.bin"
    path.write_bytes((b"3 3\n" + _binary_records(["a", "b", "c"], vectors))[:-6])
    message = (
        _in(path) + r", record 3 \(of 3\): cut short: the vector of 'c' needs 12 bytes, "
        "the file ends after 7"
    )
    with pytest.raises(ValueError, match=message):
        load_vectors(path)
    assert load_vectors(path, limit=2).index_to_key == ["a", "b"]


def test_binary_file_with_fewer_records_than_its_header(tmp_path):
    path = tmp_path / "short.bin"
    path.write_bytes(b"4 2\n" + _binary_records(["a", "b"], np.ones((2, 2))))
    with pytest.raises(ValueError, match=_in(path) + " is truncated: .*says 4 .*after 2 records"):
        load_vectors(path)


def test_truncated_compressed_file(tmp_path):
    data = b"3 2\na 1 2\nb 3 4\nc 5 6\n"
    for suffix, compress in ((".gz", gzip.compress), (".bz2", bz2.compress)):
        path = tmp_path / f"vectors.txt{suffix}"
        path.write_bytes(compress(data)[:-10])
        with pytest.raises(ValueError, match=_in(path) + " cannot be decompressed"):
            load_vectors(path)


# ------------------------------------------------------------- header, sizes, values
def test_absurd_header_count_allocates_nothing(tmp_path):
    # 10**12 vectors of size 300 would need 1.2 TB: the original code died in MemoryError
    path = tmp_path / "absurd.txt"
    path.write_text("1000000000000 300\na " + " ".join(["0.5"] * 300) + "\n")
    message = (
        _in(path) + " is truncated: its header says 1000000000000 vectors, but the file ends "
        r"after 1 \(line 2\)\. Its 1202 bytes after the header could hold at most 1 vector"
    )
    with pytest.raises(ValueError, match=message):
        load_vectors(path)
    assert load_vectors(path, limit=1).index_to_key == ["a"]


def test_absurd_header_vector_size_in_binary_file(tmp_path):
    path = tmp_path / "absurd.bin"
    path.write_bytes(b"2 1000000000000\n" + _binary_records(["a", "b"], np.ones((2, 3))))
    with pytest.raises(ValueError, match=_in(path) + r", record 1 \(of 2\): cut short"):
        load_vectors(path)


def test_ragged_line_in_word2vec_text(tmp_path):
    path = tmp_path / "ragged.txt"
    path.write_text("3 4\na 1 2 3 4\nb 1 2 3 4\nc 1 2\n")
    message = _in(path) + ", line 4: the vector of 'c' has 2 values; the header says 4"
    with pytest.raises(ValueError, match=message):
        load_vectors(path)


def test_ragged_line_in_glove(tmp_path):
    path = tmp_path / "ragged.glove.txt"
    path.write_text("a 1 2 3\nb 4 5 6\nc 7 8\nd 9 10 11\n")
    with pytest.raises(ValueError, match=_in(path) + ", line 3: .*'c' has 2 values; line 1 says 3"):
        load_vectors(path)


def test_header_vector_size_wrong_in_binary_file(tmp_path):
    # records hold 4 values, the header says 2: the reader loses its way at record 2
    path = tmp_path / "wrong_size.bin"
    vectors = np.arange(12, dtype=np.float32).reshape(3, 4) + 1
    path.write_bytes(b"3 2\n" + _binary_records(["a", "b", "c"], vectors))
    message = _in(path) + r", record 2 \(of 3\): .*the vector size in the header \(2\)"
    with pytest.raises(ValueError, match=message):
        load_vectors(path)


@pytest.mark.parametrize("value", ["abc", "1,5", "0x10"])
def test_value_that_is_not_a_number(tmp_path, value):
    path = tmp_path / "words.txt"
    path.write_text(f"2 3\na 1 2 3\nb 1 {value} 3\n")
    message = _in(path) + f", line 3: '{value}' in the vector of 'b' is not a number"
    with pytest.raises(ValueError, match=message):
        load_vectors(path)


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_text(content)
    with pytest.raises(ValueError, match=_in(path) + " is empty: it holds no vectors"):
        load_vectors(path)


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "1e39"])
def test_non_finite_text_vector(tmp_path, bad):
    path = tmp_path / "nan.glove.txt"
    path.write_text(f"a 1 2\nb 3 4\ncafé 5 {bad}\n")
    message = _in(path) + ", line 3: the vector of 'café' holds NaN or infinite values"
    with pytest.raises(ValueError, match=message):
        load_vectors(path)


def test_non_finite_binary_vector(tmp_path):
    path = tmp_path / "nan.bin"
    vectors = np.array([[1, 2], [3, np.nan]], dtype=np.float32)
    path.write_bytes(b"2 2\n" + _binary_records(["a", "b"], vectors))
    with pytest.raises(ValueError, match=_in(path) + ", record 2: the vector of 'b' holds NaN"):
        load_vectors(path)


# ------------------------------------------------------------------ duplicates, extras
@pytest.mark.parametrize("format", ["word2vec", "word2vec_binary", "glove"])
def test_duplicate_words_warn_and_the_first_vector_wins(tmp_path, format):
    words = ["a", "b", "a", "c", "b", "a"] + [f"w{i}" for i in range(6)] * 2
    vectors = np.arange(2 * len(words), dtype=np.float32).reshape(-1, 2)
    header = f"{len(words)} 2\n".encode()
    if format == "word2vec_binary":
        data = header + _binary_records(words, vectors)
    else:
        data = (header if format == "word2vec" else b"") + _text_lines(words, vectors).encode()
    path = tmp_path / "duplicates"
    path.write_bytes(data)
    where = "record" if format == "word2vec_binary" else "line"
    offset = 1 if format == "word2vec" else 0  # the header is line 1
    first = f"'a' \\({where} {3 + offset}, first on {where} {1 + offset}\\)"
    message = _in(path) + f" holds 9 duplicate word\\(s\\): {first}, 'b' .* and 4 more\\. The first"
    with pytest.warns(UserWarning, match=message):
        wv = load_vectors(path, format=format)
    assert wv.index_to_key == ["a", "b", "c"] + [f"w{i}" for i in range(6)]
    np.testing.assert_array_equal(wv["a"], vectors[0])
    np.testing.assert_array_equal(wv["b"], vectors[1])
    np.testing.assert_array_equal(wv["w0"], vectors[6])
    np.testing.assert_array_equal(wv.vectors[3:], vectors[6:12])


def test_lines_beyond_the_header_count_warn(tmp_path):
    path = tmp_path / "extra.txt"
    path.write_text("2 2\na 1 2\nb 3 4\nc 5 6\n")
    with pytest.warns(UserWarning, match=_in(path) + " holds more lines than the 2 vectors"):
        wv = load_vectors(path)
    assert wv.index_to_key == ["a", "b"]


def test_limit_stops_before_a_malformed_line(tmp_path):
    path = tmp_path / "limit.glove.txt"
    path.write_text("a 1 2\nb 3 4\nc 5\nd 7 8\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wv = load_vectors(path, limit=2)
    assert wv.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(wv.vectors, [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="line 3"):
        load_vectors(path, limit=3)


def test_parameter_errors(tmp_path):
    path = _latin1_file(tmp_path, "glove")
    with pytest.raises(ValueError, match="encoding must be ASCII-compatible.*'utf-16'"):
        load_vectors(path, encoding="utf-16")
    with pytest.raises(ValueError, match="encoding must be a known text encoding"):
        load_vectors(path, encoding="no-such-codec")
    with pytest.raises(ValueError, match="unicode_errors must be an error handler"):
        load_vectors(path, unicode_errors="skip")


def test_word2vec_format_without_header(tmp_path):
    path = _latin1_file(tmp_path, "glove")
    with (
        pytest.warns(UserWarning, match="as asked, but it looks like 'glove'"),
        pytest.raises(ValueError, match=_in(path) + ", line 1: a 'word2vec' file starts with a"),
    ):
        load_vectors(path, format="word2vec", encoding="latin-1")


# ---------------------------------------------------------------------------- end to end
def test_text_cnn_with_a_latin1_vectors_file(tmp_path):
    docs, labels = make_sentiment_corpus(120, max_neutral=6)
    docs = [doc.replace("great", "café") for doc in docs]  # a non-ASCII sentiment word
    rng = np.random.default_rng(0)
    words = ["café", "naïve", "awful", "boring", "film", "the", "superb"]
    vectors = rng.normal(size=(len(words), 8)).astype(np.float32)
    path = tmp_path / "latin1.vectors.txt"
    path.write_bytes((f"{len(words)} 8\n" + _text_lines(words, vectors)).encode("latin-1"))

    def fit(embeddings):
        clf = TextCNNClassifier(
            embeddings=embeddings,
            num_filters=4,
            filter_sizes=(2,),
            max_iter=2,
            early_stopping=False,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.filterwarnings("ignore", message=".*pretrained vectors for")  # coverage
            return clf.fit(docs, labels)

    # the path alone is read as UTF-8: a clear error instead of training on garbage keys
    with pytest.raises(ValueError, match=_in(path) + ", line 2: .*encoding="):
        fit(path)
    loaded = load_vectors(path, encoding="latin-1")
    in_memory = KeyedVectors(vector_size=8)
    in_memory.add_vectors(words, vectors)
    from_file, reference = fit(loaded), fit(in_memory)
    assert from_file.embedding_coverage_ == reference.embedding_coverage_ > 0
    np.testing.assert_array_equal(from_file.predict_proba(docs), reference.predict_proba(docs))
