# sampled-hnn: every paper artifact is one rule, one name, one rendered notebook (the manifest,
# src/shnn/pipeline/manifest.py, lists them).
#   snakemake --cores all                          default preset -> figures/
#   snakemake --cores all --config preset=smoke    smoke preset -> results/smoke/figures/
#   snakemake --cores all figures/fig02_single_pendulum.pdf   rebuild one figure
import functools
import json
import shlex
import sys

from snakemake.exceptions import WorkflowError

import shnn.pipeline.config
import shnn.pipeline.experiments
import shnn.pipeline.jobs
import shnn.pipeline.manifest
import shnn.pipeline.progress
import shnn.pipeline.resources
import shnn.pipeline.scale
import shnn.pipeline.store
import shnn.pipeline.sweeps
import shnn.systems
from shnn import pipeline  # pipeline.config: `config` is Snakemake's own dict

PRESETS = pipeline.manifest.PRESETS
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
    CFG = pipeline.config.load(CONFIG_FILE)
except pipeline.config.ConfigError as exc:
    raise WorkflowError(str(exc)) from None

FIG = CFG["figures_dir"]
RES = CFG["results_dir"]
RUNS = CFG["runs_dir"]
# The paper preset's committed results (shnn.pipeline.store): a sweep shard or Adam baseline
# whose fits are all there is read from the store by a local job, never planned as a compute job.
STORE = CFG.get("store_dir")
THREADS = CFG.get("threads", 64)
# The code of a compute job: the modules its command imports, with what they import in turn
# (pipeline.manifest.module_files). Reporting modules (plotting, aggregate, tables, report) are
# not among them: editing one re-renders notebooks, never refits; tools/readme.py is no input.
COMPUTE_CODE = pipeline.manifest.module_files(modules=pipeline.manifest.COMPUTE_MODULES)
# Every tool runs from the interpreter running Snakemake (e.g. .venv/bin), whatever PATH holds.
PY = sys.executable
# The artifacts of this preset, one rule each (pipeline.manifest.ARTIFACTS; an example renders
# only in the presets that define its sweep: smoke and default).
ARTIFACTS = {a.name: a for a in pipeline.manifest.artifacts_in(CFG)}
# Declared resources of the compute jobs, from the committed benchmark measurements.
COSTS = pipeline.resources.CostModel.committed()


@functools.cache
def shard_resources(sweep_id, label):
    sweep = CFG["sweeps"][sweep_id]
    return pipeline.resources.shard_resources(COSTS, sweep,
                                          pipeline.sweeps.shard_value(sweep_id, sweep, label))


@functools.cache
def baseline_resources(case):
    return pipeline.resources.baseline_resources(COSTS, CFG["hnn"][case])


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


def sweep_csv(sweep_id):
    return f"{RES}/sweeps/{sweep_id}.csv"


@functools.cache
def shard_csv(sweep_id, label):
    """A shard's CSV: read from the committed store when it holds every fit of the shard
    (whatever the files' modification times), else written by the shard's compute job."""
    sweep = CFG["sweeps"][sweep_id]
    if STORE and not pipeline.sweeps.missing_fits(
            sweep_id, sweep, pipeline.sweeps.shard_value(sweep_id, sweep, label), STORE):
        return f"{RES}/sweeps/{sweep_id}/stored~{label}.csv"
    return pipeline.jobs.shard_csv(RES, sweep_id, label)


@functools.cache
def hnn_csv(case):
    """A baseline's CSV row: from the committed store when its record is there, else trained."""
    if STORE and pipeline.sweeps.baseline_spec(CFG, case) in pipeline.store.RecordLog(
            pipeline.store.baseline_log_path(STORE, case)):
        return f"{RES}/hnn/stored/{case}.csv"
    return pipeline.jobs.baseline_csv(RES, case)


def artifact_files(name):
    """The files of one artifact (plain paths)."""
    return [f"{FIG}/{name}.{ext}" for ext in ARTIFACTS[name].outputs]


def artifact_outputs(name):
    """The outputs of an artifact's rule; its PNG (figures) or CSV (tables) goes into the
    `snakemake --report` HTML with the caption report/<name>.rst."""
    art = ARTIFACTS[name]
    shown = "png" if "png" in art.outputs else "csv"
    caption = f"{workflow.basedir}/{art.caption}"  # absolute: rules/ call this too
    return [report(path, caption=caption, category=art.category)
            if path.endswith(shown) else path for path in artifact_files(name)]


