"""The paper preset's plan and how far it is: its units of work in priority order
(:data:`PRIORITY`, :func:`plan`), the work done in the committed store, and the time left.

A unit is an Adam baseline, a sweep shard or an artifact rendered with its own experiment
(fig08, fig09). How far it is comes from the store (:mod:`shnn.pipeline.store`): the fits
stored of a shard, the steps of a baseline's record or checkpoint. The time left is the cost
model's estimate (:mod:`shnn.pipeline.resources`), except for an Adam baseline with a measured
pace (its checkpoint's, or a like baseline's: :func:`sibling_pace`). The runner
(:mod:`shnn.pipeline.timebox`) works through the plan; the status table
(:mod:`shnn.pipeline.status`), the reproduction report's "not run yet" notes and the README
read how far it is, never the runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shnn.pipeline.manifest import continued_jobs, paper_results
from shnn.pipeline.resources import CostModel
from shnn.pipeline.store import (
    RecordLog,
    baseline_log_path,
    checkpoint_path,
    record_seconds,
    shard_log_path,
)
from shnn.pipeline.sweeps import baseline_spec, missing_fits, shard_label, sweep_points

#: Run time of the artifacts whose experiment (``shnn experiment``, not a sweep) the time box
#: runs together with their notebook, as one Snakemake target, in seconds: the default
#: preset's measured times (docs/performance.md, runtime table), whose settings fig08 shares;
#: fig09 runs 10 instead of 3 cheap repeats, so its figure is scaled by 10/3 and rounded up.
NOTEBOOK_SECONDS = {"fig08_energy_conservation": 110.0, "fig09_error_correction": 30.0}

#: artifact -> (sweeps, Adam baselines) it reads, for the paper's figures and tables
#: (:mod:`shnn.pipeline.manifest`); fig01 and fig08/09 (their own experiments) need neither.
#: perf01 (a solver benchmark, not a paper result) is left to a full ``snakemake --config
#: preset=paper`` run; the status table lists it (:func:`shnn.pipeline.status.untimed_artifacts`).
ARTIFACT_INPUTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    art.name: (art.sweeps, art.baselines) for art in paper_results()}
#: The order in which the runner does the work (the one place it is written; the docs point
#: here): (kind, names) with kind ``baseline``, ``sweep`` or ``notebook`` (an artifact rendered
#: with its experiment, one Snakemake target). Each line says which artifacts it feeds.
PRIORITY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("baseline", ("sp-small", "sp-large", "lv-zero-small", "lv-zero-large", "lv-five")),  # tab01
    ("sweep", ("sp-small", "sp-large")),  # fig02 (and tab01)
    ("sweep", ("lv-zero-small", "lv-zero-large", "lv-five")),  # fig04/05 (and tab01)
    ("notebook", ("fig08_energy_conservation", "fig09_error_correction")),
    ("sweep", ("sp-f10", "sp-f15", "sp-f20")),  # fig03
    ("sweep", ("hh",)),  # fig07 (Henon-Heiles at width 5000), tab02, fig07b
    ("baseline", ("hh", "dp")),  # tab02 (hh: fig07b too)
    ("sweep", ("dp",)),  # fig06 up to width 5000, and tab02
    # The double pendulum's widths 5500-10000 (``continues: dp``; shown by fig06 once all are
    # computed): most of the preset's hours, cluster work, so computed here after the rest.
    ("sweep", ("dp-wide",)),
)


@dataclass(frozen=True)
class Unit:
    """One durable piece of work: an Adam baseline, a sweep shard or a notebook artifact."""

    kind: str
    name: str
    value: Any = None

    @property
    def label(self) -> str:
        if self.kind == "sweep":
            return f"sweep {self.name} {shard_label(self.value)}"
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Progress:
    """How far one unit (or a sum of units) is: work done of total, estimated seconds left."""

    done: int
    total: int
    seconds_left: float

    def __add__(self, other: Progress) -> Progress:
        return Progress(self.done + other.done, self.total + other.total,
                        self.seconds_left + other.seconds_left)

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        """Percent done, rounded down: 100 only when complete (439 of 440 is 99, not 100)."""
        return 100 * self.done // self.total if self.total else 100


def plan(config: dict[str, Any]) -> list[Unit]:
    """Every unit of the paper preset, in priority order."""
    units: list[Unit] = []
    for kind, names in PRIORITY:
        section = {"sweep": "sweeps", "baseline": "hnn"}.get(kind)
        for name in names:
            if section and name not in config[section]:
                continue  # a preset without this sweep or baseline (e.g. a test fixture)
            if kind != "sweep":
                units.append(Unit(kind, name))
                continue
            units += [Unit("sweep", name, value)
                      for value in next(iter(config["sweeps"][name]["vary"].values()))]
    return units


def figures_dir(config: dict[str, Any]) -> Path:
    """The preset's figures folder (``figures_dir``), where its artifacts are rendered."""
    return Path(config["figures_dir"])


