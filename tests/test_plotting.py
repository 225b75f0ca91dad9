"""Tests of sktext.plotting (embedding maps and learning curves)."""

import sys

import numpy as np
import pytest
from gensim.models import KeyedVectors

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sktext.plotting import plot_embeddings, plot_learning_curve  # noqa: E402

ANIMALS = ["cat", "dog", "horse", "cow", "sheep", "goat"]
VEHICLES = ["car", "bus", "train", "truck", "bike", "plane"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def clustered():
    """Two well separated clusters of words."""
    rng = np.random.default_rng(0)
    kv = KeyedVectors(vector_size=10)
    centre = np.zeros(10)
    centre[0] = 5
    kv.add_vectors(ANIMALS, centre + rng.normal(scale=0.3, size=(6, 10)))
    kv.add_vectors(VEHICLES, -centre + rng.normal(scale=0.3, size=(6, 10)))
    return kv


def _points(ax):
    return np.vstack([collection.get_offsets() for collection in ax.collections])


@pytest.mark.parametrize("method", ["tsne", "pca"])
def test_map_separates_clusters_and_labels_words(clustered, method):
    ax = plot_embeddings(clustered, ANIMALS + VEHICLES, method=method, random_state=0)
    assert [t.get_text() for t in ax.texts] == ANIMALS + VEHICLES
    points = _points(ax)
    assert points.shape == (12, 2)
    # the two clusters stay apart in 2-D: each point is nearer its own cluster's centre
    animals, vehicles = points[:6], points[6:]
    for group, own, other in ((animals, animals, vehicles), (vehicles, vehicles, animals)):
        to_own = np.linalg.norm(group - own.mean(axis=0), axis=1)
        to_other = np.linalg.norm(group - other.mean(axis=0), axis=1)
        assert np.all(to_own < to_other)
    expected = "t-SNE 1" if method == "tsne" else "PC 1"
    assert ax.get_xlabel() == expected


def test_pca_coordinates_are_the_pca_projection(clustered):
    from sklearn.decomposition import PCA

    ax = plot_embeddings(clustered, ANIMALS, method="pca", annotate=False)
    assert len(ax.texts) == 0
    expected = PCA(n_components=2).fit_transform(clustered[ANIMALS].astype(np.float64))
    np.testing.assert_allclose(_points(ax), expected, rtol=1e-5, atol=1e-6)


def test_groups_get_their_own_colour_and_legend(clustered):
    ax = plot_embeddings(clustered, {"animals": ANIMALS, "vehicles": VEHICLES}, method="pca")
    assert len(ax.collections) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["animals", "vehicles"]
    colours = [tuple(c.get_facecolor()[0]) for c in ax.collections]
    assert colours[0] != colours[1]


def test_unknown_words_are_left_out_with_a_warning(clustered):
    with pytest.warns(UserWarning, match="2 words are not in the vocabulary"):
        ax = plot_embeddings(clustered, ["cat", "dog", "unicorn", "dragon", "car"], method="pca")
    assert [t.get_text() for t in ax.texts] == ["cat", "dog", "car"]


def test_draws_on_given_axes_and_accepts_a_fitted_transformer():
    from sktext import Word2VecTransformer

    docs = ["the cat and the dog", "a car and a bus", "the dog and the bus"] * 10
    est = Word2VecTransformer(vector_size=8, min_count=1, workers=1, random_state=0).fit(docs)
    _, ax = plt.subplots()
    out = plot_embeddings(est, ["cat", "dog", "car", "bus"], ax=ax, random_state=0)
    assert out is ax and len(ax.texts) == 4


def test_small_word_lists_get_a_valid_perplexity(clustered):
    ax = plot_embeddings(clustered, ["cat", "dog", "car"], method="tsne", random_state=0)
    assert _points(ax).shape == (3, 2)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"words": ["cat"]}, ValueError, "At least two words"),
        ({"words": "cat dog"}, ValueError, "not a single string"),
        ({"words": {"g": "cat"}}, ValueError, "must be a list"),
        ({"words": ANIMALS, "method": "umap"}, ValueError, "'tsne' or 'pca'"),
        ({"words": ANIMALS, "perplexity": 10}, ValueError, "smaller than the number"),
        ({"words": ANIMALS, "perplexity": -1}, ValueError, "positive number"),
    ],
)
def test_plot_embeddings_errors(clustered, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_embeddings(clustered, **kwargs)


def test_plot_embeddings_rejects_other_objects():
    with pytest.raises(TypeError, match="KeyedVectors or a fitted embedding transformer"):
        plot_embeddings(np.zeros((3, 3)), ["a", "b"])


def test_missing_matplotlib_gives_an_install_hint(clustered, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="sktext\\[plotting\\]"):
        plot_embeddings(clustered, ANIMALS, method="pca")


# ------------------------------------------------------------------ learning curves
def _xy(line):
    return line.get_xdata().tolist(), line.get_ydata().tolist()


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # 6 epochs
def test_learning_curve_of_sktext_mlp_with_early_stopping():
    from sklearn.datasets import make_classification

    from sktext import MLPClassifier

    X, y = make_classification(n_samples=200, random_state=0)
    clf = MLPClassifier(
        hidden_layer_sizes=(8,), max_iter=6, early_stopping=True, n_iter_no_change=50
    ).fit(X, y)
    ax = plot_learning_curve(clf)
    lines = {line.get_label(): line for line in ax.get_lines()}
    epochs = list(range(1, clf.n_iter_ + 1))
    assert _xy(lines["training loss"]) == (epochs, pytest.approx(clf.loss_curve_))
    assert "validation loss" in lines
    (score_ax,) = [a for a in ax.figure.axes if a is not ax]
    (score_line,) = score_ax.get_lines()
    assert _xy(score_line) == (epochs, pytest.approx(clf.validation_scores_))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["training loss", "validation loss", "validation score"]


def test_learning_curve_of_sklearn_mlp_without_validation():
    from sklearn.datasets import make_classification
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = make_classification(n_samples=100, random_state=0)
    with pytest.warns(ConvergenceWarning):
        clf = MLPClassifier(max_iter=5, random_state=0).fit(X, y)
    _, ax = plt.subplots()
    assert plot_learning_curve(clf, ax=ax) is ax
    assert [line.get_label() for line in ax.get_lines()] == ["training loss"]
    assert len(ax.figure.axes) == 1  # no score axis without validation scores


def test_learning_curve_of_a_skorch_history():
    from skorch.history import History

    history = History()
    for epoch, (train, valid, acc) in enumerate([(0.9, 1.0, 0.5), (0.5, 0.8, 0.7)], 1):
        history.new_epoch()
        history.record("epoch", epoch)
        history.record("train_loss", train)
        history.record("valid_loss", valid)
        history.record("valid_acc", acc)
    ax = plot_learning_curve(history)
    lines = {line.get_label(): _xy(line) for line in ax.get_lines()}
    assert lines == {"training loss": ([1, 2], [0.9, 0.5]), "validation loss": ([1, 2], [1.0, 0.8])}


def test_learning_curve_rejects_other_objects():
    with pytest.raises(TypeError, match="needs a fitted classifier with loss_curve_"):
        plot_learning_curve(object())
    with pytest.raises(TypeError, match="needs a fitted classifier"):
        plot_learning_curve([{"epoch": 1}])


# ------------------------------------------------------------------ readability
def _extents(artists, figure):
    """Window extents of the texts themselves (an annotation's own also covers its arrow)."""
    from matplotlib.text import Text

    renderer = figure.canvas.get_renderer()
    return [Text.get_window_extent(artist, renderer) for artist in artists]


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_word_labels_do_not_overlap_each_other_or_leave_the_figure(method):
    # four tight clusters of six words: unplaced labels written beside their points overlap
    rng = np.random.default_rng(0)
    words = ANIMALS + VEHICLES + ["apple", "pear", "plum", "grape", "melon", "lemon"]
    words += ["red", "blue", "green", "yellow", "black", "white"]
    kv = KeyedVectors(vector_size=20)
    centres = rng.normal(size=(4, 20)) * 2
    kv.add_vectors(
        words, np.vstack([centres[i // 6] + rng.normal(scale=0.5, size=20) for i in range(24)])
    )
    groups = {"a": words[:6], "b": words[6:12], "c": words[12:18], "d": words[18:]}
    ax = plot_embeddings(kv, groups, method=method, random_state=0)
    figure = ax.figure
    figure.canvas.draw()
    boxes = _extents(ax.texts, figure)
    assert len(boxes) == 24
    overlapping = [
        (ax.texts[i].get_text(), ax.texts[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlapping == []
    assert all(figure.bbox.contains(b.x0, b.y0) and figure.bbox.contains(b.x1, b.y1) for b in boxes)
    # the legend sits outside the map, so it covers no point
    legend = ax.get_legend().get_window_extent(figure.canvas.get_renderer())
    points = ax.transData.transform(_points(ax))
    assert not any(legend.contains(x, y) for x, y in points)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_learning_curve_legend_covers_no_curve_and_labels_fit_in_the_figure():
    from sklearn.datasets import make_classification

    from sktext import MLPClassifier

    X, y = make_classification(n_samples=500, random_state=0)
    clf = MLPClassifier(
        hidden_layer_sizes=(16,),
        max_iter=30,
        early_stopping=True,
        n_iter_no_change=50,
        random_state=0,
    ).fit(X, y)
    ax = plot_learning_curve(clf)
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    for axes in figure.axes:  # the loss axes and the score axes
        for line in axes.get_lines():
            xy = axes.transData.transform(np.column_stack(line.get_data()))
            assert not any(legend.contains(x, y) for x, y in xy), line.get_label()
        labels = [axes.xaxis.label, axes.yaxis.label, axes.title]
        for box in _extents([t for t in labels if t.get_text()], figure):
            assert figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1)


def _text_boxes(figure):
    """(owner, window extent) of every visible text and legend of the figure's axes."""
    renderer = figure.canvas.get_renderer()
    boxes = []
    for i, axes in enumerate(figure.axes):
        texts = [axes.title]
        for axis in (axes.xaxis, axes.yaxis):
            if not axis.get_visible():  # a twin's shared axis is hidden
                continue
            texts.append(axis.label)
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if low <= tick.get_loc() <= high:  # ticks outside the view are not drawn
                    texts += [tick.label1, tick.label2]
        for text in texts:
            if text.get_visible() and text.get_text():
                boxes.append((f"axes {i}: {text.get_text()!r}", text.get_window_extent(renderer)))
        if axes.get_legend() is not None:
            boxes.append((f"axes {i}: legend", axes.get_legend().get_window_extent(renderer)))
    return boxes


def test_learning_curves_in_a_users_subplots_overlap_nothing():
    # plt.subplots' default spacing has no room for a second y axis's label, a legend
    # above the axes and the title: the function gives such a figure constrained layout
    from sktext import MLPClassifier

    X, y = _learning_data()
    clf = MLPClassifier(
        hidden_layer_sizes=(16,),
        max_iter=12,
        early_stopping=True,
        n_iter_no_change=50,
        random_state=0,
    ).fit(X, y)
    figure, axes = plt.subplots(2, 2, figsize=(8, 6))
    for ax in axes.flat:
        plot_learning_curve(clf, ax=ax)
    figure.canvas.draw()
    boxes = _text_boxes(figure)
    assert len(figure.axes) == 8  # four loss axes, four score axes
    overlaps = [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]
    assert not overlaps
    for name, box in boxes:
        assert figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1), name


def test_learning_curve_keeps_a_layout_the_user_chose():
    from sktext import MLPClassifier

    X, y = _learning_data()
    clf = MLPClassifier(hidden_layer_sizes=(4,), max_iter=2).fit(X, y)
    figure, ax = plt.subplots()
    figure.subplots_adjust(left=0.2, wspace=0.5)
    plot_learning_curve(clf, ax=ax)
    assert figure.get_layout_engine() is None
    assert figure.subplotpars.left == 0.2
    figure, ax = plt.subplots(layout="tight")
    plot_learning_curve(clf, ax=ax)
    assert type(figure.get_layout_engine()).__name__ == "TightLayoutEngine"


def _learning_data():
    from sklearn.datasets import make_classification

    return make_classification(n_samples=300, random_state=0)
