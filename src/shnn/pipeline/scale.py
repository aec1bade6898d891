"""A time panel on one machine's scale: calibrations for new records, bridges for old shards.

The committed store was filled over many time boxes on machines of different speed (two
2-core machines of the same name fitted one fit in 86 s and 47 s). A record made since records
name their machine is put on the scale of the store's **scale machine** by the two machines'
reference-fit times (:mod:`shnn.pipeline.calibration`). Older records do not say which machine
made them; each of their shards (one sweep value) was computed by one job on one machine. A
**bridge** measures that machine: the shard's repeat-0 fit of every method is fitted again on
a calibrated machine (its errors must come out as stored, as in a re-time), and the median of
time now / time stored is the factor that puts the shard's stored times on that machine's
scale. Bridges are appended to ``<store>/bridges.jsonl``; stored times are never changed.

A sweep is put on the scale only when every one of its records can be (else its times are shown
as measured and :func:`shnn.pipeline.calibration.timing_note` says they are not on one scale).
The scale machine is the machine of the store's first trusted calibration.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shnn.files import append_json_line
from shnn.pipeline import machine
from shnn.pipeline.records import FitSpec

#: The repeat whose fits measure a shard's machine, and their methods (the two cheapest).
BRIDGE_REPEAT = 0
BRIDGE_METHODS = ("elm", "uswim")


def bridges_path(store_dir: str | Path) -> Path:
    """``<store>/bridges.jsonl``: one bridge per line."""
    return Path(store_dir) / "bridges.jsonl"


def read_bridges(store_dir: str | Path) -> dict[tuple[str, str], dict[str, Any]]:
    """``(sweep, shard label) -> bridge``: the latest trusted bridge of each shard (measured
    with contention at most :data:`machine.ALONE`)."""
    path = bridges_path(store_dir)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
            key, ratio = (entry["sweep"], entry["value"]), float(entry["ratio"])
        except (ValueError, KeyError, TypeError):  # blank, or torn by a kill
            continue
        if ratio > 0 and entry.get("contention", 1.0) <= machine.ALONE:
            out[key] = entry
    return out


def append_bridge(store_dir: str | Path, bridge: dict[str, Any]) -> None:
    """Append one bridge line (fsynced) to the store's bridge log."""
    append_json_line(bridges_path(store_dir), bridge)


def bridge_line(sweep_id: str, value: str, measure: Callable[[], dict[str, Any]],
                reference: Reference | None = None) -> dict[str, Any]:
    """A bridge line (a shard's, or an Adam baseline's): ``sweep`` and ``value``, when, this
    machine, the fields ``measure()`` returns, the code, and (with ``reference``) the
    reference fit's seconds just before and just after ``measure`` ran
    (``reference_seconds``): a machine's speed drifts over minutes (the reference fit took
    1.96-2.92 s on one machine within an hour), so a bridge's ratio is read against the speed
    the machine had at that moment (:meth:`Scale.factor`)."""
    from shnn.pipeline.store import code_version

    before = reference.time() if reference is not None else None
    fields = measure()
    bridge = {"sweep": sweep_id, "value": value, "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
              "machine": machine.identity(), **fields, "code": code_version()}
    if before is not None and reference is not None:
        bridge["reference_seconds"] = [round(before, 4), round(reference.time(), 4)]
    return bridge


