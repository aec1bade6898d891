"""Hidden-layer samplers ELM, U-SWIM and SWIM with the original RNG call order (docs/method.md §6).

A hidden layer is ``(W, b)`` with ``W: (D, M)`` (column j is neuron j's weight) and
``b: (M,)``; its features are ``tanh(x W + b)``. Every call creates a fresh
``default_rng(seed)`` (docs/method.md §6.1), so equal seeds replay equal streams.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np

#: tanh pre-activation at a pair's end points: artanh(1/2) in the original's form
#: (docs/method.md §6.6).
SWIM_S: float = 0.5 * (math.log(1 + 0.5) - math.log(1 - 0.5))


class Method(str, enum.Enum):
    """Hidden-layer sampling schemes of the sampled HNN."""

    ELM = "elm"
    USWIM = "uswim"
    ASWIM = "aswim"
    SWIM = "swim"

    @classmethod
    def parse(cls, value: str | Method) -> Method:
        """Accept a member or its string value; unknown names raise ``ValueError``."""
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown method {value!r}; choose from {choices}") from None


#: Give up duplicate resampling after this many rounds (the original would loop forever
#: when the width is close to the number of candidates and the probabilities are uneven).
MAX_RESAMPLING_ROUNDS = 10_000

#: The order in which a sweep fits the methods (docs/method.md §14).
SWEEP_ORDER: tuple[Method, ...] = (Method.ELM, Method.USWIM, Method.ASWIM, Method.SWIM)


@dataclass(frozen=True)
class HiddenLayer:
    """Sampled hidden layer: ``W: (D, M)``, ``b: (M,)``."""

    W: np.ndarray
    b: np.ndarray

    @property
    def width(self) -> int:
        """Number of neurons M."""
        return int(self.W.shape[1])


def sample_elm(dim: int, width: int, bias_range: tuple[float, float], seed: int) -> HiddenLayer:
    """ELM: ``W ~ N(0,1)`` drawn as ``(M, D)`` and transposed, then ``b ~ U(bias_range)``."""
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, 1.0, size=(width, dim)).T
    b = rng.uniform(bias_range[0], bias_range[1], size=(width, 1)).T
    return HiddenLayer(np.ascontiguousarray(W), np.ascontiguousarray(b[0]))


@dataclass(frozen=True)
class CandidatePairs:
    """SWIM candidate pairs: indices, unit directions ``u: (C, D)`` and distances ``(C,)``."""

    i_from: np.ndarray
    i_to: np.ndarray
    u: np.ndarray
    dist: np.ndarray


def draw_candidates(rng: np.random.Generator, x: np.ndarray, width: int) -> CandidatePairs:
    """``C = N max(1, ceil(M/N))`` pairs: ``i_from ~ int[0,N)``, then ``delta ~ int[1,N-1)``."""
    n = x.shape[0]
    n_candidates = n * max(1, math.ceil(width / n))
    i_from = rng.integers(0, n, size=n_candidates)
    delta = rng.integers(1, n - 1, size=n_candidates)
    i_to = (i_from + delta) % n
    d = x[i_to] - x[i_from]
    dist = np.maximum(np.linalg.norm(d, axis=1), 1e-10)
    return CandidatePairs(i_from, i_to, d / dist[:, None], dist)


def pair_probabilities(pairs: CandidatePairs, y: np.ndarray | None) -> np.ndarray:
    """Uniform ``1/C`` without ``y``; else ``|y_to - y_from| / dist`` normalized
    (docs/method.md §6.4)."""
    n_candidates = pairs.dist.size
    uniform = np.ones(n_candidates) / n_candidates
    if y is None:
        return uniform
    y2 = np.asarray(y, dtype=np.float64).reshape(y.shape[0], -1)
    g = np.max(np.abs(y2[pairs.i_to] - y2[pairs.i_from]), axis=1) / pairs.dist
    total = g.sum()
    if total < 1e-10:
        return uniform
    return g / total


def choose_distinct(rng: np.random.Generator, probs: np.ndarray, width: int) -> np.ndarray:
    """Weighted choice of ``width`` candidates with the original duplicate resampling (§6.5).

    While duplicates remain: draw the shortfall again, drop new indices already chosen
    (keeping order), and continue with the sorted distinct indices followed by the new ones.
    """
    n_candidates = probs.size
    possible = int(np.count_nonzero(probs))
    if possible < width:
        raise ValueError(f"cannot sample {width} distinct neurons: only {possible} candidate "
                         "pairs have nonzero probability (use more training points)")
    sel = rng.choice(n_candidates, size=width, replace=True, p=probs)
    distinct = np.unique(sel)
    rounds = 0
    while distinct.size < width:
        rounds += 1
        if rounds > MAX_RESAMPLING_ROUNDS:
            raise ValueError(f"duplicate resampling did not find {width} distinct pairs among "
                             f"{n_candidates} candidates in {MAX_RESAMPLING_ROUNDS} rounds "
                             "(too few training points for this width)")
        extra = rng.choice(n_candidates, size=width - distinct.size, replace=True, p=probs)
        extra = extra[~np.isin(extra, sel)]
        sel = np.concatenate([distinct, extra])
        distinct = np.unique(sel)
    return sel


def select_pairs(x: np.ndarray, width: int, seed: int,
                 y: np.ndarray | None = None) -> tuple[CandidatePairs, np.ndarray]:
    """The candidate pairs of a SWIM layer and the indices of the ``width`` chosen ones.

    Draws exactly as :func:`sample_swim` does (same generator, same order), so
    ``pairs.i_from[sel]`` and ``pairs.i_to[sel]`` are the point pairs of its neurons.
    """
    if x.shape[0] < 3:
        raise ValueError(f"SWIM sampling needs at least 3 training points, got {x.shape[0]}")
    rng = np.random.default_rng(seed)
    pairs = draw_candidates(rng, x, width)
    return pairs, choose_distinct(rng, pair_probabilities(pairs, y), width)


def sample_swim(x: np.ndarray, width: int, seed: int, y: np.ndarray | None = None) -> HiddenLayer:
    """SWIM hidden layer from the point cloud ``x: (N, D)``.

    ``y=None`` gives U-SWIM (uniform pair probabilities); ``y: (N,)`` gives data-driven SWIM.
    Each neuron maps its pair's "from" point to tanh = -1/2 and its "to" point to +1/2.
    """
    pairs, sel = select_pairs(x, width, seed, y)
    w = (2 * SWIM_S * pairs.u[sel]) / pairs.dist[sel][:, None]
    b = -np.sum(w * x[pairs.i_from[sel]], axis=1) - SWIM_S
    return HiddenLayer(np.ascontiguousarray(w.T), b)
