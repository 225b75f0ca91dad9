"""Time and memory of ``sktext.load`` on hostile model files (and the genuine ones).

The files are those of ``tests/test_hostile_files.py`` (``sktext.utils._hostile_files``),
loaded one after the other in one fresh process with an address-space cap and an audit
hook; each row gives the outcome, the seconds the load took, its peak resident memory
above what the process held before it, and what the audit hook recorded. The goal of
issue 21: every hostile file refused within 2 s and under 300 MB.

Usage::

    python benchmarks/bench_hostile_files.py [--cap-mib 6144]
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))

from _tables import print_table  # noqa: E402

from sktext.utils._hostile_files import (  # noqa: E402
    CASES,
    load_in_guarded_process,
    make_case_files,
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cap-mib", type=int, default=6144, help="address space allowed above the imports"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        files, context = make_case_files(folder)
        results = load_in_guarded_process(files, context, cap_mib=args.cap_mib)
        victim = os.path.exists(context["victim"])
        created = os.path.exists(context["dir"])
    rows, worst_s, worst_mib, bad = [], 0.0, 0.0, 0
    for name, _, expected, _, _ in CASES:
        r = results[name]
        ok = r["outcome"] == expected and not r["events"]
        bad += not ok
        if not name.startswith("genuine_"):
            worst_s, worst_mib = max(worst_s, r["seconds"]), max(worst_mib, r["peak_mib"])
        rows.append(
            [
                name,
                r["outcome"],
                "yes" if ok else "NO",
                f"{r['seconds']:.3f}",
                f"{r['peak_mib']:.1f}",
                "; ".join(r["events"])[:60],
            ]
        )
    print_table(
        "sktext.load on hostile files (one guarded process; memory above the resident set)",
        ["case", "outcome", "as expected", "seconds", "peak MiB", "audit events"],
        rows,
    )
    print(
        f"\n{len(CASES)} files, {bad} not as expected; slowest hostile load {worst_s:.3f} s, "
        f"largest peak {worst_mib:.1f} MiB; victim file kept: {victim}; "
        f"checkpoint folder created: {created}"
    )


if __name__ == "__main__":
    main()
