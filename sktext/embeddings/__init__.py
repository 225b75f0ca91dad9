"""Word embeddings as scikit-learn transformers, and tools to inspect the learned space.

:class:`Word2VecTransformer`, :class:`FastTextTransformer` (word vectors built from
character n-grams, so that unseen words get vectors too) and :class:`GloVeTransformer`
learn word vectors on the documents passed to ``fit`` and turn documents into fixed-size
vectors (mean, idf-weighted, SIF or max pooling); :class:`SentenceEncoder` encodes documents with a
pretrained transformer instead; :func:`cooccurrence_matrix` counts the word
co-occurrences GloVe learns from. The learned vectors are a gensim ``KeyedVectors``
(``wv_``); the functions here load and save such vectors (word2vec text/binary, GloVe),
score them on analogy and word-similarity benchmarks, and remove a bias direction from
them (Bolukbasi et al., 2016).
"""

# Authors: The sktext developers
# License: BSD 3 clause

from ._base import EmptyDocumentWarning
from ._cooccurrence import Cooccurrences, cooccurrence_matrix
from ._debias import (
    GENDER_DEFINITIONAL_PAIRS,
    GENDER_EQUALIZE_PAIRS,
    bias_direction,
    bias_projection,
    debias,
    equalize,
    neutralize,
)
from ._fasttext import FastTextTransformer
from ._glove import GloVeTransformer
from ._sentence_encoder import SentenceEncoder
from ._vectors import evaluate_embeddings, load_vectors, save_vectors
from ._word2vec import Word2VecTransformer

__all__ = [
    "GENDER_DEFINITIONAL_PAIRS",
    "GENDER_EQUALIZE_PAIRS",
    "Cooccurrences",
    "EmptyDocumentWarning",
    "FastTextTransformer",
    "GloVeTransformer",
    "SentenceEncoder",
    "Word2VecTransformer",
    "bias_direction",
    "bias_projection",
    "cooccurrence_matrix",
    "debias",
    "equalize",
    "evaluate_embeddings",
    "load_vectors",
    "neutralize",
    "save_vectors",
]
