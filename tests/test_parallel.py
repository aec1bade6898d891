"""Threaded elementwise work: thread count from the environment, results independent of it."""

from __future__ import annotations

import numpy as np
import pytest

from shnn import lstsq, parallel
from shnn.sampling import sample_elm


@pytest.mark.parametrize(("env", "expected"), [
    ({"OMP_NUM_THREADS": "3"}, 3),
    ({"OMP_NUM_THREADS": "4", "OPENBLAS_NUM_THREADS": "2"}, 2),
    ({"MKL_NUM_THREADS": "1"}, 1),
])
def test_thread_count_follows_the_blas_variables(monkeypatch, env, expected):
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert parallel.elementwise_threads() == expected


def test_thread_count_ignores_unusable_values(monkeypatch):
    for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "zero")
    assert parallel.elementwise_threads() >= 1


def test_map_blocks_runs_every_block_once_and_raises():
    seen = []
    parallel.map_blocks(seen.append, range(10), elements=1 << 30)
    assert sorted(seen) == list(range(10))

    def fail(block: int) -> None:
        raise RuntimeError(f"block {block}")

    with pytest.raises(RuntimeError, match="block"):
        parallel.map_blocks(fail, range(3), elements=1 << 30)


@pytest.mark.parametrize("dim", [2, 4])
def test_hidden_layer_is_bitwise_independent_of_threads(monkeypatch, dim):
    rng = np.random.default_rng(dim)
    x = rng.uniform(-3, 3, (3000, dim))
    layer = sample_elm(dim, 300, (-2.0, 2.0), seed=dim)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setattr(parallel, "MIN_PARALLEL_ELEMENTS", 0)
    one = (lstsq.features(layer, x), lstsq.tanh_derivative(layer, x))
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    many = (lstsq.features(layer, x), lstsq.tanh_derivative(layer, x))
    assert np.array_equal(one[0], many[0]) and np.array_equal(one[1], many[1])
    direct = np.tanh(x @ layer.W + layer.b)
    np.testing.assert_allclose(one[0], direct, rtol=0, atol=1e-14)
    np.testing.assert_allclose(one[1], 1 - direct**2, rtol=0, atol=1e-14)
