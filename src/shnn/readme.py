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
    "fig01_aswim_schematic": ("Fig. 1, the A-SWIM idea, drawn from a real small fit", ()),
    "fig02_single_pendulum": ("Fig. 2, single pendulum: errors on two domains, times vs width",
                              ("sweep_sp-small", "sweep_sp-large")),
    "fig03_pendulum_frequency": ("Fig. 3, single pendulum f = 10, 15, 20: errors vs train size",
                                 ("sweep_sp-f10", "sweep_sp-f15", "sweep_sp-f20")),
    "fig04_lotka_volterra_errors": ("Fig. 4, Lotka-Volterra (3 cases): errors vs width",
                                    ("sweep_lv-zero-small", "sweep_lv-zero-large",
                                     "sweep_lv-five")),
    "fig05_lotka_volterra_times": ("Fig. 5, Lotka-Volterra: times vs width (Fig. 4's fits)", ()),
    "fig06_double_pendulum": ("Fig. 6, double pendulum: errors and times vs width",
                              ("sweep_dp",)),
    "fig07_henon_heiles": ("Fig. 7, Hénon-Heiles: errors and times vs alpha", ("sweep_hh",)),
    "fig08_energy_conservation": ("Fig. 8, energy conservation: sampled MLP vs sampled HNN", ()),
    "fig09_error_correction": ("Fig. 9, first-order error correction from snapshot pairs", ()),
    "tab01_accuracy": ("Table 1, Adam-trained HNN vs sampled HNNs (width 1000)",
                       tuple(f"hnn_{c}" for c in ("sp-small", "sp-large", "lv-zero-small",
                                                  "lv-zero-large", "lv-five"))),
    "tab02_chaotic": ("Table 2, chaotic systems: Adam HNN vs sampled HNNs, speed-ups",
                      ("hnn_dp", "hnn_hh")),
    "fig07b_henon_heiles_loss": ("Fig. 7b (diagnostic, not in the paper): HNN loss vs sampled "
                                 "errors (Table 2's runs)", ()),
    "perf01_solver_scaling": ("Performance (not in the paper): solver time and memory vs width",
                              ("perf_scaling",)),
    "ex01_own_system": ("Example (not in the paper): your own system (Duffing double well, "
                        "`examples/duffing.py`) through the DAG", ("sweep_ex-duffing",)),
    "reproduction_report": ("Reproduction report: every paper number vs ours, with verdicts",
                            ()),
}
#: The report rows of each artifact (``artifact`` column of the reproduction report).
REPORT_KEYS = {"fig02_single_pendulum": "fig02", "fig03_pendulum_frequency": "fig03",
               "fig04_lotka_volterra_errors": "fig04", "fig06_double_pendulum": "fig06",
               "fig07_henon_heiles": "fig07", "fig08_energy_conservation": "fig08",
               "fig09_error_correction": "fig09", "tab01_accuracy": "tab01",
               "tab02_chaotic": "tab02"}
#: Worked examples: rendered by the presets that define their sweep, never by the paper's.
EXAMPLES = ("ex01_own_system",)
OUTPUTS = {"tab01_accuracy": "csv,md,tex", "tab02_chaotic": "csv,md,tex",
           "reproduction_report": "csv,md"}
#: Where the paper preset renders (``figures_dir`` of ``config/paper.yaml``).
PAPER_FIGURES = Path("figures/paper")


def read_benchmarks(results: Path, preset: str) -> dict[str, float]:
    """Seconds per job of one preset, from its benchmark files: ``<job>.tsv``, or the sum
    of the shards ``<job>/*.tsv`` (a sweep runs as one job per sweep value)."""
    out: dict[str, float] = {}
    folder = results / preset / "benchmarks"
    for tsv in sorted([*folder.glob("*.tsv"), *folder.glob("*/*.tsv")]):
        with tsv.open() as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        if rows:
            job = tsv.stem if tsv.parent == folder else tsv.parent.name
            out[job] = out.get(job, 0.0) + float(rows[-1]["s"])
    return out


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "not run"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def agreement(report_csv: Path) -> tuple[str, dict[str, str]]:
    """``(preset, {artifact: verdict summary})`` from a reproduction report CSV."""
    if not report_csv.exists():
        return "", {}
    with report_csv.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    preset = rows[0]["preset"] if rows else ""
    out = {}
    for name, key in REPORT_KEYS.items():
        mine = [r["verdict"] for r in rows if r["artifact"] == key]
        agree, differ = mine.count("agrees"), mine.count("differs")
        other = len(mine) - agree - differ
        if agree + differ == 0:
            out[name] = f"not comparable at {preset} ({other} numbers)"
            continue
        word = "yes" if differ == 0 else "mostly" if agree >= 3 * differ else "partly"
        out[name] = (f"{word}: {agree}/{agree + differ} agree"
                     + (f", {other} not comparable" if other else ""))
    return preset, out


