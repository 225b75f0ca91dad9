"""Loading, saving and evaluating word vectors held in gensim ``KeyedVectors``."""

# Authors: The sktext developers
# License: BSD 3 clause

import codecs
import gzip
import logging
import lzma
import math
import os
import re
import warnings
import zlib
from typing import NamedTuple

import numpy as np
from gensim import utils as gensim_utils
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

__all__ = ["VECTOR_FORMATS", "evaluate_embeddings", "load_vectors", "save_vectors"]

logger = logging.getLogger(__name__)

VECTOR_FORMATS = ("word2vec", "word2vec_binary", "glove")

# suffixes that gensim's opener (smart_open) decompresses on the fly
_COMPRESSED_SUFFIXES = (".bz2", ".gz", ".lz4", ".xz", ".zst")
# longest word accepted in a binary file: a longer one means the records are misread
_MAX_WORD_BYTES = 4096
# bytes read per step (text: lines of about this many bytes; binary: this many bytes)
_CHUNK_BYTES = 1 << 20
# bound on the bytes read to tell a text word2vec file from a binary one
_MAX_SNIFF_BYTES = 1 << 24
# bytes no text file holds in any ASCII-compatible encoding, but float32 values often do
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# bytes a binary word cannot hold: whitespace and control bytes
_NOT_IN_WORD = re.compile(rb"[\x00-\x20\x7f]")
# duplicate words named in the warning
_SHOWN_DUPLICATES = 5


def _check_format(format, *, allow_auto):
    allowed = (("auto",) if allow_auto else ()) + VECTOR_FORMATS
    if not isinstance(format, str) or format not in allowed:
        choices = ", ".join(repr(choice) for choice in allowed)
        raise ValueError(f"format must be one of {choices}; got {format!r}.")


def _is_float(token):
    try:
        float(token)
    except ValueError:
        return False
    return True


def _parse_header(line):
    """``(n_words, vector_size)`` if ``line`` (bytes) is a word2vec header, else None."""
    tokens = line.split()
    if len(tokens) == 2 and all(token.isdigit() for token in tokens):
        return int(tokens[0]), int(tokens[1])
    return None


def _show(word, encoding):
    """A word (bytes) for an error message, readable whatever its bytes."""
    return repr(word.decode(encoding, "backslashreplace"))


def _first_content_line(handle):
    """``(line_no, line, n_bytes)``: the first non-blank line and the bytes read up to its end.

    ``line`` is None when the file holds only blank lines.
    """
    line_no = n_bytes = 0
    while True:
        line = handle.readline()
        if not line:
            return line_no, None, n_bytes
        line_no += 1
        n_bytes += len(line)
        if line.strip():
            return line_no, line, n_bytes


def _text_or_binary(data, vector_size):
    """Whether the bytes after a word2vec header are text lines or binary records.

    A text record is a line ``word v1 ... v<vector_size>``; a binary one is ``word``, a
    space and ``4 * vector_size`` bytes of float32 values. float32 bytes nearly always
    hold control bytes that text never does, nor do they split into numbers.
    """
    data = data.lstrip(b"\r\n")
    if not data.strip():
        return "word2vec"  # nothing after the header: report it as a text file
    line = data.split(b"\n", 1)[0]
    tokens = line.split()
    values = tokens[1:]
    if values and all(_is_float(token) for token in values):
        if len(values) == vector_size:
            return "word2vec"
        # a ragged text line, or (very rarely) float32 bytes that spell numbers
        space = data.find(b" ")
        vector_bytes = data[space + 1 : space + 1 + 4 * vector_size]
        return "word2vec_binary" if _CONTROL_BYTES.search(vector_bytes) else "word2vec"
    if len(tokens) == vector_size + 1 and not _CONTROL_BYTES.search(line):
        return "word2vec"  # a text line with a value that is not a number
    return "word2vec_binary"


