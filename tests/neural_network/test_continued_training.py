"""warm_start and partial_fit: current hyper-parameters, optimizer state, new words."""

import pickle

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from sktext import LSTMClassifier, MLPClassifier, TextCNNClassifier
from sktext.utils._testing import RecordLR, make_topic_corpus

RNG = np.random.RandomState(0)
X = RNG.normal(size=(64, 6))
Y = (X[:, 0] - X[:, 2] > 0).astype(int)
DOCS, LABELS = make_topic_corpus(60)
NEW_DOCS = [
    "zeppelin quasar nebula orbit",
    "quasar nebula comet rocket",
    "referee penalty goal zeppelin",
    "penalty referee team striker",
]
NEW_LABELS = np.array(["space", "space", "sport", "sport"])


def _mlp(**kwargs):
    return MLPClassifier(
        **{"max_iter": 3, "batch_size": 16, "random_state": 0, "warm_start": True, **kwargs}
    )


def test_warm_start_uses_the_current_learning_rate_and_stopping_rule():
    est = _mlp().fit(X, Y)  # 3 epochs, max_iter reached
    record = RecordLR()
    est.set_params(
        learning_rate_init=0.5, tol=123.0, n_iter_no_change=2, max_iter=50, callbacks=[record]
    )
    est.fit(X, Y)
    assert set(record.lrs) == {0.5}
    # with tol=123 no epoch after the first improves: the rule stops after 2 + 2 epochs
    # (the old rule, max_iter=3, would have run 3)
    assert est.n_iter_ == 4 and len(est.loss_curve_) == 3 + 4


def test_warm_start_uses_the_current_alpha():
    est = _mlp(max_iter=2).fit(X, Y)
    with_l2 = pickle.loads(pickle.dumps(est)).set_params(alpha=0.3, max_iter=1)
    without = pickle.loads(pickle.dumps(est)).set_params(alpha=0.0, max_iter=1)
    with_l2.fit(X, Y)
    without.fit(X, Y)
    weights = sum(float((w.detach() ** 2).sum()) for w in est.module_.parameters() if w.dim() > 1)
    # the L2 term 0.5 * alpha * ||W||^2 / batch enters the loss of every batch
    gap = with_l2.loss_curve_[-1] - without.loss_curve_[-1]
    assert gap == pytest.approx(0.5 * 0.3 * weights / 16, rel=0.2)


def test_partial_fit_uses_the_current_learning_rate_and_keeps_adam_state():
    est = MLPClassifier(batch_size=16, random_state=0)
    est.partial_fit(X, Y, classes=[0, 1])
    steps = {n: est.net_.optimizer_.state[p]["step"] for n, p in est.module_.named_parameters()}
    record = RecordLR()
    est.set_params(learning_rate_init=0.01, callbacks=[record])
    est.partial_fit(X, Y)
    assert set(record.lrs) == {0.01}
    # Adam goes on from its moments: 4 more steps on every weight, not a fresh count
    for name, p in est.module_.named_parameters():
        assert est.net_.optimizer_.state[p]["step"] == steps[name] + 4


def test_warm_start_sets_the_current_dropout_on_the_module():
    est = _mlp(dropout=0.1).fit(X, Y)
    est.set_params(dropout=0.7).fit(X, Y)
    assert est.module_.dropout.p == 0.7
    assert est.net_.module__dropout == 0.7


@pytest.mark.parametrize("change", [{"hidden_layer_sizes": (7,)}, {"activation": "tanh"}])
def test_warm_start_refuses_a_changed_architecture(change):
    est = _mlp().fit(X, Y)
    before = est.predict_proba(X)
    with pytest.raises(ValueError, match=f"after {next(iter(change))} changed"):
        est.set_params(**change).fit(X, Y)
    np.testing.assert_array_equal(est.predict_proba(X), before)
    # a fresh fit with the new architecture is fine
    est.set_params(warm_start=False).fit(X, Y)


