"""Checkpoint and resume of the Adam baseline: bit-identical to an uninterrupted run."""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np
import pytest
import torch

import shnn.adam as adam
import shnn.adam_checkpoint as adam_checkpoint
from shnn import systems
from shnn.adam import AdamHNN
from shnn.adam_checkpoint import TrainingStopped, remove_checkpoint
from shnn.data import Domain, make_dataset

SRC = Path(__file__).resolve().parents[1] / "src"
SP = systems.get("single_pendulum")
DOMAIN = Domain.of([(-np.pi, np.pi)], [(-1.0, 1.0)])
KW = {"width": 20, "seed": 11, "steps": 300, "lr": 1e-3, "batch_size": 64}


@pytest.fixture(scope="module")
def data():
    # N = 500, B = 64: batches wrap around mid-way (7 full batches, then 52 rows).
    return make_dataset(SP, DOMAIN, 500, 50, 3943)


def fit(data, checkpoint=None, **kwargs):
    options = {k: kwargs.pop(k) for k in ("checkpoint_every", "deadline") if k in kwargs}
    model = AdamHNN(**{**KW, **kwargs})
    return model.fit(data.x_train, data.xdot_train, data.x0, data.H0, checkpoint=checkpoint,
                     **options)


@pytest.fixture(scope="module")
def reference(data):
    return {backend: fit(data, backend=backend) for backend in adam.BACKENDS}


def assert_bitwise_equal(got, want, data):
    for name in ("loss_history_", "W_", "b_", "coef_"):
        assert np.array_equal(getattr(got, name), getattr(want, name)), name
    assert got.bias_ == want.bias_
    assert np.array_equal(got.hamiltonian(data.x_test), want.hamiltonian(data.x_test))
    assert np.array_equal(got.vector_field(data.x_test), want.vector_field(data.x_test))


def read(path):
    return torch.load(path, map_location="cpu", weights_only=True)


def fake_clock(monkeypatch, stop_at):
    """``time.time()`` in shnn.adam_checkpoint (the deadline's clock) returns 0, 1, 2, ... (one
    call per step boundary), so a deadline of ``stop_at - 0.5`` stops training just before
    step ``stop_at``."""
    calls = iter(range(10**9))
    monkeypatch.setattr(adam_checkpoint, "time", types.SimpleNamespace(
        perf_counter=time.perf_counter, time=lambda: float(next(calls))))
    return stop_at - 0.5


@pytest.mark.parametrize("backend", adam.BACKENDS)
def test_stopped_at_deadline_then_resumed_is_bitwise_identical(data, reference, tmp_path,
                                                               monkeypatch, backend):
    path = tmp_path / "run.pt"
    deadline = fake_clock(monkeypatch, 175)
    with pytest.raises(TrainingStopped, match=rf"step 175 of 300.*{re.escape(str(path))}") as e:
        fit(data, path, backend=backend, checkpoint_every=50, deadline=deadline)
    assert (e.value.step, e.value.steps, e.value.checkpoint) == (175, 300, path)
    assert str(pickle.loads(pickle.dumps(e.value))) == str(e.value)
    monkeypatch.undo()

    state = read(path)
    assert {"format", "settings", "step", "batch_start", "params", "optimizer", "losses",
            "seconds"} <= set(state)
    assert state["step"] == 175 and state["batch_start"] == (175 * 64) % 500
    assert state["settings"]["backend"] == backend and state["settings"]["n_rows"] == 500
    assert all(p.dtype == torch.float64 for p in state["params"].values())
    assert np.array_equal(state["losses"].numpy(), reference[backend].loss_history_[:175])
    first_seconds = state["seconds"]
    assert first_seconds > 0

    resumed = fit(data, path, backend=backend, checkpoint_every=50)  # a new model
    assert_bitwise_equal(resumed, reference[backend], data)
    # fit_seconds_ sums the segments: the first one's (in the file), then this one's.
    assert resumed.fit_seconds_ > first_seconds
    assert path.exists()  # fit leaves it; the caller deletes it
    assert remove_checkpoint(path) and not path.exists()
    assert not remove_checkpoint(path)


def test_deadline_already_passed_stops_before_the_first_step(data, reference, tmp_path):
    path = tmp_path / "sub" / "run.pt"  # the folder is created
    with pytest.raises(TrainingStopped, match="step 0 of 300"):
        fit(data, path, deadline=time.time() - 1.0)
    state = read(path)
    assert state["step"] == 0 and state["losses"].shape == (0,)
    assert state["optimizer"]["state"] == {}
    resumed = fit(data, path, deadline=time.time() + 3600.0)
    assert_bitwise_equal(resumed, reference["closed_form"], data)


def test_periodic_checkpoints_do_not_change_the_run(data, reference, tmp_path):
    path = tmp_path / "run.pt"
    full = fit(data, path, checkpoint_every=50)
    assert_bitwise_equal(full, reference["closed_form"], data)
    # Written after steps 50, 100, ..., 250; not after the last step (300).
    state = read(path)
    assert state["step"] == 250
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    again = fit(data, path, checkpoint_every=50)  # resumes at 250
    assert_bitwise_equal(again, reference["closed_form"], data)
    assert again.fit_seconds_ > state["seconds"]


