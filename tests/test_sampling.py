"""Hidden-layer samplers against hand-written references of docs/method.md §6.2-6.6, bit for bit.

The references below are written from docs/method.md alone (loops, explicit cumulative-sum weighted
choice), not from shnn.sampling, so agreement checks the RNG call order and every formula.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from shnn import sampling
from shnn.sampling import (
    SWIM_S,
    CandidatePairs,
    HiddenLayer,
    Method,
    choose_distinct,
    draw_candidates,
    pair_probabilities,
    sample_elm,
    sample_swim,
)

S = 0.5 * (math.log(1 + 0.5) - math.log(1 - 0.5))  # docs/method.md §6.6, log-difference form


# --------------------------------------------------------------------------- references


def reference_elm(dim, width, bias_range, seed):
    """docs/method.md §6.2: W ~ normal(0,1) as (M, D), transposed; then b ~ uniform as (M, 1)."""
    rng = np.random.default_rng(seed)
    w_md = rng.normal(0.0, 1.0, size=(width, dim))
    b_m1 = rng.uniform(bias_range[0], bias_range[1], size=(width, 1))
    return w_md.T, b_m1.T[0]


def weighted_choice(rng, probs, size):
    """numpy's weighted choice as described in docs/method.md §6.5 (cumsum / last, right search)."""
    cdf = np.cumsum(probs)
    cdf /= cdf[-1]
    xi = rng.random(size)
    return np.array([int(np.sum(cdf <= v)) for v in xi], dtype=np.int64)


def reference_swim(x, width, seed, y=None):
    """docs/method.md §6.3-6.6 with loops. Returns (W (D, M), b (M,), info dict)."""
    rng = np.random.default_rng(seed)
    n, dim = x.shape
    n_cand = n * max(1, math.ceil(width / n))
    i_from = rng.integers(0, n, size=n_cand)
    delta = rng.integers(1, n - 1, size=n_cand)
    i_to = (i_from + delta) % n
    u = np.empty((n_cand, dim))
    dist = np.empty(n_cand)
    for k in range(n_cand):
        d = x[i_to[k]] - x[i_from[k]]
        acc = 0.0
        for v in d:
            acc += v * v
        dist[k] = max(math.sqrt(acc), 1e-10)
        u[k] = d / dist[k]
    # §6.4 probabilities, always passed explicitly
    probs = np.full(n_cand, 1.0 / n_cand)
    if y is not None:
        y2 = np.asarray(y, dtype=float).reshape(n, -1)
        g = np.array([np.max(np.abs(y2[i_to[k]] - y2[i_from[k]])) / dist[k]
                      for k in range(n_cand)])
        if g.sum() >= 1e-10:
            probs = g / g.sum()
    # §6.5 selection and duplicate resampling
    sel = list(weighted_choice(rng, probs, width))
    first_draw = list(sel)
    rounds = 0
    while len(set(sel)) < width:
        rounds += 1
        missing = width - len(set(sel))
        new = weighted_choice(rng, probs, missing)
        present = set(sel)
        new = [i for i in new if i not in present]
        sel = sorted(set(sel)) + new
    # §6.6 neurons
    W = np.empty((dim, width))
    b = np.empty(width)
    for j, k in enumerate(sel):
        w = (2 * S * u[k]) / dist[k]
        dot = 0.0
        for a, c in zip(w, x[i_from[k]], strict=True):
            dot += a * c
        W[:, j] = w
        b[j] = -dot - S
    info = {"sel": np.array(sel), "first_draw": np.array(first_draw), "rounds": rounds,
            "i_from": i_from, "i_to": i_to, "probs": probs, "n_cand": n_cand}
    return W, b, info


def _cloud(n, dim, seed, scale=3.0):
    return np.random.default_rng(seed).uniform(-scale, scale, size=(n, dim))


def _energy(x):
    """A smooth, non-symmetric test function of the states."""
    return np.sin(x[:, 0]) + 0.5 * x[:, -1] ** 2 + 0.1 * x.sum(axis=1) ** 3


# --------------------------------------------------------------------------- constants, ELM


def test_swim_constant():
    assert SWIM_S == S == 0.5493061443340548
    assert S == pytest.approx(math.atanh(0.5), abs=2e-16)