@pytest.mark.parametrize("cls", [TextCNNClassifier, LSTMClassifier])
def test_partial_fit_works_on_the_text_classifiers_defaults(cls):
    # early_stopping=True by default: partial_fit trains on all it is given
    est = cls(random_state=0)
    assert est.early_stopping
    est.partial_fit(DOCS, LABELS, classes=["space", "sport"])
    est.partial_fit(DOCS, LABELS)
    assert len(est.loss_curve_) == 2
    assert est.validation_scores_ is None
    assert est.score(DOCS, LABELS) > 0.5


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (TextCNNClassifier, {}),
        (LSTMClassifier, {"hidden_size": 8}),
        (TextCNNClassifier, {"embedding_mode": "multichannel"}),
    ],
)
def test_partial_fit_grows_the_vocabulary(cls, kwargs):
    if kwargs.get("embedding_mode"):
        from sktext import Word2VecTransformer

        kwargs = {**kwargs, "embeddings": Word2VecTransformer(min_count=1, vector_size=8)}
    est = cls(random_state=0, batch_size=8, **kwargs)
    est.partial_fit(DOCS, LABELS, classes=["space", "sport"])
    old_vocab = dict(est.vectorizer_.vocabulary_)
    new_words = {"zeppelin", "quasar", "nebula", "comet", "referee", "penalty", "striker"}
    assert not new_words & set(old_vocab)
    est.partial_fit(NEW_DOCS, NEW_LABELS)
    vocab = est.vectorizer_.vocabulary_
    # every old id keeps its word; the new words come after them
    assert {w: vocab[w] for w in old_vocab} == old_vocab
    assert set(vocab) - set(old_vocab) == new_words
    assert sorted(vocab[w] for w in new_words) == list(range(len(old_vocab) + 2, len(vocab) + 2))
    n_ids = len(vocab) + 2
    embeddings = [m for m in est.module_.modules() if isinstance(m, torch.nn.Embedding)]
    assert embeddings and all(m.num_embeddings == n_ids for m in embeddings)
    assert est.net_.module__vocab_size == n_ids
    # the new words are read as themselves, not as the unknown id, and training goes on
    assert (est.vectorizer_.transform(["zeppelin quasar"]) >= len(old_vocab) + 2).sum() == 2
    est.partial_fit(NEW_DOCS + DOCS, np.r_[NEW_LABELS, LABELS])
    assert len(est.loss_curve_) == 3
    assert np.all(np.isfinite(est.predict_proba(NEW_DOCS)))


def test_grown_embedding_keeps_old_rows_and_starts_new_ones_small():
    est = TextCNNClassifier(random_state=0, batch_size=8)
    est.partial_fit(DOCS, LABELS, classes=["space", "sport"])
    old = est.module_.embedding.weight.detach().clone()
    tokens = est._tokenize(NEW_DOCS)
    est.vectorizer_ = est.vectorizer_._grown(tokens)
    grown = est._continued_module(None, est.module_)
    weight = grown.embedding.weight.detach()
    torch.testing.assert_close(weight[: len(old)], old, rtol=0, atol=0)
    new_rows = weight[len(old) :]
    assert new_rows.shape[0] == 7
    # random init as the module's own (U[-0.25, 0.25]), not zeros and not a copy
    assert float(new_rows.abs().max()) <= 0.25 and float(new_rows.std()) > 0.05
    assert grown is not est.module_  # the old module is untouched (kept until success)


def test_min_df_applies_to_new_words_within_the_call():
    est = TextCNNClassifier(random_state=0, batch_size=8, min_df=2)
    est.partial_fit(DOCS, LABELS, classes=["space", "sport"])
    est.partial_fit(NEW_DOCS, NEW_LABELS)
    added = set(est.vectorizer_.vocabulary_) - set(make_vocab(DOCS, min_df=2))
    # in NEW_DOCS: quasar, nebula, zeppelin, referee, penalty twice; comet, striker once
    assert added == {"quasar", "nebula", "zeppelin", "referee", "penalty"}


def make_vocab(docs, *, min_df):
    from sktext.preprocessing import SequenceVectorizer

    return SequenceVectorizer(min_df=min_df).fit(docs).vocabulary_


def test_interrupted_partial_fit_keeps_the_old_vocabulary():
    class Interrupt(Callback):
        def on_batch_end(self, net, training=False, **kwargs):
            if training:
                raise KeyboardInterrupt

    est = TextCNNClassifier(random_state=0, batch_size=8)
    est.partial_fit(DOCS, LABELS, classes=["space", "sport"])
    vocabulary, module = dict(est.vectorizer_.vocabulary_), est.module_
    est.set_params(callbacks=[Interrupt()])
    with pytest.raises(KeyboardInterrupt):
        est.partial_fit(NEW_DOCS, NEW_LABELS)
    assert est.vectorizer_.vocabulary_ == vocabulary
    assert est.module_ is module
    assert est.module_.embedding.num_embeddings == len(vocabulary) + 2


