"""Machine identity and the contention measure of timed results (:mod:`shnn.pipeline.machine`)."""

import multiprocessing
import time

from shnn.pipeline import machine
from shnn.pipeline.config import load
from shnn.pipeline.fitting import fit_record
from shnn.pipeline.records import record_problems
from shnn.pipeline.sweeps import sweep_points


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_identity_names_the_cpu_its_vector_sets_cores_and_blas_threads():
    found = machine.identity()
    assert found["cpu"] and found["cores"] >= 1
    assert found["numpy_simd"] and found["torch_simd"]
    assert found["blas"]["library"] != "unknown" and found["blas"]["threads"] >= 1
    assert found["cpu"] in machine.kind(found) and machine.kind(None) == "unknown"


def test_a_busy_process_beside_the_work_reads_as_contention():
    # the measured work sleeps, so every busy CPU second is another process's
    busy = multiprocessing.Process(target=_spin, args=(3.0,))
    busy.start()
    time.sleep(0.5)
    meter = machine.Meter()
    time.sleep(1.5)
    usage = meter.stop()
    busy.join()
    # one spinning process of the machine's CPUs: 1/cpus of its time (0.5 on 2 cores)
    assert usage.contention is not None
    assert usage.contention > 0.5 / multiprocessing.cpu_count()
    assert usage.cpu_seconds < 0.2 and usage.wall_seconds >= 1.5


def test_a_new_fit_record_stores_its_machine_and_contention(tmp_path):
    sweep = load("config/smoke.yaml")["sweeps"]["sp-small"]
    spec = sweep_points(sweep)[0][2][0]
    record, computed = fit_record(spec, tmp_path)
    assert computed and record_problems(record, spec.settings()) == []
    assert record["machine"] == machine.identity()
    assert 0.0 <= record["contention"] <= 1.0 and record["cpu_seconds"] >= 0.0
    assert "load_per_cpu" in record  # kept as the older records have it
    assert 0.0 <= record["steal"] <= record["contention"] + 1e-3  # Linux counts steal


def test_steal_is_part_of_contention_and_a_quiet_time_has_little_of_either():
    usage = machine.Usage(1.0, 2.0, 0.04, 0.03)
    assert usage.fields() == {"cpu_seconds": 2.0, "contention": 0.04, "steal": 0.03}
    assert usage.quiet and not machine.Usage(1.0, 2.0, machine.QUIET + 0.01).quiet
    assert not machine.Usage(1.0, 2.0, None).quiet  # unknown is not quiet
    assert usage.quiet_or_unknown and machine.Usage(1.0, 2.0, None).quiet_or_unknown
    assert not machine.Usage(1.0, 2.0, machine.QUIET + 0.01).quiet_or_unknown
    assert machine.Usage(1.0, 2.0, None).fields() == {"cpu_seconds": 2.0}
    assert 0.0 < machine.QUIET < machine.ALONE
