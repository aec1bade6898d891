"""Training and test data in a box domain, with the original draw order (docs/method.md §4)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from shnn.hamiltonian import System
from shnn.validation import check_interval, check_positive_int, plural

Interval = tuple[float, float]

log = logging.getLogger(__name__)


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
            raise ValueError(f"domain has {plural(self.dof, '(q, p) interval pair')} but system "
                             f"{system.name!r} has "
                             f"{plural(system.dof, 'degree of freedom', 'degrees of freedom')}")


@dataclass(frozen=True)
class Dataset:
    """Exact data of one repeat (docs/method.md §4.4-4.5).

    ``x_train: (N, 2*dof)``, ``xdot_train: (N, 2*dof)``, ``H_train: (N,)``,
    ``x_test: (N_t, 2*dof)``, ``H_test: (N_t,)``, ``x0: (1, 2*dof)`` (the anchor: the origin
    unless :func:`choose_anchor` says otherwise), ``H0`` (H at ``x0``), and
    ``xdot_test: (N_t, 2*dof)``, the exact vector field at the test points (for the test error
    of x').
    """

    x_train: np.ndarray
    xdot_train: np.ndarray
    H_train: np.ndarray
    x_test: np.ndarray
    H_test: np.ndarray
    x0: np.ndarray
    H0: float
    xdot_test: np.ndarray


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


def _point_text(point: np.ndarray) -> str:
    return "[" + ", ".join(f"{v:.4g}" for v in point) + "]"


def _energy_at(system: System, point: np.ndarray) -> float:
    """H at one state ``(2*dof,)``; ``ValueError`` if it is not a finite number there."""
    value = float(system.hamiltonian(point[None, :])[0])
    if not np.isfinite(value):
        raise ValueError(f"H of system {system.name!r} is {value} there")
    return value


def check_anchor(x0: object, system: System) -> np.ndarray:
    """``x0`` as a finite float64 state ``(2*dof,)`` (also accepts ``(1, 2*dof)``)."""
    try:
        arr = np.asarray(x0, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"x0 must be {system.dim} numbers (q..., p...), got {x0!r}") from None
    if arr.shape == (1, system.dim):
        arr = arr[0]
    if arr.shape != (system.dim,):
        raise ValueError(f"x0 must be {system.dim} numbers (q..., p...) for system "
                         f"{system.name!r}, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"x0 = {_point_text(arr)} is not finite")
    return arr


def choose_anchor(system: System, domain: Domain | None = None,
                  x0: object = None) -> np.ndarray:
    """The anchor state ``(2*dof,)`` of the integration constant (docs/method.md §4.5).

    ``x0`` when given (H must be finite there); else the origin, wherever H is finite there
    (every built-in system, so every paper setting); else the centre of ``domain``. A
    ``ValueError`` names the point and says it was the anchor.
    """
    if x0 is not None:
        point = check_anchor(x0, system)
        try:
            _energy_at(system, point)
        except ValueError as exc:
            raise ValueError(f"the anchor x0 = {_point_text(point)} you gave is not usable, H "
                             f"must be finite there: {exc}") from None
        return point
    origin = np.zeros(system.dim)
    try:
        _energy_at(system, origin)
        return origin
    except ValueError as exc:
        if domain is None or not domain_centre(domain).any():
            raise ValueError(f"the anchor x0 = {_point_text(origin)} (the origin"
                             f"{'' if domain is None else ', also the centre of the domain'}) "
                             f"is not usable, H must be finite there: {exc}; give x0") from None
    centre = domain_centre(domain)
    try:
        _energy_at(system, centre)
    except ValueError as exc:
        raise ValueError(f"neither the origin nor the domain's centre "
                         f"{_point_text(centre)} is a usable anchor, H must be finite there: "
                         f"{exc}; give x0") from None
    log.info("anchor x0 = %s, the centre of the domain: H is not finite at the origin",
             _point_text(centre))
    return centre


def domain_centre(domain: Domain) -> np.ndarray:
    """The centre of the box, ``(q..., p...)``."""
    return np.array([(lo + hi) / 2 for lo, hi in domain.q_lims + domain.p_lims])


def anchor_setting(point: np.ndarray) -> list[float]:
    """How a fit's settings store its anchor: ``[]`` for the origin (the default, so the
    settings of every fit anchored there are as they always were), else the state's numbers."""
    return [] if not np.any(point) else [float(v) for v in point]


def anchor(system: System, x0: object = None) -> tuple[np.ndarray, float]:
    """The integration-constant anchor ``(1, 2*dof)``, the origin unless ``x0`` is given, and
    its exact ``H0``."""
    point = np.zeros(system.dim) if x0 is None else check_anchor(x0, system)
    try:
        h0 = _energy_at(system, point)
    except ValueError as exc:
        raise ValueError(f"the anchor x0 = {_point_text(point)} is not usable, H must be "
                         f"finite there: {exc}") from None
    return point[None, :], h0


def _exact(system: System, x: np.ndarray, which: str) -> tuple[np.ndarray, np.ndarray]:
    """H and x' at the ``which`` (training or test) points of the domain; a ``ValueError``
    says that the failing point is a domain point."""
    try:
        return system.hamiltonian(x), system.vector_field(x)
    except ValueError as exc:
        raise ValueError(f"at the {which} points (drawn from the domain): {exc}") from None


def make_dataset(system: System, domain: Domain, n_train: int, n_test: int,
                 seed: int, x0: object = None) -> Dataset:
    """Exact training and test data of one repeat (data seed ``seed``), anchored at ``x0``
    (:func:`choose_anchor`: by default the origin, or the domain's centre where H is not
    finite at the origin)."""
    domain.check_system(system)
    point = choose_anchor(system, domain, x0)
    x_train, x_test = sample_points(domain, n_train, n_test, seed)
    h_train, xdot_train = _exact(system, x_train, "training")
    h_test, xdot_test = _exact(system, x_test, "test")
    x0_row, h0 = anchor(system, point)
    return Dataset(x_train=x_train, xdot_train=xdot_train, H_train=h_train, x_test=x_test,
                   H_test=h_test, x0=x0_row, H0=h0, xdot_test=xdot_test)
