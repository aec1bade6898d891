"""Fill the README's generated blocks from files the pipeline wrote.

``python -m shnn.readme`` replaces the text between ``<!-- runtimes:start -->`` and
``<!-- runtimes:end -->`` with a table of per-rule wall-clock times read from Snakemake's
benchmark files ``results/<preset>/benchmarks/*.tsv``.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

PRESETS = ("smoke", "default", "paper")
START, END = "<!-- runtimes:start -->", "<!-- runtimes:end -->"


def read_benchmarks(results: Path, preset: str) -> dict[str, float]:
    """Seconds per benchmark file (rule or sweep) of one preset."""
    out = {}
    for tsv in sorted((results / preset / "benchmarks").glob("*.tsv")):
        with tsv.open() as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        if rows:
            out[tsv.stem] = float(rows[-1]["s"])
    return out


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "not run"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def runtime_table(results: Path) -> str:
    """Markdown table: job -> seconds per preset, with the total per preset."""
    bench = {p: read_benchmarks(results, p) for p in PRESETS}
    jobs = sorted({j for b in bench.values() for j in b})
    lines = ["| job (benchmark file) | " + " | ".join(PRESETS) + " |",
             "|---|" + "---|" * len(PRESETS)]
    for job in jobs:
        lines.append(f"| `{job}` | " + " | ".join(_fmt(bench[p].get(job)) for p in PRESETS)
                     + " |")
    totals = [_fmt(sum(b.values())) if b else "not run" for b in bench.values()]
    lines.append("| **sum of jobs** | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def update(readme: Path, results: Path) -> None:
    """Rewrite the generated block of ``readme`` in place."""
    text = readme.read_text()
    if START not in text or END not in text:
        raise ValueError(f"{readme} has no {START} ... {END} block")
    block = f"{START}\n{runtime_table(results)}\n{END}"
    readme.write_text(re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text,
                             flags=re.S))


if __name__ == "__main__":
    update(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"), Path("results"))
