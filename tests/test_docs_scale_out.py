"""Every Python snippet of docs/scale_out.md runs as a script, as written."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "scale_out.md"
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
SNIPPETS = BLOCK.findall(PAGE.read_text())


def test_the_page_has_its_snippets():
    assert len(SNIPPETS) >= 2
    assert any("sktext.dask.predict" in code for code in SNIPPETS)
    assert any('parallel_backend("dask")' in code for code in SNIPPETS)


@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_local_workers_are_started_under_main(index):
    # local worker processes import the script: a cluster started at import time starts
    # another one in each of them ("Nanny failed to start")
    code = SNIPPETS[index]
    if "LocalCluster(" in code:
        guard = code.find('if __name__ == "__main__":')
        assert 0 <= guard < code.find("LocalCluster("), code


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(SNIPPETS)))
def test_snippet_runs_as_a_script(index, tmp_path):
    script = tmp_path / f"snippet_{index}.py"
    script.write_text(SNIPPETS[index])
    env = dict(os.environ, OMP_NUM_THREADS="1", HF_HUB_OFFLINE="1")
    # the sktext of this checkout, in the script and in the workers it starts
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"snippet {index} failed:\n{result.stderr[-4000:]}"