def measure_bridge(sweep_id: str, label: str, fits: Sequence[tuple[FitSpec, dict[str, Any]]],
                   stored_medians: dict[str, float], reference: Reference | None = None
                   ) -> dict[str, Any]:
    """Fit the shard's ``fits`` (its :data:`BRIDGE_REPEAT` fit of each of
    :data:`BRIDGE_METHODS`, with their stored records) again here and return the bridge
    (:func:`bridge_line`): each fit's new seconds against the median stored seconds of its
    method over the shard's old records (``stored_medians``: robust to one that ran
    contended), the median of those ratios (``ratio``: now / stored) and the largest
    contention of the re-fits. A fit whose errors do not come out as stored (beyond the
    cross-CPU tolerance) is kept in the bridge with its difference but not used for the
    ratio; :class:`ErrorsDiffer` if no fit does."""
    from shnn.pipeline.recompute import BITWISE, WITHIN, ErrorsDiffer, refit, verdict

    def measure() -> dict[str, Any]:
        measured, contention = [], 0.0
        for spec, record in fits:
            results, usage, difference = refit(spec, record)
            contention = max(contention, usage.contention or 0.0)
            errors = verdict(difference)
            measured.append({"method": spec.method, "data_seed": spec.data_seed,
                             "stored": stored_medians[spec.method],
                             "now": results["fit_seconds"],
                             "errors": errors if errors in (BITWISE, WITHIN)
                             else f"differ by {difference:.1e}"})
        used = [m for m in measured if m["errors"] in (BITWISE, WITHIN)]
        if not used:
            raise ErrorsDiffer(f"{sweep_id} {label}: the recomputed errors of every bridge fit "
                               f"differ from the stored ones "
                               f"({'; '.join(m['errors'] for m in measured)}): no bridge stored")
        ratio = statistics.median(m["now"] / m["stored"] for m in used)
        return {"fits": measured, "ratio": round(ratio, 5), "contention": round(contention, 3)}

    return bridge_line(sweep_id, label, measure, reference)


@dataclass(frozen=True)
class Reference:
    """The reference fit (:data:`shnn.pipeline.calibration.REFERENCE`) with its data, made
    once, to time beside each bridge."""

    spec: FitSpec
    data: Any

    @classmethod
    def of(cls, config: dict[str, Any]) -> Reference | None:
        """The preset's reference fit with its data; ``None`` where the preset lacks it."""
        from shnn.pipeline.calibration import reference_spec
        from shnn.pipeline.fitting import spec_dataset

        spec = reference_spec(config)
        return None if spec is None else cls(spec, spec_dataset(spec))

    def time(self) -> float:
        """The seconds of one fit of the reference, here and now."""
        from shnn.pipeline.fitting import run_fit

        return float(run_fit(self.spec, self.data)["fit_seconds"])


@dataclass(frozen=True)
class Scale:
    """The scale machine's boot and reference seconds, every trusted calibration and bridge."""

    boot: str
    seconds: float
    calibrations: dict[str, float]
    bridges: dict[tuple[str, str], dict[str, Any]]

    def factor(self, sweep_id: str, label: str, record: dict[str, Any]
               ) -> tuple[float, str] | None:
        """What puts ``record``'s time (a fit of shard ``label`` of ``sweep_id``) on this
        scale, and by what (``calibration`` or ``bridge``); ``None`` if nothing measured can."""
        from shnn.pipeline.calibration import scale

        if (record.get("machine") or {}).get("boot") is not None:
            found = scale(record, self.calibrations, self.seconds)
            return None if found is None else (found, "calibration")
        bridge = self.bridges.get((sweep_id, label))
        if bridge is None:
            return None
        if "reference_seconds" in bridge:  # the machine's speed at that moment
            return bridge["ratio"] * self.seconds / statistics.mean(bridge["reference_seconds"]), \
                "bridge"
        if bridge["machine"].get("boot") not in self.calibrations:
            return None
        return (bridge["ratio"] * self.seconds / self.calibrations[bridge["machine"]["boot"]],
                "bridge")

    def describe(self) -> str:
        """``machine f617d4c4 (reference fit 2.28 s)``."""
        return f"machine {self.boot[:8]} (reference fit {self.seconds:.2f} s)"


def store_scale(store_dir: str | Path) -> Scale | None:
    """The store's scale: its first trusted calibration's machine; ``None`` without one."""
    from shnn.pipeline.calibration import first_calibrated, read_calibrations

    calibrations = read_calibrations(store_dir)
    first = first_calibrated(store_dir)
    if first is None:
        return None
    return Scale(first, calibrations[first], calibrations, read_bridges(store_dir))


