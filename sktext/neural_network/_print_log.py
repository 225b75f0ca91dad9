"""skorch's epoch table (``verbose=1``) without colour codes outside a terminal."""

import os
import re
import sys

from skorch.callbacks import PrintLog

__all__ = ["TerminalPrintLog"]

#: ANSI escape sequences (colours, bold, reset) as skorch's PrintLog writes them.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def _colour_wanted(sink):
    """Colours only for ``print`` to a terminal, and not when ``NO_COLOR`` is set."""
    if sink is not print or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class TerminalPrintLog(PrintLog):
    """skorch's :class:`~skorch.callbacks.PrintLog`, plain text unless printing to a tty.

    skorch marks the best value of each column with an ANSI colour code whatever the
    output is, so logs redirected to a file, captured by a notebook or a job scheduler
    fill up with ``\\x1b[36m`` sequences. This table is the same, with the colours kept
    only when ``sys.stdout`` is a terminal (checked at every epoch, so a redirection
    made after ``fit`` started counts) and ``NO_COLOR`` is not set (https://no-color.org).
    """

    def on_epoch_end(self, net, **kwargs):
        self.colour_ = _colour_wanted(self.sink)
        return super().on_epoch_end(net, **kwargs)

    def format_row(self, row, key, color):
        """Format one cell as skorch does, without the colour codes when not wanted."""
        text = super().format_row(row, key, color)
        if isinstance(text, str) and not getattr(self, "colour_", True):
            text = _ANSI_ESCAPE.sub("", text)
        return text
