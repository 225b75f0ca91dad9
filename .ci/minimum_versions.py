"""The declared lower bounds of pyproject.toml as pip constraints (requirements/minimum.txt).

Every requirement of ``[project] dependencies`` and of the extras that the ``test`` extra
pulls in (``sktext[...]`` entries are followed) must be written ``name>=version``; each
becomes ``name==version`` (an upper bound ``,<version`` may follow). Tools that the
minimum stage does not run (ruff) are left out.

    python .ci/minimum_versions.py            # check requirements/minimum.txt (exit 1 if stale)
    python .ci/minimum_versions.py --write    # regenerate it

Only the standard library (Python >= 3.11 for tomllib), so CI runs it before any venv.
"""

import argparse
import re
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
MINIMUM = ROOT / "requirements" / "minimum.txt"
# the extra whose closure the minimum stage installs, and what it does not run from it
EXTRA = "test"
NOT_RUN = {"ruff"}
REQUIREMENT = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[(?P<extras>[^\]]*)\])?\s*"
    r">=\s*(?P<version>[0-9][0-9A-Za-z.]*)\s*(?:,\s*<\s*[0-9][0-9A-Za-z.]*\s*)?$"
)
SELF = re.compile(r"^sktext\[(?P<extras>[^\]]*)\]$")
HEADER = """\
# The declared minimum versions (lower bounds of pyproject.toml), installed exactly by
# .ci/run-minimum as pip constraints. Generated: python .ci/minimum_versions.py --write
"""


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def minimum_pins(project):
    """``{name: version}`` of the dependencies and of the ``test`` extra's closure."""
    extras = project.get("optional-dependencies", {})
    requirements = list(project["dependencies"])
    seen, todo = set(), [EXTRA]
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        if extra not in extras:
            raise SystemExit(f"pyproject.toml names an unknown extra sktext[{extra}]")
        seen.add(extra)
        for requirement in extras[extra]:
            match = SELF.match(requirement.replace(" ", ""))
            if match:
                todo.extend(e.strip() for e in match["extras"].split(","))
            else:
                requirements.append(requirement)
    pins = {}
    for requirement in requirements:
        match = REQUIREMENT.match(requirement.strip())
        if match is None:
            raise SystemExit(
                f"{requirement!r}: write every requirement as name>=version (the tested "
                "minimum), optionally followed by ,<version; another form cannot be checked here"
            )
        name = _canonical(match["name"])
        if name in NOT_RUN:
            continue
        if pins.get(name, match["version"]) != match["version"]:
            raise SystemExit(f"{name} has two lower bounds: {pins[name]} and {match['version']}")
        pins[name] = match["version"]
    return dict(sorted(pins.items()))


def render(pins):
    return HEADER + "".join(f"{name}=={version}\n" for name, version in pins.items())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="regenerate the constraints")
    args = parser.parse_args(argv)
    with PYPROJECT.open("rb") as f:
        expected = render(minimum_pins(tomllib.load(f)["project"]))
    if args.write:
        MINIMUM.write_text(expected)
        print(f"wrote {MINIMUM.relative_to(ROOT)}")
        return 0
    current = MINIMUM.read_text() if MINIMUM.exists() else ""
    if current != expected:
        print(
            f"{MINIMUM.relative_to(ROOT)} does not match the lower bounds of pyproject.toml; "
            "run: python .ci/minimum_versions.py --write",
            file=sys.stderr,
        )
        return 1
    print(f"{MINIMUM.relative_to(ROOT)} matches pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
