"""The interface every Hamiltonian system implements: H, its gradient and the vector field.

Every state array is ``x: (n_points, 2*dof)`` ordered ``(q_1..q_d, p_1..p_d)``.
Hamilton's equations: ``q' = dH/dp``, ``p' = -dH/dq`` (docs/method.md §2).
The built-in systems are in :mod:`shnn.systems`, a user's own in :mod:`shnn.own_systems`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from shnn.validation import check_states

Array = np.ndarray


def gradient_to_vector_field(grad: Array, dof: int) -> Array:
    """``(dH/dq, dH/dp) -> (dH/dp, -dH/dq)``; shapes ``(n, 2*dof)``."""
    return np.concatenate([grad[:, dof:], -grad[:, :dof]], axis=1)


def vector_field_to_gradient(xdot: Array, dof: int) -> Array:
    """``(q', p') -> (dH/dq, dH/dp) = (-p', q')``; shapes ``(n, 2*dof)``."""
    return np.concatenate([-xdot[:, dof:], xdot[:, :dof]], axis=1)


class System:
    """A Hamiltonian system: energy, analytic gradient, vector field.

    Subclasses set ``name`` and ``dof`` and implement :meth:`_hamiltonian` and
    :meth:`_gradient` on validated float64 arrays; the public methods check shapes
    and finiteness.
    """

    name: str = "system"
    dof: int = 1

    @property
    def dim(self) -> int:
        """State dimension ``2*dof``."""
        return 2 * self.dof

    @property
    def params(self) -> dict[str, float]:
        """The system's parameters by name."""
        return {}

    def hamiltonian(self, x: Array) -> Array:
        """H at each state: ``(n,)``."""
        return self._hamiltonian(check_states(x, self.dim, "x"))

    def gradient(self, x: Array) -> Array:
        """``(dH/dq..., dH/dp...)`` at each state: ``(n, 2*dof)``."""
        return self._gradient(check_states(x, self.dim, "x"))

    def vector_field(self, x: Array) -> Array:
        """``x' = (dH/dp, -dH/dq)`` at each state: ``(n, 2*dof)``."""
        return gradient_to_vector_field(self.gradient(x), self.dof)

    def _hamiltonian(self, x: Array) -> Array:  # pragma: no cover - abstract
        raise NotImplementedError

    def _gradient(self, x: Array) -> Array:  # pragma: no cover - abstract
        raise NotImplementedError

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.name}({args})"


def check_param(key: str, value: Any, system: str) -> None:
    """Raise a one-line ``ValueError`` unless parameter ``key`` of ``system`` is a finite
    number (a Python or numpy int or float, not a bool)."""
    numeric = isinstance(value, (int, float, np.integer, np.floating))
    try:
        finite = numeric and not isinstance(value, bool) and math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        raise ValueError(f"parameter {key}={value!r} of system {system!r} must be a finite number")