KILL_SCRIPT = """
import logging, sys, time
import numpy as np, torch
torch.set_num_threads(int(sys.argv[2]))
from shnn import systems
from shnn.adam import AdamHNN
from shnn.data import Domain, make_dataset

class Slow(logging.Handler):  # slows each step down; the arithmetic is untouched
    def emit(self, record):
        time.sleep(0.02)

log = logging.getLogger("shnn.adam")
log.setLevel(logging.INFO)
log.addHandler(Slow())
data = make_dataset(systems.get("single_pendulum"),
                    Domain.of([(-np.pi, np.pi)], [(-1.0, 1.0)]), 500, 50, 3943)
AdamHNN(**KW, log_every=1).fit(data.x_train, data.xdot_train, data.x0, data.H0,
                               checkpoint=sys.argv[1], checkpoint_every=50)
print("finished")
"""


def test_killed_process_resumes_bitwise_identically(data, reference, tmp_path):
    path = tmp_path / "killed.pt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    script = KILL_SCRIPT.replace("**KW", ", ".join(f"{k}={v!r}" for k, v in KW.items()))
    proc = subprocess.Popen([sys.executable, "-c", script, str(path),
                             str(torch.get_num_threads())], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        give_up = time.monotonic() + 120
        while not path.exists() and proc.poll() is None and time.monotonic() < give_up:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # Killed mid-training (300 steps take >= 6 s; the first checkpoint comes at step 50).
    assert proc.returncode == -signal.SIGKILL, (out, err)
    assert b"finished" not in out
    step = read(path)["step"]
    assert step in (50, 100, 150, 200, 250)

    resumed = fit(data, path, checkpoint_every=50)
    assert_bitwise_equal(resumed, reference["closed_form"], data)
    remove_checkpoint(path)
    assert not list(tmp_path.iterdir())  # also any temporary file of a killed write


@pytest.fixture
def stopped(data, tmp_path):
    """A checkpoint written before step 0 (deadline passed) with the settings of ``KW``."""
    path = tmp_path / "x.pt"
    with pytest.raises(TrainingStopped):
        fit(data, path, deadline=0.0)
    return path


def test_corrupt_checkpoint_raises_naming_the_path(data, tmp_path, stopped):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(np.random.default_rng(0).bytes(4096))
    truncated = tmp_path / "truncated.pt"
    content = stopped.read_bytes()
    truncated.write_bytes(content[:len(content) // 2])
    empty = tmp_path / "empty.pt"
    empty.write_bytes(b"")
    for path in (junk, truncated, empty):
        with pytest.raises(ValueError, match=rf"checkpoint {re.escape(str(path))}: .*corrupt") \
                as e:
            fit(data, path)
        assert "\n" not in str(e.value)
    not_ours = tmp_path / "other.pt"
    torch.save({"a": torch.zeros(3)}, not_ours)
    with pytest.raises(ValueError, match=rf"checkpoint {re.escape(str(not_ours))}: .*missing"):
        fit(data, not_ours)


@pytest.mark.parametrize(("change", "message"), [
    ({"width": 21}, "made with width 20, this run has width 21"),
    ({"seed": 12}, "made with seed 11, this run has seed 12"),
    ({"steps": 400}, "made with steps 300, this run has steps 400"),
    ({"lr": 2e-3}, "made with lr 0.001, this run has lr 0.002"),
    ({"batch_size": 32}, "made with batch_size 64, this run has batch_size 32"),
    ({"backend": "autograd"}, "made with backend 'closed_form', this run has backend"),
])
def test_mismatched_settings_raise(data, stopped, change, message):
    with pytest.raises(ValueError, match=rf"checkpoint {re.escape(str(stopped))}: "
                                         rf"{re.escape(message)}"):
        fit(data, stopped, **change)


def test_other_data_is_rejected(data, stopped):
    xdot = data.xdot_train.copy()
    xdot[123, 1] = np.nextafter(xdot[123, 1], np.inf)  # one ulp
    with pytest.raises(ValueError, match=rf"checkpoint {re.escape(str(stopped))}: made with "
                                         r"training data sha256 '[0-9a-f]{64}', this run has"):
        AdamHNN(**KW).fit(data.x_train, xdot, data.x0, data.H0, checkpoint=stopped)
    with pytest.raises(ValueError, match="number of training rows N 500, this run has .* 400"):
        AdamHNN(**KW).fit(data.x_train[:400], data.xdot_train[:400], data.x0, data.H0,
                          checkpoint=stopped)


def test_bad_options_raise(data, tmp_path):
    with pytest.raises(ValueError, match="deadline needs a checkpoint"):
        fit(data, None, deadline=time.time() + 10)
    with pytest.raises(ValueError, match="checkpoint_every"):
        fit(data, tmp_path / "a.pt", checkpoint_every=0)
    with pytest.raises(ValueError, match="deadline"):
        fit(data, tmp_path / "a.pt", deadline=float("nan"))
    with pytest.raises(ValueError, match="checkpoint must be a file path"):
        fit(data, 3)
    assert not list(tmp_path.iterdir())
