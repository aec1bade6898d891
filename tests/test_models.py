"""Sampled models: least squares on a known problem, the docs/method.md §5.3 system, end-to-end
fits, A-SWIM == SWIM, model derivatives, bad inputs, the sampled MLP and the error metric."""

from __future__ import annotations

import math

import numpy as np
import pytest

from shnn import SampledHNN, SampledMLP, relative_l2, systems
from shnn.data import Domain, make_dataset
from shnn.lstsq import features, gradient_system, solve_dense, tanh_derivative
from shnn.sampling import sample_elm, sample_swim

SP_SMALL = Domain.of([(-2 * math.pi, 2 * math.pi)], [(-1.0, 1.0)])
DATA_SEED, MODEL_SEED = 3943, 992472  # docs/method.md §4.7, repeat 0


def _representable(dim, width, seed, n_points, c_seed=0):
    """An ELM layer, random (c, c0), states and the exact H, gradient and vector field."""
    layer = sample_elm(dim, width, (-2.0, 2.0), seed)
    rng = np.random.default_rng(c_seed)
    c = rng.normal(size=width)
    c0 = float(rng.normal())
    x = rng.uniform(-2.0, 2.0, size=(n_points, dim))
    grad = (tanh_derivative(layer, x) * c) @ layer.W.T
    n = dim // 2
    xdot = np.concatenate([grad[:, n:], -grad[:, :n]], axis=1)
    x0 = np.zeros((1, dim))
    h0 = float(features(layer, x0)[0] @ c + c0)
    return layer, c, c0, x, xdot, x0, h0


# --------------------------------------------------------------------------- (a) least squares


@pytest.mark.parametrize("dim,width", [(2, 20), (2, 40), (4, 30)])
def test_least_squares_recovers_representable_hamiltonian(dim, width):
    """H = Phi c + c0 with the model's own ELM layer is recovered to ~machine precision.

    Measured (OpenBLAS, this machine): coefficient errors 2e-15 .. 2e-14 relative,
    energy error ~5e-15 relative; condition numbers of A: 40 .. 4.2e3.
    """
    layer, c, c0, x, xdot, x0, h0 = _representable(dim, width, seed=17, n_points=400)
    model = SampledHNN(width, "elm", seed=17, elm_bias=(-2.0, 2.0)).fit(x, xdot, x0, h0)
    np.testing.assert_array_equal(model.layer_.W, layer.W)
    np.testing.assert_array_equal(model.layer_.b, layer.b)
    assert np.max(np.abs(model.coef_ - c)) <= 1e-10 * np.max(np.abs(c))
    assert abs(model.bias_ - c0) <= 1e-10 * max(1.0, abs(c0))
    x_new = np.random.default_rng(99).uniform(-2.0, 2.0, size=(300, dim))
    h_true = features(layer, x_new) @ c + c0
    assert relative_l2(h_true, model.hamiltonian(x_new)) <= 1e-10
    # the same through the functional API
    a, rhs = gradient_system(layer, x, xdot, x0, h0)
    sol = solve_dense(a, rhs, 1e-13)
    np.testing.assert_allclose(sol[:-1], c, rtol=0, atol=1e-10 * np.max(np.abs(c)))
    assert sol[-1] == pytest.approx(c0, abs=1e-10)


def test_rcond_is_a_truncation_threshold():
    """Duplicated columns: min-norm solution splits the weight; a huge rcond kills all but s_max."""
    a = np.array([[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]], order="F")
    rhs = np.array([2.0, 4.0, 0.0])
    np.testing.assert_allclose(solve_dense(a.copy(order="F"), rhs.copy(), 1e-13), [1.0, 1.0],
                               rtol=1e-14)
    b = np.diag([1.0, 1e-3])
    sol_keep = solve_dense(b.copy(order="F"), np.array([1.0, 1.0]), 1e-4)
    sol_cut = solve_dense(b.copy(order="F"), np.array([1.0, 1.0]), 1e-2)
    np.testing.assert_allclose(sol_keep, [1.0, 1e3], rtol=1e-14)
    np.testing.assert_allclose(sol_cut, [1.0, 0.0], rtol=0, atol=1e-15)