#: ``(value, repeat, method) -> (factor, by what)`` of the fits of one sweep.
Factors = dict[tuple[Any, int, str], tuple[float, str]]


def sweep_factors(config: dict[str, Any], sweep_id: str, scale: Scale) -> Factors | None:
    """The factor of every fit of a sweep, or ``None`` if some fit of it is not stored or
    cannot be put on ``scale``."""
    from shnn.pipeline.sweeps import shard_label, sweep_fits

    out: Factors = {}
    for fit in sweep_fits(config, sweep_id):
        found = None if fit.record is None else scale.factor(sweep_id, shard_label(fit.value),
                                                             fit.record)
        if found is None:
            return None
        out[fit.value, fit.repeat, fit.spec.method] = found
    return out


def on_scale(rows: list[dict[str, Any]], factors: Factors) -> list[dict[str, Any]]:
    """Sweep CSV rows with ``fit_seconds`` put on the scale (every other column as it is)."""
    return [{**row, "fit_seconds": row["fit_seconds"]
             * factors[row["value"], row["repeat"], row["method"]][0]} for row in rows]


def preset_scale(config: dict[str, Any]) -> Scale | None:
    """The scale of the preset's store (:func:`store_scale`); ``None`` without a store."""
    return store_scale(config["store_dir"]) if config.get("store_dir") else None


def put_on_scale(config: dict[str, Any], sweep_id: str, rows: list[dict[str, Any]],
                 on: Scale | None = None) -> str | None:
    """Put the times of one sweep's CSV ``rows`` on the store's scale (or ``on``, that scale
    read once by the caller), in place, where every fit of it can be (a preset with a
    committed store); how (:func:`scale_note`), or ``None`` where they stay as measured."""
    found = preset_scale(config) if on is None else on
    factors = None if found is None else sweep_factors(config, sweep_id, found)
    if factors is None:
        return None
    rows[:] = on_scale(rows, factors)
    return scale_note(factors, found)


def baseline_factor(config: dict[str, Any], case: str, on: Scale | None = None
                    ) -> tuple[float, str] | None:
    """What puts the stored time of Adam baseline ``case`` on the store's scale (or ``on``,
    read once by the caller): its machine's calibration, else its bridge
    (:mod:`shnn.pipeline.baseline_bridge`); ``None`` if nothing measured can (or the preset
    has no store)."""
    from shnn.pipeline.baseline_bridge import SWEEP
    from shnn.pipeline.sweeps import baseline_spec, baseline_store

    found = preset_scale(config) if on is None else on
    if found is None:
        return None
    record = baseline_store(config, case, "").get(baseline_spec(config, case))
    return None if record is None else found.factor(SWEEP, case, record)


def scale_note(factors: Factors, scale: Scale) -> str:
    """How a sweep's times were put on ``scale``, in words."""
    by = [how for _, how in factors.values()]
    parts = []
    if by.count("calibration"):
        parts.append(f"{by.count('calibration')} by their machine's calibration")
    if by.count("bridge"):
        parts.append(f"{by.count('bridge')} made before records named their machine, by their "
                     "shard's bridge (its repeat-0 fits timed again on a calibrated machine, "
                     "bridges.jsonl)")
    return (f"all {len(factors)} fits on the scale of {scale.describe()}: "
            + "; ".join(parts))


@dataclass(frozen=True)
class Target:
    """A shard that needs a bridge, and the fits that measure it (with their records)."""

    sweep: str
    label: str
    fits: tuple[tuple[FitSpec, dict[str, Any]], ...]
    #: The median stored fit seconds of each bridge method over the shard's old records.
    stored_medians: dict[str, float]


