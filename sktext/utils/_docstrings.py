"""Docstring text shared by the estimators, written once.

Two mechanisms, both run when a class is created:

* :func:`fill_doc`, a class decorator (as imbalanced-learn's ``Substitution``): a line
  of a class docstring that holds only ``{name}`` is replaced by the shared block
  ``name`` of :data:`BLOCKS` (parameters, attributes or paragraphs), indented as the
  placeholder was. Only such whole lines are placeholders, so literal braces
  (``{array-like, sparse matrix}``, ``{"adam", "sgd"}``) need no escaping; a placeholder
  naming no block is an error. A block may differ by task (:class:`ByTask`: accuracy
  or R², ``class_weight`` or not); the class's task is read from its scikit-learn mixin.
* :func:`document_input`: ``fit``, ``partial_fit``, ``predict``… are written once (in the
  training machinery and the classifier/regressor mixins) for every model, so their
  docstrings cannot name the input: ``MLPClassifier`` takes a numeric matrix, the text
  models take documents. Each public estimator class gets its own copy of those methods
  (a thin wrapper, with the same signature through ``__wrapped__``) whose ``X`` entry
  says what that estimator takes.

Where a parameter genuinely differs between estimators (another default, another
meaning), its variant is an entry of its own below, with the reason in a comment;
``tests/neural_network/test_shared_docstrings.py`` fails when two public estimators
describe a parameter or attribute differently without being listed there.
"""

import functools
import inspect
import re
import textwrap
from typing import NamedTuple

from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils.metaestimators import available_if

__all__ = [
    "BLOCKS",
    "NUMERIC_INPUT",
    "TEXT_INPUT",
    "ByTask",
    "document_input",
    "fill_doc",
]


# ====================================================================== substitution
class ByTask(NamedTuple):
    """A block that reads differently for a classifier and for a regressor."""

    classifier: str
    regressor: str


#: A placeholder: a line holding only ``{name}`` (lowercase letters, digits, ``_``).
_BLOCK_LINE = re.compile(r"^(?P<indent>[ \t]*)\{(?P<name>[a-z][a-z0-9_]*)\}[ \t]*$", re.M)


def fill_doc(cls):
    """Replace the placeholder lines of ``cls``'s docstring by the shared blocks.

    Parameters
    ----------
    cls : type
        A class whose docstring holds lines ``{name}``, ``name`` a key of
        :data:`BLOCKS`.

    Returns
    -------
    cls : type
        The same class, its ``__doc__`` completed.
    """
    if cls.__doc__ is None:  # python -OO
        return cls

    def block(match):
        name = match["name"]
        if name not in BLOCKS:
            raise KeyError(
                f"The docstring of {cls.__qualname__} names the block {{{name}}}, which "
                f"sktext.utils._docstrings.BLOCKS does not define."
            )
        text = BLOCKS[name]
        if isinstance(text, ByTask):
            text = text.classifier if _is_classifier(cls, name) else text.regressor
        return textwrap.indent(text, match["indent"])

    cls.__doc__ = _BLOCK_LINE.sub(block, cls.__doc__)
    return cls


def _is_classifier(cls, name):
    if issubclass(cls, ClassifierMixin):
        return True
    if issubclass(cls, RegressorMixin):
        return False
    raise TypeError(
        f"The block {{{name}}} differs between classifiers and regressors; "
        f"{cls.__qualname__} is neither."
    )


def _entry(header, *description):
    """A numpydoc entry: ``header`` (``name : type``), then the description, indented.

    The description may come in parts (each dedented on its own), one paragraph.
    """
    text = "\n".join(textwrap.dedent(part).strip("\n") for part in description)
    return f"{header}\n" + textwrap.indent(text, "    ")


def _join(*parts):
    """Blocks one after another; :class:`ByTask` if any part is (``""`` parts vanish)."""
    if any(isinstance(part, ByTask) for part in parts):
        return ByTask(
            *(
                _join(*(getattr(p, task) if isinstance(p, ByTask) else p for p in parts))
                for task in ByTask._fields
            )
        )
    return "\n".join(part for part in parts if part)


# ====================================================================== paragraphs
_LENGTH_BUCKETING = """\
Batches hold documents of similar length, each padded to its own longest document
(length bucketing), within a budget of padded positions: at most ``batch_size``
documents and ``batch_size * L`` positions in training, ``L`` the 99th percentile of
the training documents' lengths; in prediction, up to 512 documents and twice as
many positions. Ordinary batches stay full; the few much longer documents come in
smaller batches (one alone if need be), so one outlier document does not multiply
the memory of its batch."""

# "has not improved for 3 epochs": tests/neural_network/test_docstring_facts.py checks
# the number against the n_iter_no_change default
_TRAINING_DEFAULTS = """\
Training uses scikit-learn's parameter names (as in
:class:`sklearn.neural_network.MLPClassifier`). By default it holds out 10% of the
training data and stops when the {score} on it has not improved for 3 epochs,
restoring the best epoch's weights."""

_FASTTEXT_NOTE = """\
With fastText ``embeddings`` (a :class:`~sktext.FastTextTransformer`, fitted or not,
a gensim ``FastText`` model or its ``FastTextKeyedVectors``), a word unseen in
training is read at prediction time as its fastText vector, the mean of the vectors
of its character n-grams, instead of the unknown-word id; vocabulary words outside
the fastText vocabulary start from that vector as well.
{fine_tuned}
Keeping them costs ``(n_fasttext_words + bucket) * dim`` float32 values in
``subword_vectors_`` (80 MB for 200,000 buckets of 100 dimensions), in memory and in
saved models."""

_MLP_INPUT = """\
Dense and scipy.sparse input: a sparse matrix is sliced into sparse batches and never
densified, and with ``solver="adam"`` the first layer gets sparse gradients updated by
:class:`~sktext.nn.CatchUpAdam`, which follows dense Adam's trajectory at the cost of
the non-zero entries only. That makes TF-IDF input with tens of thousands of features
fast on a CPU.

The network computes in float32 (``dtype``), as torch and skorch do by default: the
float64 matrices scikit-learn's transformers give (``TfidfVectorizer``,
``StandardScaler``) are converted, which trains 1.7-2.6 times faster on CPUs (and far
faster on GPUs) at the same accuracy. ``dtype="float64"`` computes in float64 instead.
As in scikit-learn, ``predict_proba`` (and a regressor's ``predict``) return float32 only
when both this input and the training input are float32, float64 otherwise."""

_CUSTOM_MODULE_PROTOCOL = """\
The training machinery of sktext's text models (tokenization and vocabulary,
length-bucketed batches, scikit-learn's solvers and stopping rules, ``early_stopping``
with the best epoch restored, ``sample_weight``, ``warm_start``, ``partial_fit``,
``random_state``, ``verbose``, ``callbacks``, ``device``) around a torch module of
your own. The module receives each batch as two tensors: ``ids``, a
``(batch, longest document of the batch)`` LongTensor of token ids, left-aligned and
padded with ``padding_idx`` (0; id 1 is a word outside the vocabulary), and
``lengths``, the ``(batch,)`` LongTensor of document lengths (0 for an empty
document), so that it can mask or pack the padding. It returns ``(batch, n_outputs)``
raw scores: logits for a classifier (softmax or, for a multi-label ``y``, sigmoid is
applied by the estimator), values for a regressor."""

