"""sktext.save replaces a model file atomically: a failed, interrupted or concurrent save
never leaves a file that does not load (the previous model stays, or the new one is whole).
"""

import os
import signal
import stat
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest
from sklearn.datasets import make_classification

import sktext
from sktext._persistence import UnsafeModelError

pytestmark = [
    pytest.mark.usefixtures("one_torch_thread"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]

X, Y = make_classification(n_samples=60, n_features=20, random_state=0)

# Fits an MLP of the given width and saves it: once ("once"), or again and again
# ("loop", printing "ready" after its first save).
SAVER = """
import os, sys
os.environ["OMP_NUM_THREADS"] = "1"
import numpy as np
import sktext
from sklearn.datasets import make_classification

mode, path, width = sys.argv[1], sys.argv[2], int(sys.argv[3])
X, y = make_classification(n_samples=60, n_features=20, random_state=0)
clf = sktext.MLPClassifier(hidden_layer_sizes=(width,), max_iter=1, random_state=0).fit(X, y)
if mode == "once":
    try:
        sktext.save(clf, path)
    except OSError as exc:
        print("OSError", exc.errno)
    else:
        print("saved")
else:
    sktext.save(clf, path)
    print("ready", flush=True)
    while True:
        sktext.save(clf, path)
"""


def _mlp(width=4):
    return sktext.MLPClassifier(hidden_layer_sizes=(width,), max_iter=1, random_state=0).fit(X, Y)


def _saver(mode, path, width, **popen):
    return subprocess.Popen(
        [sys.executable, "-c", SAVER, mode, str(path), str(width)],
        stdout=subprocess.PIPE,
        text=True,
        **popen,
    )


def _temporary_files(folder):
    return [name for name in os.listdir(folder) if name.endswith(".tmp")]


def test_full_disk_keeps_the_previous_file(tmp_path):
    """A save that cannot write its file (a full disk: here a file-size limit) fails with
    OSError and leaves the previous model as it was."""
    path = tmp_path / "model.sktext"
    clf = _mlp()
    sktext.save(clf, path)
    before = path.read_bytes()
    limit = len(before) + 4096  # the wider model's file does not fit

    def limit_file_size():
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    saver = _saver("once", path, 2000, preexec_fn=limit_file_size)
    out, _ = saver.communicate(timeout=300)
    assert out.split() == ["OSError", "27"]  # EFBIG
    assert path.read_bytes() == before
    np.testing.assert_array_equal(sktext.load(path).predict_proba(X), clf.predict_proba(X))
    assert _temporary_files(tmp_path) == []


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_interrupted_save_keeps_the_previous_file(tmp_path, monkeypatch, interruption):
    path = tmp_path / "model.sktext"
    clf = _mlp()
    sktext.save(clf, path)
    before = path.read_bytes()
    writestr = zipfile.ZipFile.writestr

    def interrupted(self, name, data, *args, **kwargs):
        if name == "arrays.safetensors":  # after model.json was written
            raise interruption("interrupted")
        return writestr(self, name, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", interrupted)
    with pytest.raises(interruption):
        sktext.save(_mlp(width=8), path)
    assert path.read_bytes() == before
    assert _temporary_files(tmp_path) == []


def test_killed_save_keeps_a_loadable_file(tmp_path):
    """SIGKILL at random moments of a process that saves a 10 MB model again and again."""
    path = tmp_path / "model.sktext"
    rng = np.random.default_rng(0)
    for _ in range(3):
        saver = _saver("loop", path, 100_000)
        try:
            assert saver.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.05, 0.5))
        finally:
            saver.send_signal(signal.SIGKILL)
            saver.wait()
        assert sktext.load(path).coefs_[0].shape == (20, 100_000)


def test_concurrent_writers_and_a_reader(tmp_path):
    """Two processes saving different models to one path while this one loads it."""
    path = tmp_path / "model.sktext"
    savers = [_saver("loop", path, width) for width in (30_000, 30_001)]
    try:
        for saver in savers:
            assert saver.stdout.readline().strip() == "ready"
        widths = set()
        for _ in range(20):
            widths.add(sktext.load(path).coefs_[0].shape[1])
        assert widths <= {30_000, 30_001}
    finally:
        for saver in savers:
            saver.send_signal(signal.SIGKILL)
            saver.wait()
    assert sktext.load(path).coefs_[0].shape[1] in (30_000, 30_001)


def test_replacing_keeps_the_mode_and_follows_a_symlink(tmp_path):
    target = tmp_path / "model.sktext"
    sktext.save(_mlp(), target)
    os.chmod(target, 0o640)
    link = tmp_path / "current.sktext"
    link.symlink_to(target)
    wider = _mlp(width=8)
    sktext.save(wider, link)
    assert link.is_symlink()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    np.testing.assert_array_equal(sktext.load(target).predict_proba(X), wider.predict_proba(X))


def test_new_file_mode_follows_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        sktext.save(_mlp(), tmp_path / "model.sktext")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "model.sktext").st_mode) == 0o640


def test_truncated_file_is_named_as_such(tmp_path):
    path = tmp_path / "model.sktext"
    sktext.save(_mlp(), path)
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30):
        path.write_bytes(data[:cut])
        with pytest.raises(UnsafeModelError, match="truncated or not an sktext model file"):
            sktext.load(path)
