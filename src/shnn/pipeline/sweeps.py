"""Resumable sweeps over width, train size or a system parameter, and the Adam baselines:
which fits they run (one fit: :mod:`shnn.pipeline.fitting`), where those fits' records live
(:mod:`shnn.pipeline.store`), and their CSV rows.

Seeds (docs/method.md §4.7): repeat ``r`` uses data seed ``data_seed + r`` and model seed
``model_seed + r``; the seeds restart at every sweep value, and all methods of a repeat
share its data and model seed. (The error-correction repeats of :mod:`shnn.correction`
advance their seeds the same way.)
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from shnn import systems
from shnn.data import Dataset, Domain, anchor_setting, choose_anchor
from shnn.files import atomic_write
from shnn.pipeline.fitting import StopRule, fit_record, spec_dataset
from shnn.pipeline.records import FitSpec
from shnn.pipeline.store import (
    RecordFiles,
    RecordLog,
    RecordStore,
    baseline_log_path,
    record_seconds,
    shard_log_path,
)
from shnn.sampling import Method

log = logging.getLogger(__name__)

#: Columns of a sweep CSV, one row per fit.
CSV_COLUMNS = ("sweep", "system", "domain", "vary", "value", "repeat", "method", "width",
               "train_size", "test_size", "data_seed", "model_seed", "test_rel_l2_H",
               "train_rel_l2_H", "test_rel_l2_xdot", "train_rel_l2_xdot", "fit_seconds")


#: Columns of a baseline CSV: a sweep row plus the training settings and final loss.
BASELINE_COLUMNS = (*CSV_COLUMNS, "steps", "lr", "final_loss")


def sweep_store(sweep_id: str, value: Any, runs_dir: str | Path,
                store_dir: str | Path | None) -> RecordStore:
    """Where the fits of one sweep value live: the shard's committed log under ``store_dir``
    (the paper preset), else per-fit files under ``runs_dir``."""
    if store_dir is None:
        return RecordFiles(runs_dir)
    return RecordLog(shard_log_path(store_dir, sweep_id, shard_label(value)))


def base_spec(sweep: dict[str, Any], domain: str) -> FitSpec:
    """The fit spec of a sweep before the varied value, repeat and method are filled in."""
    dom = Domain.of(sweep["q_lims"], sweep["p_lims"])
    # A built-in system's name is the sweep's; a system of your own is named by its reference
    # plus the hash of its source (shnn.systems.load), so an edited file gets new records.
    system = systems.get(sweep["system"], **sweep.get("params", {}))
    return FitSpec(system=system.name, params=system.params, domain=domain,
                   q_lims=[list(v) for v in dom.q_lims], p_lims=[list(v) for v in dom.p_lims],
                   train_size=sweep.get("train_size", 0), test_size=sweep["test_size"],
                   width=sweep.get("width", 0), method="", data_seed=sweep["data_seed"],
                   model_seed=sweep["model_seed"], rcond=sweep.get("rcond", 1e-13),
                   elm_bias=list(sweep.get("elm_bias", dom.elm_bias_range())),
                   solver=sweep.get("solver", "qr"),
                   x0=anchor_setting(choose_anchor(system, dom, sweep.get("x0"))))


def with_value(spec: FitSpec, key: str, value: Any) -> FitSpec:
    """``spec`` with the swept quantity ``key`` (width, train_size or a parameter) set."""
    if key in ("width", "train_size"):
        return replace(spec, **{key: int(value)})
    return replace(spec, params={**spec.params, key: float(value)})


def sweep_points(sweep: dict[str, Any], values: Collection[Any] | None = None
                 ) -> list[tuple[Any, int, list[FitSpec]]]:
    """``(value, repeat, [spec per method])`` for every sweep value (or those in ``values``)
    and repeat, in the preset's order."""
    key, all_values = next(iter(sweep["vary"].items()))
    base = base_spec(sweep, sweep["domain"])
    points = []
    for value in all_values:
        if values is not None and value not in values:
            continue
        spec_v = with_value(base, key, value)
        for r in range(sweep["repeats"]):
            spec_r = replace(spec_v, data_seed=base.data_seed + r, model_seed=base.model_seed + r)
            points.append((value, r, [replace(spec_r, method=Method.parse(m).value)
                                      for m in sweep["methods"]]))
    return points


