"""One seed for torch, numpy and gensim from scikit-learn's ``random_state``."""

import contextlib

import numpy as np
import torch
from sklearn.utils import check_random_state

__all__ = ["seed_from_random_state", "torch_rng"]


def seed_from_random_state(random_state):
    """Draw a 31-bit integer seed from ``random_state`` (None, int or RandomState).

    An int gives the same seed every time (same seed, same CPU result); ``None`` draws
    from numpy's global generator, as scikit-learn does.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        As scikit-learn's ``random_state``.

    Returns
    -------
    seed : int
        In ``[0, 2**31 - 1)``.
    """
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


@contextlib.contextmanager
def torch_rng(seed, device="cpu"):
    """Seed torch's generators for the duration of a block, then restore them.

    Parameter initialisation, dropout and ``DataLoader`` shuffling inside the block are
    reproducible, and the caller's global torch RNG state is left untouched.
    """
    devices = []
    if torch.device(device).type == "cuda":
        idx = torch.device(device).index
        devices = [idx if idx is not None else torch.cuda.current_device()]
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield
