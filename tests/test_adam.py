"""The Adam-trained HNN baseline (docs/method.md §8)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from shnn import systems
from shnn.adam import (
    AdamHNN,
    batch_bounds,
    derivative_loss_and_grads,
    derivative_loss_autograd,
    init_parameters,
)
from shnn.data import Domain, make_dataset

SP = systems.get("single_pendulum")


@pytest.fixture(scope="module")
def data():
    return make_dataset(SP, Domain.of([(-np.pi, np.pi)], [(-1.0, 1.0)]), 500, 200, 3943)


@pytest.fixture(scope="module")
def fitted(data):
    model = AdamHNN(50, seed=7, steps=300, lr=1e-3, batch_size=128, log_every=100)
    return model.fit(data.x_train, data.xdot_train, data.x0, data.H0)


@pytest.mark.parametrize(("dim", "width", "seed"), [(2, 50, 992472), (4, 7, 0)])
def test_init_equals_torch_default_linear_bit_for_bit(dim, width, seed):
    state = torch.get_rng_state()
    ours = init_parameters(dim, width, seed)
    assert torch.equal(torch.get_rng_state(), state), "global torch RNG must be untouched"
    torch.manual_seed(seed)
    layer1 = torch.nn.Linear(dim, width, dtype=torch.float64)
    layer2 = torch.nn.Linear(width, 1, dtype=torch.float64)
    expected = (layer1.weight, layer1.bias, layer2.weight, layer2.bias)
    for got, want in zip(ours, expected, strict=True):
        assert got.dtype == torch.float64 and got.device.type == "cpu"
        assert got.shape == want.shape
        assert torch.equal(got, want.detach())
    torch.set_rng_state(state)


def test_batch_bounds_follow_method_examples():
    b = 2048
    starts = [batch_bounds(t, b, 10000) for t in range(7)]
    assert starts == [(0, 2048), (2048, 4096), (4096, 6144), (6144, 8192), (8192, 10000),
                      (240, 2288), (2288, 4336)]
    assert batch_bounds(9, b, 20000) == (18432, 20000)  # a 1568-row batch
    assert batch_bounds(10, b, 20000) == (480, 2528)
    assert batch_bounds(11, b, 20000) == (2528, 4576)
    assert batch_bounds(1, b, 500) == (48, 500)  # N < B: truncated, no wrap-around


def reference_fit(x, xdot, width, seed, steps, lr, batch_size, weight_decay):
    """Straightforward nn.Sequential + autograd re-implementation of docs/method.md §8.3-8.5.

    Per-step batch copies, ``dH/dx`` with ``create_graph=True`` and a double backward. Returns
    the per-step losses and the trained network (integration constant not yet fixed).
    """
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], width, dtype=torch.float64),
                              torch.nn.Tanh(),
                              torch.nn.Linear(width, 1, dtype=torch.float64))
    opt = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=weight_decay)
    dof, n, out = x.shape[1] // 2, x.shape[0], []
    for t in range(steps):
        i0 = (t * batch_size) % n
        xb = torch.tensor(x[i0:i0 + batch_size], requires_grad=True)
        yb = torch.tensor(xdot[i0:i0 + batch_size])
        (g,) = torch.autograd.grad(net(xb).sum(), xb, create_graph=True)
        loss = torch.mean((yb - torch.cat([g[:, dof:], -g[:, :dof]], dim=1)) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
        out.append(loss.item())
    return np.array(out), net


def reference_losses(x, xdot, width, seed, steps, lr, batch_size, weight_decay):
    return reference_fit(x, xdot, width, seed, steps, lr, batch_size, weight_decay)[0]


def test_first_losses_equal_reference_implementation(data):
    state = torch.get_rng_state()
    kwargs = {"width": 30, "seed": 5, "steps": 20, "lr": 1e-3, "batch_size": 96,
              "weight_decay": 1e-4}
    model = AdamHNN(**kwargs).fit(data.x_train, data.xdot_train, data.x0, data.H0)
    expected = reference_losses(data.x_train, data.xdot_train, **kwargs)
    torch.set_rng_state(state)
    assert model.loss_history_.shape == (20,)
    np.testing.assert_allclose(model.loss_history_, expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize("dim", [2, 4, 6])
def test_closed_form_loss_and_gradients_equal_double_backward(dim):
    gen = torch.Generator().manual_seed(dim)
    params = tuple(p.requires_grad_(True) for p in init_parameters(dim, 37, dim))
    x = torch.randn(53, dim, dtype=torch.float64, generator=gen)
    xdot = torch.randn(53, dim, dtype=torch.float64, generator=gen)
    loss = derivative_loss_autograd(params, x.clone().requires_grad_(True), xdot)
    loss.backward()
    assert params[3].grad is None  # b_out is not in the loss: Adam must skip it
    x1 = torch.cat([x, torch.ones(53, 1, dtype=torch.float64)], dim=1)
    # Without buffers, and with reused buffers larger than the batch (stale contents).
    work = tuple(torch.full((64, 37), np.nan, dtype=torch.float64) for _ in range(2))
    for buffers in (None, work):
        with torch.no_grad():
            got_loss, *grads = derivative_loss_and_grads(*params[:3], x1, xdot, work=buffers)
        assert not got_loss.requires_grad
        np.testing.assert_allclose(got_loss.item(), loss.item(), rtol=1e-14)
        for got, p in zip(grads, params[:3], strict=True):
            assert got.shape == p.shape
            np.testing.assert_allclose(got.numpy(), p.grad.numpy(), rtol=1e-12,
                                       atol=1e-14 * p.grad.abs().max().item())


# N = 700 with B = 256: batches 0-256, 256-512, 512-700 (188 rows), 68-324, ... (cut short).
REFERENCE_CASES = {
    "henon_heiles": (systems.get("henon_heiles", alpha=1.0),
                     Domain.of([(-1.0, 1.0)] * 2, [(-1.0, 1.0)] * 2)),
    "single_pendulum": (SP, Domain.of([(-2 * np.pi, 2 * np.pi)], [(-1.0, 1.0)])),
}


@pytest.mark.parametrize("case", sorted(REFERENCE_CASES))
def test_fast_training_equals_double_backward_reference(case):
    system, domain = REFERENCE_CASES[case]
    data = make_dataset(system, domain, 700, 10, 3943)
    kwargs = {"width": 64, "seed": 992472, "steps": 200, "lr": 1e-3, "batch_size": 256,
              "weight_decay": 1e-4}
    state = torch.get_rng_state()
    expected, net = reference_fit(data.x_train, data.xdot_train, **kwargs)
    torch.set_rng_state(state)
    assert any(i1 - i0 < 256 for i0, i1 in (batch_bounds(t, 256, 700) for t in range(200)))
    model = AdamHNN(**kwargs).fit(data.x_train, data.xdot_train, data.x0, data.H0)
    assert model.loss_history_.shape == (200,)
    np.testing.assert_allclose(model.loss_history_, expected, rtol=1e-10, atol=0)

    with torch.no_grad():  # the reference's constant fix, b_out <- b_out + H0 - H(x0)
        h_x0 = net(torch.tensor(data.x0)).item()
    want = {"W_": net[0].weight, "b_": net[0].bias, "coef_": net[2].weight[0]}
    for name, ref in want.items():
        np.testing.assert_allclose(getattr(model, name), ref.detach().numpy(), rtol=1e-8,
                                   atol=1e-8 * ref.abs().max().item(), err_msg=name)
    np.testing.assert_allclose(model.bias_, net[2].bias.item() + data.H0 - h_x0, rtol=1e-8)

    slow = AdamHNN(**kwargs, backend="autograd").fit(data.x_train, data.xdot_train, data.x0,
                                                     data.H0)
    np.testing.assert_allclose(slow.loss_history_, expected, rtol=1e-12, atol=0)  # old path
    np.testing.assert_allclose(model.W_, slow.W_, rtol=1e-8, atol=0)


def test_compile_flag_routes_the_closed_form_through_torch_compile(data, monkeypatch):
    compiled = []

    def fake_compile(fn, **kwargs):  # a real compile takes tens of seconds on a CPU
        compiled.append((fn, kwargs))
        return fn

    monkeypatch.setattr(torch, "compile", fake_compile)
    kwargs = {"width": 20, "seed": 3, "steps": 12, "lr": 1e-3, "batch_size": 96}
    plain = AdamHNN(**kwargs).fit(data.x_train, data.xdot_train, data.x0, data.H0)
    assert compiled == []  # off by default
    model = AdamHNN(**kwargs, compile=True).fit(data.x_train, data.xdot_train, data.x0, data.H0)
    assert [fn for fn, _ in compiled] == [derivative_loss_and_grads]
    np.testing.assert_allclose(model.loss_history_, plain.loss_history_, rtol=1e-13, atol=0)


def test_loss_decreases(fitted):
    losses = fitted.loss_history_
    assert losses.shape == (300,) and np.all(np.isfinite(losses))
    assert losses[-20:].mean() < 0.2 * losses[:20].mean()


def test_integration_constant_fixed(fitted, data):
    assert abs(fitted.hamiltonian(data.x0)[0] - data.H0) < 1e-12
    assert fitted.fit_seconds_ > 0


def test_gradient_and_vector_field_match_finite_differences(fitted, data):
    x = data.x_test[:20]
    eps = 1e-6
    fd = np.empty_like(x)
    for k in range(x.shape[1]):
        e = np.zeros(x.shape[1])
        e[k] = eps
        fd[:, k] = (fitted.hamiltonian(x + e) - fitted.hamiltonian(x - e)) / (2 * eps)
    grad = fitted.gradient(x)
    np.testing.assert_allclose(grad, fd, rtol=0, atol=1e-8)
    np.testing.assert_array_equal(fitted.vector_field(x), np.stack([grad[:, 1], -grad[:, 0]], 1))
    assert fitted.hamiltonian(x).shape == (20,) and fitted.hamiltonian(x).dtype == np.float64


def test_evaluation_goes_through_the_shared_chunks(fitted, data, monkeypatch):
    import shnn.models as models

    x = data.x_test[:100]
    h_full, g_full = fitted.hamiltonian(x), fitted.gradient(x)
    sizes = []
    chunked = models.evaluate_in_chunks
    monkeypatch.setattr(models, "EVAL_CHUNK", 7)

    def counted(x, out, evaluate):
        return chunked(x, out, lambda xs: sizes.append(len(xs)) or evaluate(xs))

    monkeypatch.setattr("shnn.adam.evaluate_in_chunks", counted)
    h, g = fitted.hamiltonian(x), fitted.gradient(x)
    assert sizes == 2 * ([7] * 14 + [2])
    # rounding only: BLAS blocking may differ with the chunk size
    np.testing.assert_allclose(h, h_full, rtol=0, atol=1e-12)
    np.testing.assert_allclose(g, g_full, rtol=0, atol=1e-12)


def test_bad_inputs_raise(data):
    with pytest.raises(ValueError, match="width"):
        AdamHNN(0)
    with pytest.raises(ValueError, match="steps"):
        AdamHNN(10, steps=0)
    with pytest.raises(ValueError, match="batch_size"):
        AdamHNN(10, batch_size=0)
    with pytest.raises(ValueError, match="lr"):
        AdamHNN(10, lr=0.0)
    with pytest.raises(ValueError, match="device"):
        AdamHNN(10, device="tpu")
    with pytest.raises(ValueError, match="backend"):
        AdamHNN(10, backend="numpy")
    with pytest.raises(ValueError, match="compile"):
        AdamHNN(10, compile="yes")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="'cuda'"):
            AdamHNN(10, device="cuda")
    x = data.x_train[:10].copy()
    x[3, 1] = np.nan
    model = AdamHNN(5, steps=1)
    with pytest.raises(ValueError, match="NaN"):
        model.fit(x, data.xdot_train[:10], data.x0, data.H0)
    with pytest.raises(ValueError, match="rows"):
        model.fit(data.x_train[:10], data.xdot_train[:9], data.x0, data.H0)
    with pytest.raises(ValueError, match="x must have shape"):
        model.fit(data.x_train[:10, :1], data.xdot_train[:10, :1], data.x0, data.H0)
    with pytest.raises(ValueError, match="not fitted"):
        model.hamiltonian(data.x_train[:3])
