"""DataFrames into the text models: text columns, the other columns, their fusion."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

import sktext
from sktext.neural_network._custom import MeanEmbeddingModule
from sktext.nn import FusionModule
from sktext.preprocessing import OutOfFoldPredictions, make_table_encoder
from sktext.utils._testing import make_topic_corpus, tiny_transformer_path

pytestmark = [
    pytest.mark.usefixtures("one_torch_thread"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]

WORDS = np.array("alpha beta gamma delta epsilon zeta eta theta".split())


def _uninformative_text_table(n=400, seed=0):
    """Random words as text; the label is in a price and a category only."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    frame = pd.DataFrame(
        {
            "text": [" ".join(rng.choice(WORDS, 6)) for _ in range(n)],
            "price": np.where(y == 1, 3.0, 1.0) * rng.lognormal(sigma=0.3, size=n),
            "shop": np.where(rng.random(n) < 0.8, np.where(y == 1, "x", "y"), "z"),
        }
    )
    return frame, y


FRAME, Y = _uninformative_text_table()
TRAIN, TEST = slice(0, 300), slice(300, None)


def _cnn(**params):
    defaults = dict(num_filters=8, embedding_dim=8, filter_sizes=(2,), random_state=0)
    return sktext.TextCNNClassifier(**{**defaults, **params})


@pytest.mark.parametrize("fusion", ["concat", "gate", "attention"])
@pytest.mark.parametrize(
    "make",
    [
        _cnn,
        lambda **p: sktext.NeuralTextClassifier(
            MeanEmbeddingModule, {"embedding_dim": 8}, random_state=0, **p
        ),
    ],
    ids=["textcnn", "custom"],
)
def test_fused_model_learns_from_the_other_columns(make, fusion):
    # a fixed number of epochs (a validation split of 30 rows would stop at random);
    # the encoded columns alone, without the boosting's predictions: the branch learns
    params = dict(text_columns="text", max_iter=30, early_stopping=False)
    plain = make_table_encoder(len(FRAME[TRAIN]))
    fused = make(fusion=fusion, tabular=plain, **params).fit(FRAME[TRAIN], Y[TRAIN])
    text_only = make(tabular="drop", **params).fit(FRAME[TRAIN], Y[TRAIN])
    assert isinstance(fused.module_, FusionModule)
    assert not isinstance(text_only.module_, FusionModule)
    assert fused.score(FRAME[TEST], Y[TEST]) > 0.9
    assert text_only.score(FRAME[TEST], Y[TEST]) < 0.65  # the text says nothing


def test_one_text_column_frame_is_the_documents():
    docs, labels = make_topic_corpus(60)
    by_list = _cnn(max_iter=3).fit(docs, labels)
    by_frame = _cnn(max_iter=3).fit(pd.DataFrame({"review": docs}), labels)
    assert not isinstance(by_frame.module_, FusionModule)
    np.testing.assert_array_equal(
        by_frame.predict_proba(pd.DataFrame({"review": docs})), by_list.predict_proba(docs)
    )
    assert list(by_frame.feature_names_in_) == ["review"]
    assert not hasattr(by_list, "feature_names_in_")


def test_several_text_columns_share_one_vocabulary():
    frame = FRAME.assign(title=["omega " + t.split()[0] for t in FRAME["text"]])
    model = _cnn(text_columns=["text", "title"], max_iter=2).fit(frame, Y)
    assert "omega" in model.vectorizer_.vocabulary_
    assert model.module_.n_text_columns == 2
    assert model.table_["other_columns"] == ["price", "shop"]
    # each row's columns are read from that row: swapping the titles changes the output
    swapped = frame.assign(title=frame["title"].to_numpy()[::-1])
    assert not np.allclose(model.predict_proba(swapped), model.predict_proba(frame))


@pytest.mark.parametrize(
    "params, X, message",
    [
        ({}, FRAME, "without text_columns"),
        ({"text_columns": "review"}, FRAME, r"\['review'\] are not columns"),
        ({"text_columns": ["text", "text"]}, FRAME, "twice"),
        ({"text_columns": []}, FRAME, "one or more columns"),
        ({"text_columns": "price"}, FRAME, "column 'price'.*document 0 is a float"),
    ],
)
def test_bad_frames_are_refused_clearly(params, X, message):
    with pytest.raises(ValueError, match=message):
        _cnn(max_iter=1, **params).fit(X, Y)


def test_duplicate_column_names_are_refused():
    frame = pd.concat([FRAME, FRAME[["price"]]], axis=1)
    with pytest.raises(ValueError, match="duplicate column names"):
        _cnn(text_columns="text", max_iter=1).fit(frame, Y)


