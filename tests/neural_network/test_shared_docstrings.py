"""The estimators describe a parameter or attribute they share in the same words.

The shared entries are written once, in :mod:`sktext.utils._docstrings`, and
substituted into the class docstrings by :func:`~sktext.utils._docstrings.fill_doc`.
These tests check the machinery, and that no public estimator drifts away from the others:
two estimators documenting a parameter (or a fitted attribute) of the same name must give
it the same type line and description, unless the difference is listed below with its
reason.
"""

import ast
import inspect
import re
from collections import defaultdict
from pathlib import Path

import pytest
from numpydoc.docscrape import NumpyDocString
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

import sktext
import sktext.embeddings
import sktext.neural_network
from sktext.utils import _docstrings
from sktext.utils._docstrings import BLOCKS, ByTask, fill_doc


def _public_estimators():
    found = {}
    for module in (sktext, sktext.neural_network, sktext.embeddings):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                found[obj.__name__] = obj
    return dict(sorted(found.items()))


ESTIMATORS = _public_estimators()


MLPS = ("MLPClassifier", "MLPRegressor")
CNNS = ("TextCNNClassifier", "TextCNNRegressor")
LSTMS = ("LSTMClassifier", "LSTMRegressor")
CUSTOM = ("NeuralTextClassifier", "NeuralTextRegressor")
TRANSFORMERS = ("TransformerClassifier", "TransformerRegressor")
WORD2VEC, FASTTEXT = ("Word2VecTransformer",), ("FastTextTransformer",)
GLOVE = ("GloVeTransformer",)
SENTENCE_ENCODER = ("SentenceEncoder",)
DISTILLERS = ("DistilledClassifier", "DistilledRegressor")
NN_REGRESSORS = tuple(n for n in ESTIMATORS if n.endswith("Regressor") and n not in DISTILLERS)