_TRANSFORMER_FIT = """\
``fit`` loads a pretrained Hugging Face encoder (``model``: a local directory or a hub
name) with its own fast tokenizer, puts a pooling (mean of the token states, or the
first token's), dropout and a linear {output} layer on top
(:class:`~sktext.nn.TextTransformer`) and fine-tunes the whole network on the
documents, through skorch with the training machinery of sktext's other models:
``early_stopping`` with the best epoch restored,{class_weight} ``sample_weight``,
``warm_start``, ``partial_fit``, ``random_state``, ``verbose``, ``callbacks`` and
``device``.

Batches hold documents of similar length, each padded to its own longest document
(length bucketing: on Rotten Tomatoes an epoch takes about half the time of random
batches); padding is masked in the attention and the pooling, so a document's
prediction does not depend on the batch it is in. A training batch holds at most
``batch_size`` documents, ``batch_size * L`` padded positions and ``batch_size * L**2``
token pairs (its attention maps), ``L`` twice the 90th percentile of the training
documents' token counts (at most ``max_length_``); a prediction batch up to 128
documents and ``2 * batch_size * L`` positions. Batches of ordinary documents stay
full, while a few long documents get batches of their own instead of padding the others
to their length; the learning-rate schedule counts the batches each epoch has. Nothing
is downloaded or loaded in
``__init__``: ``clone``, ``get_params`` and pickling an unfitted estimator stay cheap.
A fitted estimator pickles with its fine-tuned weights and its tokenizer (no download
on load; a model fitted on a GPU loads on a CPU-only machine).

The defaults are those of fine-tuning BERT-like encoders (Devlin et al., 2019): AdamW
with decoupled weight decay (not on biases and normalization weights), a learning rate
that warms up linearly over the first 10% of the steps and then decays linearly to 0,
gradient clipping at norm 1. The learning rate and the number of epochs were chosen
for ``all-MiniLM-L6-v2`` on a validation split of the Rotten Tomatoes training set
(see the user guide); larger models usually want a smaller learning rate."""

_TRANSFORMER_NOTES = """\
Empty documents are valid input: they are read as the model's special tokens alone.
On a CPU, fine-tuning costs far more than the other sktext classifiers (about two
minutes per epoch of Rotten Tomatoes' 10,000 snippets with all-MiniLM-L6-v2 on 2
cores); ``trainable_layers`` and a smaller ``max_length`` trade accuracy for speed."""

_TRANSFORMER_REFERENCES = """\
J. Devlin et al., "BERT: Pre-training of Deep Bidirectional Transformers for Language
Understanding", NAACL 2019.
I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019."""

# ====================================================================== parameters
# --------------------------------------------------------------- pooling (word vectors)
# Word2VecTransformer, FastTextTransformer and GloVeTransformer pool alike.
_POOLING_MODES = """
How ``transform`` turns the word vectors of a document into one vector:

- ``"mean"``: mean of the vectors of its known tokens (each occurrence counts).
- ``"idf"``: mean weighted by the words' inverse document frequencies on the
  training documents (smooth idf, as ``TfidfVectorizer``).
- ``"sif"``: smooth inverse frequency (Arora et al., 2017): each token weighted
  by ``a / (a + p(w))`` with ``a = sif_smoothing`` and ``p(w)`` the word's
  frequency in the training documents, summed and divided by the number of
  known tokens; then the first principal direction of the training documents'
  vectors is removed.
- ``"max"``: element-wise maximum over the vectors of its known tokens.
"""

_POOLING_FIT = """
``fit`` learns the statistics of the chosen mode only (``"idf"`` and ``"sif"`` need one
more pass over the training tokens): to switch to one of these after fitting, fit again.
"""

_SIF_SMOOTHING = _entry(
    "sif_smoothing : float, default=1e-3",
    'The ``a`` of SIF weighting (``pooling="sif"``); Arora et al. use 1e-3 to 1e-4.',
)

_POOLING_PARAMETERS = _join(
    _entry(
        'pooling : {"mean", "idf", "sif", "max"}, default="mean"',
        _POOLING_MODES,
        "",
        """
        Unknown words are ignored; a document without any known word becomes a zero
        vector.
        """,
        _POOLING_FIT,
    ),
    _SIF_SMOOTHING,
)

# FastText: words outside the vocabulary have vectors (from their character n-grams)
_FASTTEXT_POOLING_PARAMETERS = _join(
    _entry(
        'pooling : {"mean", "idf", "sif", "max"}, default="mean"',
        _POOLING_MODES,
        "",
        """
        Words outside the vocabulary get their vector from their character n-grams
        (see the class description); only a word with none of the lengths ``min_n`` to
        ``max_n`` is ignored, and a document without any word with a vector becomes a
        zero vector. With ``"idf"`` an unseen word weighs as the rarest training word;
        with ``"sif"`` its weight is 1 (frequency 0).
        """,
        _POOLING_FIT,
    ),
    _SIF_SMOOTHING,
)

_POOLING_ATTRIBUTES = """
idf_ : ndarray of shape (n_words,)
    Inverse document frequency of each word of ``wv_`` on the training documents
    (``pooling="idf"`` only).
sif_weights_ : ndarray of shape (n_words,)
    SIF weight ``a / (a + p(w))`` of each word of ``wv_`` (``pooling="sif"`` only).
sif_component_ : ndarray of shape (vector_size,)
    Unit first principal direction of the training documents' SIF vectors, removed
    by ``pooling="sif"`` (``pooling="sif"`` only).
""".strip("\n")


# --------------------------------------------------------------- tokenizer (text models)
# The words of the word-vector transformers' entries (sktext/embeddings), so that every
# estimator tokenizing raw text describes these parameters alike.
_ANALYZER = r"""
lowercase : bool, default=True
    Convert raw documents to lowercase before tokenizing.
token_pattern : str or None, default=r"(?u)\\b\\w\\w+\\b"
    Regular expression of a token (as in ``CountVectorizer``); used when
    ``tokenizer`` is None.
tokenizer : callable, default=None
    Function splitting a (preprocessed) string into tokens; overrides
    ``token_pattern``.
stop_words : {"english"}, list or None, default=None
    Words removed from the tokens (``"english"``: scikit-learn's list).
strip_accents : {"ascii", "unicode"} or callable, default=None
    Remove accents during preprocessing, as ``CountVectorizer`` does.
""".strip("\n")

_VOCABULARY_LIMITS = r"""
min_df : int or float, default=1
    Ignore words found in fewer documents (or a smaller share of them). Continued
    training (``warm_start``, ``partial_fit``) adds the new words of its documents
    that pass the current value.
max_features : int, default=None
    Keep only the most frequent words. Continued training (``warm_start``,
    ``partial_fit``) adds new words up to the current value, and refuses one below
    the size of the fitted vocabulary.
""".strip("\n")

