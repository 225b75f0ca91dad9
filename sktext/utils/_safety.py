"""The error of unsafe model files, and the guard that keeps skops from loading sktext nets.

Below both the training machinery (whose skorch net refuses skops in ``__setstate__``) and
:mod:`sktext._persistence` (which raises the error for files it will not load).
"""

import sys

__all__ = ["UnsafeModelError", "refuse_skops_loading"]


class UnsafeModelError(ValueError):
    """A model file names something :func:`sktext.load` is not allowed to build, or is malformed."""


def refuse_skops_loading(cls, depth=2):
    """Raise if the caller's ``__setstate__`` was called by ``skops.io`` loading a file.

    A skorch net keeps its torch objects as pickle bytes in its state, and its
    ``__setstate__`` unpickles them without restriction; skops lists no type for those
    bytes, so ``skops.io.load(..., trusted=get_untrusted_types(...))`` would run whatever
    they hold. sktext's nets therefore refuse to be restored by skops (pickle and copy
    are unaffected: the user chose them).
    """
    caller = sys._getframe(depth).f_globals.get("__name__", "")
    if caller.startswith("skops."):
        raise UnsafeModelError(
            f"{cls.__name__} cannot be loaded from a skops file safely: its state holds "
            "pickle bytes that skops does not check. Save sktext models with sktext.save "
            "and load them with sktext.load."
        )
