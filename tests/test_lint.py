"""Static checks: ruff (pyflakes, pycodestyle, import order, pyupgrade) over the repository, and
no citations of documents outside it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


#: Citations of the two specification documents the repository was built from, which it
#: does not contain (the method is docs/method.md, the paper's numbers are in data/paper/):
#: their sections (also as JSON escapes them), their file names, and the folder beside the
#: repository that held them. Written in pieces so that this file does not cite them itself.
_DOCUMENTS = ("METHOD", "RESULTS")
STALE_CITATIONS = (*(doc + end for doc in _DOCUMENTS for end in (" \u00a7", r" \u00a7", ".md")),
                   ".." + "/shared")


def test_no_citations_of_documents_outside_the_repository():
    """No tracked file (rendered outputs in ``figures/`` aside) cites ``METHOD``/``RESULTS``
    sections or paths outside the repository."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    this = Path(__file__).resolve().relative_to(ROOT).as_posix()
    found = []
    for name in listed:
        path = ROOT / name
        if not name or name.startswith("figures/") or name == this or not path.is_file():
            continue
        for number, line in enumerate(path.read_bytes().decode(errors="replace").splitlines(), 1):
            found += [f"{name}:{number}: {cite}" for cite in STALE_CITATIONS if cite in line]
    assert not found, "\n".join(found)
