"""The per-machine yardstick: a reference fit timed per time box, and the scale it gives."""

from shnn.pipeline import calibration, machine
from shnn.pipeline.config import load
from shnn.pipeline.sweeps import sweep_points


def test_the_paper_preset_holds_the_reference_fit_and_the_others_do_not():
    spec = calibration.reference_spec(load("config/paper.yaml"))
    assert (spec.system, spec.width, spec.method) == ("double_pendulum", 1500, "elm")
    assert (spec.data_seed, spec.model_seed) == (3943, 992472)  # repeat 0
    assert calibration.reference_spec(load("config/smoke.yaml")) is None


def test_a_calibration_is_logged_by_boot_and_scales_records(tmp_path):
    spec = sweep_points(load("config/smoke.yaml")["sweeps"]["sp-small"])[0][2][0]
    found = calibration.calibrate(spec, repeats=2)
    assert 2 <= len(found["runs"]) <= 4 and found["median_seconds"] > 0
    assert found["machine"]["boot"] == machine.boot_id()
    calibration.append_calibration(tmp_path, {**found, "contention": 0.0})
    calibration.append_calibration(tmp_path, {**found, "median_seconds": 9.0,
                                              "contention": 0.9})  # shared: not trusted
    calibrations = calibration.read_calibrations(tmp_path)
    assert calibrations == {machine.boot_id(): found["median_seconds"]}
    record = {"machine": machine.identity()}
    assert calibration.scale(record, calibrations, 2 * found["median_seconds"]) == 2.0
    assert calibration.scale({"load_per_cpu": 1.0}, calibrations, 1.0) is None


class _FakeMeter:
    """A meter whose runs read the given contentions in turn."""

    contentions: list[float] = []

    def __init__(self) -> None:
        self.contention = _FakeMeter.contentions.pop(0)

    def stop(self) -> machine.Usage:
        return machine.Usage(1.0, 2.0, self.contention, 0.0)


def test_a_calibration_uses_its_quiet_runs_and_every_run_only_when_none_was_quiet(monkeypatch):
    spec = sweep_points(load("config/smoke.yaml")["sweeps"]["sp-small"])[0][2][0]
    monkeypatch.setattr(machine, "Meter", _FakeMeter)
    _FakeMeter.contentions = [0.2, 0.01, 0.3, 0.02, 0.0]
    found = calibration.calibrate(spec, repeats=2, attempts=4)
    assert [r["contention"] for r in found["runs"]] == [0.2, 0.01, 0.3, 0.02]
    assert len(found["fit_seconds"]) == 2 and found["contention"] == 0.02
    _FakeMeter.contentions = [0.2, 0.3, 0.4, 0.5]
    found = calibration.calibrate(spec, repeats=2, attempts=4)
    assert len(found["fit_seconds"]) == 4 and found["contention"] == 0.5  # not trusted
    _FakeMeter.contentions = [0.0, 0.0, 0.0]
    assert len(calibration.calibrate(spec, repeats=2, attempts=4)["runs"]) == 2


def _fit(boot: str | None, cpu: str = "Some CPU") -> dict:
    record = {"fit_seconds": 1.0}
    if boot is not None:
        record["machine"] = {"boot": boot, "cpu": cpu, "cores": 2,
                             "blas": {"library": "openblas", "kernels": "Haswell"}}
    return record


def test_the_timing_note_says_one_machine_only_when_every_fit_names_the_same_one():
    one = calibration.timing_note([_fit("aaaaaaaa-1"), _fit("aaaaaaaa-1")], {"aaaaaaaa-1": 2.5})
    assert one == ("all 2 fits timed on one machine aaaaaaaa (Some CPU, 2 cores, openblas "
                   "Haswell; reference fit 2.50 s)")
    mixed = calibration.timing_note([_fit(None), _fit(None), _fit("bbbbbbbb-2")], {})
    assert mixed.startswith("3 fits timed on 2 machines, not on one scale: 2 fits made before")
    assert ("1 fit on machine bbbbbbbb (Some CPU, 2 cores, openblas Haswell; not calibrated)"
            in mixed)
    assert calibration.timing_note([], {}) == "no stored fits"
    assert "not on one scale" in calibration.timing_note([_fit(None)], {})
