"""Hostile model files, crafted from genuine ones, and a guarded process that loads them.

Used by ``tests/test_hostile_files.py`` and ``benchmarks/bench_hostile_files.py``; as
``sktext.utils._testing``, not public API. Every case starts from a file written by
:func:`sktext.save` (an MLP, a TextCNN, a TransformerClassifier and a SentenceEncoder on a
tiny random BERT, a gradient boosting), edits it as an attacker would (unzip, edit
``model.json`` or the archive, zip again) and says what :func:`sktext.load` must do with it.

:func:`load_in_guarded_process` loads a list of files in a fresh Python process that

* caps its address space (``RLIMIT_AS``) at what it uses after its imports plus
  ``cap_mib``, and measures the peak resident memory of each load (``VmHWM``, reset
  before each load);
* has an audit hook (:func:`sys.addaudithook`) that records, during each load, every
  import of a module not yet imported (even one that fails), every network call,
  process start, file deletion, rename or directory creation, unpickling, ``ctypes`` use,
  every file opened for writing outside its private temporary directory and every file
  opened inside the folders it is told are foreign;
* reports for each file the outcome (the exception type or ``"loaded"``), the message,
  the recorded events, the modules newly imported and the peak memory, as JSON lines.
"""

import copy
import json
import os
import subprocess
import sys
import zipfile

__all__ = ["CASES", "make_case_files", "load_in_guarded_process"]

#: (case, genuine file it starts from, what load must do, description)
CASES = []


def _case(base, expected, description):
    def register(edit):
        CASES.append((edit.__name__, base, expected, description, edit))
        return edit

    return register


REFUSED, LOADED = "UnsafeModelError", "loaded"


# ------------------------------------------------------------------ file surgery
def read_members(path):
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_members(path, members, *, compression=zipfile.ZIP_STORED):
    import warnings

    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Duplicate name": what a case wants
                archive.writestr(name, data)


def _with_document(edit):
    """An edit of the JSON document (the arrays kept as they are)."""

    def apply(members, ctx):
        document = json.loads(members["model.json"])
        edit(document, ctx)
        return [
            ("model.json", json.dumps(document)),
            ("arrays.safetensors", members["arrays.safetensors"]),
        ]

    apply.__name__ = edit.__name__
    return apply


def _net_params(document):
    return document["root"]["state"]["net_"]["params"]["items"]


def _obj(name, state):
    return {"__type__": "object", "class": name, "state": state}


def _callback(name, params):
    return {"__type__": "callback", "class": name, "params": {"__type__": "dict", "items": params}}


# ------------------------------------------------------------------ the cases
# 1. classes reached outside the allow-list (an attribute walk, kinds that accepted any class)
_WALK = "sklearn.neural_network._stochastic_optimizers:np.f2py.diagnose.tempfile"


@_case("mlp", REFUSED, "an attribute walk from an allowed module to tempfile's file closer")
@_with_document
def walk_to_file_closer(document, ctx):
    closer = {"file": {"__type__": "dict", "items": {}}, "name": ctx["victim"], "delete": True}
    document["root"]["state"]["evil_"] = [
        _obj(f"{_WALK}._TemporaryFileCloser", closer),
        _obj(f"{_WALK}._TemporaryFileCloser", closer),
    ]


@_case("mlp", REFUSED, "subprocess.Popen reached by an attribute walk")
@_with_document
def walk_to_popen(document, ctx):
    state = {"args": ["touch", ctx["victim"] + ".popen"]}
    document["root"]["state"]["evil_"] = _obj(
        "sklearn.neural_network._stochastic_optimizers:np.f2py.diagnose.subprocess.Popen", state
    )


@_case("mlp", REFUSED, "ctypes.CDLL reached by an attribute walk")
@_with_document
def walk_to_cdll(document, ctx):
    document["root"]["state"]["evil_"] = _obj(
        "sktext.neural_network._tasks:np.ctypeslib.ctypes.CDLL", {"_name": "libc.so.6"}
    )