def artifact_rendered(config: dict[str, Any], artifact: str) -> bool:
    """All of ``artifact``'s output files exist in the preset's figures folder."""
    folder = figures_dir(config)
    return (folder / "notebooks" / f"{artifact}.ipynb").exists() and (
        folder / f"{artifact}.csv").exists()


@dataclass(frozen=True)
class Training:
    """How far an Adam baseline's training is: the steps done and the training seconds summed
    over its segments (both 0 before it starts); ``complete`` once its record is stored."""

    step: int = 0
    seconds: float = 0.0
    complete: bool = False

    @property
    def seconds_per_step(self) -> float:
        """The measured pace so far (0 before the first step)."""
        return self.seconds / self.step if self.step else 0.0


def read_checkpoint(path: Path) -> Training:
    """The step and training seconds of a baseline checkpoint, in one read (zeros if there is
    none or it cannot be read: this is for progress displays; a run that resumes from it
    reports a damaged file)."""
    if not path.exists():
        return Training()
    import torch

    try:
        state = torch.load(path, weights_only=True)
        return Training(int(state["step"]), float(state["seconds"]))
    except Exception:
        return Training()


def unit_files(config: dict[str, Any], unit: Unit) -> list[Path]:
    """The store files that hold a unit's work: a shard's log, or a baseline's log and
    checkpoint (none for a notebook artifact: its work is its rendered files)."""
    store = config["store_dir"]
    if unit.kind == "sweep":
        return [shard_log_path(store, unit.name, shard_label(unit.value))]
    if unit.kind == "baseline":
        return [baseline_log_path(store, unit.name), checkpoint_path(store, unit.name)]
    return []


def progress_inputs(config: dict[str, Any]) -> list[str]:
    """Every store file of the plan's units that exists: what the progress of
    :func:`input_progress` is read from. The paper report's
    "not run yet: N% done" notes come from there, so these are its inputs: a store that grows
    re-renders the report even when no artifact completes. A complete shard's or baseline's
    files are never written again, so they never trigger it."""
    return [str(path) for unit in plan(config) for path in unit_files(config, unit)
            if path.exists()]


def baseline_training(config: dict[str, Any], case: str) -> Training:
    """How far baseline ``case`` is in the store: all its steps once complete (its record),
    those of its checkpoint when started, else none."""
    store = config["store_dir"]
    spec = baseline_spec(config, case)
    record = RecordLog(baseline_log_path(store, case)).get(spec)
    if record is not None:
        return Training(spec.steps, record_seconds(record), complete=True)
    return read_checkpoint(checkpoint_path(store, case))


def sibling_pace(config: dict[str, Any], case: str) -> float:
    """The training seconds per step another baseline whose steps cost the same (same width,
    batch size and degrees of freedom) measured so far, 0 when none has.

    An Adam baseline is estimated at a measured pace where there is one: the cost model's
    benchmark (width 1000, batch 2048, the single pendulum: 1 degree of freedom) scales only
    with the width, and the Henon-Heiles baseline (width 5000, 2 degrees of freedom) took 2.4x
    its estimate per step; the double pendulum's steps cost what Henon-Heiles' do."""
    def cost_shape(name: str) -> tuple[int, int, int]:
        spec = baseline_spec(config, name)
        return spec.width, spec.batch_size, len(spec.q_lims)

    shape = cost_shape(case)
    for other in config["hnn"]:
        if other != case and cost_shape(other) == shape:
            pace = baseline_training(config, other).seconds_per_step
            if pace > 0:
                return pace
    return 0.0


def unit_progress(config: dict[str, Any], unit: Unit, costs: CostModel) -> Progress:
    """Work done and estimated seconds left of one unit (the store and checkpoints)."""
    if unit.kind == "baseline":
        spec = baseline_spec(config, unit.name)
        training = baseline_training(config, unit.name)
        if training.complete:
            return Progress(spec.steps, spec.steps, 0.0)
        steps_left = spec.steps - training.step
        pace = training.seconds_per_step or sibling_pace(config, unit.name)
        return Progress(training.step, spec.steps, steps_left * pace if pace
                        else costs.adam_seconds(steps_left, spec.width))
    if unit.kind == "notebook":
        done = artifact_rendered(config, unit.name)
        return Progress(int(done), 1, 0.0 if done else NOTEBOOK_SECONDS[unit.name])
    sweep = config["sweeps"][unit.name]
    total = sum(len(specs) for _, _, specs in sweep_points(sweep, [unit.value]))
    missing = missing_fits(unit.name, sweep, unit.value, config["store_dir"])
    seconds = sum(costs.fit_seconds(s.method, len(s.q_lims), s.train_size, s.width)
                  for s in missing)
    return Progress(total - len(missing), total, seconds)


