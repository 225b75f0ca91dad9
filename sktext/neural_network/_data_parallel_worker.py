"""A local data-parallel worker: ``python -m sktext.neural_network._data_parallel_worker
FOLDER`` (started by :func:`~sktext.neural_network._distributed.fit_in_workers`)."""

import sys

from sktext.neural_network._distributed import run_worker

if __name__ == "__main__":
    run_worker(sys.argv[1])
