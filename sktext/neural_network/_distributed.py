"""Data-parallel training on torch.distributed, for every sktext neural estimator.

Two ways in, one code path:

* **Under a launcher** (``torchrun``, or any that has initialised torch.distributed's
  default process group): every rank calls ``fit`` with the same data; each trains on its
  share of every global batch through :class:`~torch.nn.parallel.DistributedDataParallel`
  (which averages the gradients), so every rank ends with the same weights.
* **From a notebook or a plain script**, ``data_parallel=n`` makes ``fit`` start ``n``
  local worker processes itself with torch's own launcher
  (:func:`torch.distributed.launcher.api.elastic_launch`, torchrun's machinery): fresh
  interpreters running ``sktext.neural_network._data_parallel_worker``, which never
  re-import the caller's script (no ``if __name__ == "__main__"`` needed). Each worker
  unpickles the estimator and the data, initialises the process group (gloo on CPUs,
  NCCL on GPUs: worker ``i`` on ``cuda:i``) and fits as under a launcher; rank 0 writes
  the fitted estimator back, which becomes the caller's. A worker that raises or dies
  ends every worker (the launcher stops them) and ``fit`` raises in the caller, the
  estimator left as it was.

The pieces the net uses (see ``_SkorchNet``): :class:`ShardedBatches` gives each rank its
share of every global batch (``batch[rank::world_size]``, so length bucketing is kept);
a rank whose share of a short last batch would be empty gets one row of the batch with
weight 0, so that every rank takes part in every gradient exchange. The loss of a step is
normalised by the weight of the *global* batch (one all-reduce of two numbers per step),
so that DistributedDataParallel's average of the ranks' gradients is the gradient of the
global batch's mean loss: the same step as one process taking the global batch.
"""

import hashlib
import os
import pickle
import signal
import sys
import tempfile
import time
import uuid
import warnings

import numpy as np
import torch
import torch.distributed as dist

__all__ = [
    "DataParallelError",
    "FILLER_KEY",
    "ShardedBatches",
    "data_parallel_group",
    "fit_in_workers",
    "local_workers",
]

#: index offset marking a weight-0 filler row in a rank's share (see ShardedBatches)
_FILLER = -1


class DataParallelError(RuntimeError):
    """A data-parallel worker process died or the workers could not be started."""


def _initialised_world():
    """World size of torch.distributed's default process group, or None."""
    if not (dist.is_available() and dist.is_initialized()):
        return None
    return dist.get_world_size()


def data_parallel_group(data_parallel):
    """``(rank, world_size)`` when a fit is to run data-parallel in this process, else None.

    ``data_parallel=None`` follows the default process group (a launcher's); ``False``
    or ``1`` never trains data-parallel; ``n >= 2`` trains data-parallel in a default
    group of ``n`` processes (the workers :func:`fit_in_workers` starts, or a launcher's
    of that size).
    """
    world = _initialised_world()
    if world is None or world < 2 or data_parallel is False:
        return None
    if data_parallel is not None and not isinstance(data_parallel, bool):
        if int(data_parallel) == 1:
            return None
        if int(data_parallel) != world:
            raise ValueError(
                f"data_parallel={data_parallel} but this process belongs to a "
                f"torch.distributed process group of {world} processes (a launcher such as "
                "torchrun started it): use data_parallel=None to train in that group, or "
                "data_parallel=False to train one model per process."
            )
    return dist.get_rank(), world


def local_workers(data_parallel):
    """Number of local workers ``fit`` must start (``data_parallel >= 2`` outside any
    process group), else 0."""
    if data_parallel is None or isinstance(data_parallel, bool) or int(data_parallel) < 2:
        return 0
    return 0 if _initialised_world() is not None else int(data_parallel)