@_case("mlp", REFUSED, "the plain-object module walked to numpy's ndarray")
@_with_document
def walk_from_plain_object_module(document, ctx):
    document["root"]["state"]["evil_"] = _obj("sktext.neural_network._tasks:np.ndarray", {})


@_case("mlp", REFUSED, "a class only imported into the plain-object module")
@_with_document
def imported_class_as_plain_object(document, ctx):
    document["root"]["state"]["evil_"] = _obj("sktext.neural_network._tasks:ClassifierMixin", {})


@_case("mlp", REFUSED, "a class imported into an allowed module, not defined there")
@_with_document
def imported_name_in_allowed_module(document, ctx):
    document["root"]["class"] = "sktext.neural_network._base:ProgressBar"


@_case("mlp", REFUSED, "numpy.f2py.__main__ as the estimator's module (runs f2py on import)")
@_with_document
def f2py_main_module(document, ctx):
    document["root"]["class"] = "numpy.f2py.__main__:x"


@_case("mlp", REFUSED, "an sklearn test module as the estimator's module")
@_with_document
def sklearn_test_module(document, ctx):
    document["root"]["class"] = "sklearn.tests.test_base:MyEstimator"


# 2. the network and other folders
@_case("transformer", REFUSED, "module__model replaced by a hub name")
@_with_document
def hub_name_as_model(document, ctx):
    _net_params(document)["module__model"] = "attacker-org/evil-model"


@_case("transformer", REFUSED, "module__model replaced by another local folder")
@_with_document
def foreign_folder_as_model(document, ctx):
    _net_params(document)["module__model"] = ctx["foreign"]


def _encoder_config(document):
    return document["root"]["state"]["model_"]["config"]


@_case("encoder", REFUSED, "a configuration naming a pretrained backbone on the hub")
@_with_document
def remote_backbone(document, ctx):
    _encoder_config(document).update(backbone="microsoft/resnet-50", use_pretrained_backbone=True)


@_case("encoder", REFUSED, "a configuration asking for remote code (auto_map)")
@_with_document
def remote_code_config(document, ctx):
    _encoder_config(document)["auto_map"] = {"AutoModel": "attacker-org/evil--modeling.Evil"}


@_case("encoder", REFUSED, "a GPT-2 configuration for the BERT class")
@_with_document
def config_of_another_model_type(document, ctx):
    _encoder_config(document)["model_type"] = "gpt2"


@_case("encoder", REFUSED, "attention kernels fetched from the hub")
@_with_document
def hub_attention_kernel(document, ctx):
    _encoder_config(document)["_attn_implementation"] = "kernels-community/flash-attn"


@_case("encoder", REFUSED, "a vision model class with a timm backbone")
@_with_document
def vision_model_class(document, ctx):
    document["root"]["state"]["model_"]["class"] = (
        "transformers.models.detr.modeling_detr:DetrModel"
    )


@_case("encoder", REFUSED, "a tokenizer configuration naming a file elsewhere")
@_with_document
def tokenizer_file_elsewhere(document, ctx):
    files = document["root"]["state"]["tokenizer_"]["files"]
    config = json.loads(files["tokenizer_config.json"])
    config["vocab_file"] = ctx["foreign_file"]
    files["tokenizer_config.json"] = json.dumps(config)


@_case("encoder", REFUSED, "a tokenizer file name with a path")
@_with_document
def tokenizer_file_with_path(document, ctx):
    files = document["root"]["state"]["tokenizer_"]["files"]
    files["../../evil.json"] = "{}"


# 3. callbacks
_CHECKPOINT = "skorch.callbacks.training:Checkpoint"