def test_tabular_encoder_that_gives_nan_is_refused():
    frame = FRAME[["text", "price"]].copy()
    frame.loc[3, "price"] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        _cnn(text_columns="text", tabular=FunctionTransformer(), max_iter=1).fit(frame, Y)


def test_user_table_encoder_is_cloned_and_fitted():
    encoder = ColumnTransformer([("price", StandardScaler(), ["price"])])
    model = _cnn(text_columns="text", tabular=encoder, max_iter=2).fit(FRAME, Y)
    assert model.tabular_encoder_ is not encoder
    assert not hasattr(encoder, "transformers_")
    assert model.table_["n_features"] == 1
    np.testing.assert_allclose(
        model.tabular_encoder_.transformers_[0][1].mean_, [FRAME["price"].mean()]
    )


def test_documents_and_frames_are_not_mixed():
    docs, labels = make_topic_corpus(40)
    on_docs = _cnn(max_iter=1).fit(docs, labels)
    with pytest.raises(ValueError, match="fitted on a collection of documents"):
        on_docs.predict(pd.DataFrame({"text": docs, "price": 1.0}))
    on_frame = _cnn(text_columns="text", max_iter=1).fit(FRAME, Y)
    with pytest.raises(ValueError, match="fitted on a DataFrame"):
        on_frame.predict(list(FRAME["text"]))


def test_weights_early_stopping_and_continued_training_on_frames():
    weights = np.where(Y == 1, 3.0, 1.0)
    model = _cnn(text_columns="text", max_iter=5, early_stopping=True, class_weight="balanced")
    model.fit(FRAME, Y, sample_weight=weights)
    assert model.validation_scores_ is not None
    before = len(model.loss_curve_)
    grown = FRAME.assign(text=FRAME["text"] + " omega")
    model.partial_fit(grown, Y)
    assert "omega" in model.vectorizer_.vocabulary_
    assert len(model.loss_curve_) == before + 1
    model.set_params(warm_start=True, max_iter=2).fit(FRAME, Y)
    with pytest.raises(ValueError, match="lacks"):
        model.partial_fit(FRAME.drop(columns="shop"), Y)


def test_transform_is_the_fused_vector_and_keeps_the_index():
    model = _cnn(text_columns="text", max_iter=2, fusion="concat").set_output(transform="pandas")
    model.fit(FRAME, Y)
    frame = FRAME.set_axis(np.arange(len(FRAME)) + 1000)
    vectors = model.transform(frame)
    assert vectors.shape == (len(FRAME), model.module_.output.in_features)
    assert vectors.shape[1] == 8 + 64  # the filters, then the columns' branch
    assert list(vectors.index) == list(frame.index)
    assert vectors.columns[0] == "textcnnclassifier0"