_MAX_LENGTH_WORDS = """
Keep only the first ``max_length`` tokens of each document; longer documents are
cut to their beginning, with a :class:`~sktext.preprocessing.TruncationWarning`
giving their share (in ``fit`` and at prediction).
"""
_MAX_LENGTH_CONTINUED = """
A new value applies to continued training (``warm_start``, ``partial_fit``) and to
the predictions after it.
"""
_MAX_LENGTH = _entry(
    "max_length : int or None, default=2000",
    _MAX_LENGTH_WORDS,
    """
    The default bounds the memory and time a single very long document costs (0.8% of
    the 20 Newsgroups posts are longer); ``None`` reads whole documents.
    """,
    _MAX_LENGTH_CONTINUED,
)
# NeuralText*: another default, None (no cap): the 2000 cap (commit 6e54aa9) was given to
# the CNN and the LSTM only; whether the custom-module models want it too is a question
# of behaviour, not of their docstrings
_MAX_LENGTH_UNCAPPED = _entry(
    "max_length : int or None, default=None",
    _MAX_LENGTH_WORDS,
    "``None`` reads whole documents.",
    _MAX_LENGTH_CONTINUED,
)

# ---------------------------------------------------------- word embeddings (CNN, LSTM)
_EMBEDDINGS = """
embedding_dim : int, default=128
    Size of the word vectors when ``embeddings`` is None (otherwise the pretrained
    vectors' size is used).
embeddings : KeyedVectors, str, path-like, embedding transformer or None, default=None
    Pretrained word vectors: a gensim ``KeyedVectors``, a path to a word2vec (text or
    binary) or GloVe file, or an sktext embedding transformer such as
    :class:`~sktext.embeddings.Word2VecTransformer` (used as it is if fitted; cloned
    and fitted on the training texts if not, keeping its own ``min_count``).
    Vocabulary words without a pretrained vector start from small random vectors
    with the pretrained vectors' variance. Rare words without one are expected
    (word2vec's ``min_count=5``); a ``UserWarning`` is raised when fewer than half of
    the training tokens have a vector (text tokenized differently, or too little
    text for the transformer's ``min_count``).
""".strip("\n")

_WORD_DROPOUT = """
word_dropout : float, default=0.05
    In training, the probability that a word is replaced by the unknown-word id, so
    that the network learns what the unknown-word vector means: words never seen in
    training are read as that id at prediction time. At 0 its vector stays random
    and untrained, and test documents holding unseen words get arbitrary shifts
    (on Rotten Tomatoes, where 47% of test snippets hold such a word, validation
    accuracy drops by 1 to 2.5 points on average, 4 for an unlucky seed: see the user
    guide). No effect at prediction time.
""".strip("\n")

_DROPOUT_POOLED = "Dropout probability on the pooled document vector."

_CLIP_GRAD_NORM = """
Largest global L2 norm of the gradients at each step (larger ones are rescaled);
``None`` or ``0`` disables clipping.
"""

# ------------------------------------------------------------------- training (shared)
_SOLVER = _entry(
    'solver : {"adam", "sgd", "lbfgs"}, default="adam"',
    """
    ``"adam"``: Adam; the weights with sparse gradients (word embeddings, the first
    layer of an MLP on sparse input) are updated by :class:`~sktext.nn.CatchUpAdam`,
    in the rows a batch reads only, on the trajectory of dense Adam. ``"sgd"``: SGD
    with ``momentum`` and ``nesterovs_momentum``. ``"lbfgs"``: full-batch L-BFGS, one
    iteration per epoch.
    """,
)
_ALPHA_WORDS = """
L2 penalty on the weight matrices (not the biases), as in scikit-learn: the loss
gets ``0.5 * alpha * ||W||^2 / batch weight``. The weights with sparse gradients
(see ``solver``) get it as coupled weight decay instead, in the rows each batch
reads.
"""
_BATCH_SIZE = _entry(
    'batch_size : int or "auto", default=50',
    """
    Documents per training batch, at most (see the length bucketing above);
    ``"auto"`` is ``min(200, n_samples)``. Ignored by ``"lbfgs"``.
    """,
)
_LEARNING_RATE = _entry(
    'learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"',
    'Learning-rate schedule of ``solver="sgd"``, as in scikit-learn.',
)
_LEARNING_RATE_INIT = _entry(
    "learning_rate_init : float, default=0.001",
    'Initial learning rate (``"sgd"`` and ``"adam"``).',
)
_POWER_T = _entry("power_t : float, default=0.5", 'Exponent of the ``"invscaling"`` schedule.')
_MAX_ITER_WORDS = 'Maximum number of epochs (``"lbfgs"``: of iterations, one per epoch).'
_SHUFFLE = _entry(
    "shuffle : bool, default=True",
    "Shuffle the training documents (in length buckets) every epoch.",
)
_RANDOM_STATE_WORDS = """
Seeds the random initialization of the weights, shuffling, dropout and the
validation split: the same integer gives the same model on the CPU.
"""
_RANDOM_STATE = _entry(
    "random_state : int, RandomState instance or None, default=None", _RANDOM_STATE_WORDS
)
# the CNN and the LSTM also draw random vectors for the words pretrained ``embeddings``
# lack, and may fit an embedding transformer
_RANDOM_STATE_EMBEDDINGS = _entry(
    "random_state : int, RandomState instance or None, default=None",
    _RANDOM_STATE_WORDS,
    """
    With ``embeddings``, it also seeds the random vectors of the words without a
    pretrained one, and an unfitted embedding transformer whose ``random_state`` is
    None.
    """,
)
_TOL = _entry(
    "tol : float, default=1e-4",
    """
    Minimum improvement of the training loss, or of the validation score with
    ``early_stopping``, that counts for the stopping rule.
    """,
)
_VERBOSE = _entry(
    "verbose : bool or int, default=False",
    "``1``: skorch's table of epochs; ``2``: also a progress bar within each epoch.",
)
# the CNN and the LSTM also print how much of their vocabulary ``embeddings`` covers
_VERBOSE_EMBEDDINGS = _entry(
    "verbose : bool or int, default=False",
    """
    ``1``: the coverage of the pretrained ``embeddings`` and skorch's table of
    epochs; ``2``: also a progress bar within each epoch.
    """,
)
_WARM_START = _entry(
    "warm_start : bool, default=False",
    "Continue training the previous network on the next ``fit``, instead of starting\nanew.",
)
_SGD_MOMENTUM = """
momentum : float, default=0.9
    Momentum of ``"sgd"``.
nesterovs_momentum : bool, default=True
    Nesterov momentum for ``"sgd"``.
""".strip("\n")
_EARLY_STOPPING_WORDS = ByTask(
    classifier="""
    Hold out ``validation_fraction`` of the training data (stratified by class where
    possible), stop when its accuracy has not improved by ``tol`` for more than
    ``n_iter_no_change`` epochs, and keep the best epoch's weights. ``False``: the
    same rule on the training loss, as scikit-learn's MLP.
    """,
    regressor="""
    Hold out ``validation_fraction`` of the training data, stop when its R² has not
    improved by ``tol`` for more than ``n_iter_no_change`` epochs, and keep the best
    epoch's weights. ``False``: the same rule on the training loss, as
    scikit-learn's MLP.
    """,
)


def _early_stopping(default):
    header = f"early_stopping : bool, default={default}"
    return ByTask(*(_entry(header, words) for words in _EARLY_STOPPING_WORDS))