def paper_measured(config_path: Path) -> dict[str, tuple[float, bool]]:
    """The paper preset's measured compute seconds per job, from its committed store."""
    from shnn.config import load
    from shnn.timebox import measured_seconds

    return measured_seconds(load(config_path))


def paper_link(name: str, folder: Path = PAPER_FIGURES) -> str:
    """A link to the paper-preset rendering of an artifact, or "not yet"."""
    notebook = folder / "notebooks" / f"{name}.ipynb"
    return f"[notebook]({notebook.as_posix()})" if notebook.exists() else "not yet"


def artifact_table(results: Path, report_csv: Path = Path("figures/reproduction_report.csv"),
                   paper_config: Path | None = None) -> str:
    """Markdown: paper artifact -> notebook -> rule -> outputs -> runtime per preset ->
    agreement with the paper (from the reproduction report)."""
    bench = {p: read_benchmarks(results, p) for p in PRESETS}
    measured = paper_measured(paper_config) if paper_config else {}
    bench["paper"].update({job: sec for job, (sec, complete) in measured.items() if complete})
    preset, agrees = agreement(report_csv)
    lines = ["| paper artifact | notebook | rule (+ jobs it needs) | outputs in `figures/` | "
             + " | ".join(f"runtime {p}" for p in PRESETS)
             + f" | agrees with paper? ({preset or 'no report yet'}) | paper preset |",
             "|---|---|---|---|" + "---|" * (len(PRESETS) + 2)]
    for name, (label, jobs) in ARTIFACTS.items():
        times = []
        for p in PRESETS:
            parts = [bench[p].get(j) for j in (name, *jobs)]
            times.append(_fmt(sum(parts)) if None not in parts else "not run")
        unfinished = [j for j in jobs if j in measured and not measured[j][1]]
        if unfinished and times[-1] == "not run":
            so_far = sum(measured[j][0] for j in jobs if j in measured)
            times[-1] = f"running ({_fmt(so_far)} so far)" if so_far else "not run"
        extra = f" (+ {', '.join(f'`{j}`' for j in jobs)})" if jobs else ""
        lines.append(f"| {label} | `notebooks/{name}.py` | `{name}`{extra} | "
                     f"`{name}.{{{OUTPUTS.get(name, 'pdf,png,csv')}}}` | " + " | ".join(times)
                     + f" | {agrees.get(name, 'no paper numbers')} | "
                     + ("not in this preset" if name in EXAMPLES else paper_link(name)) + " |")
    totals = [_fmt(sum(b.values())) if b else "not run" for b in bench.values()]
    so_far = sum(sec for sec, _ in measured.values())
    if so_far and not all(complete for _, complete in measured.values()):
        totals[-1] = f"running ({_fmt(so_far)} so far)"
    lines.append("| **all jobs** | | | | " + " | ".join(totals) + " | |")
    return "\n".join(lines)