@_case("textcnn", REFUSED, "skorch's Checkpoint in the net's callbacks (creates its folder)")
@_with_document
def checkpoint_in_net(document, ctx):
    entry = {
        "__type__": "tuple",
        "items": ["ckpt", _callback(_CHECKPOINT, {"dirname": ctx["dir"]})],
    }
    _net_params(document)["callbacks"].append(entry)


@_case("textcnn", REFUSED, "skorch's Checkpoint in the estimator's callbacks (a later fit)")
@_with_document
def checkpoint_in_estimator(document, ctx):
    document["root"]["state"]["callbacks"] = [_callback(_CHECKPOINT, {"dirname": ctx["dir"]})]


@_case("textcnn", REFUSED, "torch.compile switched on in the net (starts compile workers)")
@_with_document
def compile_in_net(document, ctx):
    _net_params(document)["compile"] = True


# 4. sizes
@_case("mlp", REFUSED, "model.json deflated from 200 MB of spaces")
def deflated_json(members, ctx):
    padded = members["model.json"] + b" " * 200_000_000
    return (
        "deflate",
        [("model.json", padded), ("arrays.safetensors", members["arrays.safetensors"])],
    )


def _empty_sparse(members, fmt, shape):
    """The members with a sparse matrix of no entries and the given shape added."""
    import numpy as np
    import torch
    from safetensors.torch import load, save

    tensors = load(members["arrays.safetensors"])
    tensors["evil_data"] = torch.zeros(0, dtype=torch.float64)
    tensors["evil_index"] = torch.zeros(0, dtype=torch.int32)
    document = json.loads(members["model.json"])

    def entry(key, dtype):
        return {"__type__": "ndarray", "key": key, "dtype": np.dtype(dtype).str, "shape": [0]}

    document["root"]["state"]["evil_"] = {
        "__type__": "sparse",
        "format": fmt,
        "array": False,
        "shape": shape,
        "data": entry("evil_data", "float64"),
        "row": entry("evil_index", "int32"),
        "col": entry("evil_index", "int32"),
    }
    return [("model.json", json.dumps(document)), ("arrays.safetensors", save(tensors))]


@_case("mlp", REFUSED, "a lil sparse matrix of shape 10^8 x 1 (a few bytes in the file)")
def huge_lil_matrix(members, ctx):
    return _empty_sparse(members, "lil", [10**8, 1])


@_case("mlp", REFUSED, "a csr sparse matrix of shape 10^10 x 1")
def huge_csr_matrix(members, ctx):
    return _empty_sparse(members, "csr", [10**10, 1])


@_case("textcnn", REFUSED, "module__vocab_size of 2**33 (the embedding built before any check)")
@_with_document
def huge_vocab_size(document, ctx):
    _net_params(document)["module__vocab_size"] = 2**33


@_case("encoder", REFUSED, "an encoder configuration with a vocabulary of 2**33 words")
@_with_document
def huge_encoder_vocab(document, ctx):
    _encoder_config(document)["vocab_size"] = 2**33


@_case("transformer", REFUSED, "the net's encoder configuration with 2**31 positions")
@_with_document
def huge_positions(document, ctx):
    _net_params(document)["module__model"]["config"]["max_position_embeddings"] = 2**31


@_case("mlp", REFUSED, "a string array of 1,000 entries of 10^8 characters each")
@_with_document
def huge_string_itemsize(document, ctx):
    document["root"]["state"]["evil_"] = {
        "__type__": "ndarray_json",
        "dtype": "<U100000000",
        "shape": [1000],
        "values": ["a"] * 1000,
    }


@_case("mlp", REFUSED, "a sub-array dtype of 10^9 float64 per element")
@_with_document
def subarray_dtype(document, ctx):
    document["root"]["state"]["evil_"] = {"__type__": "dtype", "value": "(1000000000,)f8"}


@_case("textcnn", REFUSED, "an embedding placeholder of 10^12 zeros")
@_with_document
def huge_zeros_placeholder(document, ctx):
    _net_params(document)["module__embeddings"] = {"__type__": "zeros", "shape": [10**6, 10**6]}


