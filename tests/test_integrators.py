"""Symplectic Euler, reference trajectories and the modified Hamiltonian (docs/method.md §10,
§12.1)."""

from __future__ import annotations

import numpy as np
import pytest

from shnn import systems
from shnn.integrators import modified_hamiltonian, reference_trajectory, symplectic_euler

HO = systems.get("harmonic_oscillator")
SP = systems.get("single_pendulum")

#: Non-separable test Hamiltonian H = (q^2 + p^2)/2 + A q^2 p^2 / 2.
A = 0.5


def nonsep_hamiltonian(x: np.ndarray) -> np.ndarray:
    q, p = x[:, 0], x[:, 1]
    return (q**2 + p**2) / 2 + A * q**2 * p**2 / 2


def nonsep_gradient(x: np.ndarray) -> np.ndarray:
    q, p = x[:, 0], x[:, 1]
    return np.stack([q + A * q * p**2, p + A * q**2 * p], axis=1)


@pytest.fixture(scope="module")
def long_ho_run() -> tuple[float, np.ndarray]:
    """Harmonic oscillator from (1, 0), h = 0.01 over t in [0, 1000] (100000 steps)."""
    h = 0.01
    return h, symplectic_euler(HO.gradient, np.array([1.0, 0.0]), h, 100001)


def test_shapes_and_initial_state():
    x0 = np.array([[1.0, 0.0], [0.5, -0.2], [0.0, 2.0]])
    traj = symplectic_euler(HO.gradient, x0, 0.1, 7)
    assert traj.shape == (7, 3, 2)
    np.testing.assert_array_equal(traj[0], x0)
    single = symplectic_euler(HO.gradient, x0[1], 0.1, 7)
    assert single.shape == (7, 2)
    assert symplectic_euler(HO.gradient, x0[1], 0.1, 1).shape == (1, 2)


def test_explicit_step_formula_on_nonseparable_h():
    # q' = q + h dH/dp(q, p); p' = p - h dH/dq(q', p) (docs/method.md §10.1, explicit form).
    x0 = np.array([0.7, -0.3])
    h = 0.1
    q, p = x0
    q1 = q + h * (p + A * q**2 * p)
    p1 = p - h * (q1 + A * q1 * p**2)
    traj = symplectic_euler(nonsep_gradient, x0, h, 2)
    np.testing.assert_allclose(traj[1], [q1, p1], rtol=0, atol=1e-15)


def test_energy_error_bounded_without_drift(long_ho_run):
    h, traj = long_ho_run
    err = np.abs(HO.hamiltonian(traj) - 0.5)
    # O(h): the oscillation amplitude is (h/2) max|q p| = h/4 for H0 = 1/2.
    assert 0.1 * h < err.max() < h
    period = round(2 * np.pi / h)
    assert err[-period:].max() <= 1.01 * err[:period].max()


def test_modified_energy_conserved_by_explicit_scheme(long_ho_run):
    h, traj = long_ho_run
    q, p = traj[:, 0], traj[:, 1]
    closed_form = (p**2 + q**2) / 2 + (h / 2) * q * p
    modified = modified_hamiltonian(HO.hamiltonian, HO.gradient, traj, h)
    np.testing.assert_allclose(modified, closed_form, rtol=0, atol=1e-15)
    assert np.abs(modified - modified[0]).max() < 1e-12


def test_global_error_is_first_order():
    hs = np.array([0.02, 0.01, 0.005, 0.0025])
    exact = np.array([np.cos(1.0), -np.sin(1.0)])
    errs = []
    for h in hs:
        traj = symplectic_euler(HO.gradient, np.array([1.0, 0.0]), h, round(1 / h) + 1)
        errs.append(np.linalg.norm(traj[-1] - exact))
    slope = np.polyfit(np.log(hs), np.log(errs), 1)[0]
    assert 0.9 <= slope <= 1.1


@pytest.mark.parametrize("implicit", [False, True])
def test_vectorized_equals_one_state_at_a_time(implicit):
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-1.5, 1.5, (5, 2))
    batched = symplectic_euler(nonsep_gradient, x0, 0.05, 101, implicit=implicit)
    for k in range(x0.shape[0]):
        alone = symplectic_euler(nonsep_gradient, x0[k], 0.05, 101, implicit=implicit)
        np.testing.assert_allclose(batched[:, k], alone, rtol=0, atol=1e-15)


def test_vectorized_two_dof_pairs_each_state_with_its_own_momentum():
    hh = systems.get("henon_heiles")
    rng = np.random.default_rng(1)
    x0 = rng.uniform(-0.3, 0.3, (4, 4))
    batched = symplectic_euler(hh.gradient, x0, 0.01, 50)
    for k in range(x0.shape[0]):
        alone = symplectic_euler(hh.gradient, x0[k], 0.01, 50)
        np.testing.assert_allclose(batched[:, k], alone, rtol=0, atol=1e-15)


