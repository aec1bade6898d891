"""Aggregate per-fit rows over repeats and line them up with the paper's numbers."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from shnn.pipeline import manifest

#: Methods in the paper's legend order (sampled methods, then the Adam HNN).
METHODS = (*manifest.METHODS, manifest.BASELINE)

#: Columns of an aggregated table: one row per (sweep, value, method).
SUMMARY_COLUMNS = ("sweep", "value", "method", "repeats", "err_mean", "err_min", "err_max",
                   "time_mean", "time_min", "time_max")


def summarize(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mean, min and max of the test error of H and of the fit time over repeats."""
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["sweep"], row["value"], row["method"])].append(row)
    out = []
    for (sweep, value, method), members in groups.items():
        err = np.array([m["test_rel_l2_H"] for m in members], dtype=float)
        sec = np.array([m["fit_seconds"] for m in members], dtype=float)
        out.append({"sweep": sweep, "value": value, "method": method, "repeats": len(members),
                    "err_mean": err.mean(), "err_min": err.min(), "err_max": err.max(),
                    "time_mean": sec.mean(), "time_min": sec.min(), "time_max": sec.max()})
    return out


def series(summary: list[dict[str, Any]], sweep: str, method: str,
           column: str) -> tuple[np.ndarray, np.ndarray]:
    """``(values, column)`` of one sweep and method, sorted by value."""
    pts = sorted((r["value"], r[column]) for r in summary
                 if r["sweep"] == sweep and r["method"] == method)
    return np.array([p[0] for p in pts], dtype=float), np.array([p[1] for p in pts], dtype=float)


def load_paper(path: str | Path) -> list[dict[str, Any]]:
    """The paper's per-sweep numbers (``data/paper/sweeps.csv``) with floats parsed."""
    with Path(path).open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for key in ("value", "err_mean", "err_min", "err_max", "time_mean"):
            row[key] = float(row[key])
    return rows


def compare_with_paper(summary: list[dict[str, Any]], paper: list[dict[str, Any]],
                       sweep: str, value: float | None = None) -> list[dict[str, Any]]:
    """Ours vs the paper at one sweep value, or at every value both have (``value=None``).

    One row per value and method: our mean over the preset's repeats, the paper's 10-repeat
    mean, and the ratio ours / paper.
    """
    def keyed(rows: list[dict[str, Any]]) -> dict[tuple[float, str], dict[str, Any]]:
        return {(float(r["value"]), r["method"]): r for r in rows if r["sweep"] == sweep
                and (value is None or float(r["value"]) == float(value))}

    ours, theirs = keyed(summary), keyed(paper)
    table = []
    for key in sorted(ours.keys() & theirs.keys(), key=lambda k: (k[0], METHODS.index(k[1]))):
        o, t = ours[key], theirs[key]
        table.append({"sweep": sweep, "value": key[0], "method": key[1],
                      "ours_err_mean": o["err_mean"], "paper_err_mean": t["err_mean"],
                      "ratio": o["err_mean"] / t["err_mean"], "ours_repeats": o["repeats"],
                      "ours_time_mean": o["time_mean"], "paper_time_mean": t["time_mean"]})
    return table


def write_summary(summary: list[dict[str, Any]], path: str | Path, preset: str,
                  extra: Mapping[str, str] | None = None) -> None:
    """Write the aggregated rows (exactly what a figure plots) with a ``preset`` column and the
    constant columns ``extra`` after it (ex01: the full name of your own system)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(summary, key=lambda r: (r["sweep"], r["value"], METHODS.index(r["method"])))
    extra = dict(extra or {})
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["preset", *extra, *SUMMARY_COLUMNS])
        writer.writeheader()
        for row in rows:
            writer.writerow({"preset": preset, **extra,
                             **{k: (f"{v:.6e}" if isinstance(v, float) else v)
                                for k, v in row.items()}})


def log10_means_text(summary: list[dict[str, Any]], sweeps: Iterable[str],
                     methods: Iterable[str] = ("elm", "uswim", "aswim", "swim")) -> str:
    """One line per sweep and method: log10 of the mean error at each value, 1 decimal.

    Rounded so that the text is robust to BLAS and thread count (the nbval-checked output).
    """
    lines = []
    for sweep in sweeps:
        for method in methods:
            _, mean = series(summary, sweep, method, "err_mean")
            lines.append(f"{sweep} {method:<6} " + " ".join(f"{v:5.1f}" for v in np.log10(mean)))
    return "\n".join(lines)


def comparison_markdown(table: list[dict[str, Any]], value_name: str) -> str:
    """Ours vs the paper as a Markdown table, one row per row of :func:`compare_with_paper`
    (a notebook displays it as a table)."""
    if not table:
        return "no point of this preset coincides with a point of the paper"
    lines = [f"| sweep | {value_name} | method | ours: mean error (repeats) | paper | ratio | "
             "time ours (s) | time paper (s) |", "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['sweep']} | {r['value']:g} | {r['method']} | {r['ours_err_mean']:.2e} "
              f"({r['ours_repeats']}) | {r['paper_err_mean']:.2e} | {r['ratio']:.2f} | "
              f"{r['ours_time_mean']:.2f} | {r['paper_time_mean']:.2f} |" for r in table]
    return "\n".join(lines)


def by_value(summary: list[dict[str, Any]], sweep: str,
             column: str = "err_mean") -> dict[float, dict[str, float]]:
    """``{value: {method: column}}`` of one sweep, sorted by value."""
    out: dict[float, dict[str, float]] = defaultdict(dict)
    for r in summary:
        if r["sweep"] == sweep:
            out[float(r["value"])][r["method"]] = float(r[column])
    return dict(sorted(out.items()))


def method_spread(summary: list[dict[str, Any]], sweep: str) -> dict[float, float]:
    """At each sweep value: the worst method's mean error over the best one's."""
    return {v: max(m.values()) / min(m.values())
            for v, m in by_value(summary, sweep, "err_mean").items()}


def column_ratio(summary: list[dict[str, Any]], sweep: str, numerator: str,
                 denominator: str, column: str = "err_mean") -> dict[float, float]:
    """At each sweep value: ``column`` of method ``numerator`` over that of ``denominator``."""
    return {v: m[numerator] / m[denominator]
            for v, m in by_value(summary, sweep, column).items()
            if numerator in m and denominator in m}


def improving_in_value(summary: list[dict[str, Any]], sweep: str, slack: float
                       ) -> dict[str, bool]:
    """Per method: does the mean error improve with the sweep value, that is, end lower than it
    starts and never rise from one value to the next by more than the factor ``slack`` (a
    nearly flat stretch is no reversal)? True for a single value (nothing to compare)."""
    out = {}
    methods = {r["method"] for r in summary if r["sweep"] == sweep}
    for method in sorted(methods, key=METHODS.index):
        _, mean = series(summary, sweep, method, "err_mean")
        out[method] = bool(mean.size < 2 or (mean[-1] < mean[0]
                                              and np.all(mean[1:] <= slack * mean[:-1])))
    return out


def time_ratio_text(summary: list[dict[str, Any]], sweep: str, numerator: str,
                    denominator: str) -> str:
    """One line: the fit-time ratio of two methods at every sweep value."""
    ratios = column_ratio(summary, sweep, numerator, denominator, "time_mean")
    return (f"{sweep}: time {numerator} / {denominator} = "
            + ", ".join(f"{r:.2f} ({v:g})" for v, r in ratios.items()))