@pytest.mark.parametrize("dim,width,bias,seed", [
    (2, 300, (-2 * math.pi, 2 * math.pi), 992472),
    (2, 7, (0.0, 8.0), 992473),
    (4, 500, (-math.pi, math.pi), 3),
    (4, 1, (-5.0, 5.0), 0),
])
def test_elm_bit_identical(dim, width, bias, seed):
    layer = sample_elm(dim, width, bias, seed)
    W_ref, b_ref = reference_elm(dim, width, bias, seed)
    assert isinstance(layer, HiddenLayer)
    assert layer.W.shape == (dim, width) and layer.b.shape == (width,)
    assert layer.width == width
    np.testing.assert_array_equal(layer.W, W_ref)
    np.testing.assert_array_equal(layer.b, b_ref)
    assert np.all((layer.b >= bias[0]) & (layer.b < bias[1]))


def test_elm_weights_drawn_as_rows_then_biases():
    # Neuron j's weight vector is row j of the (M, D) draw: the first D normals are neuron 0.
    layer = sample_elm(4, 10, (-1.0, 1.0), 7)
    z = np.random.default_rng(7).normal(size=44)
    np.testing.assert_array_equal(layer.W[:, 0], z[:4])
    np.testing.assert_array_equal(layer.W[:, 1], z[4:8])
    u = np.random.default_rng(7)
    u.normal(size=40)
    np.testing.assert_array_equal(layer.b, -1.0 + 2.0 * u.random(10))


def test_elm_determinism():
    a = sample_elm(2, 50, (-1, 1), 5)
    b = sample_elm(2, 50, (-1, 1), 5)
    c = sample_elm(2, 50, (-1, 1), 6)
    np.testing.assert_array_equal(a.W, b.W)
    np.testing.assert_array_equal(a.b, b.b)
    assert not np.any(a.W == c.W) and not np.any(a.b == c.b)


# --------------------------------------------------------------------------- SWIM components


def test_weighted_choice_reference_equals_numpy_choice():
    """The hand-written weighted choice is numpy's (and differs from choice without p)."""
    probs = np.random.default_rng(1).random(53)
    probs /= probs.sum()
    for p in (probs, np.full(53, 1 / 53)):
        ours = weighted_choice(np.random.default_rng(2), p, 400)
        np.testing.assert_array_equal(ours, np.random.default_rng(2).choice(53, 400, p=p))
    assert not np.array_equal(np.random.default_rng(2).choice(53, 400),
                              weighted_choice(np.random.default_rng(2), np.full(53, 1 / 53), 400))


