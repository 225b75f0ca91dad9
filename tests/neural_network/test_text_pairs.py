"""Two text columns read jointly as a pair by the transformers (``text_pair=True``)."""

import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

import sktext
from sktext.nn import FusionModule, TextTransformer
from sktext.preprocessing import TruncationWarning
from sktext.utils._testing import tiny_transformer_path
from sktext.utils._transformers import CHARS_PER_TOKEN, encode_text_pairs

pytest.importorskip("transformers")

pytestmark = [
    pytest.mark.usefixtures("one_torch_thread"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]

VOCAB = np.array("orbit rocket launch moon".split())


def _same_first_word(n, seed):
    """Two texts of two random words; the label: whether they begin with the same word.

    Balanced (every other row shares its first word). Whether a row's first words are
    equal cannot be read from each text's vector alone: a model encoding the texts
    apart and adding their evidence (a linear layer over their concatenation) does no
    better than chance, while a cross-encoder relates the two in its attention.
    """
    rng = np.random.default_rng(seed)
    first = rng.integers(0, len(VOCAB), (n, 2))
    second = rng.integers(0, len(VOCAB), (n, 2))
    same = np.arange(n) % 2 == 0
    shift = rng.integers(1, len(VOCAB), n)  # another word than the first text's
    second[:, 0] = np.where(same, first[:, 0], (first[:, 0] + shift) % len(VOCAB))
    frame = pd.DataFrame(
        {
            "premise": [" ".join(VOCAB[row]) for row in first],
            "hypothesis": [" ".join(VOCAB[row]) for row in second],
        }
    )
    return frame, same.astype(int)


PAIRS, LABELS = _same_first_word(120, 0)


def _pair_model(cls=sktext.TransformerClassifier, **params):
    defaults = dict(
        model=tiny_transformer_path(),
        text_columns=["premise", "hypothesis"],
        text_pair=True,
        batch_size=16,
        max_iter=1,
        random_state=0,
    )
    return cls(**{**defaults, **params})


def _tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_transformer_path())


def test_pair_model_learns_what_separate_columns_cannot():
    train, y_train = _same_first_word(400, 0)
    test, y_test = _same_first_word(200, 1)
    # a constant learning rate of 3e-3 and 30 epochs: all of 6 seeds reach 1.0 on the
    # tiny random BERT (the separate model stays at or below 0.5)
    params = dict(
        max_iter=30,
        learning_rate="constant",
        learning_rate_init=3e-3,
        dropout=0.0,
        n_iter_no_change=30,
    )
    pair = _pair_model(**params).fit(train, y_train)
    apart = _pair_model(text_pair=False, **params).fit(train, y_train)
    assert isinstance(pair.module_, TextTransformer)  # one sequence, one vector per row
    assert apart.module_.n_text_columns == 2
    assert pair.score(test, y_test) > 0.9
    assert apart.score(test, y_test) < 0.65


def _encoder_inputs(model, X):
    """The keyword arguments the Hugging Face encoder is called with, per batch."""
    seen = []
    module = model.net_.module_ if hasattr(model, "net_") else model
    encoder = module.text.encoder if isinstance(module, FusionModule) else module.encoder
    hook = encoder.register_forward_pre_hook(
        lambda module, args, kwargs: seen.append(kwargs), with_kwargs=True
    )
    try:
        model.predict_proba(X) if hasattr(model, "net_") else model(**X)
    finally:
        hook.remove()
    return seen


def _noise(model):
    """A random vector of the encoder's width (a constant one would be normalized away)."""
    size = model.module_.encoder.config.hidden_size
    return torch.randn(size, generator=torch.Generator().manual_seed(0))


def test_token_type_ids_reach_the_encoder_and_mark_the_second_text():
    model = _pair_model().fit(PAIRS, LABELS)
    sep = _tokenizer().sep_token_id
    (inputs,) = _encoder_inputs(model, PAIRS[:8])
    ids, mask, types = (
        inputs[k].numpy() for k in ("input_ids", "attention_mask", "token_type_ids")
    )
    for row_ids, row_mask, row_types in zip(ids, mask, types, strict=True):
        first_sep = np.flatnonzero(row_ids == sep)[0]
        n_tokens = row_mask.sum()
        assert (row_types[: first_sep + 1] == 0).all()  # [CLS] premise [SEP]
        assert (row_types[first_sep + 1 : n_tokens] == 1).all()  # hypothesis [SEP]
        assert (row_types[n_tokens:] == 0).all()  # padding
    # the encoder reads them: its embeddings of the second segment change the output
    before = model.predict_proba(PAIRS)
    with torch.no_grad():
        model.module_.encoder.embeddings.token_type_embeddings.weight[1] += _noise(model)
    assert not np.allclose(model.predict_proba(PAIRS), before)