def bridge_targets(config: dict[str, Any], sweep_ids: Sequence[str] | None = None,
                   renew: bool = False) -> list[Target]:
    """Every shard of the preset's sweeps (or of ``sweep_ids``) that holds records made before
    records named their machine and has no trusted bridge yet, in the preset's order, with its
    bridge fits: the :data:`BRIDGE_REPEAT` fits of those of :data:`BRIDGE_METHODS` that have
    old records there (else of two methods that have), shards without them stored left out.
    ``renew``: also the shards whose bridge was measured without the reference fit beside it."""
    from shnn.pipeline.sweeps import shard_label, sweep_points, sweep_store

    bridges = read_bridges(config["store_dir"])
    targets = []
    for sweep_id, sweep in config["sweeps"].items():
        if sweep_ids is not None and sweep_id not in sweep_ids:
            continue
        for value in next(iter(sweep["vary"].values())):
            label = shard_label(value)
            bridge = bridges.get((sweep_id, label))
            if bridge is not None and not (renew and "reference_seconds" not in bridge):
                continue
            store = sweep_store(sweep_id, value, "", config["store_dir"])
            points = sweep_points(sweep, [value])
            old: dict[str, list[float]] = {}  # method -> stored seconds of its old records
            for _, _, specs in points:
                for spec in specs:
                    record = store.get(spec)
                    if record is not None and not (record.get("machine") or {}).get("boot"):
                        old.setdefault(spec.method, []).append(record["fit_seconds"])
            methods = [m for m in BRIDGE_METHODS if m in old] or sorted(old)[:2]
            fits = tuple((spec, store.get(spec)) for (_, repeat, specs) in points
                         if repeat == BRIDGE_REPEAT for spec in specs if spec.method in methods)
            if methods and all(r is not None for _, r in fits):
                targets.append(Target(sweep_id, label, fits,
                                      {m: statistics.median(old[m]) for m in methods}))
    return targets


@dataclass(frozen=True)
class BridgeJob:
    """One bridge to measure: its name in the output, a bound of its seconds, how to measure
    it (given the reference fit, or ``None``) and its line of output once stored."""

    name: str
    seconds: float
    measure: Callable[[Reference | None], dict[str, Any]]
    text: Callable[[dict[str, Any]], str]


def shard_jobs(targets: Sequence[Target]) -> list[BridgeJob]:
    """The bridge job of each shard target (:func:`bridge_targets`)."""
    from shnn.pipeline.store import record_seconds

    def job(target: Target) -> BridgeJob:
        def text(bridge: dict[str, Any]) -> str:
            pairs = ", ".join(f"{m['stored']:.2f} -> {m['now']:.2f} s" for m in bridge["fits"])
            return f"now / stored {bridge['ratio']:.3f} ({pairs})"

        return BridgeJob(f"{target.sweep} {target.label}",
                         sum(record_seconds(r) for _, r in target.fits),  # as stored: a bound
                         lambda reference: measure_bridge(target.sweep, target.label,
                                                          target.fits, target.stored_medians,
                                                          reference),
                         text)

    return [job(t) for t in targets]


def store_bridges(config: dict[str, Any], jobs: Sequence[BridgeJob], deadline: float) -> int:
    """Measure each bridge job (with the preset's reference fit timed beside it) and append
    its bridge while ``deadline`` (a monotonic time) allows the job's seconds; a bridge
    measured contended (above :data:`machine.ALONE`) is not stored. The number stored."""
    done = 0
    reference = Reference.of(config)
    for i, job in enumerate(jobs):
        if time.monotonic() + job.seconds > deadline:
            print(f"time is up: {done} bridge(s) measured, {len(jobs) - i} left")
            break
        bridge = job.measure(reference)
        if bridge.get("contention", 0.0) > machine.ALONE:
            print(f"  {job.name}: not stored, the bridge ran contended "
                  f"({bridge['contention']:.2f})", flush=True)
            continue
        append_bridge(config["store_dir"], bridge)
        done += 1
        print(f"  {job.name}: {job.text(bridge)}", flush=True)
    return done


def scale_files(store_dir: str | Path) -> list[str]:
    """The files a time panel's scale is read from (those that exist): the machine log and
    the bridge log, inputs of the figures that show a store's times."""
    from shnn.pipeline.calibration import machines_log_path

    return [str(p) for p in (machines_log_path(store_dir), bridges_path(store_dir))
            if p.exists()]
