"""``shnn experiment``: fig08's and fig09's experiments as compute jobs whose benchmark file
holds the seconds measured when their results were computed, never a reload's own."""

import json
from pathlib import Path

import pytest
import yaml

from shnn import cli
from shnn.pipeline import experiments
from shnn.pipeline.records import load_or_compute

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def preset(tmp_path, write_preset) -> Path:
    """The smoke preset with a two-run error correction (two steps, one repeat) and a short
    energy run."""
    config = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
    config["error_correction"].update(steps=[0.1, 0.2], repeats=1, train_size=200,
                                       test_size=100)
    config["energy"].update(train_size=300, width=40, n_states=2000, t_end=2.0, plot_every=10)
    config.update(runs_dir=str(tmp_path / "runs"), results_dir=str(tmp_path / "results"),
                  figures_dir=str(tmp_path / "figures"))
    return write_preset(config)


def _seconds(path: Path) -> float:
    header, row = path.read_text().splitlines()[:2]
    return float(dict(zip(header.split("\t"), row.split("\t")))["s"])


def _run(preset: Path, tmp_path: Path, name: str) -> tuple[int, dict, float]:
    out, bench = tmp_path / f"{name}.json", tmp_path / f"{name}.tsv"
    status = cli.main(["experiment", "--config", str(preset), "--name", name, "--runs-dir",
                       str(tmp_path / "runs"), "--out", str(out), "--benchmark", str(bench)])
    return status, json.loads(out.read_text()) if out.exists() else {}, _seconds(bench)


def test_error_correction_benchmark_is_the_stored_runs_seconds(preset, tmp_path):
    status, written, seconds = _run(preset, tmp_path, "error_correction")
    assert status == 0 and written["experiment"] == "error_correction"
    records = sorted((tmp_path / "runs").glob("experiment~error_correction/**/*.json"))
    assert len(records) == 2
    stored = [json.loads(p.read_text()) for p in records]
    assert seconds == pytest.approx(sum(r["wall_seconds"] for r in stored), abs=1e-4)
    assert all(r["wall_seconds"] >= r["fit_seconds"] for r in stored)
    for path, record in zip(records, stored):  # pretend each run took a minute
        path.write_text(json.dumps({**record, "wall_seconds": 60.0}))
    status, written, seconds = _run(preset, tmp_path, "error_correction")
    assert status == 0 and seconds == pytest.approx(120.0) == written["seconds"]


def test_energy_benchmark_is_the_stored_results_seconds(preset, tmp_path):
    status, written, seconds = _run(preset, tmp_path, "energy")
    assert status == 0 and seconds > 0 and written["seconds"] == pytest.approx(seconds, abs=1e-4)
    (meta,) = (tmp_path / "runs").glob("experiment~energy/**/*.json")
    stored = json.loads(meta.read_text())
    assert stored["wall_seconds"] == pytest.approx(seconds, abs=1e-4)
    meta.write_text(json.dumps({**stored, "wall_seconds": 75.0}))
    assert _run(preset, tmp_path, "energy")[2] == pytest.approx(75.0)
    # a result stored before its seconds were kept (settings only) is computed again
    meta.write_text(json.dumps(stored["settings"]))
    settings = yaml.safe_load(preset.read_text())["energy"]
    _, computed = experiments.load_or_run_energy(settings, tmp_path / "runs")
    assert computed and "wall_seconds" in json.loads(meta.read_text())


def test_a_record_lacking_a_needed_key_is_computed_again(tmp_path):
    path = tmp_path / "r.json"
    record, computed = load_or_compute(path, {"a": 1}, lambda: {"x": 1.0})
    assert computed
    assert load_or_compute(path, {"a": 1}, lambda: {"x": 2.0}) == (record, False)
    again, computed = load_or_compute(path, {"a": 1}, lambda: {"x": 3.0, "y": 1.0},
                                      needs=("y",))
    assert computed and again["x"] == 3.0
    assert load_or_compute(path, {"a": 1}, lambda: {}, needs=("y",)) == (again, False)


def test_an_unknown_experiment_is_a_one_line_error(preset, tmp_path, capsys):
    status = cli.main(["experiment", "--config", str(preset), "--name", "energie",
                       "--runs-dir", str(tmp_path), "--out", str(tmp_path / "o.json")])
    err = capsys.readouterr().err
    assert status == 2 and "'energie'" in err and "energy, error_correction" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "o.json").exists()
