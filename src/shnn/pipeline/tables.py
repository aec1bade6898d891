"""Tables 1 and 2: their inputs, their rows (ours beside the paper's, with speed-ups) and
their CSV, Markdown and LaTeX files."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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


def table_value(config: dict[str, Any], case: str) -> float:
    """The sweep value a table reports ``case`` at: the Adam baseline's width
    (``config["hnn"][case]``) where the sweep varies the width (Table 1, the double pendulum),
    else the baseline's value of the swept parameter (Hénon–Heiles: its α), as
    :func:`shnn.pipeline.sweeps.baseline_spec` sets them."""
    from shnn.pipeline.sweeps import baseline_spec

    key = next(iter(config["sweeps"][case]["vary"]))
    if key == "width":
        return config["hnn"][case]["width"]
    return baseline_spec(config, case).params[key]


def at_value(rows: Iterable[dict[str, Any]], value: float) -> dict[str, dict[str, Any]]:
    """Per method, the first of ``rows`` (aggregated or the paper's) at sweep value ``value``."""
    points: dict[str, dict[str, Any]] = {}
    for r in rows:
        if float(r["value"]) == float(value):
            points.setdefault(r["method"], r)
    return points


@dataclass
class TableInputs:
    """What a table notebook reads, by case: the preset (``config``), the Adam baseline's CSV
    row (``hnn[case]``), our sampled fits aggregated over repeats at the table's value
    (``sampled[case][method]``, a row of :func:`shnn.pipeline.aggregate.summarize`), the
    paper's appendix points at the paper's value (``paper[case][method]``) and the paper's
    HNN run (``paper_hnn[case]``, one version)."""

    config: dict[str, Any]
    hnn: dict[str, dict[str, Any]]
    sampled: dict[str, dict[str, dict[str, Any]]]
    paper: dict[str, dict[str, dict[str, Any]]]
    paper_hnn: dict[str, dict[str, str]]
    #: How every time was put on one machine's scale (``on_scale``), by case; empty where the
    #: times are as measured.
    scaled: dict[str, str] = field(default_factory=dict)


def load_inputs(config_path: str | Path, cases: Iterable[str], sweeps_dir: str | Path,
                runs_dir: str | Path, hnn_dir: str | Path, paper_csv: str | Path,
                paper_hnn_csv: str | Path, version: int,
                paper_values: Mapping[str, float] | None = None,
                on_scale: bool = False) -> TableInputs:
    """A table's inputs for ``cases``: the preset, the Adam baselines (trained first where
    missing: :func:`read_baselines`), each case's sampled fits at :func:`table_value`
    (its sweep run first where missing: :func:`shnn.pipeline.sweeps.load_sweeps`), the
    paper's appendix points (``data/paper/sweeps.csv``) at ``paper_values[case]`` (without
    ``paper_values``: at that same value) and the paper's HNN runs of ``version``. With
    ``on_scale``, every time (sampled and HNN) is put on the store's scale where every one can
    be (:func:`scaled_times`), else all stay as measured."""
    from shnn.pipeline import aggregate
    from shnn.pipeline.config import load as load_config
    from shnn.pipeline.sweeps import load_sweeps

    config = load_config(config_path)
    case_ids = list(cases)
    hnn = read_baselines(config, case_ids, hnn_dir, runs_dir)
    rows = {case: load_sweeps(config, [case], sweeps_dir, runs_dir) for case in case_ids}
    scaled = scaled_times(config, rows, hnn) if on_scale else {}
    paper_rows = aggregate.load_paper(paper_csv)
    sampled, paper = {}, {}
    for case in case_ids:
        value = table_value(config, case)
        sampled[case] = at_value(aggregate.summarize(rows[case]), value)
        paper[case] = at_value([r for r in paper_rows if r["sweep"] == case],
                               value if paper_values is None else paper_values[case])
    return TableInputs(config, hnn, sampled, paper, read_paper_hnn(paper_hnn_csv, version),
                       scaled)


def scaled_times(config: dict[str, Any], rows: dict[str, list[dict[str, Any]]],
                 hnn: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Put every case's sweep ``rows`` and Adam baseline row (``hnn``) on the store's scale,
    in place, where all of them can be (:func:`shnn.pipeline.scale.put_on_scale`,
    :func:`shnn.pipeline.scale.baseline_factor`); how, by case, else ``{}`` and nothing
    changed."""
    import copy

    from shnn.pipeline.scale import baseline_factor, preset_scale, put_on_scale

    on = preset_scale(config)  # the store's machine and bridge logs, read once
    if on is None:
        return {}
    factors = {case: baseline_factor(config, case, on) for case in hnn}
    if any(f is None for f in factors.values()):
        return {}
    trial = copy.deepcopy(rows)
    notes = {case: put_on_scale(config, case, trial[case], on) for case in trial}
    if any(note is None for note in notes.values()):
        return {}
    for case, (factor, how) in factors.items():  # type: ignore[misc]
        hnn[case] = {**hnn[case], "fit_seconds": float(hnn[case]["fit_seconds"]) * factor}
        notes[case] = f"sampled: {notes[case]}; HNN: by its {how} (factor {factor:.3f})"
    rows.update(trial)
    return notes


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


def table1_rows(cases: Mapping[str, tuple[str, str]], hnn: dict[str, dict[str, Any]],
                sampled: dict[str, dict[str, dict[str, Any]]],
                paper_hnn: dict[str, dict[str, str]], paper: dict[str, dict[str, dict]],
                methods: Sequence[str]) -> list[dict[str, Any]]:
    """Table 1's rows: per case (``cases``: case -> (system, domain)) the Adam HNN, then each
    sampled method at the table width (``sampled[case][method]``), each beside the paper's
    (``paper[case][method]``, NaN where the paper has no point at that width), with ``ratio``
    (:func:`with_ratios`)."""
    nan = float("nan")
    rows = []
    for case, (system, domain) in cases.items():
        h, p = hnn[case], paper_hnn[case]
        rows.append({"system": system, "domain": domain, "method": "hnn",
                     "err": h["test_rel_l2_H"], "seconds": h["fit_seconds"], "repeats": 1,
                     "steps": h["steps"], "paper_err": float(p["err"]),
                     "paper_seconds": float(p["seconds"]), "paper_steps": int(p["steps"])})
        for m in methods:
            ours, theirs = sampled[case][m], paper[case].get(m)
            rows.append({"system": system, "domain": domain, "method": m,
                         "err": ours["err_mean"], "seconds": ours["time_mean"],
                         "repeats": ours["repeats"], "steps": "",
                         "paper_err": nan if theirs is None else theirs["err_mean"],
                         "paper_seconds": nan if theirs is None else theirs["time_mean"],
                         "paper_steps": ""})
    return with_ratios(rows)


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


def best(row: Mapping[str, dict[str, Any]], key: str) -> str:
    """The method of ``row`` (method -> table row) with the smallest ``key``; the first of
    them in ``row``'s order on a tie."""
    return min(row, key=lambda m: row[m][key])


def seconds_text(value: float) -> str:
    """A time in seconds as Table 2 shows it: one decimal from 1 s up, else 2 significant
    digits."""
    return f"{value:.1f}" if value >= 1 else f"{value:.2g}"


def table1_lines(rows: Sequence[dict[str, Any]], cases: Mapping[str, tuple[str, str]],
                 columns: Sequence[str], err_key: str, sec_key: str,
                 latex: bool = False) -> list[str]:
    """Table 1's body (Markdown or LaTeX): per case (``cases``: case -> (system, domain))
    its system and domain, then per method of ``columns`` ``error (seconds s)`` from the
    columns ``err_key`` and ``sec_key`` of :func:`table1_rows`; bold: the line's best error."""
    lines = []
    for system, domain in cases.values():
        row = {r["method"]: r for r in rows if r["domain"] == domain}
        top = best(row, err_key)
        cells = [bold(f"{row[m][err_key]:.2e} ({row[m][sec_key]:.1f} s)", m == top, latex)
                 for m in columns]
        lines.append(table_line([system, f"${domain}$", *cells], latex))
    return lines


def table2_lines(rows: Sequence[dict[str, Any]], cases: Mapping[str, str],
                 columns: Sequence[str], labels: Mapping[str, str], err_key: str,
                 sec_key: str, speed_key: str, latex: bool = False) -> list[str]:
    """Table 2's body (Markdown or LaTeX): per method of ``columns`` its label, then per
    system (``cases``: case -> system) the time (:func:`seconds_text`; a sampled method's
    speed-up, ``speed_key``, after it) and the error, from the columns of
    :func:`table2_rows`; bold: the system's best time and best error."""
    lines = []
    for m in columns:
        cells = [labels[m]]
        for system in cases.values():
            col = {r["method"]: r for r in rows if r["system"] == system}
            best_err, best_sec = best(col, err_key), best(col, sec_key)
            speed = "" if m == "hnn" else f" ({col[m][speed_key]:.0f}x)"
            cells += [bold(seconds_text(col[m][sec_key]), m == best_sec, latex) + speed,
                      bold(f"{col[m][err_key]:.2e}", m == best_err, latex)]
        lines.append(table_line(cells, latex))
    return lines