class ShardedBatches(torch.utils.data.Sampler):
    """A rank's share of every batch of ``batches`` (a batch sampler).

    Rank ``r`` of ``world_size`` takes ``batch[r::world_size]`` of each batch, in the
    order the batches come (every rank draws the same batches: they share a seed). A
    share that would be empty (a batch smaller than the world) is one row of the batch
    marked as a filler (``-1 - index``): the collation gives it weight 0, so the rank
    still takes part in the step without changing it.
    """

    def __init__(self, batches, rank, world_size):
        self.batches = batches
        self.rank = int(rank)
        self.world_size = int(world_size)

    def __len__(self):
        return len(self.batches)

    @property
    def n_batches(self):
        """Batches of the pass being served (see ``batches_in_pass``)."""
        return getattr(self.batches, "n_batches", None) or len(self.batches)

    def __iter__(self):
        for batch in self.batches:
            share = list(batch[self.rank :: self.world_size])
            yield share if share else [_FILLER - int(batch[0])]


#: key of a batch's input dict: True for a filler share (see ShardedBatches)
FILLER_KEY = "data_parallel_filler"


def split_filler(idx):
    """``(rows, is_filler)`` of a share's index array: a filler share (one marked row)
    turned back into its row."""
    if len(idx) == 1 and idx[0] < 0:
        return _FILLER - idx, True
    return idx, False


def check_same_data(group, *fingerprint):
    """Raise on every rank if the ranks were not given the same data (else DDP hangs)."""
    gathered = [None] * group[1]
    dist.all_gather_object(gathered, fingerprint)
    if any(f != gathered[0] for f in gathered):
        raise ValueError(
            "Data-parallel training needs the same training data on every process (the "
            "same rows in the same order; each process trains on its share of each "
            f"batch); the processes got different data: {gathered}."
        )


def data_fingerprint(n_samples, y_enc):
    """A small summary of the data that differs when the ranks' data differ."""
    y = np.ascontiguousarray(np.asarray(y_enc))
    return int(n_samples), str(y.dtype), hashlib.sha256(y.tobytes()).hexdigest()


def worker_device(device):
    """The device of this rank: ``"cuda"`` means the rank's local GPU."""
    dev = torch.device(device)
    if dev.type == "cuda" and dev.index is None:
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    return device


# ------------------------------------------------------------------ local workers


def _dump(obj, path):
    try:  # cloudpickle (dask's, joblib's) sends classes of the caller's __main__ by value
        import cloudpickle as pickler
    except ImportError:  # pragma: no cover - dask and recent joblib bring it
        pickler = pickle
    partial = f"{path}.partial"
    with open(partial, "wb") as f:
        pickler.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


def _load(path):
    # files this module wrote in a private temporary folder, never a user's file
    with open(path, "rb") as f:
        return pickle.load(f)


