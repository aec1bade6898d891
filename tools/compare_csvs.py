"""Compare the committed figure CSVs with those of another commit, in every column but times.

A change that must not alter a computed number (``RECORD_VERSION`` stays) may still re-time
fits: this prints, per CSV under the given folders, whether it is identical to the one at
``--rev`` in every column that is not a time (a name with ``time``, ``seconds`` or
``speedup`` in it), and else which columns differ in how many rows. Run it from the
repository root:

    python tools/compare_csvs.py --rev HEAD~3 figures figures/paper
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
from pathlib import Path

#: Column names holding times (or numbers computed from them), excluded from the comparison.
TIME_WORDS = ("time", "seconds", "speedup")


def is_time(column: str) -> bool:
    return any(word in column for word in TIME_WORDS)


def read(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def compare(old: str, new: str) -> str:
    """``identical`` (but for times), or what differs."""
    old_cols, old_rows = read(old)
    new_cols, new_rows = read(new)
    if old_cols != new_cols:
        return f"columns differ: {old_cols} -> {new_cols}"
    if len(old_rows) != len(new_rows):
        return f"{len(old_rows)} -> {len(new_rows)} rows"
    differ: dict[str, int] = {}
    for a, b in zip(old_rows, new_rows, strict=True):
        for col in old_cols:
            if not is_time(col) and a[col] != b[col]:
                differ[col] = differ.get(col, 0) + 1
    if not differ:
        return "identical in every non-time column"
    return "differs: " + ", ".join(f"{c} in {n} rows" for c, n in differ.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", required=True, help="the commit to compare with")
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args(argv)
    status = 0
    for folder in args.folders:
        for path in sorted(Path(folder).glob("*.csv")):
            shown = subprocess.run(["git", "show", f"{args.rev}:{path}"], capture_output=True,
                                   text=True)
            if shown.returncode != 0:
                print(f"{path}: new (not at {args.rev})")
                continue
            verdict = compare(shown.stdout, path.read_text())
            status |= not verdict.startswith("identical")
            print(f"{path}: {verdict}")
    return status


if __name__ == "__main__":
    sys.exit(main())
