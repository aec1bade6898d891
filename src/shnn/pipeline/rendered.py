"""Rendered notebooks that depend on their inputs only: a render of unchanged inputs is
byte-identical to the last one.

papermill stamps a rendered notebook with when it ran (start and end times and durations,
for the notebook and every cell), Jupyter adds execution timestamps, and jupytext gives each
cell a random id. :func:`stabilize` drops the times and numbers the cells in order; what the
notebook computed and printed is untouched. Every artifact rule runs it after papermill
(``python -m shnn.pipeline.rendered NOTEBOOK``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

#: papermill's keys that hold times, in the notebook's and each cell's metadata.
TIME_KEYS = ("start_time", "end_time", "duration")


def stabilize(path: str | Path) -> None:
    """Rewrite the rendered notebook at ``path`` without run times and with the cell ids
    ``cell-0``, ``cell-1``, ... (nbformat's layout, written atomically)."""
    import nbformat

    from shnn.files import atomic_write

    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    for key in TIME_KEYS:
        nb.metadata.get("papermill", {}).pop(key, None)
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{number}"
        cell.metadata.pop("execution", None)
        for key in TIME_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
    text = nbformat.writes(nb) + "\n"
    atomic_write(path, lambda fh: fh.write(text.encode()), suffix=".ipynb")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m shnn.pipeline.rendered NOTEBOOK...``: :func:`stabilize` each."""
    paths = list(sys.argv[1:] if argv is None else argv)
    if not paths:
        print("usage: python -m shnn.pipeline.rendered NOTEBOOK...", file=sys.stderr)
        return 2
    for path in paths:
        stabilize(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