@pytest.mark.parametrize("n,width,expected_c", [
    (1000, 1500, 2000), (1000, 1000, 1000), (1000, 10, 1000), (20, 50, 60), (3, 7, 9),
])
def test_candidate_count_and_quirk(n, width, expected_c):
    x = _cloud(n, 2, 0)
    pairs = draw_candidates(np.random.default_rng(4), x, width)
    assert isinstance(pairs, CandidatePairs)
    assert pairs.i_from.shape == pairs.i_to.shape == pairs.dist.shape == (expected_c,)
    assert pairs.u.shape == (expected_c, 2)
    assert np.all(pairs.i_to != pairs.i_from)
    # delta in {1..N-2}: i_to == i_from - 1 (mod N) never occurs
    assert np.all(pairs.i_to != (pairs.i_from - 1) % n)
    np.testing.assert_allclose(np.linalg.norm(pairs.u, axis=1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(pairs.u * pairs.dist[:, None], x[pairs.i_to] - x[pairs.i_from],
                               rtol=0, atol=1e-14)


def test_candidate_distance_floor():
    x = np.zeros((5, 2))
    x[1] = [1.0, 0.0]
    pairs = draw_candidates(np.random.default_rng(0), x, 5)
    same = (x[pairs.i_to] == x[pairs.i_from]).all(axis=1)
    assert same.any()
    assert np.all(pairs.dist[same] == 1e-10) and np.all(pairs.u[same] == 0.0)


def test_pair_probabilities():
    x = _cloud(40, 2, 1)
    pairs = draw_candidates(np.random.default_rng(3), x, 40)
    uniform = pair_probabilities(pairs, None)
    np.testing.assert_array_equal(uniform, np.full(40, 1 / 40))
    # constant y: sum of g is 0 < 1e-10 -> uniform
    np.testing.assert_array_equal(pair_probabilities(pairs, np.full(40, 2.5)), uniform)
    # tiny variation: sum of g below 1e-10 -> uniform as well
    tiny = 2.5 + 1e-15 * np.arange(40)
    np.testing.assert_array_equal(pair_probabilities(pairs, tiny), uniform)
    y = _energy(x)
    g = np.abs(y[pairs.i_to] - y[pairs.i_from]) / pairs.dist
    np.testing.assert_array_equal(pair_probabilities(pairs, y), g / g.sum())
    np.testing.assert_array_equal(pair_probabilities(pairs, y[:, None]), g / g.sum())
    # several outputs: the maximum over outputs
    y2 = np.stack([y, -3 * y + x[:, 0]], axis=1)
    g2 = np.max(np.abs(y2[pairs.i_to] - y2[pairs.i_from]), axis=1) / pairs.dist
    np.testing.assert_array_equal(pair_probabilities(pairs, y2), g2 / g2.sum())


def test_choose_distinct_loop_sorting():
    """Hand-checked duplicate loop: sorted distinct first draw, then new draws in order."""
    probs = np.full(6, 1 / 6)
    sel = choose_distinct(np.random.default_rng(12), probs, 5)
    rng = np.random.default_rng(12)
    first = weighted_choice(rng, probs, 5)
    assert len(set(first)) < 5, "seed chosen so that the first draw has duplicates"
    expected = list(first)
    while len(set(expected)) < 5:
        new = [i for i in weighted_choice(rng, probs, 5 - len(set(expected)))
               if i not in set(expected)]
        expected = sorted(set(expected)) + new
    np.testing.assert_array_equal(sel, expected)
    assert len(set(sel.tolist())) == 5


# --------------------------------------------------------------------------- SWIM end to end


SWIM_CASES = [
    # (id, n, dim, width, seed, use_y)
    ("sp-like-no-dups", 2000, 2, 8, 992473, False),
    ("uswim-n-small", 20, 2, 50, 992472, False),      # C = 60 > N, many duplicates
    ("swim-n-small", 20, 2, 50, 992472, True),
    ("uswim-m-close-to-n", 100, 2, 95, 11, False),    # C = N = 100, M = 95
    ("swim-m-close-to-n", 100, 2, 95, 11, True),
    ("uswim-m-equals-n", 60, 4, 60, 5, False),
    ("swim-dof2", 300, 4, 120, 992473, True),
    ("uswim-dof2-c-gt-n", 50, 4, 120, 3, False),      # C = 150
    ("swim-n3", 3, 2, 4, 1, True),                    # C = 6, delta always 1
]


@pytest.mark.parametrize("case", SWIM_CASES, ids=[c[0] for c in SWIM_CASES])
def test_swim_bit_identical_to_reference(case):
    _, n, dim, width, seed, use_y = case
    x = _cloud(n, dim, seed=n + dim)
    y = _energy(x) if use_y else None
    layer = sample_swim(x, width, seed, y=y)
    W_ref, b_ref, info = reference_swim(x, width, seed, y=y)
    assert layer.W.shape == (dim, width) and layer.b.shape == (width,)
    np.testing.assert_array_equal(layer.W, W_ref)
    np.testing.assert_array_equal(layer.b, b_ref)
    if case[0] == "sp-like-no-dups":
        assert info["rounds"] == 0
        np.testing.assert_array_equal(info["sel"], info["first_draw"])  # draw order kept
    else:
        assert info["rounds"] >= 1, "this case must exercise the duplicate loop"


def test_duplicate_cases_really_differ_from_naive_order():
    """With duplicates, the neuron order is sorted indices + additions, not the draw order."""
    x = _cloud(20, 2, seed=22)
    _, _, info = reference_swim(x, 50, 992472)
    first_distinct = list(dict.fromkeys(info["first_draw"].tolist()))
    n_first = len(first_distinct)
    sel = info["sel"].tolist()
    # the first draw's distinct indices all sit, ascending, in a sorted prefix of the result
    prefix = next(k for k in range(len(sel), 0, -1) if sel[:k] == sorted(sel[:k]))
    assert prefix >= n_first and set(first_distinct) <= set(sel[:prefix])
    assert sel[:n_first] != first_distinct
    assert info["rounds"] >= 2


@pytest.mark.parametrize("method_y", [None, "y"], ids=["uswim", "swim"])
def test_swim_determinism(method_y):
    x = _cloud(200, 2, seed=1)
    y = _energy(x) if method_y else None
    a = sample_swim(x, 60, 992472, y=y)
    b = sample_swim(x, 60, 992472, y=y)
    c = sample_swim(x, 60, 992473, y=y)
    np.testing.assert_array_equal(a.W, b.W)
    np.testing.assert_array_equal(a.b, b.b)
    assert not np.array_equal(a.W, c.W)


def test_constant_y_falls_back_to_uniform_layer():
    x = _cloud(150, 2, seed=2)
    uswim = sample_swim(x, 40, 9)
    const = sample_swim(x, 40, 9, y=np.full(150, -3.0))
    np.testing.assert_array_equal(uswim.W, const.W)
    np.testing.assert_array_equal(uswim.b, const.b)
    data_driven = sample_swim(x, 40, 9, y=_energy(x))
    assert not np.array_equal(uswim.W, data_driven.W)


@pytest.mark.parametrize("n,dim,width,use_y", [
    (500, 2, 200, False), (500, 2, 200, True), (300, 4, 250, True), (100, 2, 95, False),
])
def test_swim_neurons_distinct_and_map_pairs_to_half(n, dim, width, use_y):
    x = _cloud(n, dim, seed=7 * n + dim)
    y = _energy(x) if use_y else None
    layer = sample_swim(x, width, 31, y=y)
    cols = np.vstack([layer.W, layer.b[None, :]]).T  # (M, D + 1)
    assert np.unique(cols, axis=0).shape[0] == width
    z = x @ layer.W + layer.b  # (N, M) pre-activations at the data points
    # every neuron has a data point at pre-activation -s ("from") and one at +s ("to")
    assert np.max(np.min(np.abs(z + S), axis=0)) < 1e-12
    assert np.max(np.min(np.abs(z - S), axis=0)) < 1e-12
    np.testing.assert_allclose(np.tanh(-S), -0.5, rtol=0, atol=1e-16)
    # and the pair is recovered from the weights: |w| = ln 3 / dist(from, to)
    i_from = np.argmin(np.abs(z + S), axis=0)
    i_to = np.argmin(np.abs(z - S), axis=0)
    dist = np.linalg.norm(x[i_to] - x[i_from], axis=1)
    np.testing.assert_allclose(np.linalg.norm(layer.W, axis=0) * dist, math.log(3), rtol=1e-12)


def test_duplicate_neurons_only_from_coinciding_candidate_pairs():
    """docs/method.md §6.5 de-duplicates candidate *indices*, not pairs: two candidates drawn
    with the same (i_from, i_to) give the same neuron. With N small (C = 60 candidates out of
    N(N-2) = 360 possible pairs) this happens; the paper setting N = 1000, M = 1500 hits it too.
    Distinct (W, b) columns are therefore exactly the distinct selected pairs."""
    x = _cloud(20, 2, seed=22)
    layer = sample_swim(x, 50, 992472)
    _, _, info = reference_swim(x, 50, 992472)
    sel = info["sel"]
    assert len(set(sel.tolist())) == 50
    pairs = {(int(info["i_from"][k]), int(info["i_to"][k])) for k in sel}
    cols = np.vstack([layer.W, layer.b[None, :]]).T
    n_unique = np.unique(cols, axis=0).shape[0]
    assert n_unique == len(pairs)
    assert n_unique < 50  # this seed does produce repeated neurons


def test_swim_needs_three_points():
    for n in (0, 1, 2):
        with pytest.raises(ValueError, match=f"at least 3 .*got {n}"):
            sample_swim(np.zeros((n, 2)) + np.arange(n)[:, None], 2, 0)
    sample_swim(_cloud(3, 2, 0), 2, 0)  # 3 is enough


def test_method_parse():
    assert Method.parse("elm") is Method.ELM
    assert Method.parse(Method.ASWIM) is Method.ASWIM
    assert [m.value for m in Method] == ["elm", "uswim", "aswim", "swim"]
    with pytest.raises(ValueError, match="'bogus'"):
        Method.parse("bogus")


@pytest.mark.parametrize("data_driven", [False, True])
def test_select_pairs_are_the_neurons_of_sample_swim(data_driven):
    x = np.random.default_rng(5).uniform(-1, 1, size=(200, 2))
    y = np.sin(x[:, 0]) + x[:, 1] ** 2 if data_driven else None
    pairs, sel = sampling.select_pairs(x, 30, 11, y)
    layer = sampling.sample_swim(x, 30, 11, y)
    # Each neuron is -1/2 (tanh) at its pair's "from" point and +1/2 at its "to" point.
    pre_from = np.sum(x[pairs.i_from[sel]] * layer.W.T, axis=1) + layer.b
    pre_to = np.sum(x[pairs.i_to[sel]] * layer.W.T, axis=1) + layer.b
    assert np.allclose(np.tanh(pre_from), -0.5) and np.allclose(np.tanh(pre_to), 0.5)
    assert np.unique(sel).size == 30
