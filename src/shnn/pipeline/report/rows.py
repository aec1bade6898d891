"""The report's numbers: ours beside the paper's with a verdict, per sweep point, table entry,
error-correction step and energy reading (not run yet where an artifact is missing)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from shnn.pipeline.manifest import METHOD_LABELS
from shnn.pipeline.report.facts import (
    AGREES,
    DIFFERS,
    FAMILY,
    KEY_VALUES,
    NOT_COMPARABLE,
    NOT_RUN,
    PAPER_REPEATS,
    PAPER_SEEDS,
    PAPER_SWEEPS,
    SWEEP_ARTIFACT,
    TABLE2_VALUE,
    TABLE_CASES,
    TABLE_HNN_VERSION,
    tolerance,
)

if TYPE_CHECKING:
    from shnn.pipeline.progress import Progress


@dataclass
class Row:
    """One reported number: the paper's value, ours, their ratio and the verdict."""

    artifact: str
    quantity: str
    setting: str
    paper: float
    ours: float
    ratio: float
    tolerance: float
    verdict: str
    note: str = ""


def verdict(ours: float, paper: float, tol: float) -> tuple[float, str]:
    """``(ratio, verdict)``: agrees when ``1/tol <= ours/paper <= tol``."""
    ratio = ours / paper
    return ratio, AGREES if 1.0 / tol <= ratio <= tol else DIFFERS


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """A CSV with numeric fields converted (as :func:`shnn.pipeline.sweeps.read_csv`)."""
    from shnn.pipeline.sweeps import read_csv

    return read_csv(path)


def read_artifact(folder: str | Path, name: str, config: dict[str, Any]
                  ) -> list[dict[str, Any]] | None:
    """The rows of artifact ``name``'s CSV, or None when it is missing and may be: only a
    preset with a ``store_dir`` reports over the artifacts done so far."""
    path = Path(folder) / f"{name}.csv"
    if path.exists():
        return read_rows(path)
    if config.get("store_dir"):
        return None
    raise FileNotFoundError(f"{path} is missing: the report needs every artifact's CSV (only "
                            "a preset with a store_dir may report over part of them)")


#: What each kind of progress of :func:`shnn.pipeline.progress.artifact_progress` counts.
PROGRESS_UNITS = {"fits": "fits", "steps": "Adam steps"}


def progress_text(kind: str, progress: Progress) -> str:
    """How far one input of an artifact is, e.g. ``35% of its fits done`` (rounded down)."""
    if kind == "notebook":
        minutes = math.ceil(progress.seconds_left / 60)
        return f"its notebook not rendered, about {minutes} min of work"
    return f"{progress.percent}% of its {PROGRESS_UNITS[kind]} done"


def not_run_notes(config: dict[str, Any], missing: Iterable[str],
                  inputs: dict[tuple[str, str], Progress] | None = None
                  ) -> dict[str, dict[str, str]]:
    """Per missing artifact, how far each of its inputs is (``{"fits": "35% of its fits
    done", ...}``, from the store via :func:`shnn.pipeline.progress.artifact_progress`, over
    ``inputs`` of :func:`input_progress` when given)."""
    missing = list(missing)
    if not missing or not config.get("store_dir"):
        return {name: {} for name in missing}
    from shnn.pipeline.progress import artifact_progress

    progress = artifact_progress(config, inputs=inputs)
    return {name: {kind: progress_text(kind, p) for kind, p in progress.get(name, {}).items()}
            for name in missing}


def input_progress(config: dict[str, Any]) -> dict[tuple[str, str], Progress]:
    """How far each sweep ``("fits", id)`` and Adam baseline ``("steps", case)`` is in the
    preset's store (empty without one), read once for all the notes: a table row not run yet
    says how far its own input is (:func:`table_rows`), a value a continuing sweep computes how
    far that sweep is (:func:`continuation_note`)."""
    if not config.get("store_dir"):
        return {}
    from shnn.pipeline.progress import input_progress as store_progress

    return store_progress(config)