def runtime_table(results: Path, measured: dict[str, tuple[float, bool]] | None = None) -> str:
    """Markdown table: job -> seconds per preset (paper: also ``measured`` from its store)."""
    bench = {p: read_benchmarks(results, p) for p in PRESETS}
    measured = measured or {}
    bench["paper"].update({job: sec for job, (sec, complete) in measured.items() if complete})
    jobs = sorted({j for b in bench.values() for j in b} | set(measured))
    lines = ["| job (benchmark file) | " + " | ".join(PRESETS) + " |",
             "|---|" + "---|" * len(PRESETS)]
    for job in jobs:
        cells = [_fmt(bench[p].get(job)) for p in PRESETS]
        if job in measured and not measured[job][1] and measured[job][0]:
            cells[-1] = f"running ({_fmt(measured[job][0])} so far)"
        lines.append(f"| `{job}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def estimate_table(estimate_json: Path) -> str:
    """Markdown: the paper preset's estimated time and peak memory per artifact."""
    import json

    if not estimate_json.exists():
        return "(no estimate yet: run `bench/estimate_paper.py`)"
    est = json.loads(estimate_json.read_text())
    lines = ["| artifact | fits or runs | time, 2 cores (est.) | peak memory (est.) | "
             "time, 64-core node (est.) |", "|---|---|---|---|---|"]
    for key, art in sorted(est["artifacts"].items()):
        c64 = art.get("seconds_64core")
        peak = (f"{art['peak_bytes'] / 2**30:.1f} GiB" if art["peak_bytes"]
                else "small (not modelled)")
        lines.append(f"| {key} | {art['fits']} | {art['seconds_2core'] / 3600:.1f} h | {peak} | "
                     + ("-" if c64 is None else f"{c64 / 3600:.1f} h") + " |")
    total64 = sum(a["seconds_64core"] or 0 for a in est["artifacts"].values())
    lines.append(f"| **total** | | **{est['total_seconds_2core'] / 3600:.0f} h** | | "
                 f"**{total64 / 3600:.0f} h** |")
    return "\n".join(lines)


def cluster_table(config_path: Path, estimate_json: Path, adam_json: Path) -> str:
    """Markdown: the jobs of a preset and the resources they declare to a scheduler.

    One row per artifact: its sweep shards (one job per sweep value) or Adam baselines,
    the largest memory and run time declared by one job (:mod:`shnn.resources`, 2 cores),
    and the estimated core-hours of all its jobs on the 2-core reference machine.
    """
    from shnn.config import load
    from shnn.report import SWEEP_ARTIFACT
    from shnn.resources import CostModel, baseline_resources, shard_resources
    from shnn.sweeps import shard_labels, shard_value

    config = load(config_path)
    costs = CostModel.from_files(estimate_json, adam_json)
    rows: dict[str, list[dict[str, int]]] = {}
    for sweep_id, sweep in config["sweeps"].items():
        art = SWEEP_ARTIFACT.get(sweep_id, sweep_id)
        rows.setdefault(art, []).extend(
            shard_resources(costs, sweep, shard_value(sweep_id, sweep, label))
            for label in shard_labels(sweep))
    for case, hnn in config["hnn"].items():
        art = "tab02" if case in ("dp", "hh") else "tab01"
        rows.setdefault(art, []).append(baseline_resources(costs, hnn))
    lines = ["| artifact | jobs | largest job: memory | largest job: run time | "
             "all jobs: declared run time |", "|---|---|---|---|---|"]
    for art, jobs in sorted(rows.items()):
        mem = max(j["mem_mb"] for j in jobs) / 1024
        longest = max(j["runtime"] for j in jobs)
        total = sum(j["runtime"] for j in jobs)
        lines.append(f"| {art} | {len(jobs)} | {mem:.1f} GiB | {longest / 60:.1f} h | "
                     f"{total / 60:.0f} h |")
    return "\n".join(lines)


def _block(text: str, tag: str) -> str:
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    return text.split(start, 1)[1].split(end, 1)[0] if start in text and end in text else ""


def keep_columns(old: str, new: str, columns: list[int], sort: bool = False) -> str:
    """``new`` (a Markdown table) merged with ``old``: where a cell of ``columns`` says
    "not run" but the row of ``old`` with the same first cell has a measurement, the old cell
    stays, and rows only ``old`` has stay too (``sort``: data rows by their first cell).
    Benchmark files are not committed, so a machine that has not built a preset keeps the
    runtimes measured where it was built."""
    def cells(line: str) -> list[str]:
        return line.strip().strip("|").split("|")

    old_rows = [cells(line) for line in old.strip().splitlines()[2:]]
    theirs_by_key = {row[0]: row for row in old_rows}
    header, *rows = new.strip().splitlines()[:2], *new.strip().splitlines()[2:]
    body: dict[str, str] = {}
    for line in rows:
        mine, theirs = cells(line), theirs_by_key.get(cells(line)[0])
        for col in columns:
            if theirs and col < min(len(theirs), len(mine)) and mine[col].strip() == "not run":
                mine[col] = theirs[col]
        body[mine[0]] = "|" + "|".join(mine) + "|"
    for row in old_rows:
        body.setdefault(row[0], "|" + "|".join(row) + "|")
    keys = sorted(body) if sort else list(body)
    return "\n".join([*header, *(body[k] for k in keys)])


def _replace_block(text: str, tag: str, body: str) -> str:
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"README has no {start} ... {end} block")
    return re.sub(re.escape(start) + ".*?" + re.escape(end),
                  lambda _: f"{start}\n{body}\n{end}", text, flags=re.S)


def update(readme: Path, results: Path,
           report_csv: Path = Path("figures/reproduction_report.csv")) -> None:
    """Rewrite the generated blocks of ``readme`` in place."""
    paper = Path("config/paper.yaml")
    text = readme.read_text()
    kept = [i for i, p in enumerate(PRESETS) if p != "paper"]
    text = _replace_block(text, "artifacts", keep_columns(
        _block(text, "artifacts"),
        artifact_table(results, report_csv, paper if paper.exists() else None),
        [4 + i for i in kept]))
    text = _replace_block(text, "runtimes", keep_columns(
        _block(text, "runtimes"),
        runtime_table(results, paper_measured(paper) if paper.exists() else None),
        [1 + i for i in kept], sort=True))
    if "<!-- estimate:start -->" in text:
        text = _replace_block(text, "estimate",
                              estimate_table(Path("bench/results/paper_estimate.json")))
    if "<!-- cluster:start -->" in text:
        text = _replace_block(text, "cluster", cluster_table(
            Path("config/paper.yaml"), Path("bench/results/paper_estimate.json"),
            Path("bench/results/adam_speed.json")))
    if "<!-- paper-status:start -->" in text:
        from shnn.config import load
        from shnn.timebox import status_table

        text = _replace_block(text, "paper-status", status_table(load(paper)))
    readme.write_text(text)


if __name__ == "__main__":
    update(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"), Path("results"))
