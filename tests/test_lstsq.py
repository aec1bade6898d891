"""The structured QR solver equals the dense gelsd solve on A (docs/method.md §5.3-5.4, issue 5
§1)."""

import tracemalloc

import numpy as np
import pytest

import shnn
from shnn.data import Domain, make_dataset
from shnn.lstsq import gradient_system, solve_dense, solve_structured
from shnn.sampling import sample_elm, sample_swim

SP = shnn.systems.get("single_pendulum")
HH = shnn.systems.get("henon_heiles")


def _both(layer, data, rcond=1e-13, merge=False):
    a, rhs = gradient_system(layer, data.x_train, data.xdot_train, data.x0, data.H0)
    dense = solve_dense(a, rhs, rcond)
    qr = solve_structured(layer, data.x_train, data.xdot_train, data.x0, data.H0, rcond,
                          merge=merge)
    return dense, qr


@pytest.mark.parametrize("system, domain, n", [
    (SP, Domain.of([(-3, 3)], [(-1, 1)]), 400),
    (HH, Domain.of([(-1, 1)] * 2, [(-1, 1)] * 2), 400),
    (SP, Domain.of([(-3, 3)], [(-1, 1)]), 15),  # N < M: the N x N form of the QR
])
@pytest.mark.parametrize("merge", [False, True])
def test_same_coefficients_when_well_conditioned(system, domain, n, merge):
    data = make_dataset(system, domain, n, 10, 0)
    layer = sample_elm(system.dim, 20, (-0.5, 0.5), 1)
    dense, qr = _both(layer, data, merge=merge)
    assert np.linalg.cond(gradient_system(layer, data.x_train, data.xdot_train, data.x0,
                                          data.H0)[0]) < 1e8
    assert np.linalg.norm(dense - qr) <= 1e-10 * np.linalg.norm(dense)


@pytest.mark.parametrize("method", ["elm", "uswim"])
def test_same_error_on_paper_ill_conditioned_case(method):
    # Single pendulum [-2pi, 2pi] x [-1, 1], width 1000: errors near 1e-11 (ELM), 1e-9 (U-SWIM).
    domain = Domain.of([(-2 * np.pi, 2 * np.pi)], [(-1, 1)])
    data = make_dataset(SP, domain, 10000, 10000, 3943)
    errors = {}
    for solver in ("dense", "qr"):
        model = shnn.SampledHNN(1000, method, seed=992472, elm_bias=domain.elm_bias_range(),
                                solver=solver)
        model.fit(data.x_train, data.xdot_train, data.x0, data.H0)
        errors[solver] = shnn.relative_l2(data.H_test, model.hamiltonian(data.x_test))
    # The structured solve without folding the triangular blocks (gelsd on all of B).
    sol = solve_structured(model.layer_, data.x_train, data.xdot_train, data.x0, data.H0,
                           1e-13, merge=False)
    model.coef_, model.bias_ = sol[:-1], float(sol[-1])
    errors["qr, no merge"] = shnn.relative_l2(data.H_test, model.hamiltonian(data.x_test))
    assert errors["dense"] < 1e-8
    assert 1 / 1.3 <= errors["qr"] / errors["dense"] <= 1.3, errors
    assert 1 / 1.3 <= errors["qr, no merge"] / errors["dense"] <= 1.3, errors


def test_memory_is_small_multiple_of_t():
    domain = Domain.of([(-1, 1)] * 2, [(-1, 1)] * 2)
    data = make_dataset(HH, domain, 4000, 10, 0)
    layer = sample_swim(data.x_train, 500, 1)
    t_bytes = 4000 * 500 * 8
    tracemalloc.start()
    solve_structured(layer, data.x_train, data.xdot_train, data.x0, data.H0, 1e-13)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    a_bytes = (4 * 4000 + 1) * 501 * 8
    assert peak <= 3 * t_bytes, peak / t_bytes  # measured 1.5x T here (A would be 4x T)
    assert peak < a_bytes


@pytest.mark.parametrize("system, domain, n, width", [
    (SP, Domain.of([(-3, 3)], [(-1, 1)]), 400, 20),
    (HH, Domain.of([(-1, 1)] * 2, [(-1, 1)] * 2), 400, 20),
    (SP, Domain.of([(-3, 3)], [(-1, 1)]), 15, 20),
])
def test_torch_solver_on_cpu_equals_numpy(system, domain, n, width):
    from shnn.lstsq_torch import solve_structured_torch

    data = make_dataset(system, domain, n, 10, 0)
    layer = sample_elm(system.dim, width, (-0.5, 0.5), 1)
    ref = solve_structured(layer, data.x_train, data.xdot_train, data.x0, data.H0, 1e-13)
    out = solve_structured_torch(layer, data.x_train, data.xdot_train, data.x0, data.H0, 1e-13)
    assert np.linalg.norm(out - ref) <= 1e-10 * np.linalg.norm(ref)


def test_torch_model_path_same_error_as_numpy():
    domain = Domain.of([(-2 * np.pi, 2 * np.pi)], [(-6, 6)])
    data = make_dataset(SP, domain, 3000, 3000, 3943)
    errors = {}
    for device in (None, "cpu"):
        model = shnn.SampledHNN(400, "aswim", seed=992472, device=device)
        model.fit(data.x_train, data.xdot_train, data.x0, data.H0)
        errors[device] = shnn.relative_l2(data.H_test, model.hamiltonian(data.x_test))
    assert errors[None] < 1e-6 and 1 / 1.3 <= errors["cpu"] / errors[None] <= 1.3, errors


def test_device_errors():
    import torch

    with pytest.raises(ValueError, match="'tpu'"):
        shnn.SampledHNN(10, "elm", device="tpu")
    with pytest.raises(ValueError, match="solver='qr'"):
        shnn.SampledHNN(10, "elm", device="cpu", solver="dense")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            shnn.SampledHNN(10, "elm", device="cuda")