def in_preset(template):
    """A manifest path or parameter with the preset's folders filled in."""
    return template.format(results=RES, figures=FIG)


@functools.cache
def sweep_stored(sweep_id):
    """Every fit of a sweep is in the committed store: each shard is read from there
    (shard_csv, which reads each shard's log once)."""
    return all("/stored~" in shard_csv(sweep_id, label)
               for label in pipeline.sweeps.shard_labels(CFG["sweeps"][sweep_id]))


def shown_continuations(art):
    """The sweeps continuing an artifact's sweeps (`continues:` in the preset, the paper's
    dp-wide) that its notebook shows (an artifact marked `continued` in the manifest: fig06):
    all, or in a preset with a store those complete there (a later run re-renders the artifact
    with the others once they are)."""
    if not art.continued:
        return []
    return [c for s in art.sweeps for c in pipeline.config.continuations(CFG, s)
            if not STORE or sweep_stored(c)]


def papermill(art):
    """The papermill command of one artifact's notebook, parameters as plain strings, then
    the rendered notebook made independent of when it ran (shnn.pipeline.rendered; the rule
    adds the redirection to its log)."""
    params = {k: in_preset(v) for k, v in art.params.items()}
    if shown_continuations(art):
        params["continuations"] = ",".join(shown_continuations(art))
    args = " ".join(f"-p {k} {v}" for k, v in params.items())
    rendered = f"{FIG}/notebooks/{art.name}.ipynb"
    return (f"{PY} -m papermill {RES}/notebooks/src/{art.notebook_name}.ipynb "
            f"{rendered} --cwd . --log-output -p preset {PRESET} "
            f"-p config_path {CONFIG_FILE} -p runs_dir {RUNS} -p out_stem {FIG}/{art.name} "
            f"{args} && {PY} -m shnn.pipeline.rendered {rendered}")


def artifact_inputs(art):
    """What an artifact's notebook reads: its .ipynb, the preset, the modules it imports, the
    paper's data, its sweeps and baselines (a system of your own: with its file), and the
    files other jobs make for it. The report reads every reported artifact's CSV and sweeps,
    and in a preset with a store the store files its progress notes are read from."""
    sweeps, baselines = [*art.sweeps, *shown_continuations(art)], list(art.baselines)
    made = [in_preset(f) for f in art.files]
    if art.kind == "report":
        sweeps = [s for name in REPORTED
                  for s in (*ARTIFACTS[name].sweeps, *shown_continuations(ARTIFACTS[name]))]
        made += [out for name in REPORTED for out in artifact_files(name)
                 if out.endswith(".csv")]
        if STORE:  # the "not run yet: N% done" notes of the artifacts not complete yet
            made += pipeline.progress.progress_inputs(CFG)
    if STORE and sweeps:  # time panels on one machine's scale (shnn.pipeline.scale)
        made += pipeline.scale.scale_files(STORE)
    return [f"{RES}/notebooks/src/{art.notebook_name}.ipynb", CONFIG_FILE,
            *pipeline.manifest.module_files(art.notebook), *pipeline.manifest.NOTEBOOK_DATA,
            *art.data,
            *[sweep_csv(s) for s in sweeps], *[hnn_csv(c) for c in baselines],
            *[f for s in sweeps for f in shnn.systems.source_files(CFG["sweeps"][s]["system"])],
            *made]


# The paper preset's report covers the artifacts whose inputs are complete in the store (the
# others are "not run yet" with the fraction done); the other presets' covers all.
REPORTED = [name for name, art in ARTIFACTS.items() if art.is_paper_result
            and (not STORE or name in pipeline.progress.renderable_artifacts(CFG))]


include: "rules/compute.smk"
include: "rules/artifacts.smk"


report: "report/workflow.rst"


rule all:
    input:
        [out for name in ARTIFACTS for out in artifact_files(name)],
        # a continuation not complete in the store yet: computed by a full run, shown by the
        # next run (the paper preset's dp-wide on a cluster)
        [sweep_csv(s) for s, sweep in CFG["sweeps"].items()
         if "continues" in sweep and STORE and not sweep_stored(s)],