# Genuine differences: (name, estimators that describe it their own way, why). The
# estimators of one entry share their own description; the estimators of no entry share
# the common one. Anything else is drift. An entry that is no longer needed (its
# estimators describe the name as another group does) fails the test too.
PARAMETER_EXCEPTIONS = [
    # the MLPs keep scikit-learn's defaults (drop-in replacements) and read rows
    ("alpha", MLPS, "scikit-learn's default, 1e-4"),
    ("batch_size", MLPS, 'scikit-learn\'s default, "auto"; rows, not documents'),
    ("dropout", MLPS, "after each hidden layer; none by default, as scikit-learn's"),
    ("max_iter", MLPS, "scikit-learn's default, 200"),
    ("n_iter_no_change", MLPS, "scikit-learn's default, 10"),
    ("shuffle", MLPS, "rows: no length buckets"),
    ("early_stopping", ("MLPClassifier", "TransformerClassifier"), "off by default"),
    ("early_stopping", ("MLPRegressor", "TransformerRegressor"), "off by default; R²"),
    ("early_stopping", ("LSTMRegressor", "NeuralTextRegressor", "TextCNNRegressor"), "R²"),
    (
        "fusion",
        ("LSTMRegressor", "NeuralTextRegressor", "TextCNNRegressor", "TransformerRegressor"),
        'another default, "concat" (best on the movie ratings)',
    ),
    # the CNN and the LSTM take pretrained word vectors (embeddings=)
    ("random_state", CNNS + LSTMS, "also seeds the vectors of words embeddings lack"),
    ("verbose", CNNS + LSTMS, "also prints the coverage of the embeddings"),
    ("embedding_mode", LSTMS, 'no "multichannel" (a CNN has channels, an RNN not)'),
    ("pooling", LSTMS, "pools the steps of a recurrent network"),
    ("max_length", CUSTOM, "another default, None: the 2000 cap went to the CNN/LSTM only"),
    # fine-tuning a pretrained transformer: BERT's recipe (AdamW, a warm-up and decay
    # schedule over a planned number of epochs), the model's own tokens
    ("batch_size", TRANSFORMERS, "32, whole batches (the schedule counts them), no auto"),
    ("learning_rate", TRANSFORMERS, "warm-up then linear decay, or constant"),
    ("learning_rate_init", TRANSFORMERS, "the peak of the schedule, 1e-4"),
    ("max_iter", TRANSFORMERS, "the epochs of a planned schedule, 2"),
    ("dropout", TRANSFORMERS, "BERT's default, 0.1"),
    ("clip_grad_norm", TRANSFORMERS, "BERT's default, 1.0"),
    ("optimizer", TRANSFORMERS, "replaces AdamW: there is no solver"),
    ("max_length", TRANSFORMERS, "the model's tokens, within the model's limit"),
    *[(name, TRANSFORMERS, "AdamW's") for name in ("beta_1", "beta_2", "epsilon")],
    # SentenceEncoder: a frozen transformer that only encodes
    ("batch_size", SENTENCE_ENCODER, "inference batches, 64"),
    ("device", SENTENCE_ENCODER, "encodes only"),
    ("mixed_precision", SENTENCE_ENCODER, "inference only: no loss scaling"),
    ("max_length", SENTENCE_ENCODER, "no continued training to apply a new value to"),
    # the distillers: meta-estimators over a teacher and a student
    ("random_state", DISTILLERS, "seeds the split, the copies and the members' unset seeds"),
    ("validation_fraction", DISTILLERS, "scores teacher and student; None: no held-out texts"),
    ("teacher", ("DistilledClassifier",), "a classifier with predict_proba"),
    ("student", ("DistilledClassifier",), "an sktext classifier: it learns probabilities"),
    # the word-vector transformers keep gensim's (and GloVe's) names and meanings
    ("alpha", WORD2VEC + FASTTEXT, "gensim's initial learning rate"),
    ("random_state", WORD2VEC, "gensim's seed"),
    ("random_state", FASTTEXT, "gensim's seed, n-gram vectors too"),
    ("verbose", WORD2VEC + FASTTEXT, "gensim's progress log"),
    ("pooling", WORD2VEC + GLOVE, "pools word vectors"),
    ("pooling", FASTTEXT, "pools word vectors, unseen words' from their n-grams"),
    ("alpha", GLOVE, "the exponent of GloVe's weighting function"),
    ("batch_size", GLOVE, "co-occurrences per AdaGrad step"),
    ("device", GLOVE, "trains only; the vectors come back to the CPU"),
    ("epochs", GLOVE, "passes over the co-occurrences, 15 by default"),
    ("learning_rate", GLOVE, "AdaGrad's learning rate, a number"),
    ("max_vocab_size", GLOVE, "caps the final vocabulary, unlike gensim's"),
    ("random_state", GLOVE, "seeds GloVe's initialisation and batches"),
    ("shuffle", GLOVE, "the order of fixed batches of co-occurrences"),
    ("stop_words", GLOVE, "says why GloVe keeps stop words by default"),
    ("verbose", GLOVE, "GloVe's own progress lines"),
    ("window", GLOVE, "a co-occurrence window weighted 1 / d, 10 by default"),
]
ATTRIBUTE_EXCEPTIONS = [
    # the distillers: a classifier's and a regressor's teacher, student and scores
    *[
        (name, ("DistilledRegressor",), "regressors, R²")
        for name in ("agreement_", "student_", "teacher_", "teacher_score_, student_score_")
    ],
    ("classes_", ("DistilledClassifier",), "single-label only"),
    ("validation_scores_", NN_REGRESSORS, "R², not accuracy"),
    ("best_validation_score_", NN_REGRESSORS, "R², not accuracy"),
    ("n_outputs_", NN_REGRESSORS, "columns of y, not classes"),
    ("out_activation_", NN_REGRESSORS, "identity"),
    ("loss_curve_", TRANSFORMERS, "no L2 term in their loss (AdamW decays the weights)"),
    ("loss_curve_", GLOVE, "GloVe's weighted squared error"),
    ("n_iter_", GLOVE, "no warm start or partial_fit: every fit runs its epochs"),
    ("wv_", FASTTEXT, "FastTextKeyedVectors, with n-gram vectors"),
    ("wv_", GLOVE, "w + w~, with word counts"),
    (
        "feature_names_in_",
        MLPS,
        "numeric columns in scikit-learn's order, not text columns by name",
    ),
]


