"""The environment files agree: pyproject pins == environment.yml pins == lock pins."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines):
    out = {}
    for line in lines:
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)$", line.strip())
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


def test_pins_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + [d for ds in project["optional-dependencies"].values()
                                        for d in ds]
    pyproject = _pins(direct)
    assert len(pyproject) == len(direct), "every direct dependency is pinned with =="
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert _pins(pip_section) == pyproject
    assert "python=3.11" in env["dependencies"]
    lock = _pins((ROOT / "requirements.lock").read_text().splitlines())
    for name, version in pyproject.items():
        assert lock.get(name) == version, name
    assert pyproject["torch"] == "2.13.0"