@dataclass(frozen=True)
class SweepFit:
    """One fit of a sweep: its value, repeat and spec, and its stored record (``None`` if it
    is not stored)."""

    value: Any
    repeat: int
    spec: FitSpec
    record: dict[str, Any] | None


def sweep_fits(config: dict[str, Any], sweep_id: str, runs_dir: str | Path = ""
               ) -> Iterator[SweepFit]:
    """Every fit of one sweep of ``config``, in the preset's order, with its record as stored
    (the committed logs under ``store_dir``, else the per-fit files under ``runs_dir``); each
    shard is read once."""
    stores: dict[Any, RecordStore] = {}
    for value, repeat, specs in sweep_points(config["sweeps"][sweep_id]):
        if value not in stores:
            stores[value] = sweep_store(sweep_id, value, runs_dir, config.get("store_dir"))
        for spec in specs:
            yield SweepFit(value, repeat, spec, stores[value].get(spec))


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
              progress: bool = True, values: Collection[Any] | None = None, *,
              store_dir: str | Path | None = None, compute: bool = True,
              stop: StopRule | None = None, benchmark: str | Path | None = None
              ) -> list[dict[str, Any]]:
    """Run (or load) every fit of a sweep, or of the sweep values in ``values`` (a shard);
    returns one CSV row per fit, in the preset's order. ``benchmark``: write the fits'
    :func:`~shnn.pipeline.store.record_seconds` there (:func:`write_benchmark`).

    Existing records with identical settings are reused; missing ones are computed and
    written atomically, so an interrupted sweep resumes where it stopped. With ``store_dir``
    the records are the committed shard logs there (:func:`sweep_store`); ``compute`` and
    ``stop`` are those of :func:`~shnn.pipeline.fitting.fit_record`.
    """
    from tqdm.auto import tqdm

    key = next(iter(sweep["vary"]))
    rows = []
    computed = 0
    seconds = 0.0
    points = sweep_points(sweep, values)
    stores: dict[Any, RecordStore] = {}
    for value, repeat, specs in tqdm(points, desc=sweep_id, disable=not progress):
        cache: list[Dataset] = []

        def data(spec: FitSpec = specs[0]) -> Dataset:
            if not cache:
                cache.append(spec_dataset(spec))
            return cache[0]

        if value not in stores:
            stores[value] = sweep_store(sweep_id, value, runs_dir, store_dir)
        for spec in specs:
            record, new = fit_record(spec, stores[value], data, compute=compute, stop=stop)
            if new:
                computed += 1
                log.info("%s %s=%s r=%d %s: %.3e in %.2fs", sweep_id, key, value, repeat,
                         spec.method, record["test_rel_l2_H"], record["fit_seconds"])
            seconds += record_seconds(record)
            rows.append(_row(sweep_id, key, value, repeat, spec, record))
    log.info("%s: %d fits computed, %d reused from %s", sweep_id, computed,
             len(rows) - computed, store_dir or runs_dir)
    if benchmark is not None:
        write_benchmark(benchmark, seconds)
    return rows


def write_benchmark(path: str | Path, seconds: float) -> None:
    """A compute job's time as a Snakemake-style benchmark file (columns ``s``, ``h:m:s``),
    the sum of its fits' :func:`~shnn.pipeline.store.record_seconds`: a run that only reloads
    stored fits writes the times measured when they were computed, never its own few seconds
    of reading."""
    whole = int(seconds)
    hms = f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    text = f"s\th:m:s\n{seconds:.4f}\t{hms}\n".encode()
    atomic_write(path, lambda fh: fh.write(text))


