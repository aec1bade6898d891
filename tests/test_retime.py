"""Re-time what is suspect, never recompute what is right (``shnn.pipeline.retime``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from shnn.pipeline import retime, suspect
from shnn.pipeline.config import load
from shnn.pipeline.store import RecordLog, shard_log_path
from shnn.pipeline.sweeps import run_sweep, sweep_points

ROOT = Path(__file__).resolve().parents[1]


def test_a_point_off_its_neighbours_is_found_and_a_smooth_sweep_is_not():
    smooth = {w: [w / 100, w / 100] for w in (100, 200, 300, 400, 500)}
    assert suspect.point_reasons(smooth) == {}
    jumped = {**smooth, 300: [3.0 * 1.3, 3.0 * 1.3]}
    assert 300 in suspect.point_reasons(jumped)
    quick = {w: [t / 10 for t in ts] for w, ts in jumped.items()}  # below MIN_SECONDS
    assert suspect.point_reasons(quick) == {}


def test_a_contended_or_outlying_fit_is_suspect():
    assert suspect.fit_reasons({"fit_seconds": 2.0, "contention": 0.4}, 2.0) == [
        "contention 0.40"]
    assert suspect.fit_reasons({"fit_seconds": 3.1}, 2.0) == ["3.10 s, 1.6x its point's median"]
    assert suspect.fit_reasons({"fit_seconds": 2.9, "contention": 0.05}, 2.0) == []


def _anything_goes(monkeypatch) -> None:
    """Trust any time: whatever else runs beside the test."""
    monkeypatch.setattr(retime.machine, "ALONE", 1.0)
    monkeypatch.setattr(retime.machine, "QUIET", 1.0)


def _store(tmp_path: Path, write_preset) -> tuple[Path, dict]:
    """A tiny preset with a store, every fit of its one sweep stored."""
    config = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
    sweep = {**config["sweeps"]["sp-small"], "train_size": 60, "test_size": 40,
             "vary": {"width": [8, 12]}, "repeats": 3, "methods": ["elm"]}
    config.update(sweeps={"sp-small": sweep}, hnn={}, results_dir=str(tmp_path / "results"),
                  figures_dir=str(tmp_path / "figures"), runs_dir=str(tmp_path / "runs"),
                  store_dir=str(tmp_path / "store"))
    path = write_preset(config)
    config = load(path)
    run_sweep("sp-small", config["sweeps"]["sp-small"], config["runs_dir"], progress=False,
              store_dir=config["store_dir"])
    return path, config


def _slow_down(config: dict, seconds: float, error_factor: float = 1.0) -> Path:
    """Make the fits of width 12 look as if they took 1 s, the first ``seconds`` (and its
    error other, with a factor): the only suspect of the store."""
    log = shard_log_path(config["store_dir"], "sp-small", "12")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    for record in records:
        record["fit_seconds"] = 1.0
    records[0]["fit_seconds"] = seconds
    records[0]["test_rel_l2_H"] *= error_factor
    log.write_text("".join(json.dumps(r) + "\n" for r in records))
    return log


def test_retime_replaces_only_the_times_of_a_suspect_fit(tmp_path, write_preset, capsys,
                                                         monkeypatch):
    path, config = _store(tmp_path, write_preset)
    _anything_goes(monkeypatch)
    log = _slow_down(config, 1000.0)
    spec = sweep_points(config["sweeps"]["sp-small"], [12])[0][2][0]
    before = RecordLog(log).get(spec)
    found = suspect.suspects(config)
    # the whole point is re-timed (every repeat), not only its slow fit
    assert [f.spec for f in found] == [
        specs[0] for _, _, specs in sweep_points(config["sweeps"]["sp-small"], [12])]
    assert found[0].reasons == ("elm seeds 3943: 1000.00 s, 1000.0x its point's median",)
    assert retime.run(str(path), 5) == 0
    after = RecordLog(log).get(spec)
    assert after["fit_seconds"] < 1000.0 and after["retimed"]["fit_seconds"] == 1000.0
    for key in ("test_rel_l2_H", "train_rel_l2_H", "test_rel_l2_xdot", "train_rel_l2_xdot",
                "settings"):
        assert after[key] == before[key]
    assert after["retimed"]["errors"] == "bitwise" and "machine" in after
    assert len(log.read_text().splitlines()) == 6  # appended; the old lines stay
    assert suspect.suspects(config) == []


def test_retime_stops_when_the_errors_differ(tmp_path, write_preset, capsys):
    path, config = _store(tmp_path, write_preset)
    log = _slow_down(config, 1000.0, error_factor=1.01)
    lines = log.read_text()
    assert retime.run(str(path), 5) == 1
    assert "recomputed errors differ" in capsys.readouterr().err
    assert log.read_text() == lines  # nothing stored


def test_a_retime_that_ran_contended_is_not_stored(tmp_path, write_preset, capsys,
                                                   monkeypatch):
    path, config = _store(tmp_path, write_preset)
    log = _slow_down(config, 1000.0)
    lines = log.read_text()
    monkeypatch.setattr(retime.machine, "ALONE", -1.0)  # any contention is too much
    monkeypatch.setattr(retime.machine, "QUIET", -1.0)
    runs = []
    real_refit = retime.refit
    monkeypatch.setattr(retime, "refit", lambda *a: runs.append(a) or real_refit(*a))
    assert retime.run(str(path), 5) == 0
    assert "not stored, no run of it ran alone" in capsys.readouterr().out
    assert log.read_text() == lines
    # every fit is suspect now (each "ran contended"), and each was fitted ATTEMPTS times
    assert len(runs) == 6 * retime.ATTEMPTS


STORED = {"settings": {"method": "elm"}, "fit_seconds": 1.0}


def _usage(contention: float | None) -> retime.machine.Usage:
    return retime.machine.Usage(1.0, 2.0, contention)


def test_the_first_quiet_run_is_kept_else_the_least_contended_one_that_ran_alone(monkeypatch):
    def fake(contentions):
        runs = iter(contentions)
        monkeypatch.setattr(retime, "refit",
                            lambda spec, stored: ({"run": len(seen)}, _usage(next(runs)), 0.0)
                            if not seen.append(1) else None)
        seen: list[int] = []
        return seen

    seen = fake([0.2, 0.01, 0.0])
    results, usage, _ = retime.quietest(None, STORED, attempts=3)
    assert usage.contention == 0.01 and len(seen) == 2  # stops at the first quiet run
    seen = fake([0.12, 0.09, 0.3])
    assert retime.quietest(None, STORED, attempts=3)[1].contention == 0.09 and len(seen) == 3
    fake([0.2, 0.3, 0.4])
    assert retime.quietest(None, STORED, attempts=3) is None  # none ran alone
    fake([None])
    assert retime.quietest(None, STORED, attempts=3)[1].contention is None  # platform can't say
    seen = fake([0.2, 0.0])
    assert retime.quietest(None, {**STORED, "fit_seconds": 60.0}, attempts=3,
                           deadline=0.0) is None and len(seen) == 1  # no time for a second run


def test_suspects_are_interleaved_by_repeat_within_a_sweep():
    spec = sweep_points(load(ROOT / "config/smoke.yaml")["sweeps"]["sp-small"])[0][2][0]
    found = [suspect.Suspect(sweep, value, spec, {}, ("why",), repeat)
             for sweep in ("b", "a") for value in (100, 200) for repeat in (0, 1)]
    assert [(s.sweep, s.value, s.repeat) for s in suspect.interleaved(found)] == [
        ("b", 100, 0), ("b", 200, 0), ("b", 100, 1), ("b", 200, 1),
        ("a", 100, 0), ("a", 200, 0), ("a", 100, 1), ("a", 200, 1)]


def test_all_judged_takes_every_point_above_the_floor_and_its_neighbours():
    times = {w: [w / 1000] for w in (200, 400, 600, 800, 1000, 1200, 1400)}
    judged = suspect.judged_points(times)
    assert sorted(judged) == [800, 1000, 1200, 1400]  # 800: the neighbour of 1000
    assert judged[1000] == "point median 1.00 s, judged"
    assert judged[800] == "neighbour of the judged point 1000"
    assert suspect.judged_points({w: [0.1] for w in (1, 2, 3)}) == {}


def test_fits_of_a_machine_without_calibration_are_suspect_when_asked(tmp_path, write_preset,
                                                                     monkeypatch):
    from shnn.pipeline import calibration, machine

    _, config = _store(tmp_path, write_preset)
    _anything_goes(monkeypatch)
    assert suspect.suspects(config) == []
    assert len(suspect.suspects(config, uncalibrated=True)) == 6
    calibration.append_calibration(config["store_dir"], {
        "machine": machine.identity(), "median_seconds": 1.0, "contention": 0.0})
    assert suspect.suspects(config, uncalibrated=True) == []


def test_bad_input_is_a_one_line_error(tmp_path, write_preset, capsys):
    path, _ = _store(tmp_path, write_preset)
    assert retime.main(["--config", str(path), "--minutes", "5", "--sweep", "nope"]) == 2
    assert "unknown sweep 'nope'" in capsys.readouterr().err
    for minutes in ("nan", "-1", "soon"):
        with pytest.raises(SystemExit) as exit_:
            retime.main(["--config", str(path), "--minutes", minutes])
        assert exit_.value.code == 2 and "MINUTES must be" in capsys.readouterr().err
    smoke = str(ROOT / "config" / "smoke.yaml")
    assert retime.main(["--config", smoke, "--minutes", "1"]) == 2
    assert "has no store_dir" in capsys.readouterr().err


def test_the_listing_has_one_line_per_point_with_its_first_reasons():
    spec = sweep_points(load(ROOT / "config/smoke.yaml")["sweeps"]["sp-small"])[0][2][0]
    reasons = tuple(f"elm seeds {s}: contention 0.30" for s in range(5))
    found = [suspect.Suspect("sp-small", 100, spec, {}, reasons) for _ in range(4)]
    found.append(suspect.Suspect("sp-small", 200, spec, {}, reasons[:1]))
    assert suspect.listing(found) == [
        "sp-small 100: 4 fits: " + "; ".join(reasons[:3]) + "; and 2 more",
        "sp-small 200: 1 fit: " + reasons[0]]


def test_value_keeps_only_the_suspect_points_of_those_sweep_values(tmp_path, write_preset,
                                                                   capsys, monkeypatch):
    path, config = _store(tmp_path, write_preset)
    _anything_goes(monkeypatch)
    log = _slow_down(config, 1000.0)
    lines = log.read_text()
    assert retime.run(str(path), 5, values=[8.0]) == 0  # width 12 is the suspect
    assert log.read_text() == lines
    assert retime.run(str(path), 5, values=[12.0]) == 0
    assert len(log.read_text().splitlines()) == 6  # its 3 fits appended again


def test_unnamed_keeps_only_the_fits_whose_record_names_no_machine(tmp_path, write_preset,
                                                                 capsys, monkeypatch):
    path, config = _store(tmp_path, write_preset)
    _anything_goes(monkeypatch)
    log = _slow_down(config, 1000.0)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    for record in records[1:]:
        record.pop("machine", None)  # as if made before records named their machine
    log.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert "machine" in records[0]
    assert retime.run(str(path), 5, unnamed=True) == 0
    assert "2 suspect time(s)" in capsys.readouterr().out
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(lines) == 5 and lines[0] == records[0]  # the named fit is not timed again
    assert retime.run(str(path), 5, unnamed=True) == 0
    assert "0 suspect time(s)" in capsys.readouterr().out


def test_sweep_fits_walks_every_fit_of_a_sweep_with_its_record_or_none(tmp_path, write_preset):
    from shnn.pipeline.sweeps import sweep_fits

    _, config = _store(tmp_path, write_preset)
    fits = list(sweep_fits(config, "sp-small"))
    assert [(f.value, f.repeat) for f in fits] == [(w, r) for w in (8, 12) for r in range(3)]
    assert all(f.record is not None and f.record["settings"] == f.spec.settings() for f in fits)
    shard_log_path(config["store_dir"], "sp-small", "12").unlink()
    assert [f.record is None for f in sweep_fits(config, "sp-small")] == [False] * 3 + [True] * 3