# --------------------------------------------------------------------------- (b) the system


def _explicit_system(layer, x, xdot, x0, h0):
    """docs/method.md §5.3 with the (N, D, M) tensor G and point-major, dof-minor flattening."""
    n_pts, dim = x.shape
    n = dim // 2
    width = layer.W.shape[1]
    T = 1.0 - np.tanh(x @ layer.W + layer.b) ** 2
    G = T[:, None, :] * layer.W[None, :, :]  # G[i, k, j] = T[i, j] W[k, j]
    Gq = G[:, :n, :].reshape(n_pts * n, width)  # row i*n + k
    Gp = G[:, n:, :].reshape(n_pts * n, width)
    zeros = np.zeros((n_pts * n, 1))
    A = np.block([[Gp, zeros], [-Gq, zeros],
                  [np.tanh(x0 @ layer.W + layer.b), np.ones((1, 1))]])
    rhs = np.concatenate([xdot[:, :n].reshape(-1), xdot[:, n:].reshape(-1), [h0]])
    return A, rhs


@pytest.mark.parametrize("dim", [2, 4])
def test_assembled_system_equals_explicit_construction(dim):
    n_pts, width = 37, 23
    layer = sample_elm(dim, width, (-3.0, 3.0), 5)
    rng = np.random.default_rng(1)
    x = rng.uniform(-3, 3, size=(n_pts, dim))
    xdot = rng.normal(size=(n_pts, dim))
    x0 = np.zeros((1, dim))
    a, rhs = gradient_system(layer, x, xdot, x0, -3.0)
    A_ref, rhs_ref = _explicit_system(layer, x, xdot, x0, -3.0)
    n = dim // 2
    assert a.shape == (2 * n * n_pts + 1, width + 1) and rhs.shape == (2 * n * n_pts + 1,)
    np.testing.assert_allclose(a, A_ref, rtol=0, atol=1e-15 * max(1.0, np.abs(layer.W).max()))
    np.testing.assert_array_equal(rhs, rhs_ref)  # measured: A also bit-identical here
    # structure: bias column is 1 only in the anchor row; anchor row is tanh(b)
    np.testing.assert_array_equal(a[:-1, -1], 0.0)
    assert a[-1, -1] == 1.0
    np.testing.assert_array_equal(a[-1, :-1], np.tanh(layer.b))
    # point-major, dof-minor: row i*n + k holds point i, dof k
    i, k = 5, n - 1
    np.testing.assert_allclose(a[i * n + k, :-1], A_ref[i * n + k, :-1], rtol=0, atol=1e-15)
    assert rhs[i * n + k] == xdot[i, k] and rhs[n * n_pts + i * n + k] == xdot[i, n + k]


# --------------------------------------------------------------------------- (c) end to end


@pytest.fixture(scope="module")
def sp_small_2000():
    return make_dataset(systems.get("single_pendulum"), SP_SMALL, 2000, 2000, DATA_SEED)


# Measured test errors (N = Nt = 2000, M = 300, seeds 3943 / 992472, OpenBLAS, 2 cores):
#   elm 4.79e-6, uswim 1.37e-8, aswim 1.32e-8, swim 1.32e-8. Bounds are ~10x above.
E2E_BOUNDS = {"elm": 5e-5, "uswim": 1.5e-7, "aswim": 1.5e-7, "swim": 1.5e-7}