class _Sniffed(NamedTuple):
    format: str | None  # None: not recognised (or empty: first_line is None)
    first_line: bytes | None  # the first non-blank line
    line_no: int  # its line number
    data_offset: int  # bytes up to the end of that line
    header: tuple | None  # (n_words, vector_size) if it is a word2vec header


def _sniff(path):
    with gensim_utils.open(os.fspath(path), "rb") as handle:
        line_no, first_line, data_offset = _first_content_line(handle)
        if first_line is None:
            return _Sniffed(None, None, line_no, data_offset, None)
        header = _parse_header(first_line)
        if header is not None:
            vector_size = header[1]
            following = handle.read(min(_MAX_SNIFF_BYTES, 24 * vector_size + 2 * _MAX_WORD_BYTES))
            format = _text_or_binary(following, vector_size)
        else:
            tokens = first_line.split()
            is_glove = len(tokens) >= 2 and all(_is_float(token) for token in tokens[1:])
            format = "glove" if is_glove else None
    return _Sniffed(format, first_line, line_no, data_offset, header)


def _detect_format(path):
    """Tell a word2vec text, word2vec binary or GloVe file apart from its first bytes.

    word2vec files (text and binary) start with a ``"<n_words> <vector_size>"`` header;
    the first record after it is a text line ``word v1 ... vn`` or a word, a space and
    the raw float32 bytes of its vector. GloVe files have no header: their first line is
    a word and its values. None of this depends on the encoding of the words.
    """
    sniffed = _sniff(path)
    if sniffed.first_line is None:
        raise ValueError(f"{os.fspath(path)!r} is empty: it holds no vectors.")
    if sniffed.format is None:
        raise ValueError(
            f"Cannot tell the format of {os.fspath(path)!r}: its first line is neither a "
            "word2vec header ('<n_words> <vector_size>') nor a GloVe line ('<word> "
            f"<floats>'). Pass format= one of {', '.join(repr(f) for f in VECTOR_FORMATS)}."
        )
    return sniffed.format


class _Rows:
    """float32 rows appended chunk by chunk, into a preallocated array when the count is known."""

    def __init__(self, vector_size, capacity):
        self.vector_size = vector_size
        self.n_rows = 0
        self._out = None if capacity is None else np.empty((capacity, vector_size), np.float32)
        self._chunks = []

    def add(self, chunk):
        if self._out is not None:
            self._out[self.n_rows : self.n_rows + len(chunk)] = chunk
        else:
            self._chunks.append(chunk)
        self.n_rows += len(chunk)

    def array(self):
        if self._out is not None:
            return self._out[: self.n_rows]
        if not self._chunks:
            return np.empty((0, self.vector_size), np.float32)
        return np.concatenate(self._chunks) if len(self._chunks) > 1 else self._chunks[0]


def _check_finite(chunk, words, first_row, where, name, encoding):
    """Reject NaN and infinite values (also float32 overflows of huge text values)."""
    if np.isfinite(chunk).all():
        return
    row = int(np.argmin(np.isfinite(chunk).all(axis=1)))
    word = words[first_row + row]
    raise ValueError(
        f"{name!r}, {where(first_row + row)}: the vector of {_show(word, encoding)} holds NaN "
        "or infinite values (or values too large for float32); such a vector would spread "
        "NaN through any model using it."
    )


