"""The manifest (shnn.pipeline.manifest) agrees with the files and presets it describes."""

import ast
from pathlib import Path

import pytest

from shnn.pipeline import manifest
from shnn.pipeline.config import load
from shnn.pipeline.experiments import EXPERIMENTS

ROOT = Path(__file__).resolve().parents[1]
PRESETS = {name: load(ROOT / "config" / f"{name}.yaml") for name in manifest.PRESETS}
#: The parameters papermill passes to every notebook (Snakefile ``papermill``).
COMMON_PARAMS = {"preset", "config_path", "runs_dir", "out_stem"}


def _notebook_parameters(path: Path) -> set[str]:
    """The names assigned in a jupytext notebook's ``parameters`` cell."""
    cell = path.read_text().split('tags=["parameters"]', 1)[1].split("# %%", 1)[0]
    tree = ast.parse(cell.split("\n", 1)[1])
    return {node.target.id if isinstance(node, ast.AnnAssign) else node.targets[0].id
            for node in tree.body if isinstance(node, (ast.AnnAssign, ast.Assign))}


def test_every_notebook_and_caption_is_in_the_manifest():
    assert {p.stem for p in (ROOT / "notebooks").glob("*.py")} == {
        a.notebook_name for a in manifest.ARTIFACTS.values()}
    assert {p.stem for p in (ROOT / "report").glob("*.rst")} - {"workflow"} == set(
        manifest.ARTIFACTS)


@pytest.mark.parametrize("name", list(manifest.ARTIFACTS))
def test_every_parameter_the_pipeline_passes_is_a_notebook_parameter(name):
    art = manifest.ARTIFACTS[name]
    declared = _notebook_parameters(ROOT / art.notebook)
    assert set(art.params) <= declared, set(art.params) - declared
    # out_stem and preset name every output; config_path/runs_dir may be unused (fig01)
    assert {"preset", "out_stem"} <= declared


@pytest.mark.parametrize("preset", manifest.PRESETS)
def test_every_sweep_and_baseline_an_artifact_reads_is_in_the_preset(preset):
    config = PRESETS[preset]
    for art in manifest.artifacts_in(config):
        assert set(art.sweeps) <= set(config["sweeps"]), (art.name, preset)
        assert set(art.baselines) <= set(config["hnn"]), (art.name, preset)
    # an example renders only where its sweep is defined (not in the paper preset)
    examples = [a.name for a in manifest.artifacts_in(config) if a.kind == "example"]
    assert bool(examples) == ("ex-duffing" in config["sweeps"])


@pytest.mark.parametrize("preset", manifest.PRESETS)
def test_every_sweep_is_timed_with_exactly_one_artifact(preset):
    """README runtimes count shared work once: each sweep and baseline of a preset belongs
    to exactly one artifact's jobs."""
    config = PRESETS[preset]
    owners: dict[str, list[str]] = {}
    for art in manifest.artifacts_in(config):
        for job in (*manifest.owned_jobs(art.name), *manifest.continued_jobs(art.name, config)):
            owners.setdefault(job, []).append(art.name)
    for job in [*(f"sweep_{s}" for s in config["sweeps"]), *(f"hnn_{c}" for c in config["hnn"]),
                *(f"experiment_{e}" for e in EXPERIMENTS)]:
        assert len(owners.get(job, [])) == 1, (job, owners.get(job))


def test_methods_follow_the_presets_and_have_labels():
    for config in PRESETS.values():
        for sweep in config["sweeps"].values():
            assert tuple(sweep["methods"]) == manifest.METHODS
    assert set(manifest.METHOD_LABELS) == {*manifest.METHODS, manifest.BASELINE}


def test_report_keys_name_the_first_artifact_showing_a_sweep_or_baseline():
    assert manifest.report_key_of("sweeps", "sp-small") == "fig02"
    assert manifest.report_key_of("sweeps", "lv-five") == "fig04"  # not fig05, not tab01
    assert manifest.report_key_of("baselines", "hh") == "tab02"  # not fig07b
    with pytest.raises(KeyError):
        manifest.report_key_of("sweeps", "ex-duffing")  # an example has no report rows


def test_preset_folders_fill_the_templates():
    art = manifest.ARTIFACTS["perf01_solver_scaling"]
    assert art.files == ("{results}/bench/scaling.json",)
    assert art.params["bench_json"].format(results="r") == "r/bench/scaling.json"
