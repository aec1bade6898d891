"""What ``snakemake -n`` plans: the dry run of a repository copy, and its jobs' rules and
outputs (shared by the tests that check the DAG on a fresh copy)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def dry_run(repo: Path, preset: str, *args: str) -> str:
    """The output of ``snakemake -n --cores 2 args --config preset=preset`` in ``repo``
    (which must succeed)."""
    result = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--cores", "2", *args,
                             "--config", f"preset={preset}"], cwd=repo,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def planned_rules(dry_run_output: str) -> set[str]:
    """The rules of the jobs a dry run plans."""
    return {line.split(":", 1)[0].split()[-1] for line in dry_run_output.splitlines()
            if line.startswith(("rule ", "localrule "))}


def planned_outputs(dry_run_output: str) -> set[str]:
    """The output files of the jobs a dry run plans."""
    return {out for line in dry_run_output.splitlines() if line.strip().startswith("output:")
            for out in line.split("output:", 1)[1].strip().split(", ")}