def _decode_words(words, where, name, encoding, unicode_errors):
    try:
        return [word.decode(encoding, unicode_errors) for word in words]
    except UnicodeDecodeError:
        pass
    for i, word in enumerate(words):
        try:
            word.decode(encoding, unicode_errors)
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"{name!r}, {where(i)}: the word {word!r} is not valid {encoding} ({exc.reason} "
                f"at byte {exc.start}). Pass the file's encoding (e.g. encoding='latin-1') or "
                "unicode_errors='replace' or 'ignore' to load_vectors (estimators' "
                "embeddings= also take the KeyedVectors it returns)."
            ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _read_text(path, name, *, vector_size, n_header, max_rows, capacity, encoding, note=""):
    """Read ``word v1 ... vn`` lines (after the header when ``n_header`` is not None).

    Returns the words (bytes), the line number of each and the rows; ``vector_size`` None
    (GloVe) takes it from the first line.
    """
    words, line_numbers = [], []
    line_no = 0
    rows = None
    with gensim_utils.open(os.fspath(path), "rb") as handle:
        if n_header is not None:
            line_no, _, _ = _first_content_line(handle)
        size_from = "the header" if n_header is not None else None
        while len(words) < max_rows:
            lines = handle.readlines(_CHUNK_BYTES)
            if not lines:
                break
            if vector_size is None:  # GloVe: the first non-blank line sets the size
                first = next((i for i, line in enumerate(lines) if line.strip()), None)
                if first is None:
                    line_no += len(lines)
                    continue
                vector_size = len(lines[first].split()) - 1
                size_from = f"line {line_no + first + 1}"
                if vector_size < 1:
                    raise ValueError(
                        f"{name!r}, line {line_no + first + 1}: the word "
                        f"{_show(lines[first].split()[0], encoding)} has no values."
                    )
            if rows is None:
                rows = _Rows(vector_size, capacity)
            first_row = len(words)
            room = max_rows - first_row
            n_tokens = vector_size + 1
            values = []
            add_values, add_word, add_line = values.extend, words.append, line_numbers.append
            for i, line in enumerate(lines):
                tokens = line.split()
                if len(tokens) != n_tokens:
                    if not tokens:
                        continue  # blank lines hold nothing; skipped
                    spaces = " (or the word contains spaces)" if len(tokens) > n_tokens else ""
                    raise ValueError(
                        f"{name!r}, line {line_no + i + 1}: the vector of "
                        f"{_show(tokens[0], encoding)} has {len(tokens) - 1} values{spaces}; "
                        f"{size_from} says {vector_size}."
                    )
                try:
                    add_values(map(float, tokens[1:]))
                except ValueError:
                    bad = next(token for token in tokens[1:] if not _is_float(token))
                    raise ValueError(
                        f"{name!r}, line {line_no + i + 1}: {_show(bad, encoding)} in the "
                        f"vector of {_show(tokens[0], encoding)} is not a number."
                    ) from None
                add_word(tokens[0])
                add_line(line_no + i + 1)
                if len(words) - first_row == room:
                    extra = any(line.strip() for line in lines[i + 1 :])
                    break
            else:
                extra = False
            line_no += len(lines)
            with np.errstate(over="ignore"):
                chunk = np.array(values, dtype=np.float32).reshape(-1, vector_size)
            _check_finite(
                chunk, words, first_row, lambda r: f"line {line_numbers[r]}", name, encoding
            )
            rows.add(chunk)
        else:
            # every wanted row read: does the file hold more than its header says?
            if n_header is not None and max_rows == n_header:
                extra = extra or any(line.strip() for line in handle.readlines(_CHUNK_BYTES))
                if extra:
                    warnings.warn(
                        f"{name!r} holds more lines than the {n_header} vectors its header "
                        "announces; they were not read. Is the count in the header "
                        "wrong?",
                        UserWarning,
                        stacklevel=4,
                    )
    if n_header is not None and len(words) < max_rows:
        raise ValueError(
            f"{name!r} is truncated: its header says {n_header} vectors, but the "
            f"file ends after {len(words)} (line {line_no}).{note}"
        )
    if rows is None:
        raise ValueError(f"{name!r} is empty: it holds no vectors.")
    return words, line_numbers, rows.array()