@pytest.mark.parametrize("method", ["elm", "uswim", "aswim", "swim"])
def test_end_to_end_single_pendulum(sp_small_2000, method):
    ds = sp_small_2000
    model = SampledHNN(300, method, seed=MODEL_SEED, elm_bias=SP_SMALL.elm_bias_range())
    model.fit(ds.x_train, ds.xdot_train, ds.x0, ds.H0, H=ds.H_train)
    err = relative_l2(ds.H_test, model.hamiltonian(ds.x_test))
    assert err < E2E_BOUNDS[method], f"{method}: test error {err:.3e}"
    assert model.fit_seconds_ > 0
    assert model.layer_.W.shape == (2, 300) and model.coef_.shape == (300,)
    # anchor: c0 is free in the gradient rows, so the anchor row is met up to the rounding of
    # Phi(0) c + c0; |c| sums to 4e6..3.5e7 here, and the measured residual is 2e-10..5e-10
    # (1e-17..5e-17 of sum |c|).
    scale = np.abs(model.coef_).sum() + abs(model.bias_)
    assert abs(model.hamiltonian(ds.x0)[0] - ds.H0) <= 1e-14 * scale


def test_aswim_is_uswim_then_one_resampling(sp_small_2000):
    """docs/method.md §6.7: second stage = sample_swim with y = U-SWIM H_hat at x, same seed."""
    ds = sp_small_2000
    x = ds.x_train[:500]
    xdot = ds.xdot_train[:500]
    uswim = SampledHNN(80, "uswim", seed=7).fit(x, xdot, ds.x0, ds.H0)
    np.testing.assert_array_equal(uswim.layer_.W, sample_swim(x, 80, 7).W)
    aswim = SampledHNN(80, "aswim", seed=7).fit(x, xdot, ds.x0, ds.H0)
    expected = sample_swim(x, 80, 7, y=uswim.hamiltonian(x))
    np.testing.assert_array_equal(aswim.layer_.W, expected.W)
    np.testing.assert_array_equal(aswim.layer_.b, expected.b)


def test_default_elm_bias_is_data_range(sp_small_2000):
    ds = sp_small_2000
    model = SampledHNN(50, "elm", seed=3).fit(ds.x_train, ds.xdot_train, ds.x0, ds.H0)
    ref = sample_elm(2, 50, (ds.x_train.min(), ds.x_train.max()), 3)
    np.testing.assert_array_equal(model.layer_.W, ref.W)
    np.testing.assert_array_equal(model.layer_.b, ref.b)


# --------------------------------------------------------------------------- (d) A-SWIM == SWIM


def test_aswim_equals_swim_small_domain_pendulum():
    """docs/method.md §6.8/§16: repeat-1 seeds, SP [-2pi,2pi]x[-1,1], M = 300, N = Nt = 10000.

    Measured: A-SWIM and SWIM pick bit-identical hidden layers and give the identical test
    error here (1.3946e-8), and also for all ten repeats r = 0..9 (seeds 3943+r / 992472+r).
    """
    ds = make_dataset(systems.get("single_pendulum"), SP_SMALL, 10000, 10000, 3944)
    aswim = SampledHNN(300, "aswim", seed=992473).fit(ds.x_train, ds.xdot_train, ds.x0, ds.H0)
    swim = SampledHNN(300, "swim", seed=992473).fit(ds.x_train, ds.xdot_train, ds.x0, ds.H0,
                                                    H=ds.H_train)
    np.testing.assert_array_equal(aswim.layer_.W, swim.layer_.W)
    np.testing.assert_array_equal(aswim.layer_.b, swim.layer_.b)
    err_a = relative_l2(ds.H_test, aswim.hamiltonian(ds.x_test))
    err_s = relative_l2(ds.H_test, swim.hamiltonian(ds.x_test))
    assert err_a == err_s
    assert err_s < 1.5e-7


# --------------------------------------------------------------------------- (e) derivatives


