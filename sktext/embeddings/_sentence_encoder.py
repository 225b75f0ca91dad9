"""SentenceEncoder: documents to fixed vectors with a frozen pretrained transformer."""

# Authors: The sktext developers
# License: BSD 3 clause

import warnings
from numbers import Integral

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin

from ..nn._transformer import pool_hidden_states
from ..preprocessing._pretrained import (
    DEFAULT_MODEL,
    PRETRAINED_PARAMETER_CONSTRAINTS,
    encode_documents,
    load_tokenizer,
    padded_batch_maker,
)
from ..utils._batching import AUTOCAST_DTYPES, LengthBucketSampler, restore_order
from ..utils._device import resolve_device
from ..utils._docstrings import fill_doc
from ..utils._sklearn_compat import Interval, _fit_context, check_is_fitted
from ..utils._transformers import load_pretrained_encoder
from ..utils._validation import check_documents

__all__ = ["SentenceEncoder"]


@fill_doc
class SentenceEncoder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Encode documents into fixed-size vectors with a pretrained transformer.

    A scikit-learn transformer around a pretrained Hugging Face encoder, used as it is
    (frozen): each document is tokenized by the model's own fast tokenizer, read by the
    encoder, and its token states are pooled into one vector (``pooling``), optionally
    scaled to unit length (``normalize``). Put a classifier after it:
    ``make_pipeline(SentenceEncoder(model=...), LogisticRegression())``.

    ``fit`` only loads the model (nothing is learned, nothing is loaded in ``__init__``);
    ``transform`` encodes in inference mode, documents sorted by length and batched within
    a padded-token budget (``batch_size`` times the mean length), so little time goes to
    padding and a long document does not blow the memory; the vectors come back in input
    order. Padding is masked, so a document's vector does not depend on the others.

    Parameters
    ----------
    {pretrained_model_parameters}
    normalize : bool, default=False
        Scale each vector to unit L2 norm (then dot products are cosine similarities).
    {pretrained_max_length}
    batch_size : int, default=64
        Documents per batch (at most; long documents come in smaller batches).
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device to encode on.
    mixed_precision : {"bf16", "fp16"} or None, default=None
        Encode under :func:`torch.autocast` in bfloat16 or float16 (faster on a GPU);
        vectors are returned as float32 either way.

    Attributes
    ----------
    model_ : transformers.PreTrainedModel
        The encoder, in evaluation mode, on ``device_``.
    {pretrained_attributes}
    device_ : str
        Device the encoder is on (``"cpu"`` after loading a pickle of a GPU-fitted
        encoder on a machine without one).

    See Also
    --------
    sktext.TransformerClassifier : Fine-tunes the same encoders on labelled documents.
    sktext.Word2VecTransformer : Document vectors from word vectors learned on your texts.

    Notes
    -----
    A frozen encoder knows nothing of the task: on Rotten Tomatoes, mean-pooled
    all-MiniLM-L6-v2 vectors with a logistic regression score below TF-IDF bigrams, and
    fine-tuning the same model (:class:`~sktext.TransformerClassifier`) is far better
    (see the user guide). Empty documents are valid: they are read as the special tokens
    alone. Pickles hold the weights (no download on load).

    Examples
    --------
    >>> from sktext.datasets import get_model_path
    >>> from sktext.embeddings import SentenceEncoder
    >>> encoder = SentenceEncoder(model=get_model_path("all-MiniLM-L6-v2"), normalize=True)
    >>> vectors = encoder.fit_transform(["a great film", "a wonderful movie", "tax law"])
    >>> vectors.shape
    (3, 384)
    >>> bool(vectors[0] @ vectors[1] > vectors[0] @ vectors[2])
    True
    """

    _parameter_constraints: dict = {
        **PRETRAINED_PARAMETER_CONSTRAINTS,
        "normalize": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [str, torch.device],
    }

    def __init__(
        self,
        *,
        model=DEFAULT_MODEL,
        pooling="mean",
        normalize=False,
        max_length=None,
        batch_size=64,
        device="cpu",
        mixed_precision=None,
    ):
        self.model = model
        self.pooling = pooling
        self.normalize = normalize
        self.max_length = max_length
        self.batch_size = batch_size
        self.device = device
        self.mixed_precision = mixed_precision

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Load the tokenizer and the encoder (nothing is learned from ``X``).

        Parameters
        ----------
        X : iterable of str
            Documents (validated, not encoded).
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted encoder.
        """
        name = type(self).__name__
        if not check_documents(X, estimator_name=name):
            raise ValueError(
                f"Found array with 0 sample(s) while a minimum of 1 is required by {name}."
            )
        device = resolve_device(self.device)
        config = load_tokenizer(self)
        model = load_pretrained_encoder(self.model, estimator_name=name)
        model.requires_grad_(False)
        self.model_ = model.eval().to(device)
        self.device_ = device
        self._n_features_out = int(getattr(config, "hidden_size", 0)) or int(
            model.get_input_embeddings().embedding_dim
        )
        return self

    def transform(self, X):
        """Encode documents.

        Parameters
        ----------
        X : iterable of str
            Documents (pre-tokenized ones are joined with spaces).

        Returns
        -------
        vectors : ndarray of shape (n_documents, n_features), dtype float32
            One vector per document, in input order.
        """
        check_is_fitted(self)
        sequences = encode_documents(self, X)
        if len(sequences) == 0:
            return np.empty((0, self._n_features_out), dtype=np.float32)
        make_batch = padded_batch_maker(sequences, self.tokenizer_.pad_token_id)
        sampler = LengthBucketSampler(sequences.lengths, self.batch_size)
        dtype = AUTOCAST_DTYPES[self.mixed_precision]
        device = torch.device(self.device_)
        outputs = []
        with (
            torch.inference_mode(),
            torch.autocast(device_type=device.type, dtype=dtype, enabled=dtype is not None),
        ):
            for rows in sampler:
                batch = {k: v.to(device) for k, v in make_batch(np.asarray(rows)).items()}
                hidden = self.model_(**batch).last_hidden_state  # (batch, seq_len, hidden)
                pooled = pool_hidden_states(hidden, batch["attention_mask"], self.pooling)
                outputs.append(pooled.cpu())
        vectors = restore_order(outputs, sampler.order)  # (n_documents, hidden), float32
        if self.normalize:
            vectors = torch.nn.functional.normalize(vectors, dim=1)
        return vectors.numpy()

    # ------------------------------------------------------------------ pickling
    def __getstate__(self):
        state = self.__dict__.copy()
        model = state.pop("model_", None)
        if model is not None:
            # the weights as CPU tensors: the pickle loads on a machine without a GPU
            state["_model_class"] = type(model)
            state["_model_config"] = model.config
            state["_model_weights"] = {
                k: v.detach().to("cpu") for k, v in model.state_dict().items()
            }
        return state

    def __setstate__(self, state):
        model_class = state.pop("_model_class", None)
        config = state.pop("_model_config", None)
        weights = state.pop("_model_weights", None)
        self.__dict__.update(state)
        if model_class is None:
            return
        device = torch.device(self.device_)
        if device.type == "cuda" and not torch.cuda.is_available():
            warnings.warn(
                f"{type(self).__name__} was fitted on {self.device_!r}, which is not "
                "available here; it is loaded on the CPU.",
                UserWarning,
            )
            self.device_ = "cpu"
        model = model_class(config)
        model.load_state_dict(weights)
        model.requires_grad_(False)
        self.model_ = model.eval().to(self.device_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.non_deterministic = False
        tags.transformer_tags.preserves_dtype = []
        return tags
