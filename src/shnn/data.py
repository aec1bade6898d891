"""Training and test data in a box domain, with the original draw order (docs/method.md §4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from shnn.systems import System
from shnn.validation import check_interval, check_positive_int

Interval = tuple[float, float]


@dataclass(frozen=True)
class Domain:
    """A box ``q_d in q_lims[d]``, ``p_d in p_lims[d]`` for ``d = 0..dof-1``."""

    q_lims: tuple[Interval, ...]
    p_lims: tuple[Interval, ...]

    @classmethod
    def of(cls, q_lims: Sequence[Sequence[float]], p_lims: Sequence[Sequence[float]]) -> Domain:
        """Validated domain from per-dof ``(lo, hi)`` pairs."""
        q = tuple(check_interval(lim, f"q_lims[{d}]") for d, lim in enumerate(q_lims))
        p = tuple(check_interval(lim, f"p_lims[{d}]") for d, lim in enumerate(p_lims))
        if len(q) != len(p) or len(q) < 1:
            raise ValueError(f"need one q and one p interval per degree of freedom, "
                             f"got {len(q)} q and {len(p)} p intervals")
        return cls(q, p)

    @property
    def dof(self) -> int:
        """Degrees of freedom."""
        return len(self.q_lims)

    def elm_bias_range(self) -> Interval:
        """Min and max of all q and p limits: the paper's ELM bias range (docs/method.md §6.2)."""
        ends = [v for lim in self.q_lims + self.p_lims for v in lim]
        return (min(ends), max(ends))

    def check_system(self, system: System) -> None:
        """Raise if the domain's dof differs from the system's."""
        if self.dof != system.dof:
            raise ValueError(f"domain has {self.dof} (q, p) interval pairs but system "
                             f"{system.name!r} has {system.dof} degrees of freedom")


@dataclass(frozen=True)
class Dataset:
    """Exact data of one repeat (docs/method.md §4.4-4.5).

    ``x_train: (N, 2*dof)``, ``xdot_train: (N, 2*dof)``, ``H_train: (N,)``,
    ``x_test: (N_t, 2*dof)``, ``H_test: (N_t,)``, ``x0: (1, 2*dof)`` (the origin), ``H0``.
    """

    x_train: np.ndarray
    xdot_train: np.ndarray
    H_train: np.ndarray
    x_test: np.ndarray
    H_test: np.ndarray
    x0: np.ndarray
    H0: float


def _draw_points(rng: np.random.Generator, domain: Domain, n: int) -> np.ndarray:
    """Draw per dof ``q_d`` then ``p_d`` (n uniforms each); columns ``(q..., p...)``."""
    q_cols, p_cols = [], []
    for (q_lo, q_hi), (p_lo, p_hi) in zip(domain.q_lims, domain.p_lims):
        q_cols.append(rng.uniform(q_lo, q_hi, n))
        p_cols.append(rng.uniform(p_lo, p_hi, n))
    return np.stack(q_cols + p_cols, axis=1)


def _exclude_training_values(rng: np.random.Generator, column: np.ndarray, train: np.ndarray,
                             lims: Interval) -> np.ndarray:
    """Drop test values equal to a training value of the same coordinate and redraw the gap.

    The original's per-coordinate exclusion (docs/method.md §4.3); with continuous draws it never
    fires.
    """
    keep = column[~np.isin(column, train)]
    while keep.size < column.size:
        extra = rng.uniform(lims[0], lims[1], column.size - keep.size)
        keep = np.concatenate([keep, extra[~np.isin(extra, train)]])
    return keep


def sample_points(domain: Domain, n_train: int, n_test: int,
                  seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Training ``(N, 2*dof)`` then test ``(N_t, 2*dof)`` points from ``default_rng(seed)``."""
    n_train = check_positive_int(n_train, "train size")
    n_test = check_positive_int(n_test, "test size")
    rng = np.random.default_rng(seed)
    x_train = _draw_points(rng, domain, n_train)
    x_test = _draw_points(rng, domain, n_test)
    lims = list(domain.q_lims) + list(domain.p_lims)
    for k in range(x_test.shape[1]):
        if np.isin(x_test[:, k], x_train[:, k]).any():
            x_test[:, k] = _exclude_training_values(rng, x_test[:, k], x_train[:, k], lims[k])
    return x_train, x_test


def anchor(system: System) -> tuple[np.ndarray, float]:
    """The integration-constant anchor ``x0 = 0`` ``(1, 2*dof)`` and its exact ``H0``."""
    x0 = np.zeros((1, system.dim))
    return x0, float(system.hamiltonian(x0)[0])


def make_dataset(system: System, domain: Domain, n_train: int, n_test: int,
                 seed: int) -> Dataset:
    """Exact training and test data of one repeat (data seed ``seed``)."""
    domain.check_system(system)
    x_train, x_test = sample_points(domain, n_train, n_test, seed)
    x0, h0 = anchor(system)
    return Dataset(x_train=x_train, xdot_train=system.vector_field(x_train),
                   H_train=system.hamiltonian(x_train), x_test=x_test,
                   H_test=system.hamiltonian(x_test), x0=x0, H0=h0)