def missing_fits(sweep_id: str, sweep: dict[str, Any], value: Any,
                 store_dir: str | Path) -> list[FitSpec]:
    """The fits of one sweep value that the committed shard log under ``store_dir`` lacks."""
    store = RecordLog(shard_log_path(store_dir, sweep_id, shard_label(value)))
    return [spec for _, _, specs in sweep_points(sweep, [value]) for spec in specs
            if spec not in store]


def baseline_spec(config: dict[str, Any], case: str) -> FitSpec:
    """The Adam-trained HNN of ``config["hnn"][case]`` on the data of repeat 0 of that sweep."""
    if case not in config["hnn"]:
        raise ValueError(f"unknown hnn case {case!r}; choose from {', '.join(config['hnn'])}")
    settings = config["hnn"][case]
    return replace(base_spec(config["sweeps"][case], config["sweeps"][case]["domain"]),
                   method="hnn", width=settings["width"], steps=settings["steps"],
                   lr=settings["lr"], batch_size=settings["batch_size"],
                   weight_decay=settings["weight_decay"], rcond=0.0, elm_bias=[], solver="")


def baseline_store(config: dict[str, Any], case: str, runs_dir: str | Path) -> RecordStore:
    """Where the baseline ``case`` lives: its committed log under the preset's ``store_dir``
    (the paper preset), else a per-fit file under ``runs_dir``."""
    if config.get("store_dir"):
        return RecordLog(baseline_log_path(config["store_dir"], case))
    return RecordFiles(runs_dir)


def baseline_record(config: dict[str, Any], case: str, runs_dir: str | Path,
                    compute: bool = True, checkpoint: str | Path | None = None,
                    **fit_options: Any) -> dict[str, Any]:
    """The record of one Adam baseline: stored, or trained now (``compute``).

    With ``checkpoint`` the training resumes from that file if it exists and writes it every
    ``checkpoint_every`` steps (``fit_options``, with ``deadline``; :class:`shnn.adam.AdamHNN`);
    the file is deleted once the record is stored. The paper preset checkpoints to
    :func:`shnn.pipeline.store.checkpoint_path` under its ``store_dir``.
    """
    if checkpoint is not None:
        fit_options["checkpoint"] = checkpoint
    record, _ = fit_record(baseline_spec(config, case), baseline_store(config, case, runs_dir),
                           compute=compute, **fit_options)
    if checkpoint is not None:
        from shnn.adam_checkpoint import remove_checkpoint

        remove_checkpoint(checkpoint)
    return record


def baseline_row(spec: FitSpec, case: str, record: dict[str, Any]) -> dict[str, Any]:
    """The CSV row of one Adam baseline record."""
    row = _row(case, "width", spec.width, 0, spec, record)
    return {**row, "steps": spec.steps, "lr": spec.lr, "final_loss": record["final_loss"]}


def run_baseline(config: dict[str, Any], case: str, runs_dir: str | Path,
                 compute: bool = True, benchmark: str | Path | None = None,
                 **options: Any) -> dict[str, Any]:
    """Train (or load) one Adam baseline; returns its CSV row (``options``: those of
    :func:`baseline_record`; ``benchmark``: write its training seconds there)."""
    record = baseline_record(config, case, runs_dir, compute, **options)
    if benchmark is not None:
        write_benchmark(benchmark, record_seconds(record))
    return baseline_row(baseline_spec(config, case), case, record)


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
    """Rows of several sweeps: read each sweep's CSV, or run the sweep first if it is missing.
    The rows of a sweep that continues another (``continues: dp``) are labelled with that one:
    they are more values of it."""
    rows: list[dict[str, Any]] = []
    for sweep_id in sweep_ids:
        path = Path(sweeps_dir) / f"{sweep_id}.csv"
        if not path.exists():
            write_csv(run_sweep(sweep_id, config["sweeps"][sweep_id], runs_dir,
                                store_dir=config.get("store_dir")), path)
        label = config["sweeps"][sweep_id].get("continues", sweep_id)
        rows += [{**row, "sweep": label} for row in read_csv(path)]
    return rows