def _read_binary(path, name, *, vector_size, n_header, max_rows, capacity, encoding, note=""):
    """Read binary records ``word<space><4 * vector_size bytes>[\\n]`` after the header."""
    record_bytes = 4 * vector_size
    rows = _Rows(vector_size, capacity)
    words, slices = [], []
    newline = None  # whether vectors are followed by "\n", as record 1's
    buffer, pos, eof = b"", 0, False

    def where(row):
        return f"record {row + 1}"

    def flush():
        if slices:
            chunk = np.frombuffer(b"".join(slices), dtype=np.float32).reshape(-1, vector_size)
            first_row = len(words) - len(slices)
            _check_finite(chunk, words, first_row, where, name, encoding)
            rows.add(chunk)
            slices.clear()

    def fail(problem):
        record = len(words) + 1
        raise ValueError(f"{name!r}, record {record} (of {n_header}): {problem}")

    with gensim_utils.open(os.fspath(path), "rb") as handle:
        _first_content_line(handle)  # the header
        while len(words) < max_rows:
            space = buffer.find(b" ", pos, pos + _MAX_WORD_BYTES + 1)
            if space < 0 and len(buffer) - pos > _MAX_WORD_BYTES:
                fail(
                    f"no word followed by a space in the next {_MAX_WORD_BYTES} bytes; the "
                    f"vector size in the header ({vector_size}) may be wrong, or the file "
                    "damaged or not a word2vec binary file."
                )
            if (space < 0 or space + 2 + record_bytes > len(buffer)) and not eof:
                flush()
                # grow by doubling, never by what the header asks: an absurd vector
                # size then allocates no more than the file holds
                more = handle.read(max(_CHUNK_BYTES, len(buffer) - pos))
                buffer, pos, eof = buffer[pos:] + more, 0, not more
                continue
            if space < 0:  # end of file
                if not buffer[pos:].strip():
                    break
                fail(
                    f"cut short: the file ends inside the word {_show(buffer[pos:], encoding)}; "
                    f"it is truncated, or the vector size in the header ({vector_size}) is wrong."
                )
            word = buffer[pos:space]
            if not word or _NOT_IN_WORD.search(word):
                fail(
                    f"{_show(word, encoding)} is not a word (empty, or holding whitespace or "
                    f"control bytes); the vector size in the header ({vector_size}) may be "
                    "wrong, or the file damaged."
                )
            end = space + 1 + record_bytes
            if end > len(buffer):
                fail(
                    f"cut short: the vector of {_show(word, encoding)} needs {record_bytes} "
                    f"bytes, the file ends after {len(buffer) - space - 1}; it is truncated, or "
                    f"the vector size in the header ({vector_size}) is wrong."
                )
            words.append(word)
            slices.append(buffer[space + 1 : end])
            pos = end
            if end < len(buffer):
                ends_line = buffer[end] == 0x0A
                if newline is None:
                    newline = ends_line
                elif ends_line != newline:
                    words.pop()
                    slices.pop()
                    fail(
                        f"the vector of {_show(word, encoding)} is "
                        f"{'not ' if newline else ''}followed by a newline, unlike record 1's; "
                        f"the vector size in the header ({vector_size}) may be wrong, or the "
                        "file damaged."
                    )
                pos += ends_line
        flush()
        if len(words) == max_rows == n_header:
            rest = buffer[pos:] + (b"" if eof else handle.read(_MAX_WORD_BYTES))
            if rest.strip():
                warnings.warn(
                    f"{name!r} holds more bytes after the {n_header} records its header "
                    "announces; they were not read. Is the count in the header wrong?",
                    UserWarning,
                    stacklevel=4,
                )
    if len(words) < max_rows:
        raise ValueError(
            f"{name!r} is truncated: its header says {n_header} vectors, but the file ends "
            f"after {len(words)} records.{note}"
        )
    return words, [i + 1 for i in range(len(words))], rows.array()