# 5. gradient boosting's trees (compiled prediction without bounds checks)
def _trees(document):
    """The node records of the first tree of the boosting in the genuine file."""
    return document["root"]["state"]["_predictors"][0][0]["state"]["nodes"]


@_case("boosting", REFUSED, "a tree whose split leads back to itself (an endless walk)")
@_with_document
def tree_loops_back(document, ctx):
    columns = _trees(document)["columns"]
    columns["left"] = dict(columns["depth"])  # the root's depth, 0: its own index


@_case("boosting", REFUSED, "trees reading features beyond the input's")
@_with_document
def tree_reads_outside_input(document, ctx):
    document["root"]["state"]["_n_features"] = 0
    document["root"]["state"]["n_features_in_"] = 0


@_case("boosting", REFUSED, "a tree's records with an object field")
@_with_document
def tree_object_field(document, ctx):
    _trees(document)["fields"][0][1] = "|O"


@_case("boosting", REFUSED, "a random generator of another kind than PCG64")
@_with_document
def other_bit_generator(document, ctx):
    state = document["root"]["state"]["_feature_subsample_rng"]["state"]["items"]
    state["bit_generator"] = "MT19937"


# 6. structure
def _nested(members, depth):
    """The members with an attribute of ``depth`` nested JSON lists."""
    document = json.loads(members["model.json"])
    document["root"]["state"]["evil_"] = "X"
    text = json.dumps(document).replace('"X"', "[" * depth + "]" * depth)
    return [("model.json", text), ("arrays.safetensors", members["arrays.safetensors"])]


@_case("mlp", REFUSED, "JSON nested 5,000 deep")
def deeply_nested_json(members, ctx):
    return _nested(members, 5000)


@_case("mlp", REFUSED, "JSON nested 400 deep (parsed by json, deeper than any genuine file)")
def moderately_nested_json(members, ctx):
    return _nested(members, 400)


@_case("mlp", REFUSED, "model.json twice in the archive (the second would win)")
def duplicate_member(members, ctx):
    document = json.loads(members["model.json"])
    evil = copy.deepcopy(document)
    evil["root"]["class"] = "evil:Evil"
    return [
        ("model.json", members["model.json"]),
        ("arrays.safetensors", members["arrays.safetensors"]),
        ("model.json", json.dumps(evil)),
    ]


@_case("mlp", REFUSED, "a member name flagged UTF-8 that is not (zipfile cannot decode it)")
def undecodable_member_name(members, ctx):
    data = bytearray(_zip_bytes(members))
    entry = data.index(b"PK\x01\x02")  # the first entry of the central directory
    flags = int.from_bytes(data[entry + 8 : entry + 10], "little") | 0x800
    data[entry + 8 : entry + 10] = flags.to_bytes(2, "little")
    data[entry + 46] = 0xFF  # the first byte of its name
    return ("raw", bytes(data))


