"""Small synthetic corpora and models for tests and docstring examples.

As ``sklearn.utils._testing``: not public API.
"""

import atexit
import functools
import shutil
import tempfile

import numpy as np
from skorch.callbacks import Callback

__all__ = [
    "RecordLR",
    "make_sentiment_corpus",
    "make_tiny_transformer",
    "make_topic_corpus",
    "tiny_transformer_path",
]

TOPICS = {
    "space": "orbit rocket launch moon shuttle nasa planet satellite astronaut mission".split(),
    "sport": "goal match team season league player coach score hockey playoff".split(),
}
COMMON = "the a of and to in is was it for on with as this that".split()


class RecordLR(Callback):
    """skorch callback recording the learning rate of every training batch (``lrs``)."""

    def initialize(self):
        self.lrs = []
        return self

    def on_batch_begin(self, net, training=False, **kwargs):
        if training:
            self.lrs.append(net.optimizer_.param_groups[0]["lr"])


def make_topic_corpus(n_docs=120, seed=0, *, topic_words=6, common_words=6):
    """Short documents mixing topic words and common words, labelled by topic.

    Parameters
    ----------
    n_docs : int, default=120
        Number of documents.
    seed : int, default=0
        Seed of the generator.
    topic_words, common_words : int, default=6
        Words drawn from the document's topic and from a shared list of function words.

    Returns
    -------
    docs : list of str
    labels : ndarray of str, shape (n_docs,)
        ``"space"`` or ``"sport"``.
    """
    rng = np.random.default_rng(seed)
    labels = np.array(list(TOPICS))[rng.integers(len(TOPICS), size=n_docs)]
    docs = []
    for label in labels:
        words = list(rng.choice(TOPICS[label], size=topic_words))
        words += list(rng.choice(COMMON, size=common_words))
        rng.shuffle(words)
        docs.append(" ".join(str(w) for w in words))
    return docs, labels


POSITIVE = ["great", "superb", "wonderful", "moving", "brilliant", "delightful"]
NEGATIVE = ["awful", "boring", "dull", "tedious", "terrible", "clumsy"]
NEUTRAL = ["film", "movie", "plot", "actor", "scene", "story", "director", "script", "the"]


def make_sentiment_corpus(n_docs, seed=0, *, max_neutral=10):
    """Documents of neutral words around one sentiment word that gives the label.

    Each document holds ``0 .. max_neutral - 1`` words of ``NEUTRAL`` and, at a random
    place, one word of ``NEGATIVE`` (label ``"neg"``) or ``POSITIVE`` (``"pos"``); labels
    alternate. A sequence model must find the word wherever it stands.

    Returns
    -------
    docs : list of str
    labels : ndarray of str, shape (n_docs,)
    """
    rng = np.random.RandomState(seed)
    docs, labels = [], []
    for i in range(n_docs):
        label = i % 2
        words = list(rng.choice(NEUTRAL, size=rng.randint(0, max_neutral)))
        words.insert(rng.randint(0, len(words) + 1), rng.choice([NEGATIVE, POSITIVE][label]))
        docs.append(" ".join(words))
        labels.append(["neg", "pos"][label])
    return docs, np.array(labels)


def make_tiny_transformer(directory, words, *, num_layers=2, hidden_size=16, seed=0):
    """Write a tiny random BERT and its WordPiece tokenizer to ``directory``.

    For fast tests of the pretrained-transformer estimators without a real model: the
    vocabulary is BERT's special tokens followed by ``words`` (lowercased; anything else
    becomes ``[UNK]``), the weights are random (seeded). Needs ``transformers``.

    Parameters
    ----------
    directory : str or path-like
        Where to write (``config.json``, ``model.safetensors``, tokenizer files).
    words : iterable of str
        The vocabulary.
    num_layers, hidden_size : int
        Size of the encoder (2 attention heads, feed-forward of twice ``hidden_size``,
        128 positions).
    seed : int, default=0
        Seed of the random weights.

    Returns
    -------
    directory : str
    """
    import os

    import torch
    import transformers
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = specials + sorted({w.lower() for w in words} - set(specials))
    directory = os.fspath(directory)
    os.makedirs(directory, exist_ok=True)
    # BERT's uncased WordPiece pipeline, built with the tokenizers library (its API is
    # the same across transformers versions)
    backend = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    backend.normalizer = normalizers.BertNormalizer(lowercase=True)
    backend.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    backend.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)],
    )
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=backend,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=2,
        intermediate_size=2 * hidden_size,
        max_position_embeddings=128,
    )
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = transformers.BertModel(config)
    hf_logging = transformers.utils.logging
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        model.save_pretrained(directory)
        tokenizer.save_pretrained(directory)
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    return directory


@functools.cache
def tiny_transformer_path():
    """A tiny random BERT knowing the words of the corpora above, made once per process.

    Written to a temporary directory that is removed when the process exits (worker
    processes of ``n_jobs`` searches can read it meanwhile).
    """
    directory = tempfile.mkdtemp(prefix="sktext-tiny-bert-")
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    words = [w for topic in TOPICS.values() for w in topic] + COMMON
    return make_tiny_transformer(directory, words + POSITIVE + NEGATIVE + NEUTRAL)
