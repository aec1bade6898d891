"""Fill the README's generated blocks from files the pipeline wrote.

``python -m shnn.readme`` rewrites the text between ``<!-- artifacts:start -->`` and
``<!-- artifacts:end -->`` (the artifact table with its runtime column) and between
``<!-- runtimes:start -->`` and ``<!-- runtimes:end -->`` (time of every job), reading
Snakemake's benchmark files ``results/<preset>/benchmarks/*.tsv``.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

PRESETS = ("smoke", "default", "paper")

#: artifact -> (paper artifact, extra jobs whose time it owns). Shared work is counted once,
#: with the first artifact that needs it (fig05 reuses fig04's sweeps, tab01 those of fig02/04).
ARTIFACTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "fig02_single_pendulum": ("Fig. 2, single pendulum: errors on two domains, times vs width",
                              ("sweep_sp-small", "sweep_sp-large")),
    "fig03_pendulum_frequency": ("Fig. 3, single pendulum f = 10, 15, 20: errors vs train size",
                                 ("sweep_sp-f10", "sweep_sp-f15", "sweep_sp-f20")),
    "fig04_lotka_volterra_errors": ("Fig. 4, Lotka-Volterra (3 cases): errors vs width",
                                    ("sweep_lv-zero-small", "sweep_lv-zero-large",
                                     "sweep_lv-five")),
    "fig05_lotka_volterra_times": ("Fig. 5, Lotka-Volterra: times vs width (Fig. 4's fits)", ()),
    "fig08_energy_conservation": ("Fig. 8, energy conservation: sampled MLP vs sampled HNN", ()),
    "fig09_error_correction": ("Fig. 9, first-order error correction from snapshot pairs", ()),
    "tab01_accuracy": ("Table 1, Adam-trained HNN vs sampled HNNs (width 1000)",
                       tuple(f"hnn_{c}" for c in ("sp-small", "sp-large", "lv-zero-small",
                                                  "lv-zero-large", "lv-five"))),
    "perf01_solver_scaling": ("Performance (not in the paper): solver time and memory vs width",
                              ("perf_scaling",)),
}
OUTPUTS = {"tab01_accuracy": "csv,md,tex"}


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


def artifact_table(results: Path) -> str:
    """Markdown: paper artifact -> notebook -> rule -> outputs -> runtime per preset."""
    bench = {p: read_benchmarks(results, p) for p in PRESETS}
    lines = ["| paper artifact | notebook | rule (+ jobs it needs) | outputs in `figures/` | "
             + " | ".join(f"runtime {p}" for p in PRESETS) + " |",
             "|---|---|---|---|" + "---|" * len(PRESETS)]
    for name, (label, jobs) in ARTIFACTS.items():
        times = []
        for p in PRESETS:
            parts = [bench[p].get(j) for j in (name, *jobs)]
            times.append(_fmt(sum(parts)) if None not in parts else "not run")
        extra = f" (+ {', '.join(f'`{j}`' for j in jobs)})" if jobs else ""
        lines.append(f"| {label} | `notebooks/{name}.py` | `{name}`{extra} | "
                     f"`{name}.{{{OUTPUTS.get(name, 'pdf,png,csv')}}}` | " + " | ".join(times)
                     + " |")
    totals = [_fmt(sum(b.values())) if b else "not run" for b in bench.values()]
    lines.append("| **all jobs** | | | | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def runtime_table(results: Path) -> str:
    """Markdown table: job -> seconds per preset."""
    bench = {p: read_benchmarks(results, p) for p in PRESETS}
    jobs = sorted({j for b in bench.values() for j in b})
    lines = ["| job (benchmark file) | " + " | ".join(PRESETS) + " |",
             "|---|" + "---|" * len(PRESETS)]
    for job in jobs:
        lines.append(f"| `{job}` | " + " | ".join(_fmt(bench[p].get(job)) for p in PRESETS)
                     + " |")
    return "\n".join(lines)


def _replace_block(text: str, tag: str, body: str) -> str:
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"README has no {start} ... {end} block")
    return re.sub(re.escape(start) + ".*?" + re.escape(end),
                  lambda _: f"{start}\n{body}\n{end}", text, flags=re.S)


def update(readme: Path, results: Path) -> None:
    """Rewrite the generated blocks of ``readme`` in place."""
    text = _replace_block(readme.read_text(), "artifacts", artifact_table(results))
    readme.write_text(_replace_block(text, "runtimes", runtime_table(results)))


if __name__ == "__main__":
    update(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"), Path("results"))
