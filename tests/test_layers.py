"""The package's two layers: the science at the top level of ``shnn`` (what a reader reuses on
a Hamiltonian of their own) and the reproduction pipeline in ``shnn.pipeline``, which builds on
the science and is never imported by it; the command line sits on both."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "shnn"
ENTRY_POINTS = {"__init__", "__main__", "cli"}
SCIENCE = sorted(p for p in PACKAGE.glob("*.py") if p.stem not in ENTRY_POINTS)
PIPELINE = sorted((PACKAGE / "pipeline").glob("**/*.py"))
REPORT = sorted((PACKAGE / "pipeline" / "report").glob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every dotted ``shnn`` name a file imports (``from shnn import x`` as ``shnn.x``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {n for n in names if n.split(".")[0] == "shnn"}


def _reaches(names: set[str], *prefixes: str) -> set[str]:
    return {n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)}


def test_the_layers_hold_the_expected_modules():
    assert {p.stem for p in SCIENCE} >= {"systems", "data", "sampling", "lstsq", "models",
                                         "adam", "adam_checkpoint", "integrators", "energy",
                                         "correction"}
    assert {p.stem for p in PIPELINE} >= {"config", "records", "store", "sweeps", "manifest",
                                          "aggregate", "plotting", "timebox", "progress",
                                          "status", "jobs", "commands"}
    assert {p.stem for p in REPORT} >= {"__init__", "rows", "claims"}
    assert not (PACKAGE / "readme.py").exists(), "the README generator is repository tooling"


@pytest.mark.parametrize("path", SCIENCE, ids=lambda p: p.stem)
def test_science_never_imports_the_pipeline_or_the_command_line(path):
    assert not _reaches(_imports(path), "shnn.pipeline", "shnn.cli")


@pytest.mark.parametrize("path", PIPELINE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_pipeline_never_imports_the_command_line(path):
    assert not _reaches(_imports(path), "shnn.cli")


@pytest.mark.parametrize("path", REPORT, ids=lambda p: p.stem)
def test_the_report_never_imports_the_runner(path):
    """The report reads how far the paper preset is from the progress model
    (``shnn.pipeline.progress``), never from the runner that starts its jobs."""
    assert not _reaches(_imports(path), "shnn.pipeline.timebox")


def test_the_checks_see_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from shnn.pipeline import records\n")
    assert _reaches(_imports(bad), "shnn.pipeline") == {"shnn.pipeline.records"}


def test_the_public_api_imports_without_the_pipeline():
    code = ("import sys, shnn\n"
            "from shnn.data import Domain, make_dataset\n"
            "from shnn.systems import get\n"
            "assert shnn.systems.get('single_pendulum').dof == 1\n"
            "assert shnn.SampledHNN and shnn.Domain is Domain and shnn.integrators\n"
            "print(sorted(m for m in sys.modules if m.startswith('shnn.pipeline')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
