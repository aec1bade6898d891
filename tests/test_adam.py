"""The Adam-trained HNN baseline (METHOD §8)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from shnn import systems
from shnn.adam import AdamHNN, batch_bounds, init_parameters
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


def reference_losses(x, xdot, width, seed, steps, lr, batch_size, weight_decay):
    """Straightforward nn.Sequential + autograd re-implementation of METHOD §8.3-8.5."""
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
    return np.array(out)


def test_first_losses_equal_reference_implementation(data):
    state = torch.get_rng_state()
    kwargs = {"width": 30, "seed": 5, "steps": 20, "lr": 1e-3, "batch_size": 96,
              "weight_decay": 1e-4}
    model = AdamHNN(**kwargs).fit(data.x_train, data.xdot_train, data.x0, data.H0)
    expected = reference_losses(data.x_train, data.xdot_train, **kwargs)
    torch.set_rng_state(state)
    assert model.loss_history_.shape == (20,)
    np.testing.assert_allclose(model.loss_history_, expected, rtol=1e-12, atol=0)


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