def test_new_words_start_from_their_fasttext_vectors():
    from sktext import FastTextTransformer
    from sktext.embeddings._fasttext import word_vectors

    fasttext = FastTextTransformer(min_count=1, vector_size=8, random_state=0, workers=1)
    est = TextCNNClassifier(random_state=0, batch_size=8, embeddings=fasttext)
    est.partial_fit(DOCS, LABELS, classes=["space", "sport"])
    n_old = est.module_.embedding.num_embeddings
    est.vectorizer_ = est.vectorizer_._grown(est._tokenize(NEW_DOCS))
    grown = est._continued_module(None, est.module_)
    vocab = est.vectorizer_.vocabulary_
    words = sorted((w for w in vocab if vocab[w] >= n_old), key=vocab.get)
    expected, found = word_vectors(est.subword_vectors_, words)
    assert found.all()
    torch.testing.assert_close(grown.embedding.weight.detach()[n_old:], torch.as_tensor(expected))


def test_warm_start_recomputes_the_padded_token_budget():
    est = TextCNNClassifier(random_state=0, batch_size=8, max_iter=1, warm_start=True)
    est.fit(DOCS, LABELS)
    train, infer = est.net_.iterator_train__max_tokens, est.net_.iterator_valid__max_tokens
    est.set_params(batch_size=16).fit(DOCS, LABELS)
    # budget = batch_size x the 99th-percentile length (the same documents)
    assert est.net_.iterator_train__max_tokens == 2 * train
    assert est.net_.iterator_valid__max_tokens == 2 * infer


# ---------------------------------- issue 21: changed min_df, max_features and max_length
def _continue(est, how, docs, labels):
    if how == "partial_fit":
        return est.partial_fit(docs, labels)
    return est.set_params(warm_start=True).fit(docs, labels)


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
@pytest.mark.parametrize("cls", [TextCNNClassifier, LSTMClassifier])
def test_changed_max_length_applies_when_continuing(cls, how):
    # it used to be ignored: the fitted vectorizer kept reading whole documents
    from sktext.preprocessing import TruncationWarning

    est = cls(random_state=0, batch_size=8, max_iter=2, max_length=None).fit(DOCS, LABELS)
    est.set_params(max_length=3)
    with pytest.warns(TruncationWarning, match=r"60 of 60 documents.*max_length=3"):
        _continue(est, how, DOCS, LABELS)
    # predictions read the first 3 tokens of a document, as a refit with max_length=3 would
    doc = DOCS[0]
    np.testing.assert_allclose(
        est.predict_proba([doc]), est.predict_proba([" ".join(doc.split()[:3])]), atol=1e-6
    )
    assert est.vectorizer_.transform([doc]).shape == (1, 3)


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
@pytest.mark.parametrize("before, now, added", [(1, 2, 5), (2, 1, 7)])
def test_changed_min_df_applies_to_the_new_words(how, before, now, added):
    est = TextCNNClassifier(random_state=0, batch_size=8, max_iter=1, early_stopping=False)
    est.set_params(min_df=before)
    est.fit(DOCS, LABELS)
    n_words = len(est.vectorizer_.vocabulary_)
    _continue(est.set_params(min_df=now), how, NEW_DOCS, NEW_LABELS)
    # in NEW_DOCS: quasar, nebula, zeppelin, referee, penalty twice; comet, striker once
    assert len(est.vectorizer_.vocabulary_) - n_words == added
    assert est.module_.embedding.num_embeddings == n_words + added + 2


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_changed_max_features_caps_the_grown_vocabulary_or_is_refused(how):
    est = TextCNNClassifier(random_state=0, batch_size=8, max_iter=1, early_stopping=False)
    est.set_params(max_features=10)
    est.fit(DOCS, LABELS)
    assert len(est.vectorizer_.vocabulary_) == 10
    _continue(est.set_params(max_features=12), how, NEW_DOCS, NEW_LABELS)
    assert len(est.vectorizer_.vocabulary_) == 12  # it stayed at 10 before
    vocabulary, n_iter = dict(est.vectorizer_.vocabulary_), est.n_iter_
    with pytest.raises(ValueError, match=r"max_features=5: the fitted vocabulary already holds 12"):
        _continue(est.set_params(max_features=5), how, NEW_DOCS, NEW_LABELS)
    assert est.vectorizer_.vocabulary_ == vocabulary and est.n_iter_ == n_iter
