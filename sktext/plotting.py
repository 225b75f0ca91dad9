"""Plots of word embeddings and training curves (needs matplotlib).

matplotlib is an optional dependency (``pip install "sktext[plotting]"``); it is imported
only when a function of this module is called.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import warnings
from numbers import Real

import numpy as np
from gensim.models import KeyedVectors

__all__ = ["plot_embeddings", "plot_learning_curve"]


def _pyplot(function):
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{function}() needs matplotlib: pip install matplotlib "
            '(or pip install "sktext[plotting]").'
        ) from exc
    return plt


def _resolve_axes(ax, function):
    if ax is None:
        # constrained layout keeps axis labels, a second y axis and legends inside the figure
        return _pyplot(function).subplots(layout="constrained")[1]
    return ax


def _make_room(figure):
    """Give ``figure`` matplotlib's constrained layout unless its layout is the user's.

    A second y axis, a legend above the axes and a raised title need more room than
    ``plt.subplots``' default spacing leaves between axes: without a layout engine they
    overlap the neighbouring axes' labels. A figure with a layout engine, or whose
    spacing was set with ``subplots_adjust``, is left as it is.
    """
    from matplotlib import rcParams

    if figure.get_layout_engine() is not None:
        return
    params = figure.subplotpars
    names = ("left", "right", "bottom", "top", "wspace", "hspace")
    if any(getattr(params, name) != rcParams[f"figure.subplot.{name}"] for name in names):
        return  # spacing chosen by the user
    figure.set_layout_engine("constrained")


def _overlaps(box, boxes):
    """Which of ``boxes`` (rows of x0, y0, x1, y1) overlap ``box``, and by how much."""
    dx = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    dy = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    return np.clip(dx, 0, None) * np.clip(dy, 0, None)


_LEADER_LINE = {"arrowstyle": "-", "color": "0.6", "lw": 0.6, "shrinkA": 0, "shrinkB": 2}

# directions tried around a point, right and above first (where matplotlib users look)
_DIRECTIONS = np.array(
    [(1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)], dtype=float
)


def _place_labels(ax, annotations, points, *, n_rings=12, pad=1.0):
    """Place word labels so that no two overlap and none covers a point.

    Greedy placement in display (pixel) coordinates: each label in turn takes the first
    free spot among positions around its point, on rings of growing distance, eight
    directions per ring; "free" means overlapping no label placed before and no point.
    A label that ends away from its point keeps a thin grey leader line (the
    annotation's arrow, hidden for the others). When no spot is
    free within ``n_rings``, the least-covered one is taken. Positions hold for the
    figure's size at the time of the call.
    """
    if not annotations:
        return
    from matplotlib.text import Text

    renderer = ax.figure.canvas.get_renderer()
    to_points = 72.0 / ax.figure.dpi
    anchors = ax.transData.transform(points)  # (n, 2) pixels
    radius = 3.0 / to_points  # about half a marker, in pixels
    point_boxes = np.hstack([anchors - radius, anchors + radius])
    frame = ax.get_window_extent(renderer)
    frame = np.array([frame.x0, frame.y0, frame.x1, frame.y1])
    placed = np.empty((0, 4))
    for annotation, anchor in zip(annotations, anchors, strict=True):
        box = Text.get_window_extent(annotation, renderer)  # the text, without its arrow
        size = np.array([box.width, box.height]) + 2 * pad
        step = max(size[1], 2 * radius)
        best, best_cost = None, np.inf
        for ring in range(n_rings):
            for direction in _DIRECTIONS:
                # the box's centre, beside the point in this direction, ring steps away
                centre = anchor + direction * (size / 2 + radius + ring * step)
                candidate = np.concatenate([centre - size / 2, centre + size / 2])
                outside = np.prod(size) - _overlaps(candidate, frame[None, :])[0]
                cost = (
                    _overlaps(candidate, placed).sum()
                    + _overlaps(candidate, point_boxes).sum()
                    + outside
                )
                if cost < 1e-6:  # rounding: a box inside the frame may leave ~1e-12 "outside"
                    cost = 0.0
                if cost < best_cost:
                    best, best_cost, best_ring = candidate, cost, ring
                if cost == 0:
                    break
            if best_cost == 0:
                break
        placed = np.vstack([placed, best])
        annotation.set_horizontalalignment("left")
        annotation.set_verticalalignment("bottom")
        annotation.xyann = tuple((best[:2] + pad - anchor) * to_points)
        # the arrow runs from the label's edge to its point; only kept for labels set apart
        annotation.arrow_patch.set_visible(best_ring > 0)


def _word_groups(words):
    """``words`` as a list of (group label or None, list of words)."""
    if isinstance(words, str):
        raise ValueError(
            "words must be a list of words or a dict mapping group names to lists of "
            "words, not a single string."
        )
    if isinstance(words, dict):
        groups = []
        for label, group in words.items():
            if isinstance(group, str):
                raise ValueError(f"The words of group {label!r} must be a list, not a string.")
            groups.append((label, list(group)))
        return groups
    return [(None, list(words))]


def plot_embeddings(
    wv,
    words,
    *,
    method="tsne",
    ax=None,
    perplexity=None,
    random_state=None,
    annotate=True,
):
    """Map chosen words to 2-D with t-SNE or PCA and draw them as a labelled scatter plot.

    Parameters
    ----------
    wv : gensim.models.KeyedVectors or fitted embedding transformer
        The word vectors, or a fitted ``Word2VecTransformer`` (its ``wv_`` is used).
    words : list of str or dict of str to list of str
        The words to show. A dict maps group names to words; each group gets its own
        colour and a legend entry. Words outside the vocabulary are left out with a
        warning.
    method : {"tsne", "pca"}, default="tsne"
        :class:`~sklearn.manifold.TSNE` (on the unit-normalized vectors, cosine
        geometry) or :class:`~sklearn.decomposition.PCA`.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is created when None.
    perplexity : float, default=None
        The t-SNE perplexity; ``None`` uses ``min(30, (n_words - 1) / 3)`` so that small
        word lists work. Ignored by PCA.
    random_state : int, RandomState instance or None, default=None
        Seed of t-SNE's initialisation.
    annotate : bool, default=True
        Write each word next to its point. Labels are placed so that none overlaps
        another or covers a point (the first free spot around the point, moving
        outwards; a label set apart gets a thin leader line). Group legends go outside
        the map, to its right.

    Returns
    -------
    ax : matplotlib Axes
        The axes with the plot.

    Raises
    ------
    ValueError
        If fewer than two of the words are in the vocabulary, or ``method`` is unknown.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from sktext.plotting import plot_embeddings
    >>> wv = KeyedVectors(vector_size=5)
    >>> wv.add_vectors(["cat", "dog", "car", "bus"], np.random.default_rng(0).normal(size=(4, 5)))
    >>> ax = plot_embeddings(wv, {"animals": ["cat", "dog"], "vehicles": ["car", "bus"]},
    ...                      method="pca")
    >>> [text.get_text() for text in ax.texts]
    ['cat', 'dog', 'car', 'bus']
    """
    if not isinstance(wv, KeyedVectors):
        fitted = getattr(wv, "wv_", None)
        if not isinstance(fitted, KeyedVectors):
            raise TypeError(
                "wv must be a gensim KeyedVectors or a fitted embedding transformer; got "
                f"{type(wv).__name__}."
            )
        wv = fitted
    if method not in ("tsne", "pca"):
        raise ValueError(f"method must be 'tsne' or 'pca'; got {method!r}.")
    if perplexity is not None and (not isinstance(perplexity, Real) or perplexity <= 0):
        raise ValueError(f"perplexity must be a positive number or None; got {perplexity!r}.")
    groups = []
    missing = []
    seen = set()
    for label, group in _word_groups(words):
        known = []
        for word in group:
            if word in seen:
                continue
            if word in wv.key_to_index:
                known.append(word)
                seen.add(word)
            else:
                missing.append(word)
        groups.append((label, known))
    if missing:
        warnings.warn(
            f"{len(missing)} words are not in the vocabulary and are not plotted: "
            f"{missing[:10]}{' ...' if len(missing) > 10 else ''}",
            UserWarning,
            stacklevel=2,
        )
    plotted = [word for _, group in groups for word in group]
    if len(plotted) < 2:
        raise ValueError(
            f"At least two words of the vocabulary are needed for a map; got {len(plotted)}."
        )

    vectors = np.asarray(wv[plotted], dtype=np.float64)
    if method == "pca":
        from sklearn.decomposition import PCA

        coords = PCA(n_components=2).fit_transform(vectors)
        xlabel, ylabel = "PC 1", "PC 2"
    else:
        from sklearn.manifold import TSNE

        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        if perplexity is None:
            perplexity = max(min(30.0, (len(plotted) - 1) / 3), 1.0)
        if perplexity >= len(plotted):
            raise ValueError(
                f"perplexity={perplexity} must be smaller than the number of words plotted "
                f"({len(plotted)})."
            )
        coords = TSNE(
            n_components=2,
            perplexity=perplexity,
            init="pca",
            random_state=random_state,
        ).fit_transform(vectors)
        xlabel, ylabel = "t-SNE 1", "t-SNE 2"

    ax = _resolve_axes(ax, "plot_embeddings")
    start = 0
    annotations = []
    for label, group in groups:
        if not group:
            continue
        part = coords[start : start + len(group)]
        ax.scatter(part[:, 0], part[:, 1], label=label, s=18)
        if annotate:
            for word, (x, y) in zip(group, part, strict=True):
                annotations.append(
                    ax.annotate(
                        word,
                        (x, y),
                        xytext=(3, 3),
                        textcoords="offset points",
                        fontsize=8,
                        # a light box: labels stay readable over leader lines
                        bbox={
                            "boxstyle": "square,pad=0.05",
                            "fc": "white",
                            "ec": "none",
                            "alpha": 0.6,
                        },
                        arrowprops=_LEADER_LINE,
                    )
                )
        start += len(group)
    if any(label is not None for label, group in groups if group):
        # outside the map, to its right: a legend inside would cover words
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, borderaxespad=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(f"{'t-SNE' if method == 'tsne' else 'PCA'} map of {len(plotted)} words")
    if annotations:
        ax.margins(0.12)  # room for the labels at the edges
        ax.figure.canvas.draw()  # final layout, so that label sizes in pixels are known
        _place_labels(ax, annotations, coords)
    return ax


def _history(source):
    """The skorch History of ``source`` (a History, a net or a sktext estimator) or None."""
    if isinstance(source, list):
        return source  # a skorch History is a list of per-epoch dicts
    for attribute in ("history_", "history"):
        try:
            history = getattr(source, attribute)
        except AttributeError:  # also NotFittedError
            continue
        if isinstance(history, list):
            return history
    return None


def _curves(source):
    """(training losses, validation losses, validation scores) of a fitted model/History."""
    history = _history(source)
    if history is not None and not all(isinstance(row, dict) for row in history):
        history = None
    if hasattr(source, "loss_curve_"):
        # sktext's and scikit-learn's MLPClassifier
        losses = list(source.loss_curve_)
        scores = getattr(source, "validation_scores_", None)
    elif history and all("train_loss" in row for row in history):
        losses = [row["train_loss"] for row in history]
        scores = [row.get("valid_acc") for row in history]
    else:
        raise TypeError(
            "plot_learning_curve needs a fitted classifier with loss_curve_ (sktext or "
            "scikit-learn MLPClassifier), a skorch net or a skorch History; got "
            f"{type(source).__name__}."
        )
    valid_losses = None
    if history and len(history) == len(losses):
        valid_losses = [row.get("valid_loss") for row in history]
    return losses, valid_losses, scores


def plot_learning_curve(estimator, *, ax=None):
    """Plot the training loss per epoch and, when recorded, the validation curves.

    Parameters
    ----------
    estimator : fitted classifier, skorch net or skorch History
        A fitted sktext or scikit-learn ``MLPClassifier`` (``loss_curve_``, and
        ``validation_scores_`` with ``early_stopping=True``), any fitted sktext neural
        estimator (``history_``), a skorch net or its ``History``.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is created when None. Validation scores go on a
        second y axis sharing the epochs. The legend goes above the axes, under the
        title; so that both and the second axis's label stay clear of neighbouring
        axes, a figure without a layout engine (``plt.subplots()``'s default) gets
        matplotlib's constrained layout, unless its spacing was set with
        ``subplots_adjust``.

    Returns
    -------
    ax : matplotlib Axes
        The axes of the loss curves.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.neural_network import MLPClassifier
    >>> from sktext.plotting import plot_learning_curve
    >>> X, y = make_classification(n_samples=100, random_state=0)
    >>> clf = MLPClassifier(max_iter=30, early_stopping=True, random_state=0).fit(X, y)
    >>> ax = plot_learning_curve(clf)
    >>> [line.get_label() for line in ax.get_lines()]
    ['training loss']
    """
    losses, valid_losses, scores = _curves(estimator)
    ax = _resolve_axes(ax, "plot_learning_curve")
    _make_room(ax.figure)
    epochs = np.arange(1, len(losses) + 1)
    ax.plot(epochs, losses, marker="o", markersize=3, label="training loss")
    handles = list(ax.get_lines())
    if valid_losses and any(v is not None for v in valid_losses):
        values = [np.nan if v is None else v for v in valid_losses]
        handles += ax.plot(epochs, values, marker="o", markersize=3, label="validation loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if scores and any(s is not None for s in scores):
        values = [np.nan if s is None else s for s in scores]
        score_ax = ax.twinx()
        handles += score_ax.plot(
            epochs, values, color="tab:green", marker="s", markersize=3, label="validation score"
        )
        score_ax.set_ylabel("validation score")
        # keep the loss axes (and its legend) above the score curve
        ax.set_zorder(score_ax.get_zorder() + 1)
        ax.patch.set_visible(False)
    # above the axes (inside, "best" would ignore the score axis's curve): in one row, or
    # one entry per row when the row is wider than the axes
    renderer = ax.figure.canvas.get_renderer()
    for ncols in (len(handles), 1):
        legend = ax.legend(
            handles=handles,
            labels=[h.get_label() for h in handles],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=ncols,
            fontsize=8,
            frameon=False,
            borderaxespad=0.2,
        )
        box = legend.get_window_extent(renderer)
        if box.width <= ax.get_window_extent(renderer).width:
            break
    ax.set_title("Learning curve", pad=box.height * 72.0 / ax.figure.dpi + 6)
    return ax
