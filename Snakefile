# sampled-hnn: every paper artifact is one notebook, one rule, one name.
#   snakemake --cores all                          default preset -> figures/
#   snakemake --cores all --config preset=smoke    smoke preset -> results/smoke/figures/
#   snakemake --cores all figures/fig02_single_pendulum.pdf   rebuild one figure
import json
import sys
from glob import glob

from snakemake.exceptions import WorkflowError

import shnn.config

PRESETS = ("smoke", "default", "paper")
_unknown = sorted(set(config) - {"preset"})
if _unknown:
    raise WorkflowError(f"unknown --config key(s) {', '.join(_unknown)}; only preset=NAME is accepted")
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
THREADS = CFG.get("threads", 64)
SRC = sorted(glob("src/shnn/*.py")) + ["pyproject.toml"]
# Every tool runs from the interpreter running Snakemake (e.g. .venv/bin), whatever PATH holds.
PY = sys.executable
ARTIFACTS = ["fig02_single_pendulum"]


def sweep_csv(sweep_id):
    return f"{RES}/sweeps/{sweep_id}.csv"


def artifact_outputs(name):
    return [f"{FIG}/{name}.{ext}" for ext in ("pdf", "png", "csv")]


include: "rules/notebooks.smk"


rule all:
    input:
        [out for name in ARTIFACTS for out in artifact_outputs(name)],
