"""Test-session settings and shared fixtures."""

import os

import pytest

# Tests use local models only: a hub name must fail at once instead of retrying for a
# minute on a machine without internet (set before huggingface_hub is imported).
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def one_torch_thread():
    """Tiny networks: one torch thread is faster, and the 2-core machine is shared.

    Used by modules that train many tiny models (``pytest.mark.usefixtures``).
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def no_unpickling(monkeypatch):
    """Make any unpickling (pickle, joblib, torch.load) fail loudly during a test."""
    import pickle

    import torch

    def refuse(*args, **kwargs):
        raise AssertionError("something was unpickled")

    class RefusingUnpickler:
        def __init__(self, *args, **kwargs):
            refuse()

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "Unpickler", RefusingUnpickler)
    monkeypatch.setattr(torch, "load", refuse)


@pytest.fixture(scope="module")
def dask_processes():
    """A dask client of a ``LocalCluster`` of 2 worker processes with 1 thread each (torch
    in each worker too), for the tests of one module."""
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env={"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