# ------------------------------------------------------------------ the substitution
def test_placeholders_are_replaced_by_blocks_indented():
    @fill_doc
    class Documented:
        """Summary.

        {length_bucketing}

        Parameters
        ----------
        solver : {"adam", "sgd"}, default="adam"
            Literal braces {array-like, sparse matrix} stay as they are.
        {custom_module_parameters}
        """

    doc = Documented.__doc__
    assert "{length_bucketing}" not in doc and "{custom_module_parameters}" not in doc
    assert "\n        Batches hold documents of similar length" in doc
    assert "\n        module : type\n            The torch module class" in doc
    assert 'solver : {"adam", "sgd"}, default="adam"' in doc
    assert "{array-like, sparse matrix} stay" in doc
    assert [p.name for p in NumpyDocString(inspect.cleandoc(doc))["Parameters"]] == [
        "solver",
        "module",
        "module_params",
    ]


def test_a_block_by_task_follows_the_estimator():
    def make(base):
        @fill_doc
        class Estimator(base):
            """Summary.

            {training_defaults}
            """

        return Estimator.__doc__

    assert "stops when the accuracy on it" in make(ClassifierMixin)
    assert "stops when the R² on it" in make(RegressorMixin)
    with pytest.raises(TypeError, match="differs between classifiers and regressors"):
        make(object)


def test_an_unknown_block_is_an_error():
    with pytest.raises(KeyError, match="names the block {training_paramters}"):

        @fill_doc
        class Misspelt:
            """Summary.

            {training_paramters}
            """


def test_a_class_without_docstring_passes():
    @fill_doc
    class Bare:
        pass

    assert Bare.__doc__ is None


