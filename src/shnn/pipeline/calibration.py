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
import statistics
import time
from pathlib import Path
from typing import Any

from shnn.files import append_json_line
from shnn.pipeline import machine
from shnn.pipeline.records import FitSpec
from shnn.pipeline.store import code_version
from shnn.validation import plural

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


def calibrate(spec: FitSpec, repeats: int = REPEATS, attempts: int = 2 * REPEATS
              ) -> dict[str, Any]:
    """Time the reference fit ``spec`` here (its data made once, untimed) until ``repeats``
    runs were quiet (:data:`shnn.pipeline.machine.QUIET`) or ``attempts`` runs were made, and
    return the calibration: when, the machine, every run (``runs``: seconds, contention,
    steal), the seconds of the runs used (the quiet ones; every run if none was quiet), their
    median, the largest contention among them, the CPU seconds of all runs and the commit.
    Runs are chosen by their contention, never by their time: a machine's speed drifts with
    the CPU time its hypervisor takes (``docs/performance.md``)."""
    from shnn.pipeline.fitting import run_fit, spec_dataset

    data = spec_dataset(spec)
    runs: list[tuple[float, machine.Usage]] = []
    while len(runs) < max(attempts, repeats) and \
            sum(u.quiet_or_unknown for _, u in runs) < repeats:
        meter = machine.Meter()
        seconds = run_fit(spec, data)["fit_seconds"]
        runs.append((seconds, meter.stop()))
    used = [run for run in runs if run[1].quiet_or_unknown] or runs
    contentions = [u.contention for _, u in used if u.contention is not None]
    return {"created": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": machine.identity(),
            "reference": "{} width {} repeat {} {}".format(*REFERENCE),
            "runs": [{"seconds": round(t, 4), **u.fields()} for t, u in runs],
            "fit_seconds": [round(t, 4) for t, _ in used],
            "median_seconds": round(statistics.median(t for t, _ in used), 4),
            **({"contention": round(max(contentions), 3)} if contentions else {}),
            "cpu_seconds": round(sum(u.cpu_seconds for _, u in runs), 3),
            "code": code_version()}


def append_calibration(store_dir: str | Path, calibration: dict[str, Any]) -> None:
    """Append one calibration line to the store's machine log."""
    append_json_line(machines_log_path(store_dir), calibration)


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


def _trusted(store_dir: str | Path) -> list[tuple[str, float]]:
    """``(boot, median seconds)`` of every trusted calibration in the machine log, in order:
    one that ran with contention at most :data:`machine.ALONE`."""
    path = machines_log_path(store_dir)
    found = []
    for line in path.read_text().splitlines() if path.exists() else []:
        try:
            entry = json.loads(line)
            boot, seconds = entry["machine"]["boot"], float(entry["median_seconds"])
        except (ValueError, KeyError, TypeError):  # blank, torn by a kill, or not a calibration
            continue
        if entry.get("contention", 1.0) <= machine.ALONE:
            found.append((boot, seconds))
    return found


def read_calibrations(store_dir: str | Path) -> dict[str, float]:
    """Boot id -> the reference seconds of that machine: the median over its trusted
    calibrations (each the median of :data:`REPEATS` timings)."""
    by_boot: dict[str, list[float]] = {}
    for boot, seconds in _trusted(store_dir):
        by_boot.setdefault(boot, []).append(seconds)
    return {boot: statistics.median(seconds) for boot, seconds in by_boot.items()}


def first_calibrated(store_dir: str | Path) -> str | None:
    """The boot id of the store's first trusted calibration (the scale machine of
    :mod:`shnn.pipeline.scale`); ``None`` without one."""
    found = _trusted(store_dir)
    return found[0][0] if found else None


def scale(record: dict[str, Any], calibrations: dict[str, float], to_seconds: float
          ) -> float | None:
    """The factor that puts ``record``'s times on the scale of a machine whose reference fit
    takes ``to_seconds``; ``None`` if the record's machine has no calibration."""
    boot = (record.get("machine") or {}).get("boot")
    if boot not in calibrations:
        return None
    return to_seconds / calibrations[boot]


def _machine_text(identity: dict[str, Any]) -> str:
    """``Intel(R) Xeon(R) Processor, 2 cores, openblas SkylakeX`` from a record's machine."""
    blas = identity.get("blas") or {}
    parts = [identity.get("cpu", "unknown CPU"), f"{identity.get('cores', '?')} cores"]
    if blas.get("library"):
        parts.append(f"{blas['library']} {blas.get('kernels', '')}".strip())
    return ", ".join(parts)


def _machine_part(boot: str | None, group: list[dict[str, Any]],
                  calibrations: dict[str, float]) -> str:
    """``machine f617d4c4 (CPU, cores, BLAS; reference fit 2.28 s)``, or what is known of
    fits made before records named their machine."""
    if boot is None:
        return "made before records named their machine (speed unknown)"
    reference = (f"reference fit {calibrations[boot]:.2f} s" if boot in calibrations
                 else "not calibrated")
    return f"machine {boot[:8]} ({_machine_text(group[0]['machine'])}; {reference})"


def timing_note(records: list[dict[str, Any]], calibrations: dict[str, float]) -> str:
    """Which machines timed ``records`` (the stored fits of one time panel), in words: how many
    fits each machine timed, what it is, and its reference time where it was calibrated; or
    how many fits were made before records named their machine (their machine's speed is
    unknown, so they are not on one scale with the others)."""
    by_boot: dict[str | None, list[dict[str, Any]]] = {}
    for record in records:
        by_boot.setdefault((record.get("machine") or {}).get("boot"), []).append(record)
    if not by_boot:
        return "no stored fits"
    if len(by_boot) == 1 and None not in by_boot:
        ((boot, group),) = by_boot.items()
        return (f"all {plural(len(records), 'fit')} timed on one "
                f"{_machine_part(boot, group, calibrations)}")
    parts = [f"{plural(len(group), 'fit')} {'' if boot is None else 'on '}"
             f"{_machine_part(boot, group, calibrations)}"
             for boot, group in sorted(by_boot.items(), key=lambda kv: -len(kv[1]))]
    return (f"{plural(len(records), 'fit')} timed on {len(by_boot)} machines, not on one scale: "
            + "; ".join(parts))


def sweep_timing_note(config: dict[str, Any], sweep_id: str, runs_dir: str | Path) -> str:
    """:func:`timing_note` of the stored fits of one sweep of ``config`` (its committed logs
    under ``store_dir``, else its per-fit files under ``runs_dir``)."""
    from shnn.pipeline.sweeps import sweep_fits

    records = [f.record for f in sweep_fits(config, sweep_id, runs_dir) if f.record is not None]
    store_dir = config.get("store_dir")
    return timing_note(records, read_calibrations(store_dir) if store_dir else {})