@_case("mlp", REFUSED, "a file cut in half")
def truncated(members, ctx):
    return ("raw", _zip_bytes(members)[: len(_zip_bytes(members)) // 2])


@_case("mlp", REFUSED, "a pickle whose loading would create a file")
def pickle_file(members, ctx):
    import pickle

    return ("raw", pickle.dumps(_Payload(ctx["victim"] + ".pickle")))


@_case("mlp", REFUSED, "a truncated arrays member")
def truncated_arrays(members, ctx):
    arrays = members["arrays.safetensors"]
    return [
        ("model.json", members["model.json"]),
        ("arrays.safetensors", arrays[: len(arrays) // 2]),
    ]


# benign: the genuine files
for _base in ("mlp", "textcnn", "transformer", "encoder"):
    CASES.append(
        (f"genuine_{_base}", _base, LOADED, f"the genuine {_base} file", lambda members, ctx: None)
    )


class _Payload:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def _zip_bytes(members):
    import io

    buffer = io.BytesIO()
    write_members(buffer, list(members.items()))
    return buffer.getvalue()


# ------------------------------------------------------------------ building the files
def make_genuine_files(folder):
    """Files written by :func:`sktext.save` of five small fitted models."""
    import warnings

    from sklearn.ensemble import HistGradientBoostingClassifier

    import sktext
    from sktext.embeddings import SentenceEncoder
    from sktext.utils._testing import make_topic_corpus, tiny_transformer_path

    docs, labels = make_topic_corpus(40)
    X = [[float(len(d)), float(d.count("o"))] for d in docs]
    models = {
        "mlp": sktext.MLPClassifier(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit(
            X, labels
        ),
        "textcnn": sktext.TextCNNClassifier(
            num_filters=2, embedding_dim=4, filter_sizes=(2,), max_iter=1, random_state=0
        ).fit(docs, labels),
        "transformer": sktext.TransformerClassifier(
            model=tiny_transformer_path(), max_iter=1, batch_size=16, random_state=0
        ).fit(docs, labels),
        "encoder": SentenceEncoder(model=tiny_transformer_path()).fit(docs),
        "boosting": HistGradientBoostingClassifier(max_iter=3, random_state=0).fit(X, labels),
    }
    paths = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, model in models.items():
            paths[name] = os.path.join(folder, f"genuine_{name}.sktext")
            sktext.save(model, paths[name])
    return paths


def make_case_files(folder, cases=None):
    """Write every case's file into ``folder``; returns ``(files, context)``.

    ``files`` maps a case name to its path; ``context`` holds the paths the cases aim at:
    ``victim`` (a file that must survive), ``dir`` (a folder that must not be created),
    ``foreign`` and ``foreign_file`` (a model folder and a file that must not be read).
    """
    from sktext.utils._testing import tiny_transformer_path

    genuine = make_genuine_files(folder)
    targets = os.path.join(folder, "targets")
    os.makedirs(targets, exist_ok=True)
    context = {
        "victim": os.path.join(targets, "victim.txt"),
        "dir": os.path.join(targets, "checkpoints"),
        "foreign": tiny_transformer_path(),
        "foreign_file": os.path.join(tiny_transformer_path(), "vocab.txt"),
    }
    with open(context["victim"], "w") as f:
        f.write("must survive")
    files = {}
    for name, base, _, _, edit in cases or CASES:
        members = read_members(genuine[base])
        result = edit(members, context)
        path = os.path.join(folder, f"{name}.sktext")
        if result is None:
            path = genuine[base]
        elif result[0] == "raw":
            with open(path, "wb") as f:
                f.write(result[1])
        elif result[0] == "deflate":
            write_members(path, result[1], compression=zipfile.ZIP_DEFLATED)
        else:
            write_members(path, result)
        files[name] = path
    return files, context


# ------------------------------------------------------------------ the guarded process
def load_in_guarded_process(files, context, *, cap_mib=1024, timeout=600):
    """Load each file in one fresh, guarded process; one result dict per file.

    ``files`` maps names to paths. Each result holds ``outcome``, ``message``,
    ``events`` (what the audit hook recorded during that load), ``new_modules``,
    ``seconds`` and ``peak_mib`` (peak resident memory during that load above the
    resident memory before it).
    """
    warm_up = [path for name, path in files.items() if name.startswith("genuine_")]
    spec = {"files": files, "context": context, "cap_mib": cap_mib, "warm_up": warm_up}
    scratch = os.path.join(os.path.dirname(next(iter(files.values()))), "scratch")
    os.makedirs(scratch, exist_ok=True)
    env = dict(os.environ, TMPDIR=scratch, HF_HUB_OFFLINE="0", OMP_NUM_THREADS="1")
    env.pop("HF_HUB_OFFLINE")  # load() must not fetch even when the hub is allowed
    proc = subprocess.run(
        [sys.executable, "-m", "sktext.utils._hostile_files"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            result = json.loads(line)
            results[result.pop("name")] = result
    if proc.returncode != 0 or results.keys() != files.keys():
        raise RuntimeError(
            f"the guarded process ended with status {proc.returncode}:\n{proc.stderr[-3000:]}"
        )
    return results


_WATCHED_EVENTS = (
    "import",  # a module not yet imported (the warm-up loads imported what loading needs)
    "socket.",
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "os.kill",
    "os.remove",
    "os.rmdir",
    "os.rename",
    "os.mkdir",
    "os.symlink",
    "os.truncate",
    "shutil.rmtree",
    "shutil.move",
    "pickle.find_class",
    "ctypes.",
    "urllib.Request",
    "webbrowser.open",
)


def _guarded_main():  # pragma: no cover - runs in the child process
    import resource
    import tempfile
    import time
    import warnings

    import torch

    import sktext

    torch.set_num_threads(1)
    spec = json.loads(sys.stdin.read())
    scratch = os.path.realpath(tempfile.gettempdir())
    foreign = [os.path.realpath(spec["context"]["foreign"])]
    state = {"on": False, "events": []}

    def inside(path, folder, dir_fd=None):
        try:
            path = os.fsdecode(path)
            if dir_fd is not None and dir_fd >= 0 and not os.path.isabs(path):
                path = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
            path = os.path.realpath(path)
        except (TypeError, ValueError, OSError):
            return False
        return path == folder or path.startswith(folder + os.sep)

    def hook(event, args):
        if not state["on"]:
            return
        if event == "open":
            path, mode = args[0], args[1]
            if isinstance(path, int):
                return
            writing = isinstance(mode, str) and any(c in mode for c in "wax+")
            if isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                writing = True
            if writing and not inside(path, scratch):
                state["events"].append(f"open for writing {path}")
            elif any(inside(path, f) for f in foreign):
                state["events"].append(f"open {path}")
            return
        if event.startswith(_WATCHED_EVENTS):
            paths = [a for a in args if isinstance(a, (str, bytes, os.PathLike))]
            dir_fd = args[-1] if args and type(args[-1]) is int else None
            if (
                event.startswith(("os.", "shutil."))
                and paths
                and all(inside(p, scratch, dir_fd) for p in paths)
            ):
                return  # load's own temporary files (a tokenizer's folder)
            state["events"].append(f"{event} {str(args)[:200]}")

    sys.addaudithook(hook)
    # the cap: what the process uses now plus cap_mib of address space
    with open("/proc/self/status") as f:
        status = dict(line.split(":", 1) for line in f)
    vm_size = int(status["VmSize"].split()[0]) * 1024
    limit = vm_size + spec["cap_mib"] * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    def memory(key):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    # first uses of the libraries (lazy imports, caches) happen here, outside the records
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in spec["warm_up"]:
            sktext.load(path)

    for name, path in spec["files"].items():
        before_modules = set(sys.modules)
        with open("/proc/self/clear_refs", "w") as f:  # resets VmHWM, the peak
            f.write("5")
        rss = memory("VmRSS")
        state["events"] = []
        start = time.perf_counter()
        state["on"] = True
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = sktext.load(path)
            outcome, message = "loaded", type(model).__name__
            del model
        except BaseException as exc:  # noqa: BLE001 - SystemExit included: reported
            outcome, message = type(exc).__name__, str(exc)[:500]
        finally:
            state["on"] = False
        seconds = time.perf_counter() - start
        result = {
            "name": name,
            "outcome": outcome,
            "message": message,
            "events": state["events"][:20],
            "new_modules": sorted(set(sys.modules) - before_modules)[:200],
            "seconds": seconds,
            "peak_mib": (memory("VmHWM") - rss) / 2**20,
        }
        print(json.dumps(result), flush=True)
    del sktext


if __name__ == "__main__":  # pragma: no cover
    _guarded_main()