def _public_classes():
    import importlib
    import pkgutil

    modules = ["sktext"] + [
        info.name
        for info in pkgutil.walk_packages(sktext.__path__, prefix="sktext.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    for name in modules:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isclass(obj):
                yield obj


def test_no_placeholder_is_left():
    """A class naming blocks without the decorator would show them raw."""
    left = {
        cls.__qualname__: _docstrings._BLOCK_LINE.findall(cls.__doc__)
        for cls in _public_classes()
        if cls.__doc__ and _docstrings._BLOCK_LINE.search(cls.__doc__)
    }
    assert not left


def test_every_block_is_used():
    source = "\n".join(p.read_text() for p in Path(sktext.__file__).parent.rglob("*.py"))
    used = {m["name"] for m in _docstrings._BLOCK_LINE.finditer(source)}
    assert set(BLOCKS) - used == set()
    assert all(isinstance(b, str | ByTask) for b in BLOCKS.values())


# ------------------------------------------------------------------ drift
def _entries(cls, section):
    """``{name: (type line, description with its white space folded)}`` of a section."""
    doc = NumpyDocString(inspect.cleandoc(cls.__doc__))
    return {p.name: (p.type, " ".join(" ".join(p.desc).split())) for p in doc[section]}


def _drift(section, exceptions, estimators=ESTIMATORS):
    """Descriptions that disagree, as readable lines (empty when all is consistent)."""
    described = defaultdict(dict)  # name -> {estimator: (type, description)}
    for cls_name, cls in estimators.items():
        for name, entry in _entries(cls, section).items():
            described[name][cls_name] = entry
    problems = []
    for name, by_estimator in sorted(described.items()):
        if len(by_estimator) < 2:
            continue
        groups = [set(names) for entry, names, _ in exceptions if entry == name]
        listed = set().union(*groups)
        if sum(map(len, groups)) != len(listed):
            problems.append(f"{name}: an estimator is listed in two exceptions")
        unknown = listed - set(by_estimator)
        if unknown:
            problems.append(f"{name}: listed for {sorted(unknown)}, which do not document it")
        common = set(by_estimator) - listed
        versions = []
        for group in [common, *groups]:
            texts = defaultdict(list)
            for cls_name in sorted(group & set(by_estimator)):
                texts[by_estimator[cls_name]].append(cls_name)
            if len(texts) > 1:
                lines = [f"{name}: {len(texts)} versions"]
                for (type_line, description), names in texts.items():
                    lines.append(f"    {', '.join(names)}:")
                    lines.append(f"        {type_line}\n        {description}")
                problems.append("\n".join(lines))
            versions.extend(texts)
        if len(versions) != len(set(versions)):
            problems.append(f"{name}: an exception describes it as another group does: not needed")
    return problems


def test_parameters_are_described_alike():
    problems = _drift("Parameters", PARAMETER_EXCEPTIONS)
    assert not problems, "\n".join(problems)


def test_attributes_are_described_alike():
    problems = _drift("Attributes", ATTRIBUTE_EXCEPTIONS)
    assert not problems, "\n".join(problems)


def _with_doc(cls, old, new):
    """A subclass of ``cls`` whose docstring has ``old`` replaced by ``new``."""
    assert old in cls.__doc__
    return type(cls.__name__, (cls,), {"__doc__": cls.__doc__.replace(old, new)})


def test_drift_is_found():
    # one estimator's copy of a shared entry reworded, or given another default
    for old, new in [
        ("Share of the training data held out", "Share held out"),
        ("default=0.1\n", "default=0.2\n"),
    ]:
        estimators = dict(ESTIMATORS)
        estimators["LSTMRegressor"] = _with_doc(ESTIMATORS["LSTMRegressor"], old, new)
        (problem,) = _drift("Parameters", PARAMETER_EXCEPTIONS, estimators)
        assert problem.startswith("validation_fraction: 2 versions")
        assert "\n    LSTMRegressor:\n" in problem


def test_exceptions_are_checked():
    # an exception nobody needs, one naming an estimator without the parameter, one
    # whose estimators disagree among themselves, and one estimator listed twice
    for exception, message in [
        (("tol", CNNS, ""), "tol: an exception describes it as another group does"),
        (("module_params", CNNS, ""), "module_params: listed for ['TextCNNClassifier', "),
        (("power_t", CNNS + MLPS, ""), "power_t: an exception describes it as another"),
        (("dropout", CNNS + TRANSFORMERS, ""), "dropout: 2 versions"),
        (("batch_size", MLPS, ""), "batch_size: an estimator is listed in two exceptions"),
    ]:
        problems = _drift("Parameters", [*PARAMETER_EXCEPTIONS, exception])
        assert any(p.startswith(message) for p in problems), (exception, problems)


# ------------------------------------------------------------------ documented defaults
def _documented_default(type_line):
    match = re.search(r"default=(.*)$", type_line)
    if match is None:
        return inspect.Parameter.empty
    # the default as the HTML pages show it: reStructuredText drops a backslash before
    # any character (a docstring holding ``\\b`` shows ``\b``, one holding ``\b`` shows ``b``)
    return ast.literal_eval(re.sub(r"\\(.)", r"\1", match[1]))


def _wrong_defaults(cls):
    """``{parameter: (documented default, signature default)}`` where they differ."""
    signature = inspect.signature(cls.__init__)
    wrong = {}
    for name, (type_line, _) in _entries(cls, "Parameters").items():
        default = signature.parameters[name].default
        documented = _documented_default(type_line)
        if documented is not inspect.Parameter.empty and documented != default:
            wrong[name] = (documented, default)
    return wrong


@pytest.mark.parametrize("cls", ESTIMATORS.values(), ids=list(ESTIMATORS))
def test_documented_defaults_are_the_signature_defaults(cls):
    """A shared entry must not carry another estimator's default into this one."""
    wrong = _wrong_defaults(cls)
    assert not wrong, f"documented default != signature default: {wrong}"


def test_wrong_defaults_are_found():
    lstm = ESTIMATORS["LSTMClassifier"]
    assert _wrong_defaults(
        _with_doc(lstm, "max_iter : int, default=20", "max_iter : int, default=200")
    ) == {"max_iter": (200, 20)}
    # one backslash too few (as four estimators had): the page shows (?u)bww+b
    escaped = r'default=r"(?u)\\b\\w\\w+\\b"'
    assert _wrong_defaults(_with_doc(lstm, escaped, escaped.replace("\\\\", "\\"))) == {
        "token_pattern": ("(?u)bww+b", r"(?u)\b\w\w+\b")
    }
