"""A rule reruns only when what it uses changed: editing a reporting module plans no compute
job, editing a science module plans them all again; the README generator is an input of
nothing. Checked with ``snakemake -n`` on a fresh copy whose outputs all exist."""

import os
from pathlib import Path

import pytest
from plan import dry_run, planned_outputs, planned_rules

from shnn.pipeline import manifest

ROOT = Path(__file__).resolve().parents[1]

COMPUTE_RULES = {"sweep_shard", "hnn_baseline", "experiment", "perf_scaling"}
BUILT, EDITED = 1_700_000_000, 1_800_000_000  # mtimes: every file, then the edited module


def _planned_rules(repo: Path) -> set[str]:
    """The rules of the jobs a dry run of the smoke preset plans."""
    return planned_rules(dry_run(repo, "smoke"))


@pytest.fixture(scope="module")
def built(tmp_path_factory, repository_copier) -> Path:
    """A fresh copy of the repository in which every output of the smoke preset exists and
    is as new as its sources (placeholder files: only the plan is looked at)."""
    fresh_repo = repository_copier(tmp_path_factory.mktemp("built") / "repo")
    for name in planned_outputs(dry_run(fresh_repo, "smoke", "--forceall")):
        path = fresh_repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("placeholder\n")
    for path in fresh_repo.rglob("*"):
        if path.is_file():
            os.utime(path, (BUILT, BUILT))
    assert _planned_rules(fresh_repo) == set(), "a built copy should plan nothing"
    return fresh_repo


@pytest.fixture
def repo(built) -> Path:
    """The built copy; every module edited by a test is put back afterwards."""
    yield built
    for path in (built / "src" / "shnn").glob("**/*.py"):
        os.utime(path, (BUILT, BUILT))


def _edit(repo: Path, path: str) -> None:
    os.utime(repo / path, (EDITED, EDITED))


@pytest.mark.parametrize("module", ["plotting", "aggregate", "report/claims", "tables"])
def test_editing_a_reporting_module_plans_no_compute_job(repo, module):
    _edit(repo, f"src/shnn/pipeline/{module}.py")
    planned = _planned_rules(repo)
    assert planned, f"editing {module}.py should re-render the notebooks that import it"
    assert not planned & COMPUTE_RULES, planned


@pytest.mark.parametrize("module", ["models", "files", "pipeline/records"])
def test_editing_a_science_module_plans_the_compute_jobs(repo, module):
    _edit(repo, f"src/shnn/{module}.py")
    planned = _planned_rules(repo)
    assert {"sweep_shard", "hnn_baseline", "experiment"} <= planned, planned


def test_editing_an_experiment_plans_its_job_and_its_figure(repo):
    _edit(repo, "src/shnn/correction.py")
    planned = _planned_rules(repo)
    assert "experiment" in planned and "fig09_error_correction" in planned


def test_the_readme_generator_is_an_input_of_nothing(repo):
    _edit(repo, "tools/readme.py")
    assert _planned_rules(repo) == set()


def test_a_notebook_depends_on_the_modules_it_imports():
    # plotting is imported by the figure notebooks only, never by the compute commands
    code = set(manifest.module_files(modules=manifest.COMPUTE_MODULES))
    assert "src/shnn/pipeline/plotting.py" not in code and "src/shnn/models.py" in code
    assert "src/shnn/pipeline/plotting.py" in manifest.module_files(
        ROOT / "notebooks" / "fig02_single_pendulum.py")
    fig08 = manifest.module_files(ROOT / "notebooks" / "fig08_energy_conservation.py")
    assert {"src/shnn/energy.py", "src/shnn/pipeline/experiments.py"} <= set(fig08)


def test_imported_modules_reads_every_import_form():
    source = ("import shnn.models\nfrom shnn.pipeline import plotting, aggregate\n"
              "from shnn.pipeline.records import FitSpec\nimport numpy\n"
              "from shnn import SampledHNN\nfrom shnn.pipeline.report import Claim\n"
              "def f():\n    from shnn.energy import run\n")
    assert manifest.imported_modules(source) == {
        "__init__", "models", "energy", "pipeline/__init__", "pipeline/plotting",
        "pipeline/aggregate", "pipeline/records", "pipeline/report/__init__"}


def test_a_package_brings_what_its_init_imports():
    closure = manifest.module_closure({"pipeline/report/__init__"})
    assert {"pipeline/report/claims", "pipeline/report/facts", "pipeline/report/rows",
            "pipeline/report/render"} <= closure
