"""``device=``: a clear ValueError for any device this machine does not have."""

import warnings

import numpy as np
import pytest
import torch
from sklearn.exceptions import ConvergenceWarning

from sktext import MLPClassifier
from sktext.utils import resolve_device


@pytest.mark.parametrize("backend", ["cuda", "mps", "xpu"])
def test_unavailable_backend_is_a_value_error(monkeypatch, backend):
    monkeypatch.setattr(getattr(torch, backend), "is_available", lambda: False)
    name = backend.upper()
    for device in (backend, f"{backend}:0", torch.device(backend)):
        with pytest.raises(ValueError, match=f"{name} is not available on this machine"):
            resolve_device(device)
    # in fit, before torch fails with a RuntimeError of its own
    X, y = np.random.RandomState(0).rand(10, 3), [0, 1] * 5
    with pytest.raises(ValueError, match=f"device='{backend}' was requested but {name}"):
        MLPClassifier(device=backend).fit(X, y)


@pytest.mark.parametrize("backend", ["cuda", "mps", "xpu"])
def test_available_backend_and_device_index(monkeypatch, backend):
    module = getattr(torch, backend)
    monkeypatch.setattr(module, "is_available", lambda: True)
    monkeypatch.setattr(module, "device_count", lambda: 2)
    assert resolve_device(backend) == backend
    assert resolve_device(f"{backend}:1") == f"{backend}:1"
    with pytest.raises(ValueError, match=r"has 2 .* devices \(indices 0 to 1\)"):
        resolve_device(f"{backend}:2")


@pytest.mark.parametrize("device", ["cuda:x", "gpu", "mps:-1", "", 3.5])
def test_malformed_device_is_a_value_error(device):
    with pytest.raises(ValueError, match="not a valid torch device"):
        resolve_device(device)


def test_a_device_type_without_a_backend_is_a_value_error():
    # "meta" is a torch device type, but holds no data to train on
    with pytest.raises(ValueError, match="META is not available"):
        resolve_device("meta")


def test_cpu_and_auto(monkeypatch):
    assert resolve_device("cpu") == "cpu"
    assert resolve_device(torch.device("cpu")) == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu"
    X, y = np.random.RandomState(0).rand(10, 3), [0, 1] * 5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(device="auto", max_iter=1, batch_size=5).fit(X, y)
    assert str(clf.net_.device) == "cpu"