def test_search_cross_validation_and_pipelines_over_frames():
    model = _cnn(text_columns="text", max_iter=2)
    search = GridSearchCV(model, {"fusion": ["concat", "gate"]}, cv=2).fit(FRAME, Y)
    assert search.best_params_["fusion"] in ("concat", "gate")
    scores = cross_val_score(clone(model), FRAME, Y, cv=2)
    assert scores.shape == (2,)
    upstream = ColumnTransformer(
        [("text", "passthrough", ["text"]), ("scaled", StandardScaler(), ["price"])],
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")
    pipe = make_pipeline(upstream, _cnn(text_columns="text", max_iter=2)).fit(FRAME, Y)
    assert pipe.predict(FRAME).shape == (len(FRAME),)


def test_regression_and_multilabel_on_frames():
    reg = sktext.LSTMRegressor(
        text_columns="text", hidden_size=4, embedding_dim=8, max_iter=3, random_state=0
    )
    reg.fit(FRAME, FRAME["price"].to_numpy() * 100)
    assert np.isfinite(reg.predict(FRAME)).all()
    labels = np.c_[Y, FRAME["shop"] == "z"].astype(int)
    clf = _cnn(text_columns="text", max_iter=2, early_stopping=False).fit(FRAME, labels)
    assert clf.predict(FRAME).shape == labels.shape


def test_transformer_on_a_frame_saves_and_refuses_onnx(tmp_path):
    frame = FRAME[:80].assign(title=[t.split()[0] for t in FRAME["text"][:80]])
    model = sktext.TransformerClassifier(
        model=tiny_transformer_path(), text_columns=["text", "title"], batch_size=16, max_iter=1
    ).fit(frame, Y[:80])
    path = tmp_path / "m.sktext"
    sktext.save(model, path)
    loaded = sktext.load(path)
    np.testing.assert_array_equal(loaded.predict_proba(frame), model.predict_proba(frame))
    with pytest.raises(TypeError, match="fitted on a DataFrame"):
        sktext.export_onnx(_cnn(text_columns="text", max_iter=1).fit(FRAME, Y), tmp_path / "x")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(clone(model).get_params()["text_columns"], ["text", "title"])


def _boosting_width(model):
    """Columns of the out-of-fold boosting among the model's encoded columns."""
    encoder = model.tabular_encoder_
    if not hasattr(encoder, "steps"):
        return 0
    union = encoder.steps[-1][1]
    oof = union.named_transformers["boosting"].steps[0][1]
    assert isinstance(oof, OutOfFoldPredictions)
    return oof.transform(encoder.steps[0][1].transform(FRAME.drop(columns="text"))).shape[1]


def test_auto_stacks_the_boosting_of_single_output_targets():
    plain_width = make_table_encoder(300).fit_transform(FRAME.drop(columns="text")).shape[1]
    clf = _cnn(text_columns="text", max_iter=1).fit(FRAME, Y)
    assert clf.table_["n_features"] == plain_width + 1  # the log-odds of the trees
    assert _boosting_width(clf) == 1
    three = np.array(["a", "b", "c"])[Y + (FRAME["shop"] == "z").to_numpy()]
    clf3 = _cnn(text_columns="text", max_iter=1).fit(FRAME, three)
    assert clf3.table_["n_features"] == plain_width + 3
    reg = sktext.TextCNNRegressor(
        text_columns="text", num_filters=4, embedding_dim=8, filter_sizes=(2,), max_iter=1
    ).fit(FRAME, FRAME["price"])
    assert reg.table_["n_features"] == plain_width + 1
    # multi-label targets: no boosting (single-output models), the encoded columns only
    labels = np.c_[Y, FRAME["shop"] == "z"].astype(int)
    multi = _cnn(text_columns="text", max_iter=1).fit(FRAME, labels)
    assert multi.table_["n_features"] == plain_width
    # the boosting is reproducible with the model's random_state
    again = _cnn(text_columns="text", max_iter=1).fit(FRAME, Y)
    np.testing.assert_array_equal(again.predict_proba(FRAME), clf.predict_proba(FRAME))


def test_stacking_recipe_of_the_docs_runs_on_a_frame():
    """The snippet of docs/tabular.md's "A text model as a feature step", as written."""
    page = (Path(__file__).resolve().parents[2] / "docs" / "tabular.md").read_text()
    section = page[page.index("## A text model as a feature step") :]
    start = section.index("```python\n") + len("```python\n")
    snippet = section[start : section.index("\n```\n", start)]
    frame = FRAME.assign(shop=FRAME["shop"].astype("category"))
    namespace = {"df_train": frame[TRAIN], "y_train": Y[TRAIN]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        exec(compile(snippet, "docs/tabular.md", "exec"), namespace)
    stack = namespace["stack"]
    # the text says nothing here: the columns model carries the stack
    assert stack.score(frame[TEST], Y[TEST]) > 0.9


def test_frame_model_saved_safely_predicts_identically(tmp_path, no_unpickling):
    frame = FRAME.assign(
        when=pd.date_range("2016-01-01", periods=len(FRAME), freq="37h"),
        votes=np.where(np.arange(len(FRAME)) % 9 == 0, np.nan, np.arange(len(FRAME)) % 13),
    )
    model = _cnn(text_columns="text", max_iter=2).fit(frame[TRAIN], Y[TRAIN])
    model.module_.text_weight.fill_(0.5)  # as held-out rows may choose: saved with the weights
    path = tmp_path / "fused.sktext"
    sktext.save(model, path)
    loaded = sktext.load(path)
    test = frame[TEST].iloc[:, ::-1]  # columns by name, in another order
    np.testing.assert_array_equal(loaded.predict_proba(test), model.predict_proba(test))
    np.testing.assert_array_equal(loaded.transform(test), model.transform(test))


@pytest.mark.parametrize("learning_rate", ["constant", "linear"])
def test_transformer_trains_the_fusion_layers_ten_times_faster(learning_rate):
    model = sktext.TransformerClassifier(
        model=tiny_transformer_path(),
        text_columns="text",
        batch_size=16,
        max_iter=2,
        learning_rate=learning_rate,
        learning_rate_init=1e-3,
        random_state=0,
    ).fit(FRAME[:64], Y[:64])
    module = model.module_
    fusion = {id(p) for p in module.fusion_parameters()}
    assert fusion and fusion.isdisjoint(id(p) for p in module.text.parameters())
    rates = {}
    for group in model.net_.optimizer_.param_groups:
        kinds = {id(p) in fusion for p in group["params"]}
        assert len(kinds) == 1  # a group is all fusion layers or all encoder
        rates.setdefault(kinds.pop(), set()).add(group["lr"])
    (encoder_rate,), (fusion_rate,) = rates[False], rates[True]
    assert fusion_rate == pytest.approx(10 * encoder_rate)
    if learning_rate == "constant":
        assert encoder_rate == pytest.approx(1e-3)


def test_boosting_of_large_tables_follows_random_state():
    # from 10,000 rows gradient boosting stops early on a random validation split
    rng = np.random.default_rng(0)
    n = 10_500
    frame = pd.DataFrame(
        {
            "text": rng.choice(WORDS, n),
            "price": rng.lognormal(size=n),
            "shop": rng.choice(["x", "y", "z"], n),
        }
    )
    y = (frame["price"] * rng.lognormal(sigma=0.5, size=n) > 1).to_numpy().astype(int)
    params = dict(text_columns="text", max_iter=1, batch_size=1024, random_state=3)
    a, b = (_cnn(**params).fit(frame, y) for _ in range(2))
    columns = frame.drop(columns="text")
    np.testing.assert_array_equal(
        a.tabular_encoder_.transform(columns), b.tabular_encoder_.transform(columns)
    )


def test_continued_fit_applies_the_current_modality_dropout():
    clf = _cnn(text_columns="text", max_iter=1, modality_dropout=0.5).fit(FRAME, Y)
    assert clf.module_.modality_dropout == 0.5
    clf.set_params(warm_start=True, modality_dropout=0.1).fit(FRAME, Y)
    assert clf.module_.modality_dropout == 0.1
    assert clf.n_iter_ >= 1


def _record_validation_losses(monkeypatch, model_class, loss_of_weight=None):
    """Calls of ``_validation_loss``: ``(text weight, loss)``; optionally a made-up loss."""
    calls = []
    real = model_class._validation_loss

    def validation_loss(self, dataset):
        weight = float(self.net_.module_.text_weight)
        loss = real(self, dataset) if loss_of_weight is None else loss_of_weight(weight)
        calls.append((round(weight, 6), loss))
        return loss

    monkeypatch.setattr(model_class, "_validation_loss", validation_loss)
    return calls


@pytest.mark.parametrize(
    "loss_of_weight, expected",
    [(lambda w: (w - 0.3) ** 2, 0.3), (lambda w: 1.0, 1.0), (lambda w: -w, 1.0)],
    ids=["lowest-loss", "ties-keep-the-text", "text-helps"],
)
def test_held_out_rows_choose_the_text_weight(monkeypatch, loss_of_weight, expected):
    calls = _record_validation_losses(monkeypatch, sktext.TextCNNClassifier, loss_of_weight)
    model = _cnn(text_columns="text", max_iter=2, validation_fraction=0.2).fit(FRAME, Y)
    assert sorted(w for w, _ in calls) == pytest.approx([i / 10 for i in range(11)])
    assert model.text_weight_ == pytest.approx(expected)
    assert float(model.module_.text_weight) == pytest.approx(expected)  # what predict uses


def test_text_weight_measures_the_loss_early_stopping_measured(monkeypatch):
    calls = _record_validation_losses(monkeypatch, sktext.TextCNNClassifier)
    model = _cnn(text_columns="text", max_iter=3, n_iter_no_change=5, validation_fraction=0.2)
    model.fit(FRAME, Y)
    assert model.n_iter_ == 3  # the last epoch's weights are the ones weighed
    at_full_text = dict(calls)[1.0]
    assert at_full_text == pytest.approx(model.net_.history[-1, "valid_loss"], rel=1e-5)
    assert len({round(loss, 6) for _, loss in calls}) > 1  # the weight changes the outputs


def test_no_held_out_rows_or_partial_fit_keep_the_text_weight(monkeypatch):
    calls = _record_validation_losses(monkeypatch, sktext.TextCNNClassifier, lambda w: w)
    model = _cnn(text_columns="text", max_iter=2, early_stopping=False).fit(FRAME, Y)
    assert calls == [] and model.text_weight_ == 1.0
    model = _cnn(text_columns="text", max_iter=2, validation_fraction=0.2).fit(FRAME, Y)
    assert model.text_weight_ == 0.0
    calls.clear()
    model.partial_fit(FRAME, Y)  # one epoch, no held-out rows: the weight stays
    assert calls == [] and model.text_weight_ == 0.0
    assert float(model.module_.text_weight) == 0.0
    model.set_params(tabular="drop", warm_start=False).fit(FRAME, Y)
    assert not hasattr(model, "text_weight_")  # text only: nothing to weigh
