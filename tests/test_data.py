"""Data generation: exact draw order (docs/method.md §4.2-4.3), exact targets, anchor, domain
checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from shnn import systems
from shnn.data import Domain, anchor, make_dataset, sample_points

SP_SMALL = Domain.of([(-2 * math.pi, 2 * math.pi)], [(-1.0, 1.0)])
DP_DOMAIN = Domain.of([(-math.pi, math.pi), (-0.5, 2.0)], [(-1.0, 1.0), (-3.0, 0.25)])


def _reference_points(q_lims, p_lims, n_train, n_test, seed):
    """docs/method.md §4.2-4.3 by hand: per dof q_d then p_d; train then test; columns
    (q..., p...)."""
    rng = np.random.default_rng(seed)
    out = []
    for n in (n_train, n_test):
        q_cols, p_cols = [], []
        for d in range(len(q_lims)):
            q_cols.append(rng.uniform(q_lims[d][0], q_lims[d][1], n))
            p_cols.append(rng.uniform(p_lims[d][0], p_lims[d][1], n))
        out.append(np.column_stack(q_cols + p_cols))
    return out


def test_draw_order_one_dof():
    train, test = sample_points(SP_SMALL, 50, 30, seed=3943)
    ref_train, ref_test = _reference_points([(-2 * math.pi, 2 * math.pi)], [(-1, 1)], 50, 30,
                                            3943)
    np.testing.assert_array_equal(train, ref_train)
    np.testing.assert_array_equal(test, ref_test)
    # Equivalently: the first N uniforms are q, the next N are p, then the test set.
    u = np.random.default_rng(3943).random(2 * 50 + 2 * 30)
    np.testing.assert_array_equal(train[:, 0], -2 * math.pi + 4 * math.pi * u[:50])
    np.testing.assert_array_equal(train[:, 1], -1 + 2 * u[50:100])
    np.testing.assert_array_equal(test[:, 0], -2 * math.pi + 4 * math.pi * u[100:130])
    np.testing.assert_array_equal(test[:, 1], -1 + 2 * u[130:160])


def test_draw_order_two_dof():
    q_lims = [(-math.pi, math.pi), (-0.5, 2.0)]
    p_lims = [(-1.0, 1.0), (-3.0, 0.25)]
    train, test = sample_points(DP_DOMAIN, 40, 25, seed=3944)
    ref_train, ref_test = _reference_points(q_lims, p_lims, 40, 25, 3944)
    np.testing.assert_array_equal(train, ref_train)
    np.testing.assert_array_equal(test, ref_test)
    assert train.shape == (40, 4) and test.shape == (25, 4)
    # Draw order q1, p1, q2, p2 differs from the column order q1, q2, p1, p2.
    rng = np.random.default_rng(3944)
    q1 = rng.uniform(-math.pi, math.pi, 40)
    p1 = rng.uniform(-1.0, 1.0, 40)
    q2 = rng.uniform(-0.5, 2.0, 40)
    p2 = rng.uniform(-3.0, 0.25, 40)
    np.testing.assert_array_equal(train, np.stack([q1, q2, p1, p2], axis=1))


def test_points_inside_box_and_seed_dependence():
    train, test = sample_points(DP_DOMAIN, 500, 500, seed=1)
    for x in (train, test):
        for k, (lo, hi) in enumerate(DP_DOMAIN.q_lims + DP_DOMAIN.p_lims):
            assert np.all((x[:, k] >= lo) & (x[:, k] < hi))
    again, _ = sample_points(DP_DOMAIN, 500, 500, seed=1)
    other, _ = sample_points(DP_DOMAIN, 500, 500, seed=2)
    np.testing.assert_array_equal(train, again)
    assert not np.any(train == other)


@pytest.mark.parametrize("system,domain", [
    (systems.get("single_pendulum"), SP_SMALL),
    (systems.get("lotka_volterra", preset="five-centered"), Domain.of([(0, 8)], [(0, 8)])),
    (systems.get("double_pendulum"), DP_DOMAIN),
    (systems.get("henon_heiles", alpha=0.7), Domain.of([(-5, 5)] * 2, [(-5, 5)] * 2)),
], ids=["sp", "lv-five", "dp", "hh"])
def test_make_dataset_targets_exact(system, domain):
    ds = make_dataset(system, domain, 64, 48, seed=3943)
    train, test = sample_points(domain, 64, 48, seed=3943)
    np.testing.assert_array_equal(ds.x_train, train)
    np.testing.assert_array_equal(ds.x_test, test)
    np.testing.assert_array_equal(ds.xdot_train, system.vector_field(train))
    np.testing.assert_array_equal(ds.H_train, system.hamiltonian(train))
    np.testing.assert_array_equal(ds.H_test, system.hamiltonian(test))
    grad = system.gradient(train)
    n = system.dof
    np.testing.assert_array_equal(ds.xdot_train[:, :n], grad[:, n:])
    np.testing.assert_array_equal(ds.xdot_train[:, n:], -grad[:, :n])
    assert ds.xdot_train.shape == (64, system.dim) and ds.H_train.shape == (64,)
    assert ds.H_test.shape == (48,)
    # Anchor: the origin, with the system's exact H(0), also where 0 is a corner (LV five).
    np.testing.assert_array_equal(ds.x0, np.zeros((1, system.dim)))
    assert ds.H0 == float(system.hamiltonian(np.zeros((1, system.dim)))[0])
    assert isinstance(ds.H0, float)


@pytest.mark.parametrize("system,h0", [
    (systems.get("single_pendulum"), 0.0),
    (systems.get("lotka_volterra"), -2.0),
    (systems.get("lotka_volterra", preset="five-centered"), 0.095),
    (systems.get("double_pendulum"), -3.0),
    (systems.get("henon_heiles"), 0.0),
], ids=["sp", "lv-zero", "lv-five", "dp", "hh"])
def test_anchor_values(system, h0):
    x0, value = anchor(system)
    assert x0.shape == (1, system.dim) and not x0.any()
    assert value == pytest.approx(h0, abs=1e-15)


def test_domain_properties():
    assert SP_SMALL.dof == 1 and DP_DOMAIN.dof == 2
    assert SP_SMALL.q_lims == ((-2 * math.pi, 2 * math.pi),)
    assert all(isinstance(v, float) for lim in DP_DOMAIN.q_lims + DP_DOMAIN.p_lims for v in lim)


@pytest.mark.parametrize("q_lims,p_lims,expected", [
    ([(-2 * math.pi, 2 * math.pi)], [(-1, 1)], (-2 * math.pi, 2 * math.pi)),
    ([(-2 * math.pi, 2 * math.pi)], [(-6, 6)], (-2 * math.pi, 2 * math.pi)),
    ([(-math.pi, math.pi)], [(-0.5, 0.5)], (-math.pi, math.pi)),
    ([(-2, 2)], [(-2, 2)], (-2, 2)),
    ([(0, 8)], [(0, 8)], (0, 8)),
    ([(-math.pi, math.pi)] * 2, [(-1, 1)] * 2, (-math.pi, math.pi)),
    ([(-5, 5)] * 2, [(-5, 5)] * 2, (-5, 5)),
    ([(-1, 1)], [(-3, 0.5)], (-3, 1)),
])
def test_elm_bias_range(q_lims, p_lims, expected):
    assert Domain.of(q_lims, p_lims).elm_bias_range() == expected


@pytest.mark.parametrize("q_lims,p_lims,match", [
    ([(1.0, 1.0)], [(0, 1)], r"q_lims\[0\].*lo=1\.0 >= hi=1\.0"),
    ([(0, 1)], [(2.0, -2.0)], r"p_lims\[0\].*lo=2\.0 >= hi=-2\.0"),
    ([(0, 1), (3.0, 2.0)], [(0, 1), (0, 1)], r"q_lims\[1\]"),
    ([(0, float("inf"))], [(0, 1)], r"q_lims\[0\].*finite.*inf"),
    ([(0, 1)], [(float("nan"), 1)], r"p_lims\[0\].*finite.*nan"),
    ([(0, 1)], [(0, 1), (0, 1)], r"1 q and 2 p"),
    ([(0, 1), (0, 1)], [(0, 1)], r"2 q and 1 p"),
    ([], [], r"0 q and 0 p"),
    ([(0, 1, 2)], [(0, 1)], r"q_lims\[0\].*pair"),
    ([("a", 1)], [(0, 1)], r"q_lims\[0\].*'a'"),
])
def test_domain_rejects_bad_limits(q_lims, p_lims, match):
    with pytest.raises(ValueError, match=match):
        Domain.of(q_lims, p_lims)


def test_check_system_rejects_wrong_dof():
    SP_SMALL.check_system(systems.get("single_pendulum"))
    DP_DOMAIN.check_system(systems.get("double_pendulum"))
    with pytest.raises(ValueError, match="domain has 1 .*'double_pendulum' has 2"):
        SP_SMALL.check_system(systems.get("double_pendulum"))
    with pytest.raises(ValueError, match="domain has 2 .*'single_pendulum' has 1"):
        make_dataset(systems.get("single_pendulum"), DP_DOMAIN, 10, 10, seed=0)


@pytest.mark.parametrize("n_train,n_test,match", [
    (0, 10, "train size.*0"), (10, 0, "test size.*0"), (-5, 10, "train size.*-5"),
    (2.5, 10, "train size.*2.5"),
])
def test_sample_points_rejects_bad_sizes(n_train, n_test, match):
    with pytest.raises(ValueError, match=match):
        sample_points(SP_SMALL, n_train, n_test, seed=0)
