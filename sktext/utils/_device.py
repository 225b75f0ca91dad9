"""Choosing the torch device of an estimator (never touches CUDA at import)."""

import torch

__all__ = ["resolve_device"]


def resolve_device(device):
    """Turn an estimator's ``device`` parameter into a concrete torch device string.

    Parameters
    ----------
    device : {"cpu", "cuda", "auto"} or str or torch.device
        ``"auto"`` picks ``"cuda"`` when a GPU is available, else ``"cpu"``. Any other
        value is passed to :class:`torch.device` (``"cuda:1"``, ``"mps"``, ``"xpu"``…)
        and must name a device of this machine: its torch backend (``torch.cuda``,
        ``torch.mps``, ``torch.xpu``…) must report it available, and an index must be
        below the backend's device count.

    Returns
    -------
    device : str
        The device to use, e.g. ``"cpu"`` or ``"cuda"``.

    Raises
    ------
    ValueError
        If the string is not a device torch knows, or names a device this machine does
        not have (CUDA, MPS, XPU… unavailable, or an index beyond the device count),
        before anything touches the device.
    """
    if isinstance(device, str) and device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a valid torch device; use 'cpu', 'cuda', 'cuda:N' or "
            "'auto' (or another torch device type such as 'mps')."
        ) from exc
    if dev.type == "cpu":
        return str(dev)
    # torch.cuda, torch.mps, torch.xpu, torch.mtia…: each backend says if it is usable;
    # without this check, torch fails at the first tensor with a RuntimeError (or worse)
    backend = getattr(torch, dev.type, None)
    is_available = getattr(backend, "is_available", None)
    if not callable(is_available) or not is_available():
        raise ValueError(
            f"device={device!r} was requested but {dev.type.upper()} is not available on "
            "this machine; use device='cpu' or device='auto'."
        )
    device_count = getattr(backend, "device_count", None)
    if dev.index is not None and callable(device_count) and dev.index >= device_count():
        n = device_count()
        raise ValueError(
            f"device={device!r} was requested but this machine has {n} "
            f"{dev.type.upper()} device{'s' if n != 1 else ''}"
            + (f" (indices 0 to {n - 1})" if n else "")
            + "; use another index, or device='auto'."
        )
    return str(dev)
