"""Target Hamiltonians: the paper's five systems, in closed form, and a registry by name.

Every state array is ``x: (n_points, 2*dof)`` ordered ``(q_1..q_d, p_1..p_d)``.
Hamilton's equations: ``q' = dH/dp``, ``p' = -dH/dq`` (docs/method.md §2). The interface
they implement is :class:`shnn.hamiltonian.System`; a system of your own
(:func:`from_function`, ``FILE.py:NAME``) comes from :mod:`shnn.own_systems`, and both are
reachable here as ``shnn.systems.X``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from shnn.hamiltonian import (
    Array,
    System,
    check_param,
    gradient_to_vector_field,
    vector_field_to_gradient,
)
from shnn.own_systems import (
    BACKENDS,
    HASH_LENGTH,
    CustomSystem,
    Reference,
    from_function,
    is_reference,
    load,
    parse_reference,
    path_label,
    source_files,
)

#: The user-facing names of :mod:`shnn.hamiltonian` and :mod:`shnn.own_systems` re-exported
#: here, so that ``shnn.systems.from_function(...)`` and the others keep working.
__all__ = [
    "BACKENDS", "HASH_LENGTH", "LOTKA_VOLTERRA_PRESETS", "Array", "CustomSystem",
    "DoublePendulum", "HarmonicOscillator", "HenonHeiles", "LotkaVolterra", "Reference",
    "SinglePendulum", "System", "from_function", "get", "gradient_to_vector_field",
    "is_reference", "load", "names", "parameters", "parse_reference", "path_label", "resolve",
    "source_files", "vector_field_to_gradient",
]

#: Lotka-Volterra parameter sets of the paper (docs/method.md §3.2), by name.
LOTKA_VOLTERRA_PRESETS: dict[str, dict[str, float]] = {
    "zero-centered": {"alpha": -2.0, "beta": -1.0, "gamma": -1.0, "delta": -1.0},
    "five-centered": {"alpha": 3.5, "beta": 0.025, "gamma": 10.0, "delta": 0.07},
}


@dataclass(frozen=True)
class SinglePendulum(System):
    """``H = p^2/(2 m l^2) + m g l (1 - cos(f q))`` (docs/method.md §3.1)."""

    m: float = 1.0
    l: float = 1.0
    g: float = 1.0
    f: float = 1.0
    name: ClassVar[str] = "single_pendulum"
    dof: ClassVar[int] = 1

    @property
    def params(self) -> dict[str, float]:
        return {"m": self.m, "l": self.l, "g": self.g, "f": self.f}

    def _hamiltonian(self, x: Array) -> Array:
        q, p = x[:, 0], x[:, 1]
        return p**2 / (2 * self.m * self.l**2) + self.m * self.g * self.l * (1 - np.cos(self.f * q))

    def _gradient(self, x: Array) -> Array:
        q, p = x[:, 0], x[:, 1]
        dq = self.m * self.g * self.l * self.f * np.sin(self.f * q)
        dp = p / (self.m * self.l**2)
        return np.stack([dq, dp], axis=1)


@dataclass(frozen=True)
class LotkaVolterra(System):
    """Log-coordinate Lotka-Volterra ``H = d e^p - g p + b e^q - a q`` (docs/method.md §3.2).

    ``e^q`` is computed as ``pow(e, q)`` like the original implementation.
    Defaults are the paper's zero-centered set.
    """

    alpha: float = -2.0
    beta: float = -1.0
    gamma: float = -1.0
    delta: float = -1.0
    name: ClassVar[str] = "lotka_volterra"
    dof: ClassVar[int] = 1

    @property
    def params(self) -> dict[str, float]:
        return {"alpha": self.alpha, "beta": self.beta, "gamma": self.gamma, "delta": self.delta}

    def _hamiltonian(self, x: Array) -> Array:
        q, p = x[:, 0], x[:, 1]
        return (self.delta * np.power(math.e, p) - self.gamma * p
                + self.beta * np.power(math.e, q) - self.alpha * q)

    def _gradient(self, x: Array) -> Array:
        q, p = x[:, 0], x[:, 1]
        dq = self.beta * np.power(math.e, q) - self.alpha
        dp = self.delta * np.power(math.e, p) - self.gamma
        return np.stack([dq, dp], axis=1)


@dataclass(frozen=True)
class DoublePendulum(System):
    """Planar double pendulum in canonical coordinates (docs/method.md §3.3)."""

    m1: float = 1.0
    m2: float = 1.0
    l1: float = 1.0
    l2: float = 1.0
    g: float = 1.0
    name: ClassVar[str] = "double_pendulum"
    dof: ClassVar[int] = 2

    @property
    def params(self) -> dict[str, float]:
        return {"m1": self.m1, "m2": self.m2, "l1": self.l1, "l2": self.l2, "g": self.g}

    def _terms(self, x: Array) -> tuple[Array, ...]:
        q1, q2, p1, p2 = x.T
        m1, m2, l1, l2 = self.m1, self.m2, self.l1, self.l2
        delta = q1 - q2
        den = m1 + m2 * np.sin(delta) ** 2
        num = (m2 * l2**2 * p1**2 + (m1 + m2) * l1**2 * p2**2
               - 2 * m2 * l1 * l2 * p1 * p2 * np.cos(delta))
        return q1, q2, p1, p2, delta, den, num

    def _hamiltonian(self, x: Array) -> Array:
        q1, q2, _, _, _, den, num = self._terms(x)
        m1, m2, l1, l2, g = self.m1, self.m2, self.l1, self.l2, self.g
        return (num / (2 * m2 * l1**2 * l2**2 * den)
                - (m1 + m2) * g * l1 * np.cos(q1) - m2 * g * l2 * np.cos(q2))

    def _gradient(self, x: Array) -> Array:
        q1, q2, p1, p2, delta, den, num = self._terms(x)
        m1, m2, l1, l2, g = self.m1, self.m2, self.l1, self.l2, self.g
        h1 = p1 * p2 * np.sin(delta) / (l1 * l2 * den)
        h2 = num / (2 * l1**2 * l2**2 * den**2)
        dq1 = (m1 + m2) * g * l1 * np.sin(q1) + h1 - h2 * np.sin(2 * delta)
        dq2 = m2 * g * l2 * np.sin(q2) - h1 + h2 * np.sin(2 * delta)
        dp1 = (l2 * p1 - l1 * p2 * np.cos(delta)) / (l1**2 * l2 * den)
        dp2 = ((m1 + m2) * l1 * p2 - m2 * l2 * p1 * np.cos(delta)) / (m2 * l1 * l2**2 * den)
        return np.stack([dq1, dq2, dp1, dp2], axis=1)


@dataclass(frozen=True)
class HenonHeiles(System):
    """``H = |p|^2/2 + |q|^2/2 + alpha (q1^2 q2 - q2^3/3)`` (docs/method.md §3.4)."""

    alpha: float = 1.0
    name: ClassVar[str] = "henon_heiles"
    dof: ClassVar[int] = 2

    @property
    def params(self) -> dict[str, float]:
        return {"alpha": self.alpha}

    def _hamiltonian(self, x: Array) -> Array:
        q1, q2, p1, p2 = x.T
        return ((p1**2 + p2**2) / 2 + (q1**2 + q2**2) / 2
                + self.alpha * (q1**2 * q2 - q2**3 / 3))

    def _gradient(self, x: Array) -> Array:
        q1, q2, p1, p2 = x.T
        dq1 = q1 + 2 * self.alpha * q1 * q2
        dq2 = q2 + self.alpha * (q1**2 - q2**2)
        return np.stack([dq1, dq2, p1, p2], axis=1)


@dataclass(frozen=True)
class HarmonicOscillator(System):
    """``H = k q^2/2 + p^2/(2 m)`` (docs/method.md §3.5; a unit-test system)."""

    m: float = 1.0
    k: float = 1.0
    name: ClassVar[str] = "harmonic_oscillator"
    dof: ClassVar[int] = 1

    @property
    def params(self) -> dict[str, float]:
        return {"m": self.m, "k": self.k}

    def _hamiltonian(self, x: Array) -> Array:
        q, p = x[:, 0], x[:, 1]
        return self.k * q**2 / 2 + p**2 / (2 * self.m)

    def _gradient(self, x: Array) -> Array:
        q, p = x[:, 0], x[:, 1]
        return np.stack([self.k * q, p / self.m], axis=1)


_REGISTRY: dict[str, type[System]] = {
    "single_pendulum": SinglePendulum,
    "lotka_volterra": LotkaVolterra,
    "double_pendulum": DoublePendulum,
    "henon_heiles": HenonHeiles,
    "harmonic_oscillator": HarmonicOscillator,
}


def names() -> list[str]:
    """Names of the built-in systems."""
    return list(_REGISTRY)


def parameters(name: str) -> dict[str, float]:
    """Default parameters of a system (Lotka-Volterra also takes ``preset``)."""
    if is_reference(name):
        return dict(load(name).defaults)
    cls = _lookup(name)
    sig = inspect.signature(cls)
    return {k: p.default for k, p in sig.parameters.items()}


def _lookup(name: str) -> type[System]:
    """The class of built-in system ``name``; a one-line error lists the names."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown system {name!r}; choose from {', '.join(_REGISTRY)}, or "
                         "name your own as FILE.py:NAME") from None


