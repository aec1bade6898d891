"""The anchor of the integration constant as a setting (docs/method.md §4.5): the origin by
default, the domain's centre where H is not finite at the origin, or the state a user gives."""

import json
import math

import numpy as np
import pytest

import shnn
from shnn import cli, systems
from shnn.data import Domain, anchor, anchor_setting, choose_anchor, make_dataset
from shnn.pipeline.records import FitSpec

LOG_OSCILLATOR = "examples/log_oscillator.py:log_oscillator"
LOG_DOMAIN = Domain.of([(0.5, 2.0)], [(-1.0, 1.0)])
FIT_ARGS = ["fit", "--system", LOG_OSCILLATOR, "--q-lims", "0.5,2", "--p-lims", "-1,1",
            "--method", "aswim", "--width", "60", "--train-size", "300", "--test-size", "300",
            "--json"]


@pytest.fixture
def repo_root(monkeypatch):
    """References like examples/...py are relative to the repository root."""
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[1])


def _fit_json(capsys, argv):
    assert cli.main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_a_system_undefined_at_the_origin_is_anchored_at_the_domain_centre(repo_root):
    system = systems.get(LOG_OSCILLATOR)
    data = make_dataset(system, LOG_DOMAIN, 400, 400, seed=0)
    np.testing.assert_array_equal(data.x0, [[1.25, 0.0]])
    assert data.H0 == pytest.approx(1.25 - math.log(1.25))
    model = shnn.SampledHNN(width=80, method="aswim", seed=0).fit(
        data.x_train, data.xdot_train, data.x0, data.H0)
    assert shnn.relative_l2(data.H_test, model.hamiltonian(data.x_test)) < 1e-3


def test_the_command_line_fits_it_without_flags_and_stores_the_anchor(repo_root, capsys):
    record = _fit_json(capsys, FIT_ARGS)
    assert record["settings"]["x0"] == [1.25, 0.0]
    assert record["test_rel_l2_H"] < 1e-2


def test_an_explicit_anchor_is_honoured_and_stored(repo_root, capsys):
    record = _fit_json(capsys, [*FIT_ARGS, "--x0", "1,0"])
    assert record["settings"]["x0"] == [1.0, 0.0]
    assert record["test_rel_l2_H"] < 1e-2


def test_a_non_finite_explicit_anchor_is_a_one_line_error(repo_root, capsys):
    assert cli.main([*FIT_ARGS, "--x0", "0,0"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "--x0" in err and "anchor x0 = [0, 0]" in err
    assert "you gave" in err


@pytest.mark.parametrize("text", ["1", "1,0,0", "1,nan"])
def test_a_malformed_anchor_is_a_one_line_error(repo_root, capsys, text):
    assert cli.main([*FIT_ARGS, "--x0", text]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "--x0" in err


@pytest.mark.parametrize("name", systems.names())
def test_every_built_in_system_is_anchored_at_the_origin(name):
    system = systems.get(name)
    domain = Domain.of([(1.0, 2.0)] * system.dof, [(1.0, 2.0)] * system.dof)
    point = choose_anchor(system, domain)
    assert not point.any() and anchor_setting(point) == []


def test_an_origin_anchor_leaves_the_settings_as_they_were():
    spec = FitSpec("single_pendulum", {}, "d", [[-1.0, 1.0]], [[-1.0, 1.0]], 10, 10, 5, "elm",
                   0, 0)
    assert "x0" not in spec.settings()
    moved = FitSpec(**{**spec.__dict__, "x0": [0.5, 0.0]})
    assert moved.settings()["x0"] == [0.5, 0.0]


def test_the_anchor_of_make_dataset_can_be_given():
    system = systems.get("single_pendulum")
    domain = Domain.of([(-1.0, 1.0)], [(-1.0, 1.0)])
    data = make_dataset(system, domain, 20, 20, seed=1, x0=[0.5, 0.25])
    np.testing.assert_array_equal(data.x0, [[0.5, 0.25]])
    assert data.H0 == float(system.hamiltonian(np.array([[0.5, 0.25]]))[0])
    default = make_dataset(system, domain, 20, 20, seed=1)
    np.testing.assert_array_equal(default.x0, anchor(system)[0])
    np.testing.assert_array_equal(default.x_train, data.x_train)


def test_the_dataset_gives_the_test_derivatives():
    system = systems.get("double_pendulum")
    domain = Domain.of([(-1.0, 1.0)] * 2, [(-1.0, 1.0)] * 2)
    data = make_dataset(system, domain, 30, 40, seed=2)
    np.testing.assert_array_equal(data.xdot_test, system.vector_field(data.x_test))


def test_a_domain_point_where_h_is_not_finite_is_named_as_one(repo_root):
    system = systems.get(LOG_OSCILLATOR)
    with pytest.raises(ValueError, match="training points") as info:
        make_dataset(system, Domain.of([(-1.0, 2.0)], [(-1.0, 1.0)]), 50, 50, seed=0,
                     x0=[1.0, 0.0])
    assert "\n" not in str(info.value)