_VALIDATION_FRACTION = _entry(
    "validation_fraction : float, default=0.1",
    "Share of the training data held out for ``early_stopping``.",
)
_ADAM = """
beta_1 : float, default=0.9
    {adam}'s first-moment decay.
beta_2 : float, default=0.999
    {adam}'s second-moment decay.
epsilon : float, default=1e-8
    {adam}'s numerical-stability term.
""".strip("\n")
_N_ITER_NO_CHANGE_WORDS = """
Training stops after more than this many epochs in a row without ``tol``
improvement.
"""
_MAX_FUN = _entry(
    "max_fun : int, default=15000", '``"lbfgs"`` only: maximum number of loss evaluations.'
)
_DEVICE = _entry(
    'device : {"cpu", "cuda", "auto"} or str, default="cpu"',
    'Torch device to train and predict on; ``"auto"`` uses CUDA when available.',
)
_DATA_PARALLEL = _entry(
    "data_parallel : int, bool or None, default=None",
    """
    Data-parallel training on :mod:`torch.distributed`
    (:class:`~torch.nn.parallel.DistributedDataParallel`): each process trains on its
    share of every batch and the gradients are averaged, so all end with the same
    weights. ``None``: data-parallel when a launcher such as ``torchrun`` has started
    this process in a process group, else one process. An int ``n >= 2``: ``fit``
    starts ``n`` local worker processes itself (on CPUs, or one per GPU with
    ``device="cuda"``) and returns with the fitted model, as a one-process fit does.
    ``False`` (or 1): never. See the user guide's "Scaling out".
    """,
)
_OPTIMIZER = _entry(
    "optimizer : torch optimizer class, default=None",
    """
    Overrides ``solver``: any ``torch.optim.Optimizer`` class, called with
    ``lr=learning_rate_init`` and no other argument.
    """,
)
_CLASS_WEIGHT = ByTask(
    classifier=_entry(
        'class_weight : dict, "balanced" or None, default=None',
        """
        Weights of the classes in the loss, multiplied with the sample weights: a dict
        ``{class: weight}``, or ``"balanced"`` for weights inversely proportional to the
        class frequencies, ``n_samples / (n_classes * np.bincount(y))`` as in
        scikit-learn. Not for a multi-label ``y``.
        """,
    ),
    regressor="",
)
_CALLBACKS = _entry(
    "callbacks : list of skorch callbacks or (name, callback) tuples, default=None",
    """
    Extra skorch callbacks. They run before sktext's stopping rule, which restores
    the best epoch's weights when training ends.
    """,
)


def _sgd_training(*, random_state, verbose):
    """``solver`` to ``callbacks`` of the CNN, the LSTM and the custom-module models."""
    return _join(
        _SOLVER,
        _entry("alpha : float, default=0.0", _ALPHA_WORDS),
        _BATCH_SIZE,
        _LEARNING_RATE,
        _LEARNING_RATE_INIT,
        _POWER_T,
        _entry("max_iter : int, default=20", _MAX_ITER_WORDS),
        _SHUFFLE,
        random_state,
        _TOL,
        verbose,
        _WARM_START,
        _SGD_MOMENTUM,
        _early_stopping(True),
        _VALIDATION_FRACTION,
        _ADAM.format(adam="Adam"),
        _entry("n_iter_no_change : int, default=2", _N_ITER_NO_CHANGE_WORDS),
        _MAX_FUN,
        _DEVICE,
        _DATA_PARALLEL,
        _OPTIMIZER,
        _CLASS_WEIGHT,
        _CALLBACKS,
    )


# ------------------------------------------------------------------------------- MLP
_MLP_LAYERS = """
hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
    Number of units of each hidden layer.
activation : {"identity", "logistic", "tanh", "relu"}, default="relu"
    Hidden-layer activation.
""".strip("\n")
# scikit-learn >= 1.7: MLPRegressor's first parameter
_MLP_LOSS = _entry(
    'loss : {"squared_error", "poisson"}, default="squared_error"',
    """
    The loss, as in scikit-learn: ``"squared_error"`` is half the squared error
    (identity output); ``"poisson"`` is the half Poisson deviance,
    ``y * log(y / y_pred) - y + y_pred`` summed over the outputs, with a log link
    (exponential output, ``out_activation_ == "exp"``): predictions are positive and
    ``y`` must be ``>= 0``.
    """,
)
_MLP_PARAMETERS = ByTask(classifier=_MLP_LAYERS, regressor=_join(_MLP_LOSS, _MLP_LAYERS))

# The MLPs keep scikit-learn's defaults (alpha, batch_size, max_iter, early_stopping,
# n_iter_no_change) so as to be drop-in replacements; they read rows, not documents.
_MLP_TRAINING = _join(
    _SOLVER,
    _entry("alpha : float, default=0.0001", _ALPHA_WORDS),
    _entry(
        'batch_size : int or "auto", default="auto"',
        'Minibatch size; ``"auto"`` is ``min(200, n_samples)``. Ignored by ``"lbfgs"``.',
    ),
    _LEARNING_RATE,
    _LEARNING_RATE_INIT,
    _POWER_T,
    _entry("max_iter : int, default=200", _MAX_ITER_WORDS),
    _entry("shuffle : bool, default=True", "Shuffle the samples every epoch."),
    _RANDOM_STATE,
    _TOL,
    _VERBOSE,
    _WARM_START,
    _SGD_MOMENTUM,
    _early_stopping(False),
    _VALIDATION_FRACTION,
    _ADAM.format(adam="Adam"),
    _entry("n_iter_no_change : int, default=10", _N_ITER_NO_CHANGE_WORDS),
    _MAX_FUN,
    # another meaning and default: after each hidden layer, none by default (sklearn's)
    _entry("dropout : float, default=0.0", "Dropout probability after each hidden layer."),
    _DEVICE,
    _DATA_PARALLEL,
    _entry(
        'dtype : {"float32", "float64"}, default="float32"',
        """
        Precision of the network's weights and computations (input is converted to it).
        scikit-learn's MLPs compute in the input's precision (float64 for most input);
        float32 is 1.7-2.6 times faster on CPUs at the same accuracy.
        """,
    ),
    _OPTIMIZER,
    _CLASS_WEIGHT,
    _CALLBACKS,
)

# ---------------------------------------------------------------------------- TextCNN
_TEXTCNN_PARAMETERS = _join(
    """
filter_sizes : tuple of int, default=(3, 4, 5)
    Widths of the convolution filters, in tokens. Documents shorter than the widest
    filter are padded.
num_filters : int, default=100
    Feature maps per filter width.
""".strip("\n"),
    _EMBEDDINGS,
    # one more mode than the LSTM's: Kim's two channels
    _entry(
        'embedding_mode : {"non-static", "static", "multichannel"}, default="non-static"',
        """
        What happens to pretrained vectors: fine-tuned, frozen, or one frozen and one
        fine-tuned channel. ``"static"`` and ``"multichannel"`` need ``embeddings``.
        """,
    ),
    _entry(
        "max_norm : float or None, default=3.0",
        """
        Cap on the L2 norm of each output unit's weight vector, enforced after every
        step (Kim's constraint); ``None`` disables it.
        """,
    ),
    _entry("dropout : float, default=0.5", _DROPOUT_POOLED),
    _WORD_DROPOUT,
)

