"""Tables into the text models: text columns beside numbers, categories and dates.

:class:`TabularInputMixin` lets every text model (TextCNN, LSTM, transformer, custom
modules; classifier and regressor) take a pandas DataFrame. Mixed in left of the model's
input base, it wraps the input hooks once for all of them:

* the text columns (``text_columns``) are read as one flat collection of documents
  (column after column) by the model's own text input, so one vocabulary or tokenizer
  serves all of them and every text feature of the model (truncation, length bucketing,
  unseen words...) applies unchanged;
* the other columns go through a fitted table encoder (``tabular``: ``"auto"``, a
  scikit-learn transformer, or ``"drop"``) to a dense float matrix;
* a batch of rows is ``{"columns": [text batch of each column], "tabular": features}``,
  read by :class:`~sktext.nn.FusionModule`, which wraps the model's torch module: each
  column through the same text encoder, the columns' branch, and the fusion
  (``fusion``) before one output layer.

A 1-D collection of documents means what it always meant, and so does a DataFrame of
one text column without other columns (the plain text module, no fusion).

A model with a ``text_pair`` parameter (the transformers) can instead read its two text
columns jointly, as one pair per row (:class:`~sktext.preprocessing._pretrained.TextPairs`
handed to its text input): one sequence, one document vector, one text input of the
module.
"""

from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
import torch
from sklearn.base import clone, is_classifier
from sklearn.utils.multiclass import type_of_target

from ..nn import FusionModule
from ..nn._fusion import FUSION_OPTIONS
from ..preprocessing._pretrained import TextPairs
from ..preprocessing._table import make_table_encoder
from ..utils._seeding import seed_from_random_state
from ..utils._sklearn_compat import HasMethods, Interval, StrOptions
from ..utils._validation import check_documents

__all__ = ["TabularInputMixin"]

#: The weights of the text vector tried on held-out rows (``text_weight_``).
_TEXT_WEIGHTS = tuple(i / 10 for i in range(11))


class _Table(NamedTuple):
    """Validated input of a DataFrame: the text input of all text columns, the features."""

    text: object  # the model's validated input of the flat documents (or of the pairs)
    n_rows: int
    n_text_columns: int  # text inputs of the module per row (1 for a pair)
    tabular: np.ndarray | None  # (n_rows, n_features) float32


def _is_frame(X):
    return hasattr(X, "columns") and hasattr(X, "iloc") and getattr(X, "ndim", 2) == 2


