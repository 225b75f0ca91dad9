"""Loading pretrained models and tokenizing with them (sktext/utils/_transformers.py).

Model folders that transformers loads without an error but that give wrong results (issue
21): a folder without tokenizer files, a config.json that does not describe the weights,
a truncated weights file. Every estimator built on a pretrained model must refuse them
with a message naming the folder.
"""

import contextlib
import json
import os
import shutil

import pytest

transformers = pytest.importorskip("transformers")

from sktext import TransformerClassifier, TransformerRegressor  # noqa: E402
from sktext.datasets import get_model_path  # noqa: E402
from sktext.embeddings import SentenceEncoder  # noqa: E402
from sktext.utils._testing import make_topic_corpus, tiny_transformer_path  # noqa: E402
from sktext.utils._transformers import (  # noqa: E402
    load_pretrained_encoder,
    load_pretrained_tokenizer,
)

DOCS, LABELS = make_topic_corpus(20)
TOPIC = [float(label == "space") for label in LABELS]

FAST = dict(max_iter=1, batch_size=8)
ESTIMATORS = {
    "classifier": lambda path: TransformerClassifier(model=path, **FAST).fit(DOCS, LABELS),
    "regressor": lambda path: TransformerRegressor(model=path, **FAST).fit(DOCS, TOPIC),
    "sentence_encoder": lambda path: SentenceEncoder(model=path).fit(DOCS),
}


def _copy(source, dest, files):
    """A model folder holding ``files`` of ``source`` (weights linked, not copied)."""
    os.makedirs(dest)
    for name in files:
        if name.endswith(".safetensors"):
            os.symlink(os.path.join(source, name), os.path.join(dest, name))
        else:
            shutil.copy(os.path.join(source, name), os.path.join(dest, name))
    return str(dest)


def _model_only(source, dest):
    """What ``model.save_pretrained(dest)`` alone writes: config and weights."""
    return _copy(source, dest, ["config.json", "model.safetensors"])


def _edit_config(dest, edit):
    path = _copy(tiny_transformer_path(), dest, os.listdir(tiny_transformer_path()))
    config_file = os.path.join(path, "config.json")
    with open(config_file) as f:
        config = json.load(f)
    edit(config)
    with open(config_file, "w") as f:
        json.dump(config, f)
    return path


def _gpt2_config(config):
    config.clear()
    config.update(transformers.GPT2Config(n_embd=16, n_layer=2, n_head=2).to_dict())