# ------------------------------------------------------------------------------- LSTM
_LSTM_PARAMETERS = _join(
    """
cell : {"lstm", "gru"}, default="lstm"
    Recurrent cell.
hidden_size : int, default=128
    Hidden units per direction and layer.
num_layers : int, default=1
    Stacked recurrent layers.
bidirectional : bool, default=True
    Read the documents in both directions.
pooling : {"max", "mean", "last", "attention"}, default="max"
    How the step outputs become one document vector: element-wise max or mean over
    the real steps, the final state of each direction (``"last"``: after the last
    real token forwards, after the first one backwards), or additive attention over
    the steps (Yang et al., 2016, without the sentence level).
attention_size : int, default=100
    Size of the attention's hidden layer (``pooling="attention"`` only).
""".strip("\n"),
    _EMBEDDINGS,
    _entry(
        'embedding_mode : {"non-static", "static"}, default="non-static"',
        """
        What happens to pretrained vectors: fine-tuned or frozen. ``"static"`` needs
        ``embeddings``.
        """,
    ),
    """
embedding_dropout : float, default=0.0
    Dropout on the word vectors.
layer_dropout : float, default=0.0
    Dropout between stacked recurrent layers (``num_layers > 1`` only).
""".strip("\n"),
    _entry("dropout : float, default=0.5", _DROPOUT_POOLED),
    _WORD_DROPOUT,
    _entry("clip_grad_norm : float or None, default=5.0", _CLIP_GRAD_NORM),
)

# ------------------------------------------------------------------------ custom module
_CUSTOM_MODULE_PARAMETERS = """
module : type
    The torch module class (a subclass of :class:`torch.nn.Module`, defined at module
    level so that the estimator pickles). ``fit`` builds it as
    ``module(vocab_size=..., n_outputs=..., padding_idx=0, **module_params)`` and calls
    it as ``module_(ids, lengths)`` (see above). An ``encode(ids, lengths)`` method
    returning document vectors makes :meth:`transform` available.
module_params : dict, default=None
    Further keyword arguments of ``module`` (hidden sizes, dropout…).
""".strip("\n")

# ---------------------------------------------------------------- pretrained transformers
_PRETRAINED_MODEL = """
model : str or path-like, default="sentence-transformers/all-MiniLM-L6-v2"
    The pretrained encoder: a local directory holding a Hugging Face model (as written
    by ``save_pretrained``: ``config.json``, weights, tokenizer files) or a model name
    on the Hugging Face hub (downloaded, or read from the local cache, in ``fit``).
    Any encoder ``transformers.AutoModel`` loads with a fast tokenizer (BERT, MiniLM,
    RoBERTa, DistilBERT, MPNet, ELECTRA, DeBERTa…).
pooling : {"mean", "cls"}, default="mean"
    How the token states become one document vector: their mean over the document's
    tokens (what sentence-transformers models such as all-MiniLM-L6-v2 were trained
    with), or the state of its first token (``[CLS]``).
""".strip("\n")

_PRETRAINED_MAX_LENGTH_WORDS = """
Most tokens per document (special tokens included); longer documents are cut to
their beginning, with a :class:`~sktext.preprocessing.TruncationWarning` giving
their share. ``None``: the model's limit (512 for MiniLM and BERT).
"""

# SentenceEncoder's: it does not train, so there is no continued training to apply to
_PRETRAINED_MAX_LENGTH = _entry("max_length : int, default=None", _PRETRAINED_MAX_LENGTH_WORDS)

_TRANSFORMER_PARAMETERS = _join(
    _PRETRAINED_MODEL,
    # another default: BERT's fine-tuning dropout
    _entry("dropout : float, default=0.1", _DROPOUT_POOLED),
    # counted in the model's own tokens, within its limit; SentenceEncoder does not train
    _entry(
        "max_length : int, default=None",
        _PRETRAINED_MAX_LENGTH_WORDS,
        _MAX_LENGTH_CONTINUED,
    ),
    """
trainable_layers : int, default=None
    Fine-tune only the top ``trainable_layers`` transformer layers: the embeddings
    and the lower layers are frozen, which makes each step cheaper (no gradients below
    the lowest trainable layer). ``0`` trains the output layer alone on frozen
    features; ``None`` fine-tunes everything, embeddings included.
""".strip("\n"),
    # another default and meaning: whole batches (the schedule counts them), no "auto"
    _entry("batch_size : int, default=32", "Documents per training batch."),
    # another schedule (warm-up and linear decay) and default: fine-tuning's
    _entry(
        'learning_rate : {"linear", "constant"}, default="linear"',
        """
        Learning-rate schedule of ``fit``: linear warm-up over ``warmup_fraction`` of the
        steps, then linear decay to 0 at the end of epoch ``max_iter``; or constant.
        Every ``fit``, a continued one (``warm_start``) too, runs the whole schedule;
        ``partial_fit`` always trains at the constant ``learning_rate_init``.
        """,
    ),
    _entry("learning_rate_init : float, default=1e-4", "Peak learning rate."),
    """
warmup_fraction : float, default=0.1
    Share of the training steps of the linear warm-up.
weight_decay : float, default=0.01
    AdamW's decoupled weight decay (not applied to biases and normalization weights).
""".strip("\n"),
    # another default and meaning: a planned schedule, not a cap
    _entry(
        "max_iter : int, default=2",
        """
        Epochs: fine-tuning runs a short fixed schedule (``early_stopping`` is off by
        default). With ``learning_rate="linear"`` the schedule ends with the last
        epoch, so reaching ``max_iter`` is the plan and gives no ``ConvergenceWarning``.
        """,
    ),
    # another default: BERT's clipping norm
    _entry("clip_grad_norm : float or None, default=1.0", _CLIP_GRAD_NORM),
    _SHUFFLE,
    _RANDOM_STATE,
    _TOL,
    _VERBOSE,
    _WARM_START,
    _early_stopping(False),
    _VALIDATION_FRACTION,
    _entry("n_iter_no_change : int, default=2", _N_ITER_NO_CHANGE_WORDS),
    # the optimizer is AdamW (no solver)
    _ADAM.format(adam="AdamW"),
    _DEVICE,
    _DATA_PARALLEL,
    _entry(
        'mixed_precision : {"bf16", "fp16"} or None, default=None',
        """
        Run the forward passes under :func:`torch.autocast` in bfloat16 or float16
        (weights and optimizer state stay float32; ``"fp16"`` scales the loss against
        underflow). On a GPU this is faster and takes less memory; ``"bf16"`` needs one
        that supports it (Ampere or newer). ``None``: float32.
        """,
    ),
    _entry(
        "optimizer : torch optimizer class, default=None",
        """
        Replaces AdamW: any ``torch.optim.Optimizer`` class, called with
        ``lr=learning_rate_init`` and no other argument.
        """,
    ),
    _CLASS_WEIGHT,
    _CALLBACKS,
)

# ====================================================================== attributes
_CUSTOM_MODULE_ATTRIBUTES = """
module_ : torch.nn.Module
    The trained module.
""".strip("\n")

_VECTORIZER_ATTRIBUTES = """
vectorizer_ : SequenceVectorizer
    The fitted vectorizer (``vectorizer_.vocabulary_`` is the vocabulary).
""".strip("\n")

_EMBEDDING_ATTRIBUTES = """
embedding_coverage_ : float or None
    Share of the vocabulary with a pretrained vector (``None`` without ``embeddings``).
embedding_token_coverage_ : float or None
    Share of the training tokens whose word has a pretrained vector.
subword_vectors_ : gensim.models.fasttext.FastTextKeyedVectors or None
    With fastText ``embeddings`` (vectors of character n-grams), the copy of the word
    and n-gram vectors that gives words unseen in training a vector at prediction
    time (see Notes); ``None`` otherwise.
""".strip("\n")