def _keyed_vectors(words, line_numbers, vectors, *, where, name):
    """A KeyedVectors of the first vector of each word; duplicates are reported."""
    key_to_index, duplicates = {}, []
    for i, word in enumerate(words):
        if word in key_to_index:
            duplicates.append(i)
        else:
            key_to_index[word] = len(key_to_index)
    if duplicates:
        keep = np.ones(len(words), dtype=bool)
        keep[duplicates] = False
        vectors = vectors[keep]
        shown = ", ".join(
            f"{words[i]!r} ({where} {line_numbers[i]}, first on {where} "
            f"{line_numbers[words.index(words[i])]})"
            for i in duplicates[:_SHOWN_DUPLICATES]
        )
        n_more = len(duplicates) - _SHOWN_DUPLICATES
        more = f" and {n_more} more" if n_more > 0 else ""
        warnings.warn(
            f"{name!r} holds {len(duplicates)} duplicate word(s): {shown}{more}. The first "
            "vector of each word is kept, the later ones are ignored.",
            UserWarning,
            stacklevel=4,
        )
    kv = KeyedVectors(vectors.shape[1], count=0, dtype=np.float32)
    kv.index_to_key = list(key_to_index)
    kv.key_to_index = key_to_index
    kv.next_index = len(key_to_index)
    kv.vectors = np.ascontiguousarray(vectors)
    # bogus decreasing counts in file order, as gensim's load_word2vec_format sets them
    kv.allocate_vecattrs(attrs=["count"], types=[np.int64])
    kv.expandos["count"][:] = np.arange(len(kv), 0, -1)
    return kv


def _check_encoding(encoding, unicode_errors):
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise ValueError(f"encoding must be a known text encoding; got {encoding!r}.") from None
    sample = " 0.5e-1\n"
    try:
        encoded = sample.encode(encoding)
    except (LookupError, UnicodeError, TypeError):  # e.g. "rot13", not a text encoding
        encoded = None
    if encoded != sample.encode("ascii"):
        raise ValueError(
            "encoding must be ASCII-compatible (utf8, latin-1, cp1252, ...): the numbers and "
            f"separators of vector files are ASCII; got {encoding!r}."
        )
    try:
        codecs.lookup_error(unicode_errors)
    except (LookupError, TypeError):
        raise ValueError(
            "unicode_errors must be an error handler of bytes.decode ('strict', 'replace', "
            f"'ignore', ...); got {unicode_errors!r}."
        ) from None


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
        them apart from the structure of the file's beginning (see Notes).
    limit : int, default=None
        Read only the first ``limit`` vectors (files are usually sorted by decreasing
        frequency); ``None`` reads all.
    encoding : str, default="utf8"
        Encoding of the words, in every format (the words of binary files are encoded
        text too). It must be ASCII-compatible (``"utf8"``, ``"latin-1"``,
        ``"cp1252"``, ...).
    unicode_errors : str, default="strict"
        How to treat bytes of a word that ``encoding`` cannot decode: ``"strict"`` raises
        an error naming the line; ``"replace"`` or ``"ignore"`` help with files of the C
        tool that cut multi-byte characters.

    Returns
    -------
    wv : gensim.models.KeyedVectors
        The vectors (float32), in file order.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If a parameter is invalid, ``"auto"`` cannot recognise the file, or the file is
        malformed. The message names the file, the line (text formats) or the record
        (binary format) and the problem: an empty file; a missing or invalid header; a
        header announcing more vectors than the file's size can hold (checked before
        anything is allocated); a truncated file (fewer vectors than the header says, or
        a binary record cut short); a vector whose number of values differs from the
        header's size (GloVe: from the first line's); a value that is not a number; a
        NaN or infinite value; a word that ``encoding`` cannot decode under
        ``unicode_errors="strict"``; a compressed file that cannot be decompressed.

    Warns
    -----
    UserWarning
        If the file holds duplicate words (the warning gives their number and the first
        few, with their lines), data after the vectors its header announces, or if an
        explicit ``format`` differs from what ``"auto"`` would have chosen.

    See Also
    --------
    save_vectors : Write vectors in the same formats.

    Notes
    -----
    Format detection does not depend on the encoding. A first line of two integers is a
    word2vec header ``"<n_words> <vector_size>"``; what follows is read as text when its
    first line is a word followed by numbers (and as binary when those "numbers" are in
    fact float32 bytes, which nearly always contain control characters that text files
    never hold), as binary otherwise. A first line made of a word and numbers is a GloVe
    line. A GloVe file whose first word is an integer and whose vectors have a single
    value looks like a word2vec header: pass ``format="glove"`` for it.

    Duplicate words: as gensim's ``load_word2vec_format``, the first vector of a word is
    kept and later ones are ignored (with a warning). ``limit`` counts the vectors read,
    duplicates included. Blank lines of text files are skipped.

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
    _check_encoding(encoding, unicode_errors)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such vector file: {os.fspath(path)!r}.")
    name = os.fspath(path)
    compressed = name.lower().endswith(_COMPRESSED_SUFFIXES)
    try:
        return _load(path, name, format, limit, encoding, unicode_errors, compressed)
    except (EOFError, zlib.error, lzma.LZMAError, gzip.BadGzipFile, OSError) as exc:
        # gzip, bz2 (a bare OSError) and lzma errors; not PermissionError and the like
        decompression_error = not isinstance(exc, OSError) or type(exc) in (
            OSError,
            gzip.BadGzipFile,
        )
        if not (compressed and decompression_error):
            raise
        raise ValueError(f"{name!r} cannot be decompressed (damaged or truncated?): {exc}") from exc


