"""Hostile model files: sktext.load refuses each, in a guarded process, within its means.

The cases (``sktext.utils._hostile_files.CASES``) are crafted from genuine files as an
attacker would; all are loaded in one fresh process with an address-space cap and an
audit hook (see that module). A case passes when ``load`` ends as the case says
(``UnsafeModelError``, or a model for the genuine files), the hook saw no network call,
process, file deletion or creation outside load's own temporary folder, no file of a
foreign model folder was read, no module was imported (the genuine files loaded first
import what loading needs, so any import is one a file asked for), and the load stayed
under 300 MB above the memory the process held before it.
The time each load takes is printed by ``benchmarks/bench_hostile_files.py``.
"""

import os

import pytest

from sktext.utils._hostile_files import CASES, load_in_guarded_process, make_case_files

PEAK_MIB = 300


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    files, context = make_case_files(str(tmp_path_factory.mktemp("hostile")))
    return load_in_guarded_process(files, context), context


@pytest.mark.parametrize(
    "name, expected, description",
    [(name, expected, description) for name, _, expected, description, _ in CASES],
    ids=[case[0] for case in CASES],
)
def test_hostile_file(loaded, name, expected, description):
    results, _ = loaded
    result = results[name]
    assert result["outcome"] == expected, f"{description}: {result['message']}"
    assert result["events"] == [], description  # imports included, even failed ones
    assert result["new_modules"] == [], description
    assert result["peak_mib"] < PEAK_MIB, description


def test_nothing_deleted_or_created(loaded):
    results, context = loaded
    with open(context["victim"]) as f:
        assert f.read() == "must survive"
    assert not os.path.exists(context["dir"])
    assert not os.path.exists(context["victim"] + ".popen")
    assert not os.path.exists(context["victim"] + ".pickle")


def test_refusals_name_the_problem(loaded):
    """A few messages, so that a refusal for the wrong reason is noticed."""
    results, _ = loaded
    expected = {
        "walk_to_file_closer": "Malformed class reference",
        "imported_class_as_plain_object": "is not defined there",
        "f2py_main_module": "allow-list",
        "hub_name_as_model": "path or hub name",
        "remote_backbone": "backbone",
        "config_of_another_model_type": "model type 'gpt2'",
        "tokenizer_file_elsewhere": "names no other file",
        "checkpoint_in_net": "Checkpoint",
        "compile_in_net": "torch.compile",
        "deflated_json": "compressed",
        "huge_lil_matrix": "lil matrix",
        "huge_vocab_size": "do not fit",
        "huge_positions": "the network would take",
        "huge_string_itemsize": "an array would take",
        "deeply_nested_json": "nested too deeply",
        "moderately_nested_json": "nested too deeply",
        "hub_attention_kernel": "attention implementation",
        "remote_code_config": "auto_map",
        "huge_csr_matrix": "csr matrix",
        "walk_to_popen": "Malformed class reference",
        "duplicate_member": "not an sktext safe model file",
        "truncated": "truncated or not an sktext model file",
        "undecodable_member_name": "its zip directory is damaged: UnicodeDecodeError",
        "pickle_file": "pickle",
        "truncated_arrays": "truncated or not an sktext model file",
    }
    for name, words in expected.items():
        assert words in results[name]["message"], (name, results[name]["message"])