_MLP_ATTRIBUTES = """
coefs_ : list of ndarray
    Weight matrices, ``coefs_[i]`` of shape ``(n_units_i, n_units_i+1)``: on the CPU,
    views of the network's weights (edits reach it), on a GPU read-only copies; assign
    a list of arrays to set them on any device.
intercepts_ : list of ndarray
    Bias vectors, as ``coefs_``.
n_features_in_ : int
    Number of features seen during fit.
feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Feature names, when ``X`` had string column names.
n_layers_ : int
    Number of layers, input and output included.
""".strip("\n")

_TABULAR_PARAMETERS_BEFORE = """
text_columns : str, list of str or None, default=None
    With a pandas DataFrame ``X``: the column(s) holding the text. Each goes through
    the model's text encoder (one vocabulary or tokenizer, the same weights) and their
    document vectors are concatenated; the other columns go through ``tabular``.
    ``None``: ``X`` is a collection of documents, or a DataFrame of one text column.
tabular : "auto", "drop" or transformer, default="auto"
    The encoder of the other columns of a DataFrame. ``"auto"``:
    :func:`~sktext.preprocessing.make_table_encoder` (numbers and booleans imputed and
    quantile-normalized, dates as calendar features, categories one-hot with rare and
    unseen ones grouped) and, for single-output targets, the out-of-fold predictions
    of gradient boosting over those encoded columns (the trees' view of the columns,
    stacked inside the network; see the user guide's "Text and tabular columns"); a
    scikit-learn transformer (cloned and fitted on those columns and the targets; it
    must give one row of finite numbers per row); ``"drop"``: ignore them.
""".strip("\n")

_FUSION_PARAMETER = ByTask(
    *(
        _entry(
            f'fusion : {{"concat", "gate", "attention"}}, default="{default}"',
            """
            How the document vectors and the columns' learned branch meet before the
            output layer (:class:`~sktext.nn.FusionModule`): concatenation, a learned gate
            adding the columns to the text features, or attention over the two. With a
            pretrained transformer, these new layers train at ten times
            ``learning_rate_init``.
            """,
            why,
        )
        for default, why in (
            (
                "gate",
                "The gate measured best on the election tweets (user guide, "
                '"Text and tabular columns").',
            ),
            (
                "concat",
                "Concatenation measured best on the movie ratings (user guide, "
                '"Text and tabular columns").',
            ),
        )
    )
)

_TABULAR_PARAMETERS_AFTER = """
tabular_hidden : int, default=64
    Width of the learned branch over the encoded columns. The encoded columns also
    reach the output layer through a linear "wide" part (Cheng et al., 2016), so that
    a linear model of the columns, the stacked trees' predictions among them, is there
    from the first step.
modality_dropout : float, default=0.5
    In training, the probability that a row's text is hidden from the output layer
    (its whole text vector set to zero; modality dropout): the network learns to
    predict from the columns alone too, instead of leaning on a text encoder that fits
    its training rows. On the election tweets it lifted the fused TextCNN from 0.982 to
    0.985 (mean of 2 seeds) and the fused transformer from 0.978 to 0.992 (seed 0; user
    guide, "Text and tabular columns"). Used only when there are other columns.
""".strip("\n")

_TEXT_PAIR_PARAMETERS = """
text_pair : bool, default=False
    Read the two ``text_columns`` of a DataFrame jointly, as one pair per row, the way a
    cross-encoder does: the tokenizer's pair template (``[CLS] a [SEP] b [SEP]`` for
    BERT, with the segment of each token as ``token_type_ids`` for the models that
    have them), one pass through the encoder and one pooled vector per row, so that
    attention relates the words of the two texts (sentence-pair tasks: paraphrase,
    entailment, question and answer). A pair longer than ``max_length`` tokens loses
    the end of its longer text first. ``text_columns`` must name exactly two columns.
    ``False``: each text column is encoded on its own.
""".strip("\n")

_TABULAR_ATTRIBUTES = """
feature_names_in_ : ndarray of str
    The columns of the DataFrame seen in ``fit`` (only when ``X`` was a DataFrame);
    later DataFrames must have the same columns, in any order.
table_ : dict or None
    With a DataFrame: ``text_columns``, ``other_columns``, ``n_text_columns``,
    ``n_features`` (width of the encoded columns) and ``text_pair`` (whether the two
    text columns were read as a pair); ``None`` for documents.
tabular_encoder_ : transformer or None
    The fitted encoder of the other columns (``None`` without any).
text_weight_ : float
    Only when the text was fused with other columns: the weight of the text vector at
    prediction, chosen by ``fit`` with ``early_stopping=True`` on the held-out rows
    (the lowest loss among 0, 0.1, ..., 1; 1 without held-out rows, and kept by
    ``partial_fit``). Below 1, the model trusts the text less on new rows than its
    training rows taught it to: the outputs of the text and columns are blended with
    those of the columns alone (which modality dropout trains).
""".strip("\n")


_PRETRAINED_ATTRIBUTES = """
tokenizer_ : transformers tokenizer
    The model's fast tokenizer.
max_length_ : int
    Token limit applied to the documents.
""".strip("\n")


def _training_attributes(loss_curve):
    score = ByTask(classifier="accuracy", regressor="R²")
    return _join(
        """
n_iter_ : int
    Number of epochs run by the last call, as in scikit-learn: by a warm-started ``fit``
    its own epochs, 1 after ``partial_fit`` (``loss_curve_`` has every epoch).
loss_ : float
    Training loss of the last epoch.
best_loss_ : float or None
    Lowest training loss (``None`` with ``early_stopping``).
""".strip("\n"),
        _entry("loss_curve_ : list of float", loss_curve),
        ByTask(
            *(
                _entry(
                    "validation_scores_ : list of float or None",
                    f"Validation {s} of each epoch (``early_stopping`` only).",
                )
                + "\n"
                + _entry(
                    "best_validation_score_ : float or None",
                    f"Best validation {s} (``early_stopping`` only).",
                )
                for s in score
            )
        ),
        """
t_ : int
    Number of training samples seen.
""".strip("\n"),
        ByTask(
            classifier="""
classes_ : ndarray of shape (n_classes,)
    Class labels (``np.arange(n_labels)`` for a multi-label ``y``).
n_outputs_ : int
    Number of outputs (classes, or labels).
out_activation_ : str
    ``"softmax"`` (also for two classes), ``"logistic"`` for a multi-label ``y``.
""".strip("\n"),
            regressor="""
n_outputs_ : int
    Number of outputs (columns of ``y``).
out_activation_ : str
    ``"identity"``, or ``"exp"`` with ``loss="poisson"``.
""".strip("\n"),
        ),
        """
net_ : skorch.NeuralNet
    The skorch net; ``module_`` is its torch module and ``history_`` its History.
""".strip("\n"),
    )


_TARGET_SCALING_ATTRIBUTES = ByTask(
    classifier="",
    regressor="""
target_mean_ : ndarray of shape (`n_outputs_`,)
    Mean of each target column in the first fit.
target_scale_ : ndarray of shape (`n_outputs_`,)
    Standard deviation of each target column (1 where it is 0).
""".strip("\n"),
)

# ====================================================================== the registry
#: The blocks a class docstring can name, as a line ``{name}``.

