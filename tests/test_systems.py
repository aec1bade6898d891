"""Target Hamiltonians: analytic gradients, sign convention, H(0), registry and input checks.

Tolerances (float64):
- analytic gradient vs central finite differences with step 1e-6:
  ``|fd - grad| <= 1e-7 * max(1, |grad|)`` entry-wise
  (measured worst case 9.2e-9, LV zero-centered on [-5, 5]^2);
- DP analytic gradient vs torch autograd of an independently written H: 1e-12 relative;
- custom (torch-autograd) pendulum vs analytic pendulum: 1e-12.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from shnn import systems

FD_STEP = 1e-6
FD_RTOL = 1e-7

# (system, box per state coordinate (q..., p...)), boxes as in the paper's domains.
TWO_PI = 2 * math.pi
CASES = [
    ("sp-default", systems.get("single_pendulum"), [(-TWO_PI, TWO_PI), (-6, 6)]),
    ("sp-f10", systems.get("single_pendulum", f=10), [(-math.pi, math.pi), (-0.5, 0.5)]),
    ("sp-nondefault", systems.get("single_pendulum", m=1.7, l=0.6, g=9.81, f=2.5),
     [(-TWO_PI, TWO_PI), (-6, 6)]),
    ("lv-zero", systems.get("lotka_volterra", preset="zero-centered"), [(-5, 5), (-5, 5)]),
    ("lv-five", systems.get("lotka_volterra", preset="five-centered"), [(0, 8), (0, 8)]),
    ("lv-nondefault", systems.get("lotka_volterra", alpha=1.3, beta=0.4, gamma=-0.7, delta=2.2),
     [(-3, 3), (-3, 3)]),
    ("dp-default", systems.get("double_pendulum"),
     [(-math.pi, math.pi)] * 2 + [(-1, 1)] * 2),
    ("dp-nondefault", systems.get("double_pendulum", m1=2.0, m2=0.7, l1=1.3, l2=0.8, g=9.81),
     [(-math.pi, math.pi)] * 2 + [(-2, 2)] * 2),
    ("hh-default", systems.get("henon_heiles"), [(-5, 5)] * 4),
    ("hh-alpha0.7", systems.get("henon_heiles", alpha=0.7), [(-5, 5)] * 4),
    ("ho-default", systems.get("harmonic_oscillator"), [(-3, 3), (-3, 3)]),
    ("ho-nondefault", systems.get("harmonic_oscillator", m=2.5, k=0.3), [(-3, 3), (-3, 3)]),
]
IDS = [c[0] for c in CASES]


def _random_states(box, n, seed):
    rng = np.random.default_rng(seed)
    lo = np.array([b[0] for b in box], dtype=float)
    hi = np.array([b[1] for b in box], dtype=float)
    return lo + (hi - lo) * rng.random((n, len(box)))


def _central_differences(system, x, step=FD_STEP):
    grad = np.empty_like(x)
    for k in range(x.shape[1]):
        e = np.zeros(x.shape[1])
        e[k] = step
        grad[:, k] = (system.hamiltonian(x + e) - system.hamiltonian(x - e)) / (2 * step)
    return grad


def test_every_builtin_system_is_covered():
    assert {case[1].name for case in CASES} == set(systems.names())


@pytest.mark.parametrize("name,system,box", CASES, ids=IDS)
def test_gradient_matches_central_differences(name, system, box):
    x = _random_states(box, 200, seed=IDS.index(name))
    grad = system.gradient(x)
    fd = _central_differences(system, x)
    assert grad.shape == x.shape == (200, system.dim)
    err = np.abs(fd - grad) / np.maximum(1.0, np.abs(grad))
    assert err.max() <= FD_RTOL, f"{name}: max scaled FD error {err.max():.3e}"


@pytest.mark.parametrize("name,system,box", CASES, ids=IDS)
def test_shapes_and_vector_field_is_j_times_gradient(name, system, box):
    x = _random_states(box, 17, seed=1)
    n = system.dof
    grad = system.gradient(x)
    xdot = system.vector_field(x)
    h = system.hamiltonian(x)
    assert h.shape == (17,)
    assert xdot.shape == (17, 2 * n)
    J = np.block([[np.zeros((n, n)), np.eye(n)], [-np.eye(n), np.zeros((n, n))]])
    np.testing.assert_array_equal(xdot, grad @ J.T)


def test_pendulum_sign_convention_explicit():
    sp = systems.get("single_pendulum")
    # At q = pi/2, p = 0.3: dH/dq = sin(pi/2) = 1, dH/dp = p = 0.3.
    x = np.array([[math.pi / 2, 0.3]])
    np.testing.assert_allclose(sp.gradient(x), [[1.0, 0.3]], rtol=0, atol=1e-15)
    # q' = dH/dp = +0.3 ; p' = -dH/dq = -1 (gravity pulls the angle back).
    np.testing.assert_allclose(sp.vector_field(x), [[0.3, -1.0]], rtol=0, atol=1e-15)
    # Small-angle: q > 0 at rest accelerates towards q = 0.
    xdot = sp.vector_field(np.array([[0.1, 0.0]]))
    assert xdot[0, 0] == 0.0 and xdot[0, 1] < 0


def test_two_dof_column_order_positions_first():
    hh = systems.get("henon_heiles", alpha=0.0)  # H = |p|^2/2 + |q|^2/2
    x = np.array([[1.0, 2.0, 3.0, 4.0]])  # (q1, q2, p1, p2)
    np.testing.assert_array_equal(hh.gradient(x), [[1.0, 2.0, 3.0, 4.0]])
    np.testing.assert_array_equal(hh.vector_field(x), [[3.0, 4.0, -1.0, -2.0]])


@pytest.mark.parametrize("system,h0", [
    (systems.get("single_pendulum"), 0.0),
    (systems.get("lotka_volterra", preset="zero-centered"), -2.0),
    (systems.get("lotka_volterra"), -2.0),
    (systems.get("lotka_volterra", preset="five-centered"), 0.095),
    (systems.get("double_pendulum"), -3.0),
    (systems.get("henon_heiles"), 0.0),
    (systems.get("harmonic_oscillator"), 0.0),
], ids=["sp", "lv-zero", "lv-default", "lv-five", "dp", "hh", "ho"])
def test_h_at_origin(system, h0):
    value = system.hamiltonian(np.zeros((1, system.dim)))
    assert value.shape == (1,)
    assert value[0] == pytest.approx(h0, rel=1e-15, abs=1e-15)


def test_lotka_volterra_presets_and_equilibria():
    five = systems.get("lotka_volterra", preset="five-centered")
    assert five.params == {"alpha": 3.5, "beta": 0.025, "gamma": 10.0, "delta": 0.07}
    zero = systems.get("lotka_volterra", preset="zero-centered")
    assert zero.params == {"alpha": -2.0, "beta": -1.0, "gamma": -1.0, "delta": -1.0}
    assert systems.get("lotka_volterra").params == zero.params
    # preset values can be overridden by explicit parameters
    assert systems.get("lotka_volterra", preset="five-centered", alpha=1.0).alpha == 1.0
    for lv in (zero, five):
        eq = np.array([[math.log(lv.alpha / lv.beta), math.log(lv.gamma / lv.delta)]])
        np.testing.assert_allclose(lv.vector_field(eq), 0.0, atol=1e-12)


def test_lotka_volterra_uses_power_of_e():
    lv = systems.get("lotka_volterra", preset="five-centered")
    x = _random_states([(0, 8), (0, 8)], 100, seed=5)
    q, p = x[:, 0], x[:, 1]
    expected = 0.07 * np.power(math.e, p) - 10.0 * p + 0.025 * np.power(math.e, q) - 3.5 * q
    np.testing.assert_array_equal(lv.hamiltonian(x), expected)


def _dp_torch_hamiltonian(x, m1, m2, l1, l2, g):
    """docs/method.md §3.3 written independently in torch."""
    q1, q2, p1, p2 = x[:, 0], x[:, 1], x[:, 2], x[:, 3]
    c = torch.cos(q1 - q2)
    s = torch.sin(q1 - q2)
    kin_num = (m2 * l2**2 * p1**2 + (m1 + m2) * l1**2 * p2**2 - 2 * m2 * l1 * l2 * p1 * p2 * c)
    kin_den = 2 * m2 * l1**2 * l2**2 * (m1 + m2 * s**2)
    return kin_num / kin_den - (m1 + m2) * g * l1 * torch.cos(q1) - m2 * g * l2 * torch.cos(q2)


@pytest.mark.parametrize("params", [
    {},
    {"m1": 2.0, "m2": 0.7, "l1": 1.3, "l2": 0.8, "g": 9.81},
    {"m1": 0.3, "m2": 3.1, "l1": 0.5, "l2": 2.0, "g": 1.6},
], ids=["default", "nondefault-a", "nondefault-b"])
def test_double_pendulum_against_torch_autograd(params):
    dp = systems.get("double_pendulum", **params)
    full = {"m1": 1.0, "m2": 1.0, "l1": 1.0, "l2": 1.0, "g": 1.0, **params}
    x = _random_states([(-math.pi, math.pi)] * 2 + [(-2, 2)] * 2, 300, seed=11)
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    h = _dp_torch_hamiltonian(xt, **full)
    (grad_t,) = torch.autograd.grad(h.sum(), xt)
    np.testing.assert_allclose(dp.hamiltonian(x), h.detach().numpy(), rtol=1e-13, atol=1e-13)
    scale = np.maximum(1.0, np.abs(grad_t.numpy()))
    assert np.max(np.abs(dp.gradient(x) - grad_t.numpy()) / scale) <= 1e-12


def test_custom_system_autograd_matches_analytic_pendulum():
    custom = systems.from_function(
        lambda x: x[:, 1] ** 2 / 2 + (1 - torch.cos(x[:, 0])), dof=1, name="my_pendulum")
    sp = systems.get("single_pendulum")
    x = _random_states([(-TWO_PI, TWO_PI), (-6, 6)], 500, seed=3)
    assert custom.name == "my_pendulum" and custom.dof == 1 and custom.dim == 2
    np.testing.assert_allclose(custom.hamiltonian(x), sp.hamiltonian(x), rtol=0, atol=1e-12)
    np.testing.assert_allclose(custom.gradient(x), sp.gradient(x), rtol=0, atol=1e-12)
    np.testing.assert_allclose(custom.vector_field(x), sp.vector_field(x), rtol=0, atol=1e-12)
    assert custom.gradient(x).dtype == np.float64


def test_custom_system_two_dof_and_explicit_grad():
    hh = systems.get("henon_heiles", alpha=0.4)

    def energy(x):
        q1, q2, p1, p2 = x[:, 0], x[:, 1], x[:, 2], x[:, 3]
        return (p1**2 + p2**2) / 2 + (q1**2 + q2**2) / 2 + 0.4 * (q1**2 * q2 - q2**3 / 3)

    x = _random_states([(-2, 2)] * 4, 50, seed=4)
    auto = systems.from_function(energy, dof=2)
    np.testing.assert_allclose(auto.gradient(x), hh.gradient(x), rtol=0, atol=1e-12)
    given = systems.from_function(energy, dof=2, grad=hh.gradient)
    np.testing.assert_array_equal(given.gradient(x), hh.gradient(x))


def test_from_function_rejects_bad_arguments():
    with pytest.raises(ValueError, match="callable"):
        systems.from_function(3.0, dof=1)
    with pytest.raises(ValueError, match="dof.*0"):
        systems.from_function(lambda x: x.sum(1), dof=0)


def test_registry_unknown_system():
    with pytest.raises(ValueError, match="'no_such_system'"):
        systems.get("no_such_system")
    with pytest.raises(ValueError, match="'no_such_system'"):
        systems.parameters("no_such_system")


def test_registry_unknown_parameter():
    with pytest.raises(ValueError, match="'mass'"):
        systems.get("single_pendulum", mass=2.0)
    with pytest.raises(ValueError, match="'preset'"):
        systems.get("single_pendulum", preset="zero-centered")


def test_registry_unknown_preset():
    with pytest.raises(ValueError, match="'ten-centered'"):
        systems.get("lotka_volterra", preset="ten-centered")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), "1.0", None])
def test_registry_non_finite_parameter(value):
    with pytest.raises(ValueError, match=re.escape(f"f={value!r}")):
        systems.get("single_pendulum", f=value)


def test_registry_parameters_and_resolve():
    assert systems.parameters("single_pendulum") == {"m": 1.0, "l": 1.0, "g": 1.0, "f": 1.0}
    assert systems.parameters("henon_heiles") == {"alpha": 1.0}
    sp = systems.resolve({"name": "single_pendulum", "f": 10})
    assert sp.f == 10.0 and isinstance(sp.f, float)
    assert systems.resolve("double_pendulum").dof == 2
    assert systems.resolve(sp) is sp
    with pytest.raises(ValueError):
        systems.resolve(42)


@pytest.mark.parametrize("system", [systems.get("single_pendulum"),
                                    systems.get("double_pendulum")], ids=["sp", "dp"])
@pytest.mark.parametrize("method", ["hamiltonian", "gradient", "vector_field"])
def test_bad_states_rejected(system, method):
    fn = getattr(system, method)
    d = system.dim
    with pytest.raises(ValueError, match=re.escape(f"(n, {d})")):
        fn(np.zeros((3, d + 1)))
    with pytest.raises(ValueError, match="shape"):
        fn(np.zeros(d))  # 1-D, not (n, D)
    with pytest.raises(ValueError, match="shape"):
        fn(np.zeros((2, 3, d)))
    with pytest.raises(ValueError, match="empty"):
        fn(np.zeros((0, d)))
    bad = np.zeros((4, d))
    bad[2, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fn(bad)
    bad[2, 1] = np.inf
    with pytest.raises(ValueError, match="inf"):
        fn(bad)


def test_custom_system_rejects_bad_states():
    custom = systems.from_function(lambda x: (x**2).sum(1), dof=1)
    with pytest.raises(ValueError, match="shape"):
        custom.gradient(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="NaN"):
        custom.hamiltonian(np.array([[np.nan, 0.0]]))