def test_documents_are_read_without_token_type_ids():
    docs = list(PAIRS["premise"])
    model = sktext.TransformerClassifier(
        model=tiny_transformer_path(), batch_size=16, max_iter=1, random_state=0
    ).fit(docs, LABELS)
    (inputs,) = _encoder_inputs(model, docs[:8])
    assert set(inputs) == {"input_ids", "attention_mask"}
    before = model.predict_proba(docs)
    with torch.no_grad():  # a second segment the documents do not have
        model.module_.encoder.embeddings.token_type_embeddings.weight[1] += _noise(model)
    np.testing.assert_array_equal(model.predict_proba(docs), before)
    # separate columns neither
    apart = _pair_model(text_pair=False).fit(PAIRS, LABELS)
    assert all("token_type_ids" not in c for c in _encoder_inputs(apart, PAIRS[:8]))


def test_encoders_without_segments_are_not_given_token_type_ids():
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=60,
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=16,
        type_vocab_size=1,  # as RoBERTa: one segment embedding only
    )
    module = TextTransformer(model=BertModel(config), n_outputs=2).eval()
    ids = torch.tensor([[2, 10, 3, 11, 3]])
    mask = torch.ones_like(ids)
    types = torch.tensor([[0, 0, 0, 1, 1]])  # segment 1 would be out of the table
    torch.testing.assert_close(module(ids, mask, token_type_ids=types), module(ids, mask))


def test_two_columns_are_one_sequence_in_the_tokenizers_pair_template():
    model = _pair_model().fit(PAIRS, LABELS)
    tokenizer = model.tokenizer_
    (inputs,) = _encoder_inputs(model, PAIRS[:1])
    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0].tolist())
    premise, hypothesis = PAIRS.iloc[0]
    assert tokens == ["[CLS]", *premise.split(), "[SEP]", *hypothesis.split(), "[SEP]"]
    # the columns are matched by name: their order in the frame does not matter
    swapped = PAIRS[["hypothesis", "premise"]]
    np.testing.assert_array_equal(model.predict_proba(swapped), model.predict_proba(PAIRS))
    # but the order of text_columns does: the pair is read the other way round
    other = clone(model).set_params(text_columns=["hypothesis", "premise"]).fit(PAIRS, LABELS)
    (inputs,) = _encoder_inputs(other, PAIRS[:1])
    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0].tolist())
    assert tokens == ["[CLS]", *hypothesis.split(), "[SEP]", *premise.split(), "[SEP]"]