_DISTILLATION_PARAMETERS = """\
augmenter : "auto", TextAugmenter or None, default="auto"
    Makes the perturbed copies of the transfer set: ``"auto"`` is
    :class:`~sktext.preprocessing.TextAugmenter` with its defaults (10 copies per
    text, words masked with probability 0.1, a quarter of the copies cut to an
    n-gram of at most 5 words); ``None`` keeps the transfer set to the training and
    unlabelled texts. Any object with ``augment(X) -> list of documents``. Its
    ``random_state``, if None, is drawn from ``random_state``. For documents of many
    sentences (news articles) ``TextAugmenter(ngram_prob=0)`` measured better: the
    n-grams of at most 5 words look like none of the texts the student will see (see
    the user guide's "Serving fast").
word_vectors : {"teacher"} or None, default=None
    ``"teacher"``: the student's word vectors start from the teacher's. Each word of
    the transfer set, tokenized as the student tokenizes (its ``lowercase``,
    ``token_pattern``, ``tokenizer``, ``stop_words``, ``strip_accents``, ``min_df``,
    ``max_features``), is passed alone through the fitted teacher's ``transform`` (for a
    :class:`~sktext.TransformerClassifier`, its fine-tuned encoder's pooled output), and
    the vectors become the student's ``embeddings`` (a gensim ``KeyedVectors``, kept in
    ``student_``'s parameters and saved with it). The student must be an sktext
    sequence model with an ``embeddings`` parameter left at None (TextCNN, LSTM/GRU), the
    teacher must have ``transform``. Vectors larger than the student's ``embedding_dim``
    (MiniLM's 384 against TextCNN's and LSTM's 128) are projected on their
    ``embedding_dim`` principal components (centred, exact PCA), so that the student
    keeps its size and speed; set ``embedding_dim`` to the teacher's size to keep every
    dimension. Smaller vectors, or no more words than ``embedding_dim``, are kept as they
    are and their size replaces ``embedding_dim``. None: the student's own
    initialization.
validation_fraction : float or None, default=0.1
    Share of the labelled texts held out (stratified for a classifier) from the
    teacher and the transfer set, to score both models in ``teacher_score_``,
    ``student_score_`` and ``agreement_``. None: everything trains, no scores.
memory : str, joblib.Memory or None, default=None
    Caches the unit "fit the teacher on these rows, label this transfer set" (as
    Pipeline's ``memory`` caches transformers): a search over the student's (or the
    temperature's) parameters then fits the teacher once per training fold, not once
    per candidate. The key is the teacher's parameters (a frozen teacher's fitted
    values: weights, vocabulary, tokenizer), the training rows and the transfer set, so
    changing the augmenter refits the teacher, while equal copies of a frozen teacher
    (loaded again from its file, or sent to a search's worker processes) share the
    cache. The teacher's word vectors (``word_vectors``) are cached too. None: no
    caching.
random_state : int, RandomState instance or None, default=None
    Seed of the validation split, and of the teacher, the student and the augmenter
    where their own ``random_state`` (at any depth of a Pipeline) is None; seeds set on
    them are kept."""

_DISTILLATION_ATTRIBUTES = _join(
    """\
n_transfer_ : int
    Size of the transfer set the student was trained on (training texts, unlabelled
    texts and perturbed copies).
n_augmented_ : int
    Perturbed copies among them.""",
    ByTask(
        *(
            _entry("agreement_ : float or None", words, "None without ``validation_fraction``.")
            for words in (
                "Share of the held-out texts on which student and teacher predict the same class;",
                "R² of the student's predictions against the teacher's on the held-out texts;",
            )
        )
    ),
)


_TRAINING_DEFAULTS_BY_TASK = ByTask(
    *(_TRAINING_DEFAULTS.format(score=s) for s in ("accuracy", "R²"))
)

_RNN_FASTTEXT_NOTE = _FASTTEXT_NOTE.format(
    fine_tuned='With ``"non-static"`` the unseen words\' vectors are the original fastText\n'
    "ones, not fine-tuned with the known words."
)
# the CNN's "multichannel" has a fine-tuned channel as well
_CNN_FASTTEXT_NOTE = _FASTTEXT_NOTE.format(
    fine_tuned='With ``"non-static"`` (and the fine-tuned channel of ``"multichannel"``)\n'
    "the unseen words' vectors are the original fastText ones, not fine-tuned with the\n"
    "known words."
)

# ---- TextCNN and LSTM: what the classifier and the regressor share, written once
_TEXTCNN_FIT = """\
``fit`` takes raw documents: a :class:`~sktext.preprocessing.SequenceVectorizer`
(``vectorizer_``) learns the vocabulary and turns them into id sequences, then the
network of Kim (2014) is trained on them: word embeddings, parallel 1-D convolutions of
several widths, ReLU and max-over-time pooling, dropout and {output}
whose weight vectors can be capped in L2 norm. Padding never changes a
document's prediction."""

_TEXTCNN_EMBEDDINGS = """\
Word vectors can start from pretrained ones (``embeddings``), in Kim's variants:
fine-tuned (``embedding_mode="non-static"``), frozen (``"static"``) or both as two
channels (``"multichannel"``). Without pretrained vectors (``embeddings=None``), they
start at random and are trained ("CNN-rand")."""

_LSTM_FIT = """\
``fit`` takes raw documents: a :class:`~sktext.preprocessing.SequenceVectorizer`
(``vectorizer_``) learns the vocabulary and turns them into id sequences, then a
:class:`~sktext.nn.TextRNN` is trained on them: word embeddings, dropout, one or
more (``num_layers``) LSTM or GRU layers reading the documents in one or both
directions, a pooling of the step outputs into one vector per document
(``pooling``), dropout and {output}. Gradients are clipped to a global
norm (``clip_grad_norm``) against exploding gradients."""

_LSTM_PADDING = """\
Padded positions never enter a document's result: the recurrent layers read each
document's tokens before its padding (the backward direction reads it reversed within
its length) and the poolings are masked, so a document's prediction does not depend
on the batch it is in. Training and prediction cost time linear in the documents'
lengths."""

_LSTM_EMBEDDINGS = """\
Word vectors can start from pretrained ones (``embeddings``): fine-tuned
(``embedding_mode="non-static"``) or frozen (``"static"``). Without them they start
at random and are trained."""


def _sequence_description(fit, *paragraphs):
    """How ``fit`` reads documents (``{output}``: the output layer), then ``paragraphs``
    and the training defaults, for a classifier and for a regressor."""
    outputs = ("a softmax output layer", "an output layer")
    return ByTask(
        *(
            "\n\n".join([fit.format(output=output), *paragraphs, defaults])
            for output, defaults in zip(outputs, _TRAINING_DEFAULTS_BY_TASK, strict=True)
        )
    )