@pytest.mark.parametrize("method,dim", [("elm", 2), ("uswim", 2), ("elm", 4), ("uswim", 4)])
def test_model_vector_field_and_gradient(method, dim):
    rng = np.random.default_rng(8)
    x = rng.uniform(-2, 2, size=(300, dim))
    system = systems.get("single_pendulum") if dim == 2 else systems.get("henon_heiles", alpha=.3)
    model = SampledHNN(60, method, seed=4).fit(x, system.vector_field(x), np.zeros((1, dim)),
                                               0.0)
    xt = rng.uniform(-2, 2, size=(40, dim))
    n = dim // 2
    grad = model.gradient(xt)
    vf = model.vector_field(xt)
    np.testing.assert_array_equal(vf[:, :n], grad[:, n:])
    np.testing.assert_array_equal(vf[:, n:], -grad[:, :n])
    # gradient = sum_j G[i, k, j] c_j with the explicit tensor
    layer = model.layer_
    T = 1 - np.tanh(xt @ layer.W + layer.b) ** 2
    G = T[:, None, :] * layer.W[None, :, :]
    np.testing.assert_allclose(grad, G @ model.coef_, rtol=1e-12, atol=1e-12)
    # central finite differences of the model's H (step 1e-6): agreement to 1e-7
    fd = np.empty_like(xt)
    for k in range(dim):
        e = np.zeros(dim)
        e[k] = 1e-6
        fd[:, k] = (model.hamiltonian(xt + e) - model.hamiltonian(xt - e)) / 2e-6
    assert np.max(np.abs(fd - grad) / np.maximum(1.0, np.abs(grad))) < 1e-7


def test_chunked_evaluation_matches_single_block(monkeypatch):
    import shnn.models as models

    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, size=(100, 2))
    model = SampledHNN(30, "elm", seed=1).fit(x, x[:, ::-1] * [1, -1], np.zeros((1, 2)), 0.0)
    h_full, g_full = model.hamiltonian(x), model.gradient(x)
    monkeypatch.setattr(models, "EVAL_CHUNK", 7)
    # rounding only: BLAS blocking differs with the chunk size; |c| is large (ill-conditioned)
    tol = 1e-14 * (np.abs(model.coef_).sum() + abs(model.bias_))
    np.testing.assert_allclose(model.hamiltonian(x), h_full, rtol=0, atol=tol)
    np.testing.assert_allclose(model.gradient(x), g_full, rtol=0, atol=tol * 10)


# --------------------------------------------------------------------------- (f) bad inputs


@pytest.fixture(scope="module")
def small_data():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(20, 2))
    xdot = systems.get("single_pendulum").vector_field(x)
    return x, xdot, np.zeros((1, 2)), 0.0


