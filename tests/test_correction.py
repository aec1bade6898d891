"""Error correction from snapshot pairs (docs/method.md §12) and the energy experiment
(docs/method.md §11)."""

import numpy as np
import pytest

import shnn
from shnn import correction
from shnn.integrators import symplectic_euler
from shnn.pipeline import experiments

SETTINGS = {"system": "single_pendulum", "q_lims": [[-3.141592653589793, 3.141592653589793]],
            "p_lims": [[-1.0, 1.0]], "train_size": 400, "test_size": 400, "width": 60,
            "method": "aswim", "steps": [0.1, 0.2], "dt_true": 1e-4, "repeats": 2,
            "data_seed": 3943, "model_seed": 992472, "rcond": 1e-13}


class ExactModel:
    """A 'model' whose H is a system's exact H (to test the correction formula alone)."""

    def __init__(self, system):
        self.system = system

    def hamiltonian(self, x):
        return self.system.hamiltonian(x)

    def gradient(self, x):
        return self.system.gradient(x)


def _variation(system, h, t_end=20.0):
    x0 = np.array([[1.0, 0.3]])
    traj = symplectic_euler(system.gradient, x0, h, int(round(t_end / h)) + 1)[:, 0]
    model = ExactModel(system)
    plain = system.hamiltonian(traj)
    corrected = correction.corrected_hamiltonian(model, traj, h)
    return np.ptp(plain), np.ptp(corrected)


def test_correction_is_exact_invariant_on_harmonic_oscillator():
    # q' = q + h p, p' = p - h q' conserves (p^2 + q^2)/2 + (h/2) q p exactly.
    plain, corrected = _variation(shnn.systems.get("harmonic_oscillator"), 0.05)
    assert plain > 1e-2 and corrected < 1e-13


def test_corrected_hamiltonian_conserved_to_second_order_on_pendulum():
    system = shnn.systems.get("single_pendulum")
    (p1, c1), (p2, c2) = _variation(system, 0.02), _variation(system, 0.01)
    assert 1.8 < p1 / p2 < 2.2  # uncorrected: O(h)
    assert 3.5 < c1 / c2 < 4.5  # corrected: O(h^2)
    assert c1 < 0.1 * p1


def test_flow_map_matches_exact_oscillator_flow():
    x = np.random.default_rng(0).uniform(-1, 1, (50, 2))
    h = 0.4
    system = shnn.systems.get("harmonic_oscillator")
    c, s = np.cos(h), np.sin(h)
    exact = np.stack([c * x[:, 0] + s * x[:, 1], -s * x[:, 0] + c * x[:, 1]], axis=1)
    # The paper's tolerances (rtol 1e-13, scipy's default atol 1e-6): measured 8.9e-8.
    assert np.max(np.abs(correction.flow_map(system, x, h) - exact)) < 1e-6
    tight = correction.flow_map(system, x, h, atol=1e-13)
    assert np.max(np.abs(tight - exact)) < 1e-10


def test_snapshot_points_pair_new_position_with_old_momentum():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    x_next = np.array([[1.5, 1.0], [2.0, 5.0]])
    points, xdot = correction.snapshot_training_data(x, x_next, 0.5)
    assert np.array_equal(points, [[1.5, 2.0], [2.0, 4.0]])
    assert np.array_equal(xdot, [[1.0, -2.0], [-2.0, 2.0]])


def test_correction_sweep_advances_seeds_and_corrects(tmp_path):
    rows = experiments.run_correction_sweep(SETTINGS, tmp_path)
    assert [(r["h"], r["repeat"]) for r in rows] == [(0.1, 0), (0.1, 1), (0.2, 0), (0.2, 1)]
    assert rows[0]["err_uncorrected"] != rows[1]["err_uncorrected"]  # seeds advance
    for r in rows:  # measured: uncorrected 1.6e-2 / 3.1e-2, corrected below 2e-3 / 5e-3
        assert r["err_corrected"] < 0.5 * r["err_uncorrected"]
    again = experiments.run_correction_sweep(SETTINGS, tmp_path)
    assert again == rows  # stored records are reused


def test_correction_rejects_two_degrees_of_freedom():
    bad = {**SETTINGS, "system": "henon_heiles", "q_lims": [[-1, 1]] * 2, "p_lims": [[-1, 1]] * 2}
    with pytest.raises(ValueError, match="one degree of freedom"):
        correction.run_correction(bad, 0.1, 0)


def test_energy_experiment_small(tmp_path):
    settings = {"system": "single_pendulum", "q_lims": [[-6.283185307179586, 6.283185307179586]],
                "p_lims": [[-6.0, 6.0]], "train_size": 3000, "test_size": 10, "width": 300,
                "y0": [1.5707963267948966, 0.0], "t_end": 20.0, "n_states": 20000,
                "data_seed": 3943, "model_seed": 992472, "rcond": 1e-13, "plot_every": 10}
    result, computed = experiments.load_or_run_energy(settings, tmp_path)
    assert computed and result.t.shape == (20000,)
    assert all(x.shape == (20000, 2) for x in result.states.values())
    assert np.max(np.abs(result.energy["reference"] - 1.0)) < 1e-9
    assert np.max(np.abs(result.energy["truth"] - 1.0)) < 1e-3  # O(h) = O(1e-3) oscillation
    assert np.array_equal(result.states["truth"][0], settings["y0"])
    assert result.trajectory_error("truth")[5] == 0.0
    again, computed = experiments.load_or_run_energy(settings, tmp_path)
    assert not computed and np.array_equal(again.states["shnn"], result.states["shnn"])