def not_run_note(not_run: dict[str, str] | None, kind: str) -> str:
    """The note of a row not run yet: ``not run yet: 35% of its fits done``."""
    text = (not_run or {}).get(kind)
    return f"{NOT_RUN}: {text}" if text else NOT_RUN


def mark_not_run(row: Row, note: str) -> Row:
    """``row`` (built from an artifact's planned, NaN-valued rows) as not run yet; a row that
    would not be comparable keeps its reason."""
    if row.verdict == NOT_COMPARABLE:
        note += f"; not comparable at this preset even then: {row.note}"
    return replace(row, ours=math.nan, ratio=math.nan, verdict=NOT_RUN, note=note)


def setting_differences(sweep_id: str, sweep: dict[str, Any]) -> list[str]:
    """How a preset's sweep differs from the paper's in anything but values and repeats."""
    paper = PAPER_SWEEPS[sweep_id]
    diffs = [f"{k} {sweep.get(k)} (paper {v})" for k, v in paper.items() if sweep.get(k) != v]
    if (sweep["data_seed"], sweep["model_seed"]) != PAPER_SEEDS:
        diffs.append(f"seeds {sweep['data_seed']}, {sweep['model_seed']} (paper {PAPER_SEEDS})")
    return diffs


def planned_summary(sweep_id: str, sweep: dict[str, Any]) -> list[dict[str, Any]]:
    """The figure-CSV rows a sweep will have once run: each value and method, results NaN."""
    nan = dict.fromkeys(("err_mean", "err_min", "err_max", "time_mean"), math.nan)
    return [{"sweep": sweep_id, "value": float(value), "method": method,
             "repeats": sweep["repeats"], **nan}
            for value in next(iter(sweep["vary"].values())) for method in sweep["methods"]]


def with_continuations(config: dict[str, Any], sweep_id: str) -> dict[str, Any]:
    """Sweep ``sweep_id`` with the values of the sweeps that continue it (the paper preset's
    dp with dp-wide's widths): everything its figure will show."""
    from shnn.pipeline.config import continuations

    sweep = config["sweeps"][sweep_id]
    key, values = next(iter(sweep["vary"].items()))
    values = [*values, *(v for c in continuations(config, sweep_id)
                         for v in config["sweeps"][c]["vary"][key])]
    return {**sweep, "vary": {key: values}}


def continuation_note(config: dict[str, Any], sweep_id: str,
                      inputs: dict[tuple[str, str], Progress] | None = None) -> str:
    """The note of a value a continuing sweep computes, shown once that sweep is complete:
    ``not run yet: in sweep dp-wide, 35% of its fits done`` (its progress from ``inputs`` of
    :func:`input_progress`, when there; "" if no sweep continues it)."""
    from shnn.pipeline.config import continuations

    parts = []
    for later in continuations(config, sweep_id):
        done = (inputs or {}).get(("fits", later))
        parts.append(f"in sweep {later}" + (f", {progress_text('fits', done)}" if done else ""))
    return f"{NOT_RUN}: " + "; ".join(parts) if parts else ""


