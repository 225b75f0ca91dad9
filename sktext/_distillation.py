"""Knowledge distillation as a scikit-learn meta-estimator: a slow teacher, a fast student.

``DistilledClassifier(teacher, student).fit(X, y)`` fits the teacher on the labelled
texts (or takes a fitted one wrapped in ``FrozenEstimator``), builds a *transfer set*
(the training texts, unlabelled texts passed to ``fit``, and perturbed copies of them),
labels it with the teacher's class probabilities softened by a temperature, and trains
the student on those probabilities (Hinton et al., 2015; Tang et al., 2019). ``predict``
is the student's. The soft targets travel to the student as ``y`` (a
:class:`~sktext.neural_network._tasks.SoftTargets` array, which a Pipeline hands on
unchanged), where the shared training machinery trains on them with its
``SoftTargetTask``: no second training loop.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import numbers
import sys

import numpy as np
from joblib.hashing import NumpyHasher
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
    is_classifier,
    is_regressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_memory

from .neural_network._tasks import NeuralClassifierMixin, SoftTargets
from .preprocessing import SequenceVectorizer, TextAugmenter
from .utils._docstrings import fill_doc
from .utils._seeding import seed_from_random_state
from .utils._sklearn_compat import HasMethods, Interval, StrOptions, check_is_fitted
from .utils._validation import check_documents

__all__ = ["DistilledClassifier", "DistilledRegressor"]

#: smallest teacher probability kept before softening (log(0) has no temperature)
_MIN_PROBABILITY = 1e-7


def _final_step(estimator):
    return estimator.steps[-1][1] if isinstance(estimator, Pipeline) else estimator


def _seeded(estimator, rng):
    """A clone of ``estimator`` whose unset ``random_state`` parameters are drawn from ``rng``.

    Seeds the user set are kept; a frozen estimator is left as it is.
    """
    if isinstance(estimator, FrozenEstimator):
        return estimator
    estimator = clone(estimator)
    unset = sorted(
        name
        for name, value in estimator.get_params(deep=True).items()
        if (name == "random_state" or name.endswith("__random_state")) and value is None
    )
    return estimator.set_params(**{name: seed_from_random_state(rng) for name in unset})


#: a torch module's train/eval flags (torch's, and transformers' kernel mode)
_MODE_FLAGS = ("training", "_kernels_mode")


class _ValueHasher(NumpyHasher):
    """joblib's hasher, with the objects whose pickle is not a function of their value
    hashed by value: a torch tensor pickles the address of its storage (every copy of a
    fitted network hashed differently, so a cache keyed on one never hit), a skorch net
    its modules as ``torch.save`` bytes, an optimizer its state keyed by the parameter
    tensors, a Hugging Face tokenizer the temporary folder it was loaded from
    (``sktext.load``), a module its train/eval mode (which ``predict`` switches)."""

    def save(self, obj):
        torch, skorch, transformers = (
            sys.modules.get(name) for name in ("torch", "skorch", "transformers")
        )
        if torch is not None and isinstance(obj, torch.Tensor):
            tensor = obj.detach().cpu()
            tensor = tensor.to_dense() if tensor.layout != torch.strided else tensor
            raw = tensor.contiguous().reshape(-1).view(torch.uint8).numpy()
            obj = ("torch.Tensor", str(tensor.dtype), tuple(tensor.shape), raw)
        elif torch is not None and isinstance(obj, torch.nn.Module):
            # without the train/eval flags: predicting switches them, nothing else
            state = {k: v for k, v in vars(obj).items() if k not in _MODE_FLAGS}
            obj = (type(obj).__module__, type(obj).__qualname__, state)
        elif torch is not None and isinstance(obj, torch.optim.Optimizer):
            # its state is keyed by the parameters themselves; state_dict() by position
            obj = (type(obj).__module__, type(obj).__qualname__, obj.state_dict())
        elif skorch is not None and isinstance(obj, skorch.NeuralNet):
            obj = (type(obj).__module__, type(obj).__qualname__, vars(obj))
        elif transformers is not None and isinstance(obj, transformers.PreTrainedTokenizerBase):
            state = {k: v for k, v in vars(obj).items() if k != "name_or_path"}
            state["init_kwargs"] = {
                k: v for k, v in state.get("init_kwargs", {}).items() if k != "name_or_path"
            }
            obj = (type(obj).__module__, type(obj).__qualname__, state)
        super().save(obj)


def _cached(memory, function, teacher, *args):
    """``function(teacher, key, *args)`` through ``memory``, the teacher keyed by value:
    joblib's own hash of a fitted network differs between equal copies (a frozen teacher
    loaded again, or sent to a search's workers), so the cache never hit."""
    if getattr(memory, "location", True) is None:  # check_memory(None): no cache
        return function(teacher, None, *args)
    key = _ValueHasher(hash_name="md5").hash(teacher)
    return memory.cache(function, ignore=["teacher"])(teacher, key, *args)


