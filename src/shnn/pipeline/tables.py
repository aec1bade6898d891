"""Tables 1 and 2: their rows (ours beside the paper's, with speed-ups) and their CSV,
Markdown and LaTeX files."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

#: Where the times of a preset with a committed store (the paper preset) were measured: its
#: fits and baseline segments were computed over many sessions, each on its own machine.
STORED_TIMES = ("times as measured when each fit ran, on the machine of the session that "
                "computed it (machines differ between sessions)")


def read_baselines(config: dict[str, Any], cases: Iterable[str], hnn_dir: str | Path,
                   runs_dir: str | Path) -> dict[str, dict[str, Any]]:
    """The CSV row of each Adam baseline in ``hnn_dir`` (trained first where it is missing:
    :func:`shnn.pipeline.sweeps.run_baseline`)."""
    from shnn.pipeline.sweeps import BASELINE_COLUMNS, read_csv, run_baseline, write_csv

    rows = {}
    for case in cases:
        path = Path(hnn_dir) / f"{case}.csv"
        if not path.exists():
            write_csv([run_baseline(config, case, runs_dir)], path, BASELINE_COLUMNS)
        rows[case] = read_csv(path)[0]
    return rows


def read_paper_hnn(path: str | Path, version: int) -> dict[str, dict[str, str]]:
    """The paper's Adam HNN runs of one version (``data/paper/hnn.csv``), by case."""
    with Path(path).open(newline="") as fh:
        return {r["case"]: r for r in csv.DictReader(fh) if r["version"] == str(version)}


def speedup(hnn_seconds: float, seconds: float) -> float:
    """How many times faster than the Adam HNN a fit of ``seconds`` is."""
    return hnn_seconds / seconds


def with_ratios(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with ``ratio``: our error over the paper's."""
    return [{**r, "ratio": r["err"] / r["paper_err"]} for r in rows]


def write_csv(rows: Sequence[dict[str, Any]], path: str | Path, preset: str,
              **columns: Any) -> None:
    """The table's rows as CSV after a ``preset`` column and any constant ``columns``
    (floats with 7 significant digits)."""
    with Path(path).open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["preset", *columns, *rows[0]])
        writer.writeheader()
        for r in rows:
            writer.writerow({"preset": preset, **columns,
                             **{k: f"{v:.6e}" if isinstance(v, float) else v
                                for k, v in r.items()}})


def bold(text: str, flag: bool, latex: bool = False) -> str:
    """``text`` in bold (Markdown or LaTeX) where ``flag``."""
    if not flag:
        return text
    return rf"\textbf{{{text}}}" if latex else f"**{text}**"


def table_line(cells: Sequence[str], latex: bool = False) -> str:
    """One row: ``a & b \\\\`` in LaTeX, ``| a | b |`` in Markdown."""
    return " & ".join(cells) + r" \\" if latex else "| " + " | ".join(cells) + " |"


def markdown(title: str, caption: str, header: Sequence[str], body: Sequence[str],
             paper_note: str, paper_body: Sequence[str]) -> str:
    """The Markdown file: title, caption, our table, then the paper's under its note."""
    head = [table_line(header), "|---" * len(header) + "|"]
    return "\n".join([f"# {title}", "", caption, "", *head, *body, "", paper_note, "", *head,
                      *paper_body]) + "\n"


def latex(caption: str, columns: str, header: Sequence[str], body: Sequence[str]) -> str:
    """The LaTeX table environment (``columns``: the tabular column spec)."""
    return "\n".join([r"\begin{table}", r"\centering", rf"\caption{{{caption}}}",
                      rf"\begin{{tabular}}{{{columns}}}", r"\hline",
                      table_line(header, latex=True), r"\hline", *body, r"\hline",
                      r"\end{tabular}", r"\end{table}"]) + "\n"


def write_text(out_stem: str, md: str, tex: str) -> None:
    """Write ``out_stem.md`` and ``out_stem.tex``."""
    Path(f"{out_stem}.md").write_text(md)
    Path(f"{out_stem}.tex").write_text(tex)


def log10_lines(rows: Iterable[dict[str, Any]], label: str, width: int) -> list[str]:
    """Key numbers: per row its ``label`` column, method and log10 error to one decimal."""
    return [f"{r[label]:<{width}} {r['method']:<6} {math.log10(r['err']):5.1f}" for r in rows]


def table2_rows(cases: dict[str, str], hnn: dict[str, dict[str, Any]],
                sampled: dict[str, dict[str, dict[str, Any]]],
                paper_hnn: dict[str, dict[str, str]], paper: dict[str, dict[str, dict]],
                methods: Sequence[str]) -> list[dict[str, Any]]:
    """Table 2's rows: per system (``cases``: case -> system name) the Adam HNN, then each
    sampled method at the table's sweep value (``sampled[case][method]``, a figure's
    aggregated point), each beside the paper's (``paper[case][method]``, its appendix point)
    and with its speed-up over the HNN of the same system, ours and the paper's."""
    rows = []
    for case, system in cases.items():
        h, p = hnn[case], paper_hnn[case]
        rows.append({"system": system, "method": "hnn", "width": h["width"],
                     "steps": h["steps"], "repeats": 1, "err": h["test_rel_l2_H"],
                     "seconds": h["fit_seconds"], "speedup": 1.0,
                     "paper_err": float(p["err"]), "paper_seconds": float(p["seconds"]),
                     "paper_speedup": 1.0})
        for m in methods:
            ours, theirs = sampled[case][m], paper[case][m]
            rows.append({"system": system, "method": m, "width": h["width"], "steps": "",
                         "repeats": ours["repeats"], "err": ours["err_mean"],
                         "seconds": ours["time_mean"],
                         "speedup": speedup(h["fit_seconds"], ours["time_mean"]),
                         "paper_err": theirs["err_mean"], "paper_seconds": theirs["time_mean"],
                         "paper_speedup": speedup(float(p["seconds"]), theirs["time_mean"])})
    return with_ratios(rows)