def _truncated_weights(dest):
    path = _copy(tiny_transformer_path(), dest, [])
    for name in os.listdir(tiny_transformer_path()):
        with open(os.path.join(tiny_transformer_path(), name), "rb") as f:
            data = f.read()
        if name == "model.safetensors":
            data = data[: len(data) // 2]  # an interrupted download
        with open(os.path.join(path, name), "wb") as f:
            f.write(data)
    return path


FAULTY_FOLDERS = {
    # every word read as [UNK] by a 5-token tokenizer
    "no_tokenizer_files": (
        lambda dest: _model_only(tiny_transformer_path(), dest),
        r"knows only its 5 special tokens.*tokenizer.save_pretrained",
    ),
    # a randomly initialised GPT-2 trained in place of the BERT of the weights file
    "config_of_another_model": (
        lambda dest: _edit_config(dest, _gpt2_config),
        r"do not fit the GPT2Model its config.json describes.*missing from the weights "
        r"file.*config.json may not match the weights",
    ),
    # transformers: "You set `ignore_mismatched_sizes` to `False`... look at the above report!"
    "config_with_other_sizes": (
        lambda dest: _edit_config(dest, lambda c: c.update(intermediate_size=64)),
        r"have another shape in the weights file than in config.json: "
        r"encoder.layer.0.intermediate.dense.bias \(file: \(32,\), config: \(64,\)\)",
    ),
    "config_with_more_layers": (
        lambda dest: _edit_config(dest, lambda c: c.update(num_hidden_layers=3)),
        r"16 weight\(s\) are missing from the weights file: encoder.layer.2",
    ),
    # safetensors' "Error while deserializing header" used to come without the folder
    "truncated_weights": (
        _truncated_weights,
        r"could not load a pretrained encoder from the local directory .*weights file "
        r"\(\*.safetensors\) is unreadable, perhaps truncated",
    ),
}


@pytest.mark.parametrize("estimator", sorted(ESTIMATORS))
@pytest.mark.parametrize("fault", sorted(FAULTY_FOLDERS))
def test_faulty_model_folders_are_refused_naming_the_folder(tmp_path, fault, estimator):
    make_folder, message = FAULTY_FOLDERS[fault]
    path = make_folder(tmp_path / "model")
    with pytest.raises(ValueError, match=message) as info:
        ESTIMATORS[estimator](path)
    assert repr(path) in str(info.value)


def test_minilm_without_its_tokenizer_files_is_refused(tmp_path):
    # the shipped model, saved as model.save_pretrained alone would: it used to encode
    # every document as [CLS] [UNK] ... [SEP]
    path = _model_only(get_model_path("all-MiniLM-L6-v2"), tmp_path / "minilm")
    with pytest.raises(ValueError, match="knows only its 5 special tokens"):
        SentenceEncoder(model=path).fit(DOCS)


def test_sound_folders_load_without_complaint():
    for path in (tiny_transformer_path(), get_model_path("all-MiniLM-L6-v2")):
        vocabulary = load_pretrained_tokenizer(path).get_vocab()
        encoder = load_pretrained_encoder(path)
        assert len(vocabulary) > 5
        assert encoder.get_input_embeddings().num_embeddings == len(vocabulary)


def test_a_checkpoint_without_the_unused_pooler_loads(tmp_path):
    # BERT-like poolers feed pooler_output only, which sktext never reads: checkpoints
    # saved without them (many are) must load
    from safetensors.torch import load_file, save_file

    path = _copy(tiny_transformer_path(), tmp_path / "no_pooler", ["config.json"])
    for name in os.listdir(tiny_transformer_path()):
        if name.startswith("tokenizer"):
            shutil.copy(os.path.join(tiny_transformer_path(), name), os.path.join(path, name))
    weights = load_file(os.path.join(tiny_transformer_path(), "model.safetensors"))
    assert any(k.startswith("pooler.") for k in weights)
    kept = {k: v for k, v in weights.items() if not k.startswith("pooler.")}
    save_file(kept, os.path.join(path, "model.safetensors"), metadata={"format": "pt"})
    encoder = load_pretrained_encoder(path)
    state = encoder.state_dict()
    for name, value in kept.items():
        assert (state[name] == value).all(), name


# ------------------------------------------------------------------ tokenizing long texts
class SpyTokenizer:
    """A tokenizer that records the longest text it was given."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.longest = 0

    def __call__(self, texts, **kwargs):
        self.longest = max([self.longest, *map(len, texts)])
        return self.tokenizer(texts, **kwargs)

    def __getattr__(self, name):
        return getattr(self.tokenizer, name)


def _whole_text_tokenization(tokenizer, texts, max_length):
    """Each text tokenized whole, then truncated (what encode_texts did before issue 21)."""
    rows, n_truncated = [], 0
    n_special = tokenizer.num_special_tokens_to_add(pair=False)
    for text in texts:
        rows.append(tokenizer(text, truncation=True, max_length=max_length)["input_ids"])
        n_tokens = len(tokenizer(text, add_special_tokens=False)["input_ids"])
        n_truncated += n_tokens > max_length - n_special
    return rows, n_truncated


def _rows(ids, offsets):
    return [ids[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:], strict=True)]


def _long_texts():
    words = " ".join(DOCS)
    return [
        "",
        "a short document",
        (words + " ") * 40,  # ~12,000 words of the vocabulary
        "Café, naïve façade! Ünïcödé — 東京 and émigrés. " * 400,  # accents, CJK, punctuation
        "word \n\n\t   " * 3000,  # runs of whitespace
        ("x" * 300 + " ") * 60,  # words of 300 characters: one [UNK] each, many retries
        ("y" * 150 + " ") * 5,  # longer than the first budget, shorter than max_length
        "z" * 40_000,  # no word end to cut at: read whole
        "orbit " * 2 + "q" * 20_000 + " launch" * 2000,  # the cut falls inside a huge word
    ]


@pytest.mark.parametrize("model", ["tiny", "minilm"])
@pytest.mark.parametrize("max_length", [8, 64, 512])
def test_long_texts_give_the_ids_of_whole_text_tokenization(model, max_length):
    from sktext.utils._transformers import encode_texts

    path = tiny_transformer_path() if model == "tiny" else get_model_path("all-MiniLM-L6-v2")
    tokenizer = load_pretrained_tokenizer(path)
    max_length = min(max_length, 128) if model == "tiny" else max_length
    texts = _long_texts()
    ids, offsets, n_truncated = encode_texts(tokenizer, texts, max_length)
    expected_rows, expected_truncated = _whole_text_tokenization(tokenizer, texts, max_length)
    assert _rows(ids, offsets) == expected_rows
    assert n_truncated == expected_truncated


def test_a_long_text_is_cut_to_a_character_budget_before_tokenizing():
    # a 5M-character document used to be tokenized whole (22 s and +2.25 GB for MiniLM)
    # for the 512 tokens it keeps
    from sktext.utils._transformers import CHARS_PER_TOKEN, encode_texts

    tokenizer = load_pretrained_tokenizer(get_model_path("all-MiniLM-L6-v2"))
    huge = "the launch of the shuttle was delayed by a storm " * 20_000  # 1M characters
    spy = SpyTokenizer(tokenizer)
    ids, offsets, n_truncated = encode_texts(spy, [huge, "a short one"], 512)
    longest_word = max(map(len, huge.split()))
    assert spy.longest <= CHARS_PER_TOKEN * 512 + longest_word
    assert n_truncated == 1
    assert (
        _rows(ids, offsets)[0]
        == tokenizer(huge[:20_000], truncation=True, max_length=512)["input_ids"]
    )
    # a tokenizer that keeps the end of long texts reads them whole
    tokenizer.truncation_side = "left"
    spy = SpyTokenizer(tokenizer)
    ids, offsets, _ = encode_texts(spy, [huge[:50_000]], 64)
    assert spy.longest == 50_000
    assert (
        _rows(ids, offsets)[0]
        == tokenizer(huge[:50_000], truncation=True, max_length=64)["input_ids"]
    )


def test_truncation_warning_counts_documents_cut_by_tokens_not_by_characters():
    from sktext.preprocessing import TruncationWarning

    encoder = SentenceEncoder(model=tiny_transformer_path(), max_length=16).fit(DOCS)
    long_words = ("x" * 300 + " ") * 10  # 3,010 characters, 10 tokens: not truncated
    with pytest.warns(TruncationWarning, match=r"1 of 3 documents \(33.3%\)"):
        encoder.transform([long_words, " ".join(DOCS) * 50, "orbit"])


def _hub_online(monkeypatch, reachable):
    """The hub client online (the test session sets offline mode), the host reachable or
    not; returns the list of hosts a connection was attempted to."""
    import socket

    from huggingface_hub import constants

    from sktext.utils import _transformers

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    for name in _transformers._PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    attempts = []

    def connect(address, timeout=None):
        attempts.append(address)
        if not reachable:
            raise OSError("Name or service not known")
        return contextlib.nullcontext()

    monkeypatch.setattr(socket, "create_connection", connect)
    return attempts


def test_an_unreachable_hub_reads_the_cache_only_and_fails_at_once(monkeypatch):
    # issue 25: without a network the hub client retried for about 23 s per file
    attempts = _hub_online(monkeypatch, reachable=False)
    calls = []
    real = transformers.AutoTokenizer.from_pretrained

    def spy(source, **kwargs):
        calls.append(kwargs)
        return real(source, **kwargs)

    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", spy)
    with pytest.raises(ValueError, match=r"the hub \(huggingface.co:443\) cannot be reached"):
        load_pretrained_tokenizer("nobody/no-such-model")
    assert attempts == [("huggingface.co", 443)]
    assert calls[-1]["local_files_only"] is True
    # a local folder never probes the hub
    load_pretrained_tokenizer(tiny_transformer_path())
    assert len(attempts) == 1


def test_a_reachable_hub_or_a_proxy_leaves_the_hub_client_alone(monkeypatch):
    attempts = _hub_online(monkeypatch, reachable=True)
    calls = []

    def spy(source, **kwargs):
        calls.append(kwargs)
        raise OSError("stop here")

    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", spy)
    with pytest.raises(ValueError, match="stop here"):
        load_pretrained_tokenizer("nobody/no-such-model")
    assert attempts and "local_files_only" not in calls[-1]
    # behind a proxy a direct connection proves nothing: no probe
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    with pytest.raises(ValueError, match="stop here"):
        load_pretrained_tokenizer("nobody/no-such-model")
    assert len(attempts) == 1 and "local_files_only" not in calls[-1]