def fit_in_workers(estimator, n_workers, args, kwargs):
    """Run ``estimator._fit(*args, **kwargs)`` data-parallel in ``n_workers`` local
    processes; returns rank 0's fitted estimator.

    Raises the worker's exception (with its traceback as a note) if a worker raised, and
    :class:`DataParallelError` if one died without raising (killed, out of memory).
    """
    from torch.distributed.elastic.multiprocessing.api import SignalException
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.launcher.api import LaunchConfig, elastic_launch

    from ..utils._device import resolve_device

    device = torch.device(resolve_device(estimator.device))
    if device.type == "cuda":
        if device.index is not None:
            raise ValueError(
                f"data_parallel={n_workers} starts one worker per GPU (worker i on cuda:i): "
                f"use device='cuda' (or 'auto'), not device={estimator.device!r}; restrict "
                "the GPUs with CUDA_VISIBLE_DEVICES."
            )
        available = torch.cuda.device_count()
        if n_workers > available:
            raise ValueError(
                f"data_parallel={n_workers} with device={estimator.device!r} starts one "
                f"worker per GPU, but this machine has {available} CUDA device(s)."
            )
    threads = max(1, torch.get_num_threads() // n_workers)
    with tempfile.TemporaryDirectory(prefix="sktext-data-parallel-") as folder:
        _dump((estimator, args, kwargs, threads), os.path.join(folder, "task.pkl"))
        config = LaunchConfig(
            min_nodes=1,
            max_nodes=1,
            nproc_per_node=n_workers,
            rdzv_backend="c10d",
            rdzv_endpoint="127.0.0.1:0",
            run_id=f"sktext-{uuid.uuid4().hex}",
            max_restarts=0,
            monitor_interval=0.1,
        )
        launch = elastic_launch(config, entrypoint=sys.executable)
        try:
            launch("-m", "sktext.neural_network._data_parallel_worker", folder)
        except SignalException as exc:
            # the launcher stops the workers on the caller's Ctrl+C and raises its own
            # exception: give back the KeyboardInterrupt that was pressed
            if exc.sigval == signal.SIGINT:
                raise KeyboardInterrupt from exc
            raise
        except ChildFailedError as exc:
            # the first error raised is the cause: the others' peers left (connection
            # closed by peer...)
            errors = [
                (*_load(path), rank)
                for rank in range(n_workers)
                if os.path.exists(path := _error_path(folder, rank))
            ]
            # a worker that died without raising (killed, crashed; not one the launcher
            # stopped with SIGTERM) is the cause: the others only lost their peer
            raised_by = {rank for *_, rank in errors}
            died = [
                rank
                for rank, failure in exc.failures.items()
                if rank not in raised_by
                and failure.exitcode != 0
                and failure.exitcode != -signal.SIGTERM
            ]
            if errors and not died:
                _, raised, trace, rank = min(errors, key=lambda e: e[0])
                raised.add_note(f"Raised in data-parallel worker {rank}:\n{trace}")
                raise raised from None
            failures = "; ".join(
                f"worker {rank}: exit code {failure.exitcode}"
                + (f" ({failure.signal_name()})" if failure.exitcode < 0 else "")
                for rank, failure in sorted(exc.failures.items())
            )
            raise DataParallelError(
                f"A data-parallel worker died ({failures}); the other workers were stopped "
                "and the estimator is unchanged. A worker killed by the system may have run "
                "out of memory."
            ) from None
        fitted, caught = _load(os.path.join(folder, "fitted.pkl"))
    for category, message in caught:
        warnings.warn(message, category, stacklevel=4)
    return fitted


def _error_path(folder, rank):
    return os.path.join(folder, f"error-{rank}.pkl")


def run_worker(folder):
    """Body of a local worker (``python -m sktext.neural_network._data_parallel_worker
    FOLDER``)."""
    import traceback

    from ..utils._device import resolve_device

    rank = int(os.environ["RANK"])
    failed_at = None
    try:
        estimator, args, kwargs, threads = _load(os.path.join(folder, "task.pkl"))
        torch.set_num_threads(threads)
        cuda = torch.device(resolve_device(estimator.device)).type == "cuda"
        if cuda:
            torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
        dist.init_process_group("nccl" if cuda else "gloo")
        try:
            # rank 0's warnings are given back to the caller, the others' are the same
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always" if rank == 0 else "ignore")
                estimator._fit(*args, **kwargs)
            dist.barrier()  # every rank is done with the group before any leaves it
        except BaseException:
            # when it raised, before leaving the group makes the others raise too
            failed_at = time.time()
            raise
        finally:
            dist.destroy_process_group()
        if rank == 0:
            kept = [(w.category, str(w.message)) for w in caught]
            _dump((estimator, kept), os.path.join(folder, "fitted.pkl"))
    except BaseException as exc:
        when = failed_at or time.time()
        trace = traceback.format_exc()
        try:
            _dump((when, exc, trace), _error_path(folder, rank))
        except Exception:  # an exception that does not pickle: its text
            text = DataParallelError(f"{type(exc).__name__}: {exc}")
            _dump((when, text, trace), _error_path(folder, rank))
        sys.stderr.write(trace)
        _exit(1)
    _exit(0)


def _exit(status):
    """Leave at once: the interpreter's teardown of torch's communication threads can
    abort a process whose work is done ("terminate called without an active
    exception"), which the launcher would report as a failure."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