def sweep_rows(sweep_id: str, sweep: dict[str, Any], summary: list[dict[str, Any]] | None,
               paper: list[dict[str, Any]], not_run: dict[str, str] | None = None,
               later: str | None = None) -> list[Row]:
    """Ours vs the paper at every sweep value both have, plus the paper's key values.

    ``summary`` holds the rows of a figure CSV (``aggregate.write_summary``), ``paper`` the
    rows of ``data/paper/sweeps.csv``. ``summary`` None: the figure is not run yet; its rows
    are those of the preset's planned sweep, marked not run (notes ``not_run``, of
    :func:`not_run_notes`). A value of ``sweep`` (of :func:`with_continuations`) the figure
    does not show yet is not run yet, with note ``later`` (:func:`continuation_note`).
    """
    if summary is None:
        planned = sweep_rows(sweep_id, sweep, planned_summary(sweep_id, sweep), paper)
        return [mark_not_run(r, not_run_note(not_run, "fits")) for r in planned]
    planned_values = {float(v) for v in next(iter(sweep["vary"].values()))}
    ours = {(float(r["value"]), r["method"]): r for r in summary if r["sweep"] == sweep_id}
    key = next(iter(sweep["vary"]))
    diffs = setting_differences(sweep_id, sweep)
    computed = sorted({v for v, _ in ours})
    rows = []
    for p in paper:
        if p["sweep"] != sweep_id:
            continue
        value, method = float(p["value"]), p["method"]
        setting = f"{sweep_id}, {key} {value:g}"
        quantity = f"{METHOD_LABELS[method]} mean test error of H"
        artifact = SWEEP_ARTIFACT[sweep_id]
        tol = tolerance(sweep_id, method)
        o = ours.get((value, method))
        if o is not None and not diffs:
            ratio, v = verdict(float(o["err_mean"]), float(p["err_mean"]), tol)
            note = f"mean over {o['repeats']} of the paper's {PAPER_REPEATS} repeats"
            if v == DIFFERS:
                inside = float(p["err_min"]) <= float(o["err_mean"]) <= float(p["err_max"])
                note += (f"; our mean is {'inside' if inside else 'outside'} the paper's "
                         f"min-max band [{float(p['err_min']):.2e}, {float(p['err_max']):.2e}]")
            rows.append(Row(artifact, quantity, setting, float(p["err_mean"]),
                            float(o["err_mean"]), ratio, tol, v, note))
        elif later and o is None and not diffs and value in planned_values:
            rows.append(Row(artifact, quantity, setting, float(p["err_mean"]), math.nan,
                            math.nan, tol, NOT_RUN, later))
        elif value in KEY_VALUES.get(sweep_id, ()):
            done = ", ".join(f"{c:g}" for c in computed)
            why = "; ".join(diffs) if diffs else (
                f"{key} {value:g} not computed (this preset: {done})")
            rows.append(Row(artifact, quantity, setting, float(p["err_mean"]),
                            float(o["err_mean"]) if o else math.nan, math.nan, tol,
                            NOT_COMPARABLE, why))
    return rows