def get(name: str, **params: Any) -> System:
    """Create a system by name, e.g. ``get("single_pendulum", f=10)``, or load your own:
    ``get("examples/duffing.py:duffing", alpha=2)`` (:func:`load`).

    Lotka-Volterra accepts ``preset="zero-centered"|"five-centered"`` for the paper's sets.
    """
    if is_reference(name):
        system = load(name)
        return system.with_params(**params) if params else system
    cls = _lookup(name)
    params = dict(params)
    if cls is LotkaVolterra and "preset" in params:
        preset = params.pop("preset")
        if preset not in LOTKA_VOLTERRA_PRESETS:
            raise ValueError(f"unknown Lotka-Volterra preset {preset!r}; "
                             f"choose from {', '.join(LOTKA_VOLTERRA_PRESETS)}")
        params = {**LOTKA_VOLTERRA_PRESETS[preset], **params}
    allowed = parameters(name)
    for key, value in params.items():
        if key not in allowed:
            raise ValueError(f"unknown parameter {key!r} for system {name!r}; "
                             f"choose from {', '.join(allowed)}")
        check_param(key, value, name)
    return cls(**{k: float(v) for k, v in params.items()})


def resolve(system: System | str | Mapping[str, Any]) -> System:
    """Accept a :class:`System`, a name, or ``{"name": ..., **params}``."""
    if isinstance(system, System):
        return system
    if isinstance(system, str):
        return get(system)
    if isinstance(system, Mapping):
        spec = dict(system)
        if "name" not in spec:
            raise ValueError(f"system spec {system!r} has no 'name' key")
        return get(spec.pop("name"), **spec)
    raise ValueError(f"cannot interpret {system!r} as a system")