def test_implicit_equals_explicit_for_separable_h():
    x0 = np.array([[2.0, 0.3], [-1.0, 1.0]])
    explicit = symplectic_euler(SP.gradient, x0, 0.05, 400)
    implicit = symplectic_euler(SP.gradient, x0, 0.05, 400, implicit=True)
    np.testing.assert_allclose(implicit, explicit, rtol=0, atol=1e-13)


def test_implicit_conserves_modified_h_better_on_nonseparable_h():
    h = 0.05
    x0 = np.array([1.0, 0.5])
    n = int(200 / h) + 1
    drift = {}
    for implicit in (False, True):
        traj = symplectic_euler(nonsep_gradient, x0, h, n, implicit=implicit)
        modified = modified_hamiltonian(nonsep_hamiltonian, nonsep_gradient, traj, h)
        drift[implicit] = np.abs(modified - modified[0]).max()
    # Implicit (exactly symplectic): O(h^2) ~ 4e-4; explicit approximation: O(1) drift.
    assert drift[True] < 2e-3
    assert drift[True] < drift[False] / 100


def test_implicit_raises_when_fixed_point_diverges():
    with pytest.raises(RuntimeError, match="did not converge"):
        # H = -2 q p: the fixed-point map q <- q - 2 h q has factor 2 h = 2 > 1.
        symplectic_euler(lambda x: -2.0 * x[:, ::-1], np.array([1.0, 1.0]), 1.0, 3,
                         implicit=True)


def test_symplectic_euler_rejects_bad_input():
    with pytest.raises(ValueError, match="h must be nonzero"):
        symplectic_euler(HO.gradient, np.array([1.0, 0.0]), 0.0, 5)
    with pytest.raises(ValueError, match="n_states"):
        symplectic_euler(HO.gradient, np.array([1.0, 0.0]), 0.1, 0)
    with pytest.raises(ValueError, match="x0"):
        symplectic_euler(HO.gradient, np.array([1.0, 0.0, 2.0]), 0.1, 5)
    with pytest.raises(ValueError, match="NaN"):
        symplectic_euler(HO.gradient, np.array([np.nan, 0.0]), 0.1, 5)
    with pytest.raises(ValueError, match="gradient must return shape"):
        symplectic_euler(lambda x: x[:, :1], np.array([1.0, 0.0]), 0.1, 5)


def test_reference_trajectory_matches_exact_harmonic_solution():
    x0 = np.array([[1.0, 0.0], [0.0, 1.0], [0.3, -0.7]])
    t = np.linspace(0.0, 10.0, 101)
    ref = reference_trajectory(HO, x0, t)
    assert ref.shape == (101, 3, 2)
    c, s = np.cos(t)[:, None], np.sin(t)[:, None]
    q0, p0 = x0[:, 0], x0[:, 1]
    exact = np.stack([q0 * c + p0 * s, p0 * c - q0 * s], axis=-1)
    np.testing.assert_allclose(ref, exact, rtol=0, atol=1e-9)


def test_reference_trajectory_accepts_a_callable_and_one_state():
    t = np.linspace(0.0, 2.0, 5)
    ref = reference_trajectory(lambda x: np.stack([x[:, 1], -x[:, 0]], axis=1),
                               np.array([1.0, 0.0]), t)
    assert ref.shape == (5, 2)
    np.testing.assert_allclose(ref, np.stack([np.cos(t), -np.sin(t)], axis=1), rtol=0,
                               atol=1e-9)
    np.testing.assert_array_equal(reference_trajectory(HO, np.array([1.0, 0.0]), [0.0]),
                                  [[1.0, 0.0]])
    with pytest.raises(TypeError, match="System or a vector-field"):
        reference_trajectory(42, np.array([1.0, 0.0]), t)
    with pytest.raises(ValueError, match="t_eval"):
        reference_trajectory(HO, np.array([1.0, 0.0]), [0.0, 1.0, 0.5])


def test_modified_hamiltonian_formula():
    rng = np.random.default_rng(2)
    x = rng.uniform(-2, 2, (10, 2))
    h = 0.1
    g = nonsep_gradient(x)
    expected = nonsep_hamiltonian(x) + h / 2 * g[:, 0] * g[:, 1]
    np.testing.assert_allclose(modified_hamiltonian(nonsep_hamiltonian, nonsep_gradient, x, h),
                               expected, rtol=1e-15, atol=0)
    with pytest.raises(ValueError, match="x must have shape"):
        modified_hamiltonian(nonsep_hamiltonian, nonsep_gradient, x[:, :1], h)
