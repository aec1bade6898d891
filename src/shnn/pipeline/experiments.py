"""The two experiments that are not sweeps, each run stored and reused when its settings match:
energy conservation (fig08, :mod:`shnn.energy`) and error correction (fig09,
:mod:`shnn.correction`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shnn import correction, energy
from shnn.files import atomic_write
from shnn.pipeline import machine
from shnn.pipeline.machine import Meter, Usage
from shnn.pipeline.records import keyed_path, load_or_compute, write_record


def energy_path(runs_dir: str | Path, settings: dict[str, Any]) -> Path:
    """``runs_dir/experiment~energy/system~S/train~N/width~M/states~K/seeds~d-m.npz``."""
    return keyed_path(runs_dir, [("experiment", "energy"), ("system", settings["system"]),
                                 ("train", settings["train_size"]), ("width", settings["width"]),
                                 ("states", settings["n_states"]),
                                 ("seeds", f"{settings['data_seed']}-{settings['model_seed']}")],
                      suffix=".npz")


def load_or_run_energy(settings: dict[str, Any], runs_dir: str | Path
                       ) -> tuple[energy.EnergyResult, bool]:
    """``(result, computed)``: the stored result if made with ``settings``, else a new one."""
    result, computed, _ = _energy(settings, runs_dir)
    return result, computed


def _energy(settings: dict[str, Any], runs_dir: str | Path
            ) -> tuple[energy.EnergyResult, bool, float]:
    """``(result, computed, wall seconds)``. The ``.npz`` is stored with a ``.json`` holding its
    settings and the wall seconds of its computation, both written atomically."""
    path = energy_path(runs_dir, settings)
    meta = path.with_suffix(".json")
    wanted = json.loads(json.dumps(settings))
    if path.exists() and meta.exists():
        stored = json.loads(meta.read_text())
        # a result stored before its wall seconds were kept (its .json: the settings only) is
        # computed again, so that every run reports the time its result took
        if isinstance(stored, dict) and stored.get("settings") == wanted \
                and "wall_seconds" in stored:
            return energy.load(str(path)), False, float(stored["wall_seconds"])
    meter = Meter()
    result = energy.run_energy(settings)
    usage = meter.stop()
    atomic_write(path, lambda fh: energy.save(result, fh), suffix=".npz")
    write_record(meta, {"settings": wanted, **timing(usage)})
    return result, True, usage.wall_seconds


def run_correction_sweep(settings: dict[str, Any], runs_dir: str | Path) -> list[dict[str, Any]]:
    """Every observation step and repeat of an ``error_correction`` config section, one row
    each (``h``, ``repeat``, the errors, ``fit_seconds`` and ``wall_seconds``).

    Seeds advance per repeat (``data_seed + r``, ``model_seed + r``); the original kept them
    fixed, so its ten repeats were identical (docs/method.md §12.4). Each run is a stored record,
    reused when its settings match.
    """
    fixed = {k: v for k, v in settings.items() if k not in ("steps", "repeats")}
    rows = []
    for h in settings["steps"]:
        for r in range(settings["repeats"]):
            seeds = f"{settings['data_seed'] + r}-{settings['model_seed'] + r}"
            path = keyed_path(runs_dir, [
                ("experiment", "error_correction"), ("system", settings["system"]),
                ("train", settings["train_size"]), ("width", settings["width"]),
                ("method", settings["method"]), ("h", h), ("seeds", seeds)])
            # a record stored before its wall seconds were kept is computed again
            record, _ = load_or_compute(path, {**fixed, "h": h, "repeat": r},
                                        lambda h=h, r=r: _timed_correction(settings, h, r),
                                        needs=("wall_seconds",))
            rows.append({k: record[k] for k in ("h", "repeat", "err_uncorrected",
                                                "err_corrected", "fit_seconds", "wall_seconds")})
    return rows


def _timed_correction(settings: dict[str, Any], h: float, repeat: int) -> dict[str, Any]:
    meter = Meter()
    record = correction.run_correction(settings, h, repeat)
    return {**record, **timing(meter.stop())}


def timing(usage: Usage) -> dict[str, Any]:
    """What a stored experiment result keeps of its run: wall seconds, CPU seconds,
    contention and the machine (:mod:`shnn.pipeline.machine`)."""
    return {"wall_seconds": usage.wall_seconds, **usage.fields(), "machine": machine.identity()}


def _energy_seconds(settings: dict[str, Any], runs_dir: str | Path) -> float:
    return _energy(settings, runs_dir)[2]


def _correction_seconds(settings: dict[str, Any], runs_dir: str | Path) -> float:
    return float(sum(row["wall_seconds"] for row in run_correction_sweep(settings, runs_dir)))


#: The experiments of a preset (its config sections of these names), run by ``shnn experiment``:
#: each computes (or reloads) its results and returns the seconds measured when they were
#: computed (a reload reports those, never its own few seconds of reading).
_RUNS: dict[str, Callable[[dict[str, Any], str | Path], float]] = {
    "energy": _energy_seconds, "error_correction": _correction_seconds}
EXPERIMENTS = tuple(_RUNS)


def experiment_runner(name: str) -> Callable[[dict[str, Any], str | Path], float]:
    """The run of experiment ``name`` (``run(settings, runs_dir) -> seconds``); an unknown
    name is a one-line error naming it."""
    if name not in _RUNS:
        raise ValueError(f"unknown experiment {name!r}; choose from {', '.join(EXPERIMENTS)}")
    return _RUNS[name]