def _teach(teacher, teacher_key, X_fit, y_fit, transfer, method):
    """Fit the teacher on the labelled rows and label the transfer set (cached unit;
    ``teacher`` is keyed by ``teacher_key``, its hash by value)."""
    teacher = teacher.fit(X_fit, y_fit)  # a clone already (_seeded), or frozen
    return teacher, getattr(teacher, method)(transfer)


#: the student's parameters that decide its vocabulary (SequenceVectorizer's)
_VOCABULARY_PARAMS = (
    "lowercase",
    "token_pattern",
    "tokenizer",
    "stop_words",
    "strip_accents",
    "min_df",
    "max_features",
)


def _student_words(student, transfer):
    """The words of the transfer set the student will have in its vocabulary."""
    params = student.get_params(deep=False)
    vectorizer = SequenceVectorizer(
        **{name: params[name] for name in _VOCABULARY_PARAMS if name in params}
    )
    return list(vectorizer.fit(transfer).vocabulary_)


def _teacher_word_vectors(teacher, teacher_key, words):
    """``KeyedVectors`` of ``words``, each the teacher's ``transform`` of the word alone
    (cached, ``teacher`` keyed by ``teacher_key``)."""
    from gensim.models import KeyedVectors

    vectors = np.asarray(teacher.transform(words), dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(words) or not np.isfinite(vectors).all():
        raise ValueError(
            f"The teacher's transform gave {vectors.shape} values (or non-finite ones) for "
            f"{len(words)} words; word_vectors='teacher' needs one finite vector per word."
        )
    keyed = KeyedVectors(vectors.shape[1])
    keyed.add_vectors(words, vectors)
    return keyed


def _principal_word_vectors(keyed, dim):
    """``keyed`` on its ``dim`` principal components; as it is if ``dim`` is None or not smaller.

    The vectors are centred and projected on the ``dim`` directions of most variance
    (scikit-learn's ``PCA``, exact SVD: the same words give the same vectors).
    """
    if dim is None or dim >= keyed.vector_size or len(keyed) <= dim:
        return keyed
    from gensim.models import KeyedVectors
    from sklearn.decomposition import PCA

    vectors = PCA(n_components=dim, svd_solver="full").fit_transform(keyed.vectors)
    reduced = KeyedVectors(dim)
    reduced.add_vectors(keyed.index_to_key, vectors.astype(np.float32))
    return reduced


class _BaseDistilled(MetaEstimatorMixin, BaseEstimator):
    """The fit both distillers share: split, teacher, transfer set, student, scores.

    Subclasses define ``_check_members`` (raise for a teacher or student of the wrong
    kind), ``_check_targets``, ``_student_targets`` (the student's ``y`` from the teacher's
    outputs on the transfer set), ``_score`` and ``_agreement``.
    """

    _parameter_constraints: dict = {
        "teacher": [HasMethods(["fit", "predict"])],
        "student": [HasMethods(["fit", "predict"])],
        "augmenter": [StrOptions({"auto"}), HasMethods(["augment"]), None],
        "word_vectors": [StrOptions({"teacher"}), None],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither"), None],
        "memory": [None, str, HasMethods(["cache"])],
        "random_state": ["random_state"],
    }

    _teacher_method = "predict"

    def _fit(self, X, y, X_unlabeled):
        self._validate_params()
        self._check_members()
        self._check_word_vectors()
        name = type(self).__name__
        docs = check_documents(X, estimator_name=name)
        if y is None:
            raise ValueError(f"{name} requires y to be passed, but the target y is None.")
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(
                f"{name} distills single-output targets: y must be 1-d, got shape {y.shape}."
            )
        if len(docs) != len(y):
            raise ValueError(
                "Found input variables with inconsistent numbers of samples: "
                f"[{len(docs)}, {len(y)}]"
            )
        if not docs:
            raise ValueError(f"Found array with 0 sample(s) while {name} needs at least 1.")
        unlabeled = (
            []
            if X_unlabeled is None
            else check_documents(X_unlabeled, estimator_name=f"{name} (X_unlabeled)")
        )
        y = self._check_targets(y)
        rng = check_random_state(self.random_state)

        idx = np.arange(len(docs))
        valid_idx = None
        if self.validation_fraction is not None:
            stratify = y if is_classifier(self) else None
            idx, valid_idx = train_test_split(
                idx, test_size=self.validation_fraction, random_state=rng, stratify=stratify
            )
        fit_docs = [docs[i] for i in idx]
        labelled = fit_docs + unlabeled
        transfer = labelled + self._augmenter(rng).augment(labelled)

        teacher, student = _seeded(self.teacher, rng), _seeded(self.student, rng)
        memory = check_memory(self.memory)
        teacher, outputs = _cached(
            memory, _teach, teacher, fit_docs, y[idx], transfer, self._teacher_method
        )
        # nothing is set on self before the student is fitted: a failed or interrupted
        # fit leaves the estimator as it was
        fitted = self._check_teacher(teacher, y)
        if self.word_vectors == "teacher":
            words = _student_words(student, transfer)
            keyed = _cached(memory, _teacher_word_vectors, teacher, words)
            dim = student.get_params(deep=False).get("embedding_dim")
            student.set_params(embeddings=_principal_word_vectors(keyed, dim))
        student = student.fit(transfer, self._student_targets(outputs, fitted))

        self.__dict__.update(fitted)
        self.teacher_, self.student_ = teacher, student
        self.n_transfer_ = len(transfer)
        self.n_augmented_ = len(transfer) - len(labelled)
        self.teacher_score_ = self.student_score_ = self.agreement_ = None
        if valid_idx is not None:
            valid_docs, y_valid = [docs[i] for i in valid_idx], y[valid_idx]
            by_teacher, by_student = teacher.predict(valid_docs), student.predict(valid_docs)
            self.teacher_score_ = self._score(y_valid, by_teacher)
            self.student_score_ = self._score(y_valid, by_student)
            self.agreement_ = self._agreement(by_teacher, by_student)
        return self

    def _check_teacher(self, teacher, y):
        """Fitted attributes read from the teacher; raise if it does not fit the targets."""
        return {}

    def _check_word_vectors(self):
        if self.word_vectors is None:
            return
        name = type(self).__name__
        params = self.student.get_params(deep=False)
        if "embeddings" not in params:  # a Pipeline's own parameters have none either
            raise TypeError(
                f"{name}(word_vectors='teacher') needs a student with word vectors (an "
                "sktext TextCNN or LSTM, not in a Pipeline); got "
                f"{type(self.student).__name__}, which has no 'embeddings' parameter."
            )
        if params["embeddings"] is not None:
            raise ValueError(
                f"{name}(word_vectors='teacher') sets the student's embeddings; its "
                f"embeddings must be None, got {type(params['embeddings']).__name__}."
            )
        if not hasattr(self.teacher, "transform"):
            raise TypeError(
                f"{name}(word_vectors='teacher') needs a teacher with transform (the vector "
                f"of a text); got {type(self.teacher).__name__}."
            )

    def _augmenter(self, rng):
        if self.augmenter is None:
            return TextAugmenter(n_copies=0)
        augmenter = TextAugmenter() if self.augmenter == "auto" else clone(self.augmenter)
        if augmenter.get_params().get("random_state", 0) is None:
            augmenter.set_params(random_state=seed_from_random_state(rng))
        return augmenter

    def predict(self, X):
        """The student's predictions.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted labels (classifier) or values (regressor).
        """
        check_is_fitted(self)
        return self.student_.predict(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


@fill_doc
class DistilledClassifier(ClassifierMixin, _BaseDistilled):
    """A fast student classifier trained on a slow teacher's soft outputs.

    ``fit`` fits the teacher on the labelled texts (a clone of it; or uses a fitted one
    wrapped in :class:`sklearn.frozen.FrozenEstimator`), builds the transfer set (the
    training texts, the unlabelled texts ``X_unlabeled``, and perturbed copies of both
    from ``augmenter``), labels it with the teacher's class probabilities softened at
    ``temperature`` and trains a clone of the student on them (Hinton et al.'s
    ``T**2 * KL`` loss). Prediction is the student's alone: its speed, its ONNX or
    scikit-learn export (``student_``).

    Parameters
    ----------
    teacher : classifier
        Any classifier with ``predict_proba`` that takes the texts (e.g.
        :class:`~sktext.TransformerClassifier`), cloned and fitted; a fitted one inside
        :class:`sklearn.frozen.FrozenEstimator` is used as it is (its classes must be
        those of ``y``).
    student : sktext classifier or Pipeline ending in one
        What learns from the soft targets and predicts: :class:`~sktext.TextCNNClassifier`,
        :class:`~sktext.LSTMClassifier`, :class:`~sktext.NeuralTextClassifier`, or a
        Pipeline such as ``TfidfVectorizer() → sktext.MLPClassifier()``. Its
        ``class_weight`` must be None. Measured best on short texts (Rotten Tomatoes,
        user guide "Serving fast"): ``LSTMClassifier(cell="gru")`` with
        ``word_vectors="teacher"`` and ``augmenter=TextAugmenter(n_copies=20)``.
    temperature : float, default=2.0
        Softening of the teacher's probabilities, ``p ** (1 / T)`` renormalised (= the
        softmax of its logits divided by ``T``); higher values spread the probability
        over the other classes, which tells the student how alike they are.
    {distillation_parameters}

    Attributes
    ----------
    teacher_ : classifier
        The fitted teacher.
    student_ : classifier or Pipeline
        The fitted student (what predicts).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    teacher_score_, student_score_ : float or None
        Accuracy of the teacher and of the student on the held-out texts (None without
        ``validation_fraction``).
    {distillation_attributes}

    See Also
    --------
    DistilledRegressor : The same for regression.
    sktext.preprocessing.TextAugmenter : The perturbed copies.

    Notes
    -----
    Multi-label targets are not supported. In a search, a fresh teacher is fitted for
    every candidate unless ``memory`` is set or the teacher is frozen (fitted beforehand,
    possibly on texts of the search's test folds).

    Examples
    --------
    >>> from sktext import DistilledClassifier, TextCNNClassifier
    >>> from sktext.utils._testing import make_topic_corpus
    >>> X, y = make_topic_corpus(60)
    >>> teacher = TextCNNClassifier(num_filters=8, max_iter=3, random_state=0)
    >>> student = TextCNNClassifier(num_filters=4, max_iter=3, random_state=0)
    >>> model = DistilledClassifier(teacher, student, random_state=0).fit(X, y)
    >>> model.predict(X[:2]).shape
    (2,)
    """

    _parameter_constraints: dict = {
        **_BaseDistilled._parameter_constraints,
        "temperature": [Interval(numbers.Real, 0, None, closed="neither")],
    }
    _teacher_method = "predict_proba"

    def __init__(
        self,
        teacher,
        student,
        *,
        temperature=2.0,
        augmenter="auto",
        word_vectors=None,
        validation_fraction=0.1,
        memory=None,
        random_state=None,
    ):
        self.teacher = teacher
        self.student = student
        self.temperature = temperature
        self.augmenter = augmenter
        self.word_vectors = word_vectors
        self.validation_fraction = validation_fraction
        self.memory = memory
        self.random_state = random_state

    def fit(self, X, y, X_unlabeled=None):
        """Fit the teacher, label the transfer set, train the student.

        Parameters
        ----------
        X : iterable of str
            Labelled training texts.
        y : array-like of shape (n_samples,)
            Class labels.
        X_unlabeled : iterable of str, default=None
            Texts without labels, added to the transfer set (with their copies).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, X_unlabeled)

    def _check_members(self):
        if not is_classifier(self.teacher) or not hasattr(self.teacher, "predict_proba"):
            raise TypeError(
                "DistilledClassifier's teacher must be a classifier with predict_proba; got "
                f"{type(self.teacher).__name__}."
            )
        final = _final_step(self.student)
        if not isinstance(final, NeuralClassifierMixin):
            raise TypeError(
                "DistilledClassifier's student must be an sktext classifier (TextCNN, LSTM, "
                "NeuralTextClassifier, TransformerClassifier) or a Pipeline ending in "
                f"sktext.MLPClassifier, which train on class probabilities; got "
                f"{type(final).__name__}, which can learn from labels only."
            )

    def _check_targets(self, y):
        check_classification_targets(y)
        if type_of_target(y) not in ("binary", "multiclass"):
            raise ValueError(
                f"DistilledClassifier needs binary or multiclass labels; got a target of "
                f"type {type_of_target(y)!r}."
            )
        return y

    def _check_teacher(self, teacher, y):
        classes = np.asarray(teacher.classes_)
        if not np.array_equal(classes, np.unique(y)):
            raise ValueError(
                f"The teacher's classes {classes.tolist()!r} differ from those of y, "
                f"{np.unique(y).tolist()!r}: a frozen teacher must have been fitted on the "
                "same labels."
            )
        return {"classes_": classes}

    def _student_targets(self, outputs, fitted):
        classes = fitted["classes_"]
        P = np.clip(np.asarray(outputs, dtype=np.float64), _MIN_PROBABILITY, None)
        if P.ndim != 2 or P.shape[1] != len(classes):
            raise ValueError(
                f"The teacher's predict_proba gave shape {P.shape}; expected one column per "
                f"class ({len(classes)})."
            )
        logits = np.log(P) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        soft = np.exp(logits)
        soft /= soft.sum(axis=1, keepdims=True)
        return SoftTargets(soft, classes, temperature=self.temperature)

    def _score(self, y_true, y_pred):
        return float(accuracy_score(y_true, y_pred))

    def _agreement(self, by_teacher, by_student):
        return float(np.mean(by_teacher == by_student))

    def predict_proba(self, X):
        """The student's class probabilities.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self.student_.predict_proba(X)


@fill_doc
class DistilledRegressor(RegressorMixin, _BaseDistilled):
    """A fast student regressor trained on a slow teacher's predictions.

    ``fit`` fits the teacher on the labelled texts (or uses a fitted one wrapped in
    :class:`sklearn.frozen.FrozenEstimator`), builds the transfer set (training texts,
    ``X_unlabeled`` and perturbed copies from ``augmenter``), labels it with the teacher's
    predicted values and fits a clone of the student on them. Prediction is the
    student's.

    Parameters
    ----------
    teacher : regressor
        Any regressor that takes the texts (e.g. :class:`~sktext.TransformerRegressor`),
        cloned and fitted, or fitted inside :class:`sklearn.frozen.FrozenEstimator`.
    student : regressor
        Any regressor of texts: an sktext text regressor, or a Pipeline such as
        ``TfidfVectorizer() → sktext.MLPRegressor()``.
    {distillation_parameters}

    Attributes
    ----------
    teacher_ : regressor
        The fitted teacher.
    student_ : regressor or Pipeline
        The fitted student (what predicts).
    teacher_score_, student_score_ : float or None
        R² of the teacher and of the student on the held-out texts (None without
        ``validation_fraction``).
    {distillation_attributes}

    See Also
    --------
    DistilledClassifier : The same for classification.

    Examples
    --------
    >>> import numpy as np
    >>> from sktext import DistilledRegressor, TextCNNRegressor
    >>> from sktext.utils._testing import make_topic_corpus
    >>> X, labels = make_topic_corpus(60)
    >>> y = np.array([len(doc.split()) for doc in X], dtype=float)
    >>> teacher = TextCNNRegressor(num_filters=8, max_iter=3, random_state=0)
    >>> student = TextCNNRegressor(num_filters=4, max_iter=3, random_state=0)
    >>> model = DistilledRegressor(teacher, student, random_state=0).fit(X, y)
    >>> model.predict(X[:2]).shape
    (2,)
    """

    def __init__(
        self,
        teacher,
        student,
        *,
        augmenter="auto",
        word_vectors=None,
        validation_fraction=0.1,
        memory=None,
        random_state=None,
    ):
        self.teacher = teacher
        self.student = student
        self.augmenter = augmenter
        self.word_vectors = word_vectors
        self.validation_fraction = validation_fraction
        self.memory = memory
        self.random_state = random_state

    def fit(self, X, y, X_unlabeled=None):
        """Fit the teacher, label the transfer set, train the student.

        Parameters
        ----------
        X : iterable of str
            Labelled training texts.
        y : array-like of shape (n_samples,)
            Target values.
        X_unlabeled : iterable of str, default=None
            Texts without targets, added to the transfer set (with their copies).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, X_unlabeled)

    def _check_members(self):
        for role, member in (("teacher", self.teacher), ("student", self.student)):
            if not is_regressor(member):
                raise TypeError(
                    f"DistilledRegressor's {role} must be a regressor; got {type(member).__name__}."
                )

    def _check_targets(self, y):
        try:
            y = y.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"DistilledRegressor needs numeric targets: {exc}") from None
        if not np.all(np.isfinite(y)):
            raise ValueError("Input y contains NaN or infinity.")
        return y

    def _student_targets(self, outputs, fitted):
        values = np.asarray(outputs, dtype=np.float64)
        if not np.all(np.isfinite(values)):
            raise ValueError(
                "The teacher predicted NaN or infinite values on the transfer set; the "
                "student cannot learn from them."
            )
        return values

    def _score(self, y_true, y_pred):
        return float(r2_score(y_true, y_pred))

    def _agreement(self, by_teacher, by_student):
        return float(r2_score(by_teacher, by_student))
