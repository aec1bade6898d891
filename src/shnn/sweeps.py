"""Single fits and resumable sweeps over width, train size or a system parameter.

Seeds (METHOD §4.7): repeat ``r`` uses data seed ``data_seed + r`` and model seed
``model_seed + r``; the seeds restart at every sweep value, and all methods of a repeat
share its data and model seed. (The error-correction repeats of :mod:`shnn.correction`
advance their seeds the same way.)
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from shnn import systems
from shnn.data import Dataset, Domain, make_dataset
from shnn.metrics import relative_l2
from shnn.models import SampledHNN
from shnn.records import FitSpec, load_or_compute, record_path
from shnn.sampling import Method

log = logging.getLogger(__name__)

#: Columns of a sweep CSV, one row per fit.
CSV_COLUMNS = ("sweep", "system", "domain", "vary", "value", "repeat", "method", "width",
               "train_size", "test_size", "data_seed", "model_seed", "test_rel_l2_H",
               "train_rel_l2_H", "test_rel_l2_xdot", "train_rel_l2_xdot", "fit_seconds")


#: Columns of a baseline CSV: a sweep row plus the training settings and final loss.
BASELINE_COLUMNS = (*CSV_COLUMNS, "steps", "lr", "final_loss")


def make_model(spec: FitSpec) -> Any:
    """An unfitted model for ``spec``: :class:`SampledHNN`, or the Adam baseline for ``hnn``."""
    if spec.method == "hnn":
        from shnn.adam import AdamHNN

        return AdamHNN(spec.width, seed=spec.model_seed, steps=spec.steps, lr=spec.lr,
                       batch_size=spec.batch_size, weight_decay=spec.weight_decay)
    return SampledHNN(spec.width, spec.method, seed=spec.model_seed, rcond=spec.rcond,
                      elm_bias=tuple(spec.elm_bias) if spec.elm_bias else None,
                      solver=spec.solver)


def spec_dataset(spec: FitSpec) -> Dataset:
    """The exact data of ``spec`` (data seed, sizes, domain, system)."""
    system = systems.get(spec.system, **spec.params)
    domain = Domain.of(spec.q_lims, spec.p_lims)
    return make_dataset(system, domain, spec.train_size, spec.test_size, spec.data_seed)


def run_fit(spec: FitSpec, data: Dataset | None = None) -> dict[str, Any]:
    """Fit one model; return its results: fit seconds, train/test errors of H and x'."""
    if data is None:
        data = spec_dataset(spec)
    model = make_model(spec)
    model.fit(data.x_train, data.xdot_train, data.x0, data.H0, H=data.H_train)
    system = systems.get(spec.system, **spec.params)
    results = {
        "fit_seconds": model.fit_seconds_,
        "test_rel_l2_H": relative_l2(data.H_test, model.hamiltonian(data.x_test)),
        "train_rel_l2_H": relative_l2(data.H_train, model.hamiltonian(data.x_train)),
        "test_rel_l2_xdot": relative_l2(system.vector_field(data.x_test),
                                        model.vector_field(data.x_test)),
        "train_rel_l2_xdot": relative_l2(data.xdot_train, model.vector_field(data.x_train)),
    }
    if spec.method == "hnn":
        results["final_loss"] = float(np.mean(model.loss_history_[-1000:]))
        results["loss_history"] = model.loss_history_[:: max(1, spec.steps // 1000)].tolist()
    return results


def fit_record(spec: FitSpec, runs_dir: str | Path,
               data: Callable[[], Dataset] | None = None) -> tuple[dict[str, Any], bool]:
    """``(record, computed)`` of one fit: stored if its settings match, else fitted now."""
    return load_or_compute(record_path(runs_dir, spec), spec.settings(),
                           lambda: run_fit(spec, data() if data else None))


def base_spec(sweep: dict[str, Any], domain: str) -> FitSpec:
    """The fit spec of a sweep before the varied value, repeat and method are filled in."""
    dom = Domain.of(sweep["q_lims"], sweep["p_lims"])
    params = systems.get(sweep["system"], **sweep.get("params", {})).params
    return FitSpec(system=sweep["system"], params=params, domain=domain,
                   q_lims=[list(v) for v in dom.q_lims], p_lims=[list(v) for v in dom.p_lims],
                   train_size=sweep.get("train_size", 0), test_size=sweep["test_size"],
                   width=sweep.get("width", 0), method="", data_seed=sweep["data_seed"],
                   model_seed=sweep["model_seed"], rcond=sweep.get("rcond", 1e-13),
                   elm_bias=list(sweep.get("elm_bias", dom.elm_bias_range())),
                   solver=sweep.get("solver", "qr"))


def with_value(spec: FitSpec, key: str, value: Any) -> FitSpec:
    """``spec`` with the swept quantity ``key`` (width, train_size or a parameter) set."""
    if key in ("width", "train_size"):
        return replace(spec, **{key: int(value)})
    return replace(spec, params={**spec.params, key: float(value)})


def sweep_points(sweep: dict[str, Any]) -> list[tuple[Any, int, list[FitSpec]]]:
    """``(value, repeat, [spec per method])`` for every sweep value and repeat."""
    key, values = next(iter(sweep["vary"].items()))
    base = base_spec(sweep, sweep["domain"])
    points = []
    for value in values:
        spec_v = with_value(base, key, value)
        for r in range(sweep["repeats"]):
            spec_r = replace(spec_v, data_seed=base.data_seed + r, model_seed=base.model_seed + r)
            points.append((value, r, [replace(spec_r, method=Method.parse(m).value)
                                      for m in sweep["methods"]]))
    return points


def shard_label(value: Any) -> str:
    """The name of one sweep value in file names and on the command line (``0.2``, ``1000``)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def shard_labels(sweep: dict[str, Any]) -> list[str]:
    """One label per value of the swept quantity, in the preset's order (one shard each)."""
    return [shard_label(v) for v in next(iter(sweep["vary"].values()))]


def shard_value(sweep_id: str, sweep: dict[str, Any], label: str) -> Any:
    """The sweep value whose :func:`shard_label` is ``label``; ``ValueError`` if none is."""
    values = next(iter(sweep["vary"].values()))
    for value in values:
        if shard_label(value) == label:
            return value
    raise ValueError(f"--value: {label!r} is not a value of sweep {sweep_id!r}; choose from "
                     f"{', '.join(shard_labels(sweep))}")


def run_sweep(sweep_id: str, sweep: dict[str, Any], runs_dir: str | Path,
              progress: bool = True, values: Collection[Any] | None = None
              ) -> list[dict[str, Any]]:
    """Run (or load) every fit of a sweep, or of the sweep values in ``values`` (a shard);
    returns one CSV row per fit, in the preset's order.

    Existing records with identical settings are reused; missing ones are computed and
    written atomically, so an interrupted sweep resumes where it stopped.
    """
    from tqdm.auto import tqdm

    key = next(iter(sweep["vary"]))
    rows = []
    computed = 0
    points = [p for p in sweep_points(sweep) if values is None or p[0] in values]
    for value, repeat, specs in tqdm(points, desc=sweep_id, disable=not progress):
        cache: list[Dataset] = []

        def data(spec: FitSpec = specs[0]) -> Dataset:
            if not cache:
                cache.append(spec_dataset(spec))
            return cache[0]

        for spec in specs:
            record, new = fit_record(spec, runs_dir, data)
            if new:
                computed += 1
                log.info("%s %s=%s r=%d %s: %.3e in %.2fs", sweep_id, key, value, repeat,
                         spec.method, record["test_rel_l2_H"], record["fit_seconds"])
            rows.append(_row(sweep_id, key, value, repeat, spec, record))
    log.info("%s: %d fits computed, %d reused from %s", sweep_id, computed,
             len(rows) - computed, runs_dir)
    return rows


def baseline_spec(config: dict[str, Any], case: str) -> FitSpec:
    """The Adam-trained HNN of ``config["hnn"][case]`` on the data of repeat 0 of that sweep."""
    if case not in config["hnn"]:
        raise ValueError(f"unknown hnn case {case!r}; choose from {', '.join(config['hnn'])}")
    settings = config["hnn"][case]
    return replace(base_spec(config["sweeps"][case], config["sweeps"][case]["domain"]),
                   method="hnn", width=settings["width"], steps=settings["steps"],
                   lr=settings["lr"], batch_size=settings["batch_size"],
                   weight_decay=settings["weight_decay"], rcond=0.0, elm_bias=[], solver="")


def run_baseline(config: dict[str, Any], case: str, runs_dir: str | Path) -> dict[str, Any]:
    """Train (or load) one Adam baseline; returns its CSV row."""
    spec = baseline_spec(config, case)
    record, _ = fit_record(spec, runs_dir)
    row = _row(case, "width", spec.width, 0, spec, record)
    return {**row, "steps": spec.steps, "lr": spec.lr, "final_loss": record["final_loss"]}


def _row(sweep_id: str, key: str, value: Any, repeat: int, spec: FitSpec,
         record: dict[str, Any]) -> dict[str, Any]:
    return {"sweep": sweep_id, "system": spec.system, "domain": spec.domain, "vary": key,
            "value": value, "repeat": repeat, "method": spec.method, "width": spec.width,
            "train_size": spec.train_size, "test_size": spec.test_size,
            "data_seed": spec.data_seed, "model_seed": spec.model_seed,
            **{c: record[c] for c in CSV_COLUMNS[12:]}}


def write_csv(rows: Iterable[dict[str, Any]], path: str | Path,
              columns: Sequence[str] = CSV_COLUMNS) -> None:
    """Write rows to CSV atomically (full float precision)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{path.name}")
    with tmp.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: repr(v) if isinstance(v, float) else v for c, v in row.items()})
    tmp.replace(path)


def concat_csv(paths: Sequence[str | Path], out: str | Path) -> None:
    """Concatenate CSVs with one header (the shards of a sweep) into ``out``, atomically.

    The rows are copied as text, so the numbers are exactly those of the shards.
    """
    if not paths:
        raise ValueError("no CSV to concatenate")
    out = Path(out)
    header, lines = None, []
    for path in paths:
        with Path(path).open(newline="") as fh:
            first, *rest = fh.read().splitlines(keepends=True) or [""]
        if header is None:
            header = first
        elif first != header:
            raise ValueError(f"{path}: header differs from {paths[0]}")
        lines += rest
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".tmp-{out.name}")
    tmp.write_text(header + "".join(lines))
    tmp.replace(out)


def read_csv(path: str | Path) -> list[dict[str, Any]]:
    """Read a CSV written by :func:`write_csv`, converting numeric fields."""
    def convert(v: str) -> Any:
        for cast in (int, float):
            try:
                return cast(v)
            except ValueError:
                pass
        return v

    with Path(path).open(newline="") as fh:
        return [{k: convert(v) for k, v in row.items()} for row in csv.DictReader(fh)]


def load_sweeps(config: dict[str, Any], sweep_ids: Iterable[str], sweeps_dir: str | Path,
                runs_dir: str | Path) -> list[dict[str, Any]]:
    """Rows of several sweeps: read each sweep's CSV, or run the sweep first if it is missing."""
    rows: list[dict[str, Any]] = []
    for sweep_id in sweep_ids:
        path = Path(sweeps_dir) / f"{sweep_id}.csv"
        if not path.exists():
            write_csv(run_sweep(sweep_id, config["sweeps"][sweep_id], runs_dir), path)
        rows += read_csv(path)
    return rows