@pytest.mark.parametrize("kwargs,match", [
    ({"width": 0}, r"width must be an integer >= 1, got 0"),
    ({"width": -3}, r"width.*-3"),
    ({"width": 2.5}, r"width.*2\.5"),
    ({"width": 10, "method": "bogus"}, r"unknown method 'bogus'"),
    ({"width": 10, "rcond": 0.0}, r"rcond.*positive.*0\.0"),
    ({"width": 10, "rcond": -1e-13}, r"rcond.*-1e-13"),
    ({"width": 10, "rcond": float("nan")}, r"rcond.*nan"),
    ({"width": 10, "seed": -1}, r"seed.*-1"),
    ({"width": 10, "elm_bias": (2.0, -2.0)}, r"elm_bias.*lo=2\.0 >= hi=-2\.0"),
])
def test_hnn_constructor_rejects(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SampledHNN(**kwargs)


def test_mlp_constructor_rejects():
    with pytest.raises(ValueError, match=r"width.*got 0"):
        SampledMLP(0)
    with pytest.raises(ValueError, match=r"rcond.*0"):
        SampledMLP(5, rcond=0)


def _with_nan(a, i=3, k=1):
    a = a.copy()
    a[i, k] = np.nan
    return a


@pytest.mark.parametrize("case,match", [
    ("nan_x", r"x contains NaN"),
    ("nan_xdot", r"xdot contains NaN"),
    ("inf_x", r"x contains NaN or inf"),
    ("odd_dim", r"x must have shape \(n, 2\*dof\), got \(20, 3\)"),
    ("one_d", r"x must have shape \(n, 2\*dof\), got \(20,\)"),
    ("xdot_dim", r"xdot must have shape \(n, 2\), got \(20, 4\)"),
    ("rows", r"xdot has 19 rows but x has 20"),
    ("x0_dim", r"x0 must be one state of shape \(1, 2\) or \(2,\), got shape \(1, 4\)"),
    ("h0_nan", r"H0 must be a finite number, got nan"),
    ("swim_no_h", r"'swim' needs H"),
    ("swim_bad_h", r"H must have shape \(20,\), got \(19,\)"),
    ("swim_nan_h", r"H contains NaN"),
    ("uswim_n2", r"train size must be >= 3 for method 'uswim', got 2"),
    ("aswim_n2", r"train size must be >= 3 for method 'aswim', got 2"),
    ("swim_n1", r"train size must be >= 3 for method 'swim', got 1"),
])
def test_hnn_fit_rejects(small_data, case, match):
    x, xdot, x0, h0 = small_data
    method, h = "elm", None
    if case == "nan_x":
        x = _with_nan(x)
    elif case == "nan_xdot":
        xdot = _with_nan(xdot)
    elif case == "inf_x":
        x = x.copy()
        x[0, 0] = np.inf
    elif case == "odd_dim":
        x = np.zeros((20, 3))
    elif case == "one_d":
        x = np.zeros(20)
    elif case == "xdot_dim":
        xdot = np.zeros((20, 4))
    elif case == "rows":
        xdot = xdot[:19]
    elif case == "x0_dim":
        x0 = np.zeros((1, 4))
    elif case == "h0_nan":
        h0 = float("nan")
    elif case == "swim_no_h":
        method = "swim"
    elif case == "swim_bad_h":
        method, h = "swim", np.zeros(19)
    elif case == "swim_nan_h":
        method, h = "swim", _with_nan(np.zeros((20, 1)), 2, 0)
    elif case in ("uswim_n2", "aswim_n2"):
        method, x, xdot = case.split("_")[0], x[:2], xdot[:2]
    elif case == "swim_n1":
        method, x, xdot, h = "swim", x[:1], xdot[:1], np.zeros(1)
    with pytest.raises(ValueError, match=match):
        SampledHNN(10, method, seed=0).fit(x, xdot, x0, h0, H=h)


def test_elm_accepts_tiny_train_set_and_flat_anchor(small_data):
    x, xdot, _, _ = small_data
    model = SampledHNN(5, "elm", seed=0).fit(x[:1], xdot[:1], np.zeros(2), 0.0)
    assert np.isfinite(model.hamiltonian(x)).all()


def test_predict_before_fit_and_wrong_dim_after_fit(small_data):
    x, xdot, x0, h0 = small_data
    hnn = SampledHNN(10, "elm")
    for fn in (hnn.hamiltonian, hnn.gradient, hnn.vector_field):
        with pytest.raises(ValueError, match="SampledHNN is not fitted"):
            fn(x)
    mlp = SampledMLP(10)
    for fn in (mlp.vector_field, mlp.gradient):
        with pytest.raises(ValueError, match="SampledMLP is not fitted"):
            fn(x)
    hnn.fit(x, xdot, x0, h0)
    with pytest.raises(ValueError, match=r"x must have shape \(n, 2\), got \(3, 4\)"):
        hnn.hamiltonian(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"x contains NaN"):
        hnn.gradient(_with_nan(x))


def test_mlp_fit_rejects(small_data):
    x, xdot, _, _ = small_data
    with pytest.raises(ValueError, match=r"xdot has 19 rows but x has 20"):
        SampledMLP(5).fit(x, xdot[:19])
    with pytest.raises(ValueError, match=r"xdot contains NaN"):
        SampledMLP(5).fit(x, _with_nan(xdot))
    with pytest.raises(ValueError, match=r"got \(20, 3\)"):
        SampledMLP(5).fit(np.zeros((20, 3)), np.zeros((20, 3)))


# --------------------------------------------------------------------------- (g) sampled MLP


def test_mlp_recovers_representable_field_exactly():
    layer = sample_elm(2, 25, (-2.0, 2.0), 3)
    rng = np.random.default_rng(1)
    C = rng.normal(size=(25, 2))
    c0 = rng.normal(size=2)
    x = rng.uniform(-2, 2, size=(300, 2))
    xdot = features(layer, x) @ C + c0
    mlp = SampledMLP(25, seed=3, elm_bias=(-2.0, 2.0)).fit(x, xdot)
    np.testing.assert_allclose(mlp.coef_[:-1], C, rtol=0, atol=1e-10 * np.abs(C).max())
    np.testing.assert_allclose(mlp.coef_[-1], c0, rtol=0, atol=1e-10)
    assert mlp.coef_.shape == (26, 2) and mlp.fit_seconds_ > 0


def test_mlp_fits_linear_field_and_pseudo_gradient():
    """Harmonic oscillator x' = (p, -q). Measured test error 1.1e-8 (M = 100, N = 1000)."""
    ho = systems.get("harmonic_oscillator")
    rng = np.random.default_rng(6)
    x = rng.uniform(-1, 1, size=(1000, 2))
    mlp = SampledMLP(100, seed=2, elm_bias=(-1.0, 1.0)).fit(x, ho.vector_field(x))
    xt = rng.uniform(-1, 1, size=(500, 2))
    vf = mlp.vector_field(xt)
    assert relative_l2(ho.vector_field(xt), vf) < 1e-6
    grad = mlp.gradient(xt)
    np.testing.assert_array_equal(grad[:, 0], -vf[:, 1])  # dH/dq := -p'
    np.testing.assert_array_equal(grad[:, 1], vf[:, 0])  # dH/dp := q'
    assert relative_l2(ho.gradient(xt), grad) < 1e-6


def test_mlp_shares_hidden_layer_with_elm_hnn(sp_small_2000):
    """docs/method.md §7 / fig08: same width, seed and bias range -> bit-identical hidden layers."""
    ds = sp_small_2000
    bias = SP_SMALL.elm_bias_range()
    hnn = SampledHNN(40, "elm", seed=MODEL_SEED, elm_bias=bias).fit(
        ds.x_train[:200], ds.xdot_train[:200], ds.x0, ds.H0)
    mlp = SampledMLP(40, seed=MODEL_SEED, elm_bias=bias).fit(ds.x_train[:200],
                                                             ds.xdot_train[:200])
    np.testing.assert_array_equal(hnn.layer_.W, mlp.layer_.W)
    np.testing.assert_array_equal(hnn.layer_.b, mlp.layer_.b)


# --------------------------------------------------------------------------- (h) metric


def test_relative_l2():
    y = np.array([3.0, 4.0])
    assert relative_l2(y, y) == 0.0
    assert relative_l2(y, np.zeros(2)) == 1.0
    assert relative_l2(y, [3.0, 4.5]) == pytest.approx(0.1, rel=1e-15)
    # Frobenius over all entries, not a mean of per-row errors
    Y = np.array([[3.0, 0.0], [0.0, 4.0]])
    P = np.array([[3.0, 1.0], [0.0, 4.0]])
    assert relative_l2(Y, P) == pytest.approx(1 / 5, rel=1e-15)
    # (n,) truth against (n, 1) prediction
    assert relative_l2(y, y[:, None] * 2) == pytest.approx(1.0, rel=1e-15)


def test_relative_l2_all_zero_truth_gives_absolute_error():
    assert relative_l2(np.zeros(3), [0.0, 3.0, 4.0]) == 5.0
    assert relative_l2(np.full(4, 1e-16), np.full(4, 1e-16)) == 0.0
    assert relative_l2(np.full(4, 1e-16), np.zeros(4)) == pytest.approx(2e-16, rel=1e-12)
    # just above the 1e-15 tolerance: relative again
    assert relative_l2(np.full(4, 1e-14), np.zeros(4)) == pytest.approx(1.0, rel=1e-12)
