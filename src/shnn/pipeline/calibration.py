"""A measured yardstick per machine: the same reference fit, timed at the start of every time box.

Two machines of the same name can differ in speed (two 2-core "Intel(R) Xeon(R) Processor"
machines of this workplace fitted the same double-pendulum fit in 86 s and 47 s). So the name
of a CPU does not say whether two times compare. Every time box first times one fixed fit
(:data:`REFERENCE`: the paper preset's double pendulum, width 1500, repeat 0, ELM) a few times
on its machine, and appends the result to the store's ``machines.jsonl``, keyed by the
machine's boot id (:func:`shnn.pipeline.machine.boot_id`), which every record made on that
machine stores in its ``machine``. A time made on machine ``a`` is put on the scale of machine
``b`` by the ratio of their reference times (:func:`scale`).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from shnn.pipeline import machine
from shnn.pipeline.records import FitSpec
from shnn.pipeline.store import code_version

#: The reference fit: (sweep, width, repeat, method) of the paper preset.
REFERENCE = ("dp", 1500, 0, "elm")
#: Timings of the reference fit per calibration; the median is the machine's yardstick.
REPEATS = 3


def reference_spec(config: dict[str, Any]) -> FitSpec | None:
    """The :class:`FitSpec` of :data:`REFERENCE` in ``config``; ``None`` where the preset does
    not hold it (only the paper preset does)."""
    from shnn.pipeline.sweeps import sweep_points

    sweep_id, width, repeat, method = REFERENCE
    sweep = config.get("sweeps", {}).get(sweep_id)
    if sweep is None or width not in next(iter(sweep["vary"].values())):
        return None
    for _, r, specs in sweep_points(sweep, [width]):
        if r == repeat:
            return next((s for s in specs if s.method == method), None)
    return None


def machines_log_path(store_dir: str | Path) -> Path:
    """``<store>/machines.jsonl``: one calibration per line."""
    return Path(store_dir) / "machines.jsonl"


def calibrate(spec: FitSpec, repeats: int = REPEATS) -> dict[str, Any]:
    """Time the reference fit ``spec`` ``repeats`` times here (its data made once, untimed)
    and return the calibration: when, the machine, each fit's seconds, their median, the
    contention of the whole measurement and the commit."""
    from shnn.pipeline.sweeps import run_fit, spec_dataset

    data = spec_dataset(spec)
    meter = machine.Meter()
    seconds = [run_fit(spec, data)["fit_seconds"] for _ in range(repeats)]
    usage = meter.stop()
    return {"created": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": machine.identity(),
            "reference": "{} width {} repeat {} {}".format(*REFERENCE),
            "fit_seconds": [round(s, 4) for s in seconds],
            "median_seconds": round(statistics.median(seconds), 4),
            **usage.fields(), "code": code_version()}


def append_calibration(store_dir: str | Path, calibration: dict[str, Any]) -> None:
    """Append one calibration line to the store's machine log."""
    path = machines_log_path(store_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fh.write(json.dumps(calibration, sort_keys=True, separators=(",", ":")) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def calibrate_store(config: dict[str, Any]) -> dict[str, Any] | None:
    """Time the reference fit here and append it to the store's machine log, where the preset
    has a store and holds the reference fit; the calibration, else ``None``."""
    spec = reference_spec(config)
    if spec is None or not config.get("store_dir"):
        return None
    found = calibrate(spec)
    append_calibration(config["store_dir"], found)
    print(f"calibration: the reference fit ({found['reference']}) takes "
          f"{found['median_seconds']:.2f} s here (contention {found.get('contention')})",
          flush=True)
    return found


def read_calibrations(store_dir: str | Path) -> dict[str, float]:
    """Boot id -> the median reference seconds measured on that machine (the latest trusted
    calibration of each boot: one that ran with contention at most :data:`machine.ALONE`)."""
    path = machines_log_path(store_dir)
    out: dict[str, float] = {}
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
            boot, seconds = entry["machine"]["boot"], float(entry["median_seconds"])
        except (ValueError, KeyError, TypeError):  # blank, torn by a kill, or not a calibration
            continue
        if entry.get("contention", 1.0) <= machine.ALONE:
            out[boot] = seconds
    return out


def scale(record: dict[str, Any], calibrations: dict[str, float], to_seconds: float
          ) -> float | None:
    """The factor that puts ``record``'s times on the scale of a machine whose reference fit
    takes ``to_seconds``; ``None`` if the record's machine has no calibration."""
    boot = (record.get("machine") or {}).get("boot")
    if boot not in calibrations:
        return None
    return to_seconds / calibrations[boot]