def test_long_pairs_lose_the_end_of_their_longer_text_with_a_warning():
    long = " ".join(["moon orbit"] * 20)  # 40 tokens
    frame = pd.DataFrame(
        {"premise": [long, "moon", "rocket launch"], "hypothesis": ["orbit rocket", "a", "moon"]}
    )
    model = _pair_model(max_length=10)
    with pytest.warns(TruncationWarning, match=r"1 of 3 pairs of texts \(33.3%\).*max_length=10"):
        model.fit(frame, [0, 1, 0])
    (inputs,) = _encoder_inputs(model, frame[:1])
    tokens = model.tokenizer_.convert_ids_to_tokens(inputs["input_ids"][0].tolist())
    # longest first: the short text is whole, the long one keeps its beginning
    assert tokens == ["[CLS]", "moon", "orbit", "moon", "orbit", "moon", "[SEP]"] + [
        "orbit",
        "rocket",
        "[SEP]",
    ]
    # a pair of exactly max_length tokens is not truncated
    exact = pd.DataFrame({"premise": ["moon orbit moon orbit"], "hypothesis": ["a b c"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncationWarning)
        model.predict(exact)


class _RecordingTokenizer:
    """A tokenizer recording the longest text it is given."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.longest = 0

    def __getattr__(self, name):
        return getattr(self.tokenizer, name)

    def __call__(self, *texts, **kwargs):
        for batch in texts:
            self.longest = max([self.longest, *map(len, batch)])
        return self.tokenizer(*texts, **kwargs)


def test_a_huge_text_is_cut_before_tokenization_keeping_the_same_tokens():
    tokenizer = _tokenizer()
    huge = "launch moon orbit " * 100_000  # 1.8 M characters
    # long unknown words: one token per 40 characters, fewer than the first cut needs
    unknown = " ".join(["x" * 39] * 200) + " moon " + "rocket " * 100
    first, second = [huge, "moon rocket", unknown, "orbit"], ["orbit", huge, "launch", unknown]
    recording = _RecordingTokenizer(tokenizer)
    ids, types, offsets, n_truncated = encode_text_pairs(recording, first, second, 32)
    # at most a few times the first cut, never the whole huge text
    assert recording.longest < 4**3 * CHARS_PER_TOKEN * 32 < len(huge) / 100
    expected = tokenizer(
        first, second, truncation="longest_first", max_length=32, return_token_type_ids=True
    )
    for i in range(4):
        assert ids[offsets[i] : offsets[i + 1]].tolist() == expected["input_ids"][i]
        assert types[offsets[i] : offsets[i + 1]].tolist() == expected["token_type_ids"][i]
    assert n_truncated == 4
    with pytest.raises(ValueError, match="too short for pairs"):
        encode_text_pairs(tokenizer, ["moon"], ["orbit"], 4)


@pytest.mark.parametrize(
    "params, X, message",
    [
        ({"text_columns": "premise"}, PAIRS, "exactly two columns; got \\['premise'\\]"),
        ({"text_columns": None}, PAIRS[["premise"]], "exactly two columns"),
        (
            {"text_columns": ["premise", "hypothesis", "topic"]},
            PAIRS.assign(topic="moon"),
            "exactly two columns",
        ),
        ({}, list(PAIRS["premise"]), "text_pair=True reads two text columns.*DataFrame"),
        (
            {},
            PAIRS.assign(hypothesis=PAIRS["hypothesis"].where(PAIRS.index != 3)),
            "column 'hypothesis'.*document 3 is NaN",
        ),
        (
            {},
            PAIRS.assign(premise=PAIRS["premise"].where(PAIRS.index != 5)),
            "column 'premise'.*document 5 is NaN",
        ),
        ({"text_pair": "yes"}, PAIRS, "text_pair"),
    ],
)
def test_bad_pair_input_is_refused_clearly(params, X, message):
    with pytest.raises(ValueError, match=message):
        _pair_model(**params).fit(X, np.arange(len(X)) % 2)


def test_predicting_refuses_what_a_pair_model_was_not_fitted_on():
    model = _pair_model().fit(PAIRS, LABELS)
    with pytest.raises(ValueError, match="fitted on a DataFrame"):
        model.predict(list(PAIRS["premise"]))
    missing = PAIRS.assign(hypothesis=PAIRS["hypothesis"].where(PAIRS.index != 2))
    with pytest.raises(ValueError, match="column 'hypothesis'.*document 2 is NaN"):
        model.predict(missing)


def test_pair_with_other_columns_is_one_text_input_of_the_fusion():
    frame = PAIRS.assign(score=np.arange(len(PAIRS)) % 7)
    reg = _pair_model(sktext.TransformerRegressor, max_iter=2).fit(frame, LABELS * 3.0)
    assert isinstance(reg.module_, FusionModule)
    assert reg.module_.n_text_columns == 1
    assert reg.table_["text_pair"] and reg.table_["n_text_columns"] == 2
    assert np.isfinite(reg.predict(frame)).all()
    before = len(reg.loss_curve_)
    reg.partial_fit(frame, LABELS * 3.0)  # continued training of a fused transformer
    assert len(reg.loss_curve_) == before + 1
    vectors = reg.transform(frame)
    assert vectors.shape == (len(frame), reg.module_.output.in_features)


def test_pair_model_saved_safely_predicts_identically(tmp_path, no_unpickling):
    model = _pair_model().fit(PAIRS, LABELS)
    path = tmp_path / "pairs.sktext"
    sktext.save(model, path)
    loaded = sktext.load(path)
    assert loaded.text_pair and loaded.table_["text_pair"]
    swapped = PAIRS[["hypothesis", "premise"]]
    np.testing.assert_array_equal(loaded.predict_proba(swapped), model.predict_proba(PAIRS))
    np.testing.assert_array_equal(loaded.transform(PAIRS), model.transform(PAIRS))


def test_clone_warm_start_and_search_over_text_pair():
    model = _pair_model()
    assert clone(model).get_params()["text_pair"] is True
    model.fit(PAIRS, LABELS)
    before = len(model.loss_curve_)
    model.set_params(warm_start=True).fit(PAIRS, LABELS)
    assert len(model.loss_curve_) == before + 1
    assert model.table_["text_pair"]
    with pytest.raises(ValueError, match="text_pair changed"):
        model.set_params(text_pair=False).fit(PAIRS, LABELS)
    search = GridSearchCV(_pair_model(), {"text_pair": [False, True]}, cv=2).fit(PAIRS, LABELS)
    assert [p["text_pair"] for p in search.cv_results_["params"]] == [False, True]
    assert search.best_estimator_.table_["text_pair"] == search.best_params_["text_pair"]
