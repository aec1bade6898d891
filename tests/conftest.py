"""Shared test helpers."""

import shutil
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