def planned_table(artifact: str, config: dict[str, Any], paper: list[dict[str, Any]],
                  paper_hnn: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows Table 1 or 2 (``artifact``) will have once run: the paper's errors, the
    preset's HNN steps and width, our errors NaN. ``paper``, ``paper_hnn``: the rows of
    ``data/paper/sweeps.csv`` and ``data/paper/hnn.csv``."""
    theirs = {r["case"]: r for r in paper_hnn if int(r["version"]) == TABLE_HNN_VERSION[artifact]}
    rows = []
    for case, (system, domain) in TABLE_CASES[artifact].items():
        hnn = config["hnn"][case]
        value = TABLE2_VALUE[case] if artifact == "tab02_chaotic" else float(hnn["width"])
        base = {"system": system, "domain": domain, "width": hnn["width"], "err": math.nan}
        rows.append({**base, "method": "hnn", "steps": hnn["steps"], "repeats": 1,
                     "paper_err": float(theirs[case]["err"]),
                     "paper_steps": int(theirs[case]["steps"])})
        for method in ("elm", *FAMILY):
            p = [r for r in paper if r["sweep"] == case and r["method"] == method
                 and float(r["value"]) == value]
            rows.append({**base, "method": method, "steps": "",
                         "repeats": config["sweeps"][case]["repeats"],
                         "paper_err": float(p[0]["err_mean"]) if p else math.nan,
                         "paper_steps": ""})
    return rows


def table_rows(artifact: str, table: list[dict[str, Any]], hnn_paper: dict[str, tuple[int, int]],
               sampled_comparable: dict[str, str], sweep_of: dict[str, str],
               not_run: dict[str, str] | None = None,
               inputs: dict[tuple[str, str], Progress] | None = None) -> list[Row]:
    """Rows of Table 1 or 2 (their CSVs): errors of the HNN and the sampled methods.

    ``sampled_comparable[system]`` is ``""`` when the sampled entries use the paper's exact
    setting, else the reason they do not; the HNN is comparable when it ran the paper's
    ``(steps, width)`` (``hnn_paper[system]``). ``sweep_of[system]`` names both the row's
    sweep and its Adam baseline (a preset gives a table's case one name for both).

    ``not_run`` given: the table is not run yet, ``table`` is its :func:`planned_table` and
    every row is marked not run. The HNN's note is from its Adam steps, the others' from their
    fits: of the row's own baseline or sweep when ``inputs`` (of :func:`input_progress`) has
    it, else of the whole table.
    """
    rows = [_table_row(artifact, r, hnn_paper, sampled_comparable, sweep_of) for r in table]
    if not_run is None:
        return rows
    return [mark_not_run(row, _table_not_run_note(
        not_run, inputs or {}, "steps" if r["method"] == "hnn" else "fits",
        sweep_of[_system(r)]))
        for row, r in zip(rows, table, strict=True)]


def _table_not_run_note(not_run: dict[str, str], inputs: dict[tuple[str, str], Progress],
                        kind: str, name: str) -> str:
    """The note of a table row not run yet: how far the row's own input (its sweep's fits or
    its Adam baseline's steps, ``inputs``) is, and what the table still waits for when that
    input is complete; the whole table's progress when the input's is not known."""
    own = inputs.get((kind, name))
    if own is None:
        return not_run_note(not_run, kind)
    if not own.complete:
        return f"{NOT_RUN}: {progress_text(kind, own)}"
    return (f"{NOT_RUN}: all its {PROGRESS_UNITS[kind]} done; the table waits for the rest "
            f"({'; '.join(not_run.values())})")


def _system(r: dict[str, Any]) -> str:
    """A table row's system as the report names it: with its domain where it has one."""
    return r["system"] + (f" {r['domain']}" if r.get("domain") else "")


def _table_row(artifact: str, r: dict[str, Any], hnn_paper: dict[str, tuple[int, int]],
               sampled_comparable: dict[str, str], sweep_of: dict[str, str]) -> Row:
    """One row of :func:`table_rows`."""
    system = _system(r)
    sweep = sweep_of[system]
    tol = tolerance(sweep, r["method"])
    quantity = f"{METHOD_LABELS[r['method']]} test error of H"
    if r["method"] == "hnn":
        steps, width = hnn_paper[system]
        why = "; ".join(
            ([f"HNN trained {r['steps']} steps (paper {steps})"]
             if int(r["steps"]) != steps else [])
            + ([f"HNN width {r['width']} (paper {width})"] if int(r["width"]) != width
               else []))
    else:
        why = sampled_comparable[system]
    if why:
        return Row(artifact, quantity, system, float(r["paper_err"]), float(r["err"]),
                   math.nan, tol, NOT_COMPARABLE, why)
    ratio, v = verdict(float(r["err"]), float(r["paper_err"]), tol)
    note = ("one run (seed pair of repeat 0)" if r["method"] == "hnn"
            else f"mean over {r['repeats']} of the paper's {PAPER_REPEATS} repeats")
    return Row(artifact, quantity, system, float(r["paper_err"]), float(r["err"]),
               ratio, tol, v, note)


def correction_rows(ours: list[dict[str, Any]] | None, paper: list[dict[str, Any]],
                    differences: list[str], tol: float = 2.0,
                    not_run: dict[str, str] | None = None) -> list[Row]:
    """fig09: mean error of H with and without the first-order correction, per step h.

    ``ours`` None: fig09 is not run yet; its rows (at the paper's steps h) are marked so.
    """
    if ours is None:
        planned = [{"h": float(p["h"]), "repeats": math.nan, "uncorrected_mean": math.nan,
                    "corrected_mean": math.nan} for p in paper]
        return [mark_not_run(r, not_run_note(not_run, "notebook"))
                for r in correction_rows(planned, paper, differences, tol)]
    by_h = {float(r["h"]): r for r in ours}
    rows = []
    for p in paper:
        h = float(p["h"])
        for kind in ("uncorrected", "corrected"):
            o = by_h.get(h)
            quantity = f"{kind} mean error of H (A-SWIM, width 200)"
            if o is None or differences:
                why = "; ".join(differences) or f"h = {h:g} not computed"
                rows.append(Row("fig09", quantity, f"h = {h:g}", float(p[f"err_{kind}"]),
                                math.nan, math.nan, tol, NOT_COMPARABLE, why))
                continue
            ratio, v = verdict(float(o[f"{kind}_mean"]), float(p[f"err_{kind}"]), tol)
            rows.append(Row("fig09", quantity, f"h = {h:g}", float(p[f"err_{kind}"]),
                            float(o[f"{kind}_mean"]), ratio, tol, v,
                            f"mean over {o['repeats']} repeats (the paper's are identical)"))
    return rows


def energy_values(trajectory: list[dict[str, Any]]) -> dict[str, float]:
    """The fig08 quantities the paper reads off its figure, computed from our trajectory CSV."""
    t = np.array([float(r["t"]) for r in trajectory])
    col = {k: np.array([float(r[k]) for r in trajectory])
           for k in ("truth_H", "shnn_H", "smlp_H", "smlp_traj_err", "shnn_traj_err")}
    at_95 = int(np.argmin(np.abs(t - 95.0)))
    return {"smlp_traj_err_peak": col["smlp_traj_err"].max(),
            "smlp_traj_err_end": col["smlp_traj_err"][-1],
            "shnn_traj_err_peak": col["shnn_traj_err"].max(),
            "shnn_traj_err_end": col["shnn_traj_err"][-1],
            "truth_energy_min": col["truth_H"].min(), "truth_energy_max": col["truth_H"].max(),
            "shnn_energy_min": col["shnn_H"].min(), "shnn_energy_max": col["shnn_H"].max(),
            "smlp_energy_at_95": col["smlp_H"][at_95]}


def energy_rows(ours: dict[str, float] | None, paper: list[dict[str, Any]],
                differences: list[str], tol: float = 2.0,
                not_run: dict[str, str] | None = None) -> list[Row]:
    """fig08: trajectory errors compared directly; energies by their deviation from H(y0) = 1.

    The paper's values are read off its figure, so the tolerance is a factor of 2. ``ours``
    None: fig08 is not run yet; its rows are marked so.
    """
    if ours is None:
        planned = {p["quantity"]: math.nan for p in paper}
        return [mark_not_run(r, not_run_note(not_run, "notebook"))
                for r in energy_rows(planned, paper, differences, tol)]
    rows = []
    for p in paper:
        name, value = p["quantity"], float(p["value"])
        energy = "energy" in name
        paper_v = value - 1.0 if energy else value
        ours_v = ours[name] - 1.0 if energy else ours[name]
        quantity = name.replace("_", " ") + (" (deviation from 1)" if energy else "")
        if differences:
            rows.append(Row("fig08", quantity, "single pendulum, y0 = (pi/2, 0)", paper_v, ours_v,
                            math.nan, tol, NOT_COMPARABLE, "; ".join(differences)))
            continue
        ratio, v = verdict(ours_v, paper_v, tol)
        rows.append(Row("fig08", quantity, "single pendulum, y0 = (pi/2, 0)", paper_v, ours_v,
                        ratio, tol, v, "paper value read off its figure"))
    return rows