#: The progress key of a unit kind whose work an artifact reads (:func:`input_progress`).
INPUT_KEYS = {"sweep": "fits", "baseline": "steps"}


def input_progress(config: dict[str, Any], costs: CostModel | None = None
                   ) -> dict[tuple[str, str], Progress]:
    """Per sweep ``("fits", sweep_id)`` and Adam baseline ``("steps", case)`` of the plan: its
    progress (a sweep's shards summed). Read the store once and pass the result on: the other
    progress views (:func:`artifact_progress`, :func:`work_left`) take it."""
    costs = costs or CostModel.committed()
    out: dict[tuple[str, str], Progress] = {}
    for unit in plan(config):
        if unit.kind in INPUT_KEYS:
            key = (INPUT_KEYS[unit.kind], unit.name)
            out[key] = out.get(key, Progress(0, 0, 0.0)) + unit_progress(config, unit, costs)
    return out


def artifact_progress(config: dict[str, Any], costs: CostModel | None = None,
                      inputs: dict[tuple[str, str], Progress] | None = None
                      ) -> dict[str, dict[str, Progress]]:
    """Per artifact: ``{"fits": ..., "steps": ...}`` progress of the sweeps and baselines it
    reads (``steps``: Adam steps; from ``inputs`` of :func:`input_progress`, read when not
    given), or ``{"notebook": ...}`` for fig08/fig09."""
    costs = costs or CostModel.committed()
    inputs = input_progress(config, costs) if inputs is None else inputs
    out: dict[str, dict[str, Progress]] = {}
    for artifact, (sweeps, baselines) in ARTIFACT_INPUTS.items():
        parts: dict[str, Progress] = {}
        if artifact in NOTEBOOK_SECONDS:
            parts["notebook"] = unit_progress(config, Unit("notebook", artifact), costs)
        for key, names in (("fits", sweeps), ("steps", baselines)):
            for name in names:
                if (key, name) in inputs:
                    parts[key] = parts.get(key, Progress(0, 0, 0.0)) + inputs[(key, name)]
        out[artifact] = parts
    return out


def measured_seconds(config: dict[str, Any]) -> dict[str, tuple[float, bool]]:
    """``{job: (seconds, complete)}`` measured so far, per pipeline job name (``sweep_<id>``,
    ``hnn_<case>``), from the store: a sweep's stored fits' wall seconds (fit, errors, data),
    a baseline's training seconds summed over its segments (its record, or the checkpoint of
    an unfinished one)."""
    store = config["store_dir"]
    out: dict[str, tuple[float, bool]] = {}
    for unit in plan(config):
        if unit.kind == "sweep":
            log = RecordLog(shard_log_path(store, unit.name, shard_label(unit.value)))
            seconds = sum(record_seconds(r) for r in log.records().values())
            complete = not missing_fits(unit.name, config["sweeps"][unit.name], unit.value,
                                        store)
            before = out.get(f"sweep_{unit.name}", (0.0, True))
            out[f"sweep_{unit.name}"] = (before[0] + seconds, before[1] and complete)
        elif unit.kind == "baseline":
            training = baseline_training(config, unit.name)
            out[f"hnn_{unit.name}"] = (training.seconds, training.complete)
    return out


def continued_sweeps(config: dict[str, Any]) -> list[tuple[str, str]]:
    """``(artifact, sweep)`` for every sweep that continues one an artifact shows (fig06 and
    dp-wide, :func:`shnn.pipeline.manifest.continued_jobs`): computed after the rest, shown by the
    artifact once complete."""
    return [(art.name, job.removeprefix("sweep_")) for art in paper_results()
            for job in continued_jobs(art.name, config)]


def complete_artifacts(config: dict[str, Any]) -> list[str]:
    """Artifacts whose inputs are all in the store (notebook artifacts: always renderable)."""
    return [name for name, parts in artifact_progress(config).items()
            if all(p.complete for key, p in parts.items() if key != "notebook")]


def work_left(config: dict[str, Any], costs: CostModel,
              inputs: dict[tuple[str, str], Progress] | None = None) -> float:
    """Estimated seconds of all the plan's work left: its sweeps and baselines (``inputs`` of
    :func:`input_progress`, read when not given) and its notebook units."""
    inputs = input_progress(config, costs) if inputs is None else inputs
    notebooks = (unit_progress(config, unit, costs) for unit in plan(config)
                 if unit.kind == "notebook")
    return sum(p.seconds_left for p in [*inputs.values(), *notebooks])


def renderable_artifacts(config: dict[str, Any]) -> list[str]:
    """Artifacts to render now: inputs complete in the store, and those with an experiment
    (fig08, fig09) only once their own unit has run (they are work of the time box)."""
    return [a for a in complete_artifacts(config)
            if a not in NOTEBOOK_SECONDS or artifact_rendered(config, a)]
