"""Augmented copies of documents: the transfer set of a distilled model.

Tang et al. (2019), "Distilling Task-Specific Knowledge from BERT into Simple Neural
Networks", enlarge the few labelled sentences a student learns from with perturbed copies
that the teacher then labels: words masked, and n-grams cut out of the sentence. A copy
needs no label of its own (the teacher gives it), so the perturbations may change the
meaning; they only have to look like the texts the student will see.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import numbers

from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import Interval
from ..utils._validation import check_documents

__all__ = ["TextAugmenter"]


class TextAugmenter(BaseEstimator):
    """Perturbed copies of documents (word masking and n-gram sampling).

    Each copy of a document is made by Tang et al.'s (2019) two rules, drawn afresh for
    every copy: each word is replaced by ``mask_token`` with probability ``mask_prob``;
    then, with probability ``ngram_prob``, the copy is cut down to a random n-gram of it,
    ``n`` uniform in ``[1, max_ngram]``. Words are the whitespace-separated parts of a
    string (or the tokens of a pre-tokenized document, which stays a token list). Copies
    equal to their document or to an earlier copy of it are dropped, as in the paper, so a
    document yields at most ``n_copies`` copies (a one-word document none once masked and
    unmasked forms are exhausted); empty documents yield none.

    Used by :class:`sktext.DistilledClassifier` and :class:`sktext.DistilledRegressor`
    to build the transfer set the teacher labels.

    Parameters
    ----------
    n_copies : int, default=10
        Copies drawn per document (before duplicates are dropped).
    mask_prob : float, default=0.1
        Probability that a word is replaced by ``mask_token``.
    mask_token : str, default="[MASK]"
        The replacement word. BERT-like teachers (MiniLM, BERT) read ``"[MASK]"`` as their
        mask token; RoBERTa's is ``"<mask>"``.
    ngram_prob : float, default=0.25
        Probability that a copy is cut down to one of its n-grams. Tang et al.'s rule
        for one-sentence texts; for long documents (news articles) 0 measured better.
    max_ngram : int, default=5
        Longest n-gram kept.
    random_state : int, RandomState instance or None, default=None
        Seed of the perturbations.

    See Also
    --------
    sktext.DistilledClassifier : A fast student trained on a teacher's outputs.

    Examples
    --------
    >>> from sktext.preprocessing import TextAugmenter
    >>> copies = TextAugmenter(n_copies=3, random_state=0).augment(["a fine and moving film"])
    >>> len(copies) <= 3
    True
    """

    _parameter_constraints: dict = {
        "n_copies": [Interval(numbers.Integral, 0, None, closed="left")],
        "mask_prob": [Interval(numbers.Real, 0, 1, closed="both")],
        "mask_token": [str],
        "ngram_prob": [Interval(numbers.Real, 0, 1, closed="both")],
        "max_ngram": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        n_copies=10,
        mask_prob=0.1,
        mask_token="[MASK]",
        ngram_prob=0.25,
        max_ngram=5,
        random_state=None,
    ):
        self.n_copies = n_copies
        self.mask_prob = mask_prob
        self.mask_token = mask_token
        self.ngram_prob = ngram_prob
        self.max_ngram = max_ngram
        self.random_state = random_state

    def augment(self, X):
        """Perturbed copies of the documents of ``X``.

        Parameters
        ----------
        X : iterable of str or of lists of str tokens
            Documents.

        Returns
        -------
        copies : list
            The copies, those of the first document first; strings for strings, token
            lists for token lists. Neither the documents themselves nor duplicates.
        """
        self._validate_params()
        docs = check_documents(X, estimator_name=type(self).__name__)
        rng = check_random_state(self.random_state)
        copies = []
        for doc in docs:
            tokenized = not isinstance(doc, str)
            words = list(doc) if tokenized else doc.split()
            if not words:
                continue
            seen = {tuple(words)}
            for _ in range(self.n_copies):
                copy = self._perturb(words, rng)
                key = tuple(copy)
                if key in seen:
                    continue
                seen.add(key)
                copies.append(copy if tokenized else " ".join(copy))
        return copies

    def _perturb(self, words, rng):
        n_words = len(words)
        masked = rng.random_sample(n_words) < self.mask_prob
        copy = [self.mask_token if m else w for w, m in zip(words, masked, strict=True)]
        if rng.random_sample() < self.ngram_prob:
            n = min(int(rng.randint(1, self.max_ngram + 1)), n_words)
            start = int(rng.randint(0, n_words - n + 1))
            copy = copy[start : start + n]
        return copy