class TabularInputMixin:
    """DataFrame input for a text model: ``text_columns``, ``tabular``, ``fusion`` (mixin)."""

    _parameter_constraints: dict = {
        "text_columns": [None, str, list, tuple],
        "tabular": [StrOptions({"auto", "drop"}), HasMethods(["fit", "transform"])],
        "fusion": [StrOptions(set(FUSION_OPTIONS))],
        "tabular_hidden": [Interval(Integral, 1, None, closed="left")],
        "modality_dropout": [Interval(Real, 0, 1, closed="left")],
    }
    # a rate of the trained FusionModule: a continued fit applies the current one
    _continuable = frozenset({"modality_dropout"})
    _dropout_rates = ("modality_dropout",)

    # ------------------------------------------------------------------ input
    def _text_inputs(self):
        """Text inputs of the module per row: the text columns, or 1 for a pair of them."""
        table = self.table_
        return 1 if table.get("text_pair", False) else table["n_text_columns"]

    def _fused(self):
        table = getattr(self, "table_", None)
        return table is not None and (self._text_inputs() > 1 or table["n_features"] > 0)

    def _check_X(self, X, *, reset):
        return self._check_input(X, reset=reset, y=None)

    def _check_fit_X(self, X, y):
        return self._check_input(X, reset=True, y=y)

    def _check_input(self, X, *, reset, y):
        if reset:
            self.table_ = self.tabular_encoder_ = None
            if hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        elif getattr(self, "table_", None) is None:
            self._refuse_frame(X)
        elif not _is_frame(X):
            self._refuse_documents()
        if not _is_frame(X):
            if reset and getattr(self, "text_pair", False):
                raise ValueError(
                    f"{type(self).__name__} with text_pair=True reads two text columns of "
                    f"a pandas DataFrame as a pair; got {type(X).__name__}. Pass a DataFrame "
                    "and name the two columns in text_columns."
                )
            return super()._check_X(X, reset=reset)
        return self._check_table(X, reset=reset, text=super()._check_X, y=y)

    def _check_continued_X(self, X):
        if getattr(self, "table_", None) is None:  # fitted on a collection of documents
            self._refuse_frame(X)
            return super()._check_continued_X(X)
        if not _is_frame(X):
            self._refuse_documents()
        grow = super()._check_continued_X
        return self._check_table(X, reset=False, text=lambda docs, reset: grow(docs))

    def _refuse_documents(self):
        raise ValueError(
            f"{type(self).__name__} was fitted on a DataFrame with columns "
            f"{list(self.feature_names_in_)}; pass a DataFrame with those columns."
        )

    def _refuse_frame(self, X):
        if _is_frame(X):
            raise ValueError(
                f"{type(self).__name__} was fitted on a collection of documents, not on a "
                "DataFrame; pass the documents (or refit on the DataFrame)."
            )

    def _text_column_names(self, X):
        columns = [str(c) for c in X.columns]
        names = self.text_columns
        if names is None:
            if len(columns) == 1:
                return columns
            raise ValueError(
                f"{type(self).__name__} got a DataFrame of {len(columns)} columns "
                f"({columns[:10]}) without text_columns: name the column(s) holding the "
                "text, e.g. text_columns='review' (the others go through `tabular`)."
            )
        names = [names] if isinstance(names, str) else list(names)
        if not names or not all(isinstance(n, str) for n in names):
            raise ValueError(f"text_columns must name one or more columns; got {names!r}.")
        missing = [n for n in names if n not in columns]
        if missing:
            raise ValueError(
                f"text_columns {missing} are not columns of the DataFrame ({columns[:20]})."
            )
        if len(set(names)) != len(names):
            raise ValueError(f"text_columns names a column twice: {names!r}.")
        return names

    def _check_table(self, X, *, reset, text, y=None):
        columns = [str(c) for c in X.columns]
        if len(set(columns)) != len(columns):
            raise ValueError(f"The DataFrame has duplicate column names: {columns}.")
        X = X.set_axis(columns, axis=1)
        if reset:
            names = self._text_column_names(X)
            pair = bool(getattr(self, "text_pair", False))
            if pair and len(names) != 2:
                raise ValueError(
                    f"text_pair=True reads two text columns as one pair per row: "
                    f"text_columns must name exactly two columns; got {names!r}."
                )
            others = [c for c in columns if c not in names]
            self.feature_names_in_ = np.asarray(columns, dtype=object)
            self.n_features_in_ = len(columns)
        else:
            fitted = list(self.feature_names_in_)
            missing = [c for c in fitted if c not in columns]
            unseen = [c for c in columns if c not in fitted]
            if missing or unseen:
                raise ValueError(
                    f"{type(self).__name__} was fitted on the columns {fitted}; the "
                    f"DataFrame lacks {missing} and has {unseen} in addition (columns are "
                    "matched by name; their order may differ)."
                )
            names = self.table_["text_columns"]
            pair = self.table_.get("text_pair", False)
            others = self.table_["other_columns"]
        columns = [
            check_documents(X[name], estimator_name=f"{type(self).__name__} (column {name!r})")
            for name in names
        ]
        # a pair: the two texts of a row read together; else the columns one after another
        docs = TextPairs(*columns) if pair else [doc for column in columns for doc in column]
        features = self._table_features(X[others], reset=reset, y=y)
        if reset:
            self.table_ = {
                "text_columns": names,
                "other_columns": others,
                "n_text_columns": len(names),
                "n_features": 0 if features is None else features.shape[1],
                "text_pair": pair,
            }
        return _Table(text(docs, reset=reset), len(X), 1 if pair else len(names), features)

    def _table_features(self, frame, *, reset, y=None):
        if reset:
            if not frame.shape[1] or (isinstance(self.tabular, str) and self.tabular == "drop"):
                return None
            if isinstance(self.tabular, str):  # "auto"
                encoder = make_table_encoder(
                    len(frame),
                    boosting=self._boosting_target(y, len(frame)),
                    random_state=seed_from_random_state(self.random_state),
                )
            else:
                encoder = clone(self.tabular)
            # targets for the encoders that learn from them (out-of-fold boosting)
            features = encoder.fit_transform(frame, None if y is None else self._target_for(y))
            self.tabular_encoder_ = encoder
        elif self.tabular_encoder_ is None:
            return None
        else:
            features = self.tabular_encoder_.transform(frame)
        if hasattr(features, "toarray"):
            features = features.toarray()
        features = np.asarray(features, dtype=np.float32)
        if features.ndim != 2 or features.shape[0] != len(frame):
            raise ValueError(
                f"The tabular encoder gave an array of shape {features.shape} for "
                f"{len(frame)} rows; it must give one row of numbers per row."
            )
        if not np.isfinite(features).all():
            raise ValueError(
                "The tabular encoder gave NaN or infinite values; impute or scale the "
                "columns (tabular='auto' does), or drop them (tabular='drop')."
            )
        return features

    def _target_for(self, y):
        return y if hasattr(y, "shape") else np.asarray(y, dtype=object)

    def _boosting_target(self, y, n_rows):
        """The kind of boosting whose out-of-fold predictions join the columns, or None.

        Single-output targets only (one label or one value per row), as
        :class:`~sklearn.ensemble.HistGradientBoostingClassifier` and its regressor take;
        for targets the model itself will refuse, None (the model's own error follows).
        """
        if y is None:
            return None
        try:
            y = self._target_for(y)
            if y.ndim != 1 or len(y) != n_rows:
                return None
            kind = type_of_target(y)
        except (TypeError, ValueError):
            return None
        if is_classifier(self):
            return "classification" if kind in ("binary", "multiclass") else None
        return "regression" if kind in ("continuous", "binary", "multiclass") else None

    def _n_samples(self, X):
        return X.n_rows if isinstance(X, _Table) else super()._n_samples(X)

    def _sequence_lengths(self, X):
        if not isinstance(X, _Table):
            return super()._sequence_lengths(X)
        lengths = super()._sequence_lengths(X.text)
        if lengths is None:
            return None
        # a row's padded cost: the sum of its text columns' lengths
        return np.asarray(lengths).reshape(X.n_text_columns, X.n_rows).sum(axis=0)

    def _token_budgets(self, X, batch_size):
        if not isinstance(X, _Table):
            return super()._token_budgets(X, batch_size)
        budgets = super()._token_budgets(X.text, batch_size)
        if budgets is None:
            return None
        return tuple(X.n_text_columns * b for b in budgets)

    def _token_pair_budget(self, X, batch_size):
        if not isinstance(X, _Table):
            return super()._token_pair_budget(X, batch_size)
        budget = super()._token_pair_budget(X.text, batch_size)
        # a row's length is the sum of its k columns': k columns within the budget's
        # length L give at most (k * L) ** 2
        return None if budget is None else X.n_text_columns**2 * budget

    def _batch_maker(self, X):
        if not isinstance(X, _Table):
            return super()._batch_maker(X)
        make_text = super()._batch_maker(X.text)
        if not self._fused():
            return make_text
        n_rows, k, tabular = X.n_rows, X.n_text_columns, X.tabular
        features = None if tabular is None else torch.from_numpy(tabular)

        def make_batch(rows):
            rows = np.asarray(rows)
            batch = {"columns": [make_text(rows + c * n_rows) for c in range(k)]}
            if features is not None:
                batch["tabular"] = features[torch.from_numpy(rows)]
            return batch

        return make_batch

    def _build_module_params(self, X):
        text_input = X.text if isinstance(X, _Table) else X
        module, kwargs = super()._build_module_params(text_input)
        if not self._fused():
            return module, kwargs
        return FusionModule, dict(
            text_module=module,
            n_text_columns=self._text_inputs(),
            n_tabular_features=self.table_["n_features"],
            fusion=self.fusion,
            tabular_hidden=self.tabular_hidden,
            modality_dropout=self.modality_dropout,
            **kwargs,
        )

    def _after_training(self, valid_dataset):
        """Weigh the text against the columns on the held-out rows (``text_weight_``).

        A text encoder fits its training rows better than it predicts new ones; the
        output layer, trained on those rows, trusts the text too much. With early
        stopping, the held-out rows choose the weight of the text vector at prediction
        (0, 0.1, ..., 1: the lowest held-out loss, 1 on ties) of the blend
        ``w * f(text, columns) + (1 - w) * f(columns alone)`` of the outputs, the
        columns-alone model being the one modality dropout trains.
        """
        super()._after_training(valid_dataset)
        module = self.net_.module_
        if getattr(module, "branch", None) is None:
            self.__dict__.pop("text_weight_", None)  # of an earlier fused fit
            return
        best = 1.0
        if valid_dataset is not None:
            losses = {}
            for weight in _TEXT_WEIGHTS[::-1]:  # 1 first: ties keep the text whole
                module.text_weight.fill_(weight)
                losses[weight] = self._validation_loss(valid_dataset)
            best = min(losses, key=losses.get)
        module.text_weight.fill_(best)
        self.text_weight_ = best

    def _continued_module(self, X, module):
        return super()._continued_module(X.text if isinstance(X, _Table) else X, module)

    def _document_vector_size(self):
        if self._fused():
            return self.net_.module_.output.in_features
        return super()._document_vector_size()
