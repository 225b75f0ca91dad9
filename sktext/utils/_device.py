"""Choosing the torch device of an estimator (never touches CUDA at import)."""

import torch

__all__ = ["resolve_device"]


def resolve_device(device):
    """Turn an estimator's ``device`` parameter into a concrete torch device string.

    Parameters
    ----------
    device : {"cpu", "cuda", "auto"} or str or torch.device
        ``"auto"`` picks ``"cuda"`` when a GPU is available, else ``"cpu"``. Any other
        value is passed to :class:`torch.device` (``"cuda:1"``, ``"mps"``…).

    Returns
    -------
    device : str
        The device to use, e.g. ``"cpu"`` or ``"cuda"``.

    Raises
    ------
    ValueError
        If the string is not a device torch knows, or CUDA is asked for but unavailable.
    """
    if isinstance(device, str) and device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a valid torch device; use 'cpu', 'cuda', 'cuda:N' or 'auto'."
        ) from exc
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available on this machine; "
            "use device='cpu' or device='auto'."
        )
    return str(dev)