def _load(path, name, format, limit, encoding, unicode_errors, compressed):
    sniffed = _sniff(path)
    if sniffed.first_line is None:
        raise ValueError(f"{name!r} is empty: it holds no vectors.")
    if format == "auto":
        format = _detect_format(path) if sniffed.format is None else sniffed.format
    elif sniffed.format is not None and sniffed.format != format:
        warnings.warn(
            f"{name!r} is read as format={format!r}, as asked, but it looks like "
            f"{sniffed.format!r}.",
            UserWarning,
            stacklevel=3,
        )
    max_rows = math.inf if limit is None else int(limit)
    if format == "glove":
        words, line_numbers, vectors = _read_text(
            path,
            name,
            vector_size=None,
            n_header=None,
            max_rows=max_rows,
            capacity=None,
            encoding=encoding,
        )
        where = "line"
    else:
        if sniffed.header is None:
            raise ValueError(
                f"{name!r}, line {sniffed.line_no}: a {format!r} file starts with a header "
                f"'<n_words> <vector_size>'; this line begins "
                f"{_show(sniffed.first_line[:60].strip(), encoding)}. A file without header "
                "is read with format='glove'."
            )
        n_words, vector_size = sniffed.header
        if n_words == 0 or vector_size == 0:
            raise ValueError(
                f"{name!r}, line {sniffed.line_no}: the header says {n_words} vectors of size "
                f"{vector_size}: the file holds no vectors."
            )
        max_rows = min(n_words, max_rows)
        binary = format == "word2vec_binary"
        capacity, note = None, ""
        if not compressed:
            # preallocate only what the file can hold, so that an absurd count in the
            # header allocates nothing; the smallest record is a 1-byte word, then a
            # separator and at least 1 byte per value (text) or 4 (binary), then a newline
            smallest = (4 * vector_size + 2) if binary else (2 * vector_size + 2)
            available = os.path.getsize(path) - sniffed.data_offset
            most = (available + 1) // smallest
            if max_rows <= most:
                capacity = max_rows
            else:
                note = (
                    f" Its {available} bytes after the header could hold at most {most} "
                    f"vector(s) of size {vector_size}."
                )
        read = _read_binary if binary else _read_text
        words, line_numbers, vectors = read(
            path,
            name,
            vector_size=vector_size,
            n_header=n_words,
            max_rows=max_rows,
            capacity=capacity,
            encoding=encoding,
            note=note,
        )
        where = "record" if binary else "line"
    words = _decode_words(
        words, lambda i: f"{where} {line_numbers[i]}", name, encoding, unicode_errors
    )
    kv = _keyed_vectors(words, line_numbers, vectors, where=where, name=name)
    logger.info("loaded %d vectors of size %d from %s (%s)", len(kv), kv.vector_size, name, format)
    return kv


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
