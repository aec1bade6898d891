# sampled-hnn: every paper artifact is one notebook, one rule, one name.
#   snakemake --cores all                          default preset -> figures/
#   snakemake --cores all --config preset=smoke    smoke preset -> results/smoke/figures/
#   snakemake --cores all figures/fig02_single_pendulum.pdf   rebuild one figure
import functools
import json
import sys
from glob import glob

from snakemake.exceptions import WorkflowError

import shnn.config
import shnn.resources
import shnn.store
import shnn.sweeps
import shnn.systems
import shnn.timebox

PRESETS = ("smoke", "default", "paper")
_unknown = sorted(set(config) - {"preset"})
if _unknown:
    raise WorkflowError(f"unknown --config key(s) {', '.join(_unknown)}; only preset=NAME is accepted")
if "preset" in config and config["preset"] in (None, ""):
    raise WorkflowError(f"--config preset= needs a value; choose from {', '.join(PRESETS)}")
PRESET = str(config.get("preset", "default"))
if PRESET not in PRESETS:
    raise WorkflowError(f"unknown preset {PRESET!r}; choose from {', '.join(PRESETS)}")
CONFIG_FILE = f"config/{PRESET}.yaml"
try:
    CFG = shnn.config.load(CONFIG_FILE)
except shnn.config.ConfigError as exc:
    raise WorkflowError(str(exc)) from None

FIG = CFG["figures_dir"]
RES = CFG["results_dir"]
RUNS = CFG["runs_dir"]
# The paper preset's committed results (shnn.store): a sweep shard or Adam baseline whose fits
# are all there is read from the store by a local job, never planned as a compute job.
STORE = CFG.get("store_dir")
THREADS = CFG.get("threads", 64)
SRC = sorted(glob("src/shnn/*.py")) + ["pyproject.toml"]
# Every tool runs from the interpreter running Snakemake (e.g. .venv/bin), whatever PATH holds.
PY = sys.executable
ARTIFACTS = {
    "fig01_aswim_schematic": ("pdf", "png", "csv"),
    "fig02_single_pendulum": ("pdf", "png", "csv"),
    "fig03_pendulum_frequency": ("pdf", "png", "csv"),
    "fig04_lotka_volterra_errors": ("pdf", "png", "csv"),
    "fig05_lotka_volterra_times": ("pdf", "png", "csv"),
    "fig06_double_pendulum": ("pdf", "png", "csv"),
    "fig07_henon_heiles": ("pdf", "png", "csv"),
    "fig07b_henon_heiles_loss": ("pdf", "png", "csv"),
    "fig08_energy_conservation": ("pdf", "png", "csv"),
    "fig09_error_correction": ("pdf", "png", "csv"),
    "tab01_accuracy": ("csv", "md", "tex"),
    "tab02_chaotic": ("csv", "md", "tex"),
    "reproduction_report": ("csv", "md"),
    "perf01_solver_scaling": ("pdf", "png", "csv"),
}
# Worked examples (not paper artifacts): notebook -> the sweep it shows. An example renders
# only in the presets that define its sweep (smoke, default; the paper preset has none).
EXAMPLES = {"ex01_own_system": "ex-duffing"}
ARTIFACTS.update({name: ("pdf", "png", "csv") for name, sweep in EXAMPLES.items()
                  if sweep in CFG["sweeps"]})
# Declared resources of the compute jobs, from the committed benchmark measurements.
COSTS = shnn.resources.CostModel.from_files("bench/results/paper_estimate.json",
                                            "bench/results/adam_speed.json")


@functools.cache
def shard_resources(sweep_id, label):
    sweep = CFG["sweeps"][sweep_id]
    return shnn.resources.shard_resources(COSTS, sweep,
                                          shnn.sweeps.shard_value(sweep_id, sweep, label))


@functools.cache
def baseline_resources(case):
    return shnn.resources.baseline_resources(COSTS, CFG["hnn"][case])


wildcard_constraints:
    sweep=r"[^/~]+",
    value=r"[^/~]+",
    case=r"[^/~]+",


# Light jobs (concatenating shard CSVs, converting a .py notebook to .ipynb) run where
# Snakemake runs, never through a cluster queue.
localrules:
    sweep,
    sweep_shard_stored,
    hnn_baseline_stored,
    notebook_ipynb,


LV_SWEEPS = ["lv-zero-small", "lv-zero-large", "lv-five"]
CHAOTIC = ["dp", "hh"]


def sweep_csv(sweep_id):
    return f"{RES}/sweeps/{sweep_id}.csv"


@functools.cache
def shard_csv(sweep_id, label):
    """A shard's CSV: read from the committed store when it holds every fit of the shard
    (whatever the files' modification times), else written by the shard's compute job."""
    sweep = CFG["sweeps"][sweep_id]
    if STORE and not shnn.sweeps.missing_fits(
            sweep_id, sweep, shnn.sweeps.shard_value(sweep_id, sweep, label), STORE):
        return f"{RES}/sweeps/{sweep_id}/stored~{label}.csv"
    return f"{RES}/sweeps/{sweep_id}/value~{label}.csv"


@functools.cache
def hnn_csv(case):
    """A baseline's CSV row: from the committed store when its record is there, else trained."""
    if STORE and shnn.sweeps.baseline_spec(CFG, case) in shnn.store.RecordLog(
            shnn.store.baseline_log_path(STORE, case)):
        return f"{RES}/hnn/stored/{case}.csv"
    return f"{RES}/hnn/{case}.csv"


def artifact_files(name):
    """The files of one artifact (plain paths)."""
    return [f"{FIG}/{name}.{ext}" for ext in ARTIFACTS[name]]


def artifact_outputs(name):
    """The outputs of an artifact's rule; its PNG (figures) or CSV (tables) goes into the
    `snakemake --report` HTML with the caption report/<name>.rst."""
    shown = "png" if "png" in ARTIFACTS[name] else "csv"
    category = ("Examples" if name in EXAMPLES else
                {"fig": "Figures", "tab": "Tables", "per": "Performance"}.get(name[:3],
                                                                             "Reproduction"))
    caption = f"{workflow.basedir}/report/{name}.rst"  # absolute: rules/ call this too
    return [report(path, caption=caption, category=category)
            if path.endswith(shown) else path for path in artifact_files(name)]


def papermill(name, **params):
    """The papermill command of one notebook, parameters as plain strings at parse time."""
    args = " ".join(f"-p {k} {v}" for k, v in params.items())
    return (f"{PY} -m papermill {RES}/notebooks/src/{name}.ipynb {FIG}/notebooks/{name}.ipynb "
            f"--cwd . --log-output -p preset {PRESET} -p config_path {CONFIG_FILE} "
            f"-p runs_dir {RUNS} -p out_stem {FIG}/{name} {args} > {RES}/logs/{name}.log 2>&1")


def notebook_inputs(name, *data):
    """Common inputs of a notebook rule: its .ipynb, the preset, the core, the paper data."""
    return [f"{RES}/notebooks/src/{name}.ipynb", CONFIG_FILE, *SRC, "data/paper/sweeps.csv",
            *data]


# The paper preset's report covers the artifacts whose inputs are complete in the store (the
# others are "not run yet" with the fraction done); the other presets' covers all.
REPORTED = [name for name in ARTIFACTS if name not in ("reproduction_report",
                                                      "perf01_solver_scaling", *EXAMPLES)
            and (not STORE or name in shnn.timebox.renderable_artifacts(CFG))]


include: "rules/compute.smk"
include: "rules/artifacts.smk"


report: "report/workflow.rst"


rule all:
    input:
        [out for name in ARTIFACTS for out in artifact_files(name)],