BLOCKS = {
    # paragraphs
    "length_bucketing": _LENGTH_BUCKETING,
    "training_defaults": _TRAINING_DEFAULTS_BY_TASK,
    "mlp_input": _MLP_INPUT,
    "custom_module_protocol": _CUSTOM_MODULE_PROTOCOL,
    "transformer_description": ByTask(
        _TRANSFORMER_FIT.format(output="softmax", class_weight=" ``class_weight``,"),
        _TRANSFORMER_FIT.format(output="output", class_weight=""),
    ),
    "transformer_notes": _TRANSFORMER_NOTES,
    "transformer_references": _TRANSFORMER_REFERENCES,
    # parameters
    "mlp_parameters": _MLP_PARAMETERS,
    "mlp_training_parameters": _MLP_TRAINING,
    "textcnn_parameters": _TEXTCNN_PARAMETERS,
    "lstm_parameters": _LSTM_PARAMETERS,
    "custom_module_parameters": _CUSTOM_MODULE_PARAMETERS,
    "analyzer_parameters": _ANALYZER,
    "pooling_parameters": _POOLING_PARAMETERS,
    "fasttext_pooling_parameters": _FASTTEXT_POOLING_PARAMETERS,
    "pooling_attributes": _POOLING_ATTRIBUTES,
    "tokenizer_parameters": _join(_ANALYZER, _VOCABULARY_LIMITS, _MAX_LENGTH),
    "custom_tokenizer_parameters": _join(_ANALYZER, _VOCABULARY_LIMITS, _MAX_LENGTH_UNCAPPED),
    "training_parameters": _sgd_training(
        random_state=_RANDOM_STATE_EMBEDDINGS, verbose=_VERBOSE_EMBEDDINGS
    ),
    "custom_training_parameters": _sgd_training(random_state=_RANDOM_STATE, verbose=_VERBOSE),
    "pretrained_model_parameters": _PRETRAINED_MODEL,
    "tabular_parameters": _join(
        _TABULAR_PARAMETERS_BEFORE, _FUSION_PARAMETER, _TABULAR_PARAMETERS_AFTER
    ),
    "tabular_attributes": _TABULAR_ATTRIBUTES,
    "text_pair_parameters": _TEXT_PAIR_PARAMETERS,
    "pretrained_max_length": _PRETRAINED_MAX_LENGTH,
    "transformer_parameters": _TRANSFORMER_PARAMETERS,
    # attributes
    "vectorizer_attributes": _VECTORIZER_ATTRIBUTES,
    "custom_module_attributes": _CUSTOM_MODULE_ATTRIBUTES,
    "embedding_attributes": _EMBEDDING_ATTRIBUTES,
    "mlp_attributes": _MLP_ATTRIBUTES,
    "pretrained_attributes": _PRETRAINED_ATTRIBUTES,
    "training_attributes": _training_attributes(
        "Mean training loss of each epoch, with the L2 term of ``alpha`` (as in\nscikit-learn)."
    ),
    # no L2 term in the loss: AdamW's weight decay is applied to the weights
    "transformer_training_attributes": _training_attributes("Mean training loss of each epoch."),
    "target_scaling_attributes": _TARGET_SCALING_ATTRIBUTES,
    "distillation_parameters": _DISTILLATION_PARAMETERS,
    "distillation_attributes": _DISTILLATION_ATTRIBUTES,
    # TextCNN's and LSTM's classifiers and regressors
    "textcnn_description": _sequence_description(
        _TEXTCNN_FIT, _LENGTH_BUCKETING, _TEXTCNN_EMBEDDINGS
    ),
    "lstm_description": _sequence_description(
        _LSTM_FIT, _LSTM_PADDING, _LENGTH_BUCKETING, _LSTM_EMBEDDINGS
    ),
    "textcnn_notes": """\
Empty documents and documents made only of words outside the vocabulary are valid
input: they get the network's output for a document without known words.

"""
    + _CNN_FASTTEXT_NOTE,
    "lstm_notes": """\
Empty documents and documents made only of words outside the vocabulary are valid
input: an empty document is read as a single padding token (a zero vector).

"""
    + _RNN_FASTTEXT_NOTE,
    "textcnn_see_also": """\
sktext.nn.TextCNN : The torch module.
sktext.preprocessing.SequenceVectorizer : Texts to id sequences.
sktext.embeddings.Word2VecTransformer : Word vectors to start from.""",
    "lstm_see_also": """\
sktext.nn.TextRNN : The torch module.
sktext.TextCNNClassifier : Kim's convolutional network, with the same input and
    embedding options.
sktext.preprocessing.SequenceVectorizer : Texts to id sequences.""",
    "transformer_see_also": """\
sktext.embeddings.SentenceEncoder : The same encoders, frozen, as a transformer step.
sktext.nn.TextTransformer : The torch module (``module_``; its encoder is
    ``module_.encoder``).
sktext.TextCNNClassifier : A network trained from scratch, far cheaper per epoch.""",
    "textcnn_references": """\
Y. Kim, "Convolutional Neural Networks for Sentence Classification", EMNLP 2014.""",
    "lstm_references": """\
S. Hochreiter and J. Schmidhuber, "Long Short-Term Memory", Neural Computation 1997.
K. Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for
Statistical Machine Translation", EMNLP 2014.
Z. Yang et al., "Hierarchical Attention Networks for Document Classification",
NAACL 2016.""",
    # the first paragraph of a text regressor, after "The regressor counterpart of
    # :class:`...Classifier`:"
    "regressor_counterpart": """\
the same network, training machinery and parameters, with a linear output layer for
numeric targets (a 1-d ``y``, or a 2-d ``y`` with one column per output). The network
is trained on standardized targets (``(y - target_mean_) / target_scale_``, per output)
with half the squared error as loss, and ``predict`` maps its outputs back, so targets
on any scale (ratings, prices, years) train with the default learning rate;
``loss_curve_`` is in standardized units. ``early_stopping`` follows the validation R².""",
}


# ====================================================================== input of X
#: ``(type, description)`` of the ``X`` of the text estimators.
TEXT_INPUT = (
    "iterable of str",
    "Documents: a list, tuple, 1-D NumPy array or pandas Series of strings, or of token "
    "lists (used as they are).",
)
#: ``(type, description)`` of the ``X`` of the MLPs.
NUMERIC_INPUT = (
    "{array-like, sparse matrix} of shape (n_samples, n_features)",
    "Numeric features, dense or SciPy sparse (never densified), e.g. TF-IDF.",
)

_METHODS = ("fit", "partial_fit", "predict", "predict_proba", "predict_log_proba")
# the placeholder a shared docstring gives X, and the indented description line after it
_PLACEHOLDER = re.compile(r"X : see the (?:sub)?class\n(?P<indent>[ \t]+)(?P<text>[^\n]*)")


def document_input(cls, input_doc):
    """Give ``cls`` copies of its shared methods whose docstrings name ``X``'s type.

    Parameters
    ----------
    cls : type
        An estimator class.
    input_doc : tuple of (str, str)
        Type and description of ``X``, e.g. :data:`TEXT_INPUT`.
    """
    x_type, description = input_doc
    for name in _METHODS:
        method = getattr(cls, name, None)
        # a method behind scikit-learn's available_if keeps its availability check
        check = getattr(inspect.getattr_static(cls, name, None), "check", None)
        if check is not None:
            method = inspect.getattr_static(cls, name).fn
        doc = getattr(method, "__doc__", None)
        if callable(method) and doc and _PLACEHOLDER.search(doc):
            documented = _forwarding(method)
            documented.__doc__ = _PLACEHOLDER.sub(
                lambda m: f"X : {x_type}\n{m['indent']}{m['text']} {description}", doc, count=1
            )
            documented.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, documented if check is None else available_if(check)(documented))


def _forwarding(method):
    """A function calling ``method``, with its name, module and signature."""

    @functools.wraps(method)
    def forward(self, *args, **kwargs):
        return method(self, *args, **kwargs)

    return forward
