"""Shared test helpers."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def write_preset(tmp_path):
    """``write_preset(config) -> path``: ``config`` as ``tmp_path/config/tiny.yaml`` with the
    schema beside it (presets are validated against the ``schema.yaml`` of their folder)."""
    def write(config: dict) -> Path:
        folder = tmp_path / "config"
        folder.mkdir(exist_ok=True)
        shutil.copy(ROOT / "config" / "schema.yaml", folder)
        path = folder / "tiny.yaml"
        path.write_text(yaml.safe_dump(config))
        return path

    return write


def copy_repository(dest: Path) -> Path:
    """Copy the repository's files as a fresh clone has them (tracked, and new files not
    ignored; the default preset's committed figures and the tests left out) to ``dest``."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in listed:
        if name.startswith(("figures/", "tests/")) and not name.startswith("figures/paper/"):
            continue
        if not (ROOT / name).is_file():
            continue
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, dest / name)
    return dest


@pytest.fixture
def fresh_repo(tmp_path) -> Path:
    """A fresh copy of the repository (:func:`copy_repository`)."""
    return copy_repository(tmp_path / "repo")


@pytest.fixture(scope="session")
def repository_copier():
    """:func:`copy_repository`, for fixtures of a wider scope than a test."""
    return copy_repository
