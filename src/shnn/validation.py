"""Input checks shared by the API and the command line; each raises a one-line ``ValueError``."""

from __future__ import annotations

import argparse
import math
import numbers
import sys
from collections.abc import Sequence
from typing import NoReturn

import numpy as np

#: Word starts whose first letter misleads about the first sound: ``a uint8``, ``an ndarray``.
_CONSONANT_SOUND = ("uint", "uni", "use", "usu", "one", "eu")
_VOWEL_SOUND = ("nd", "hour", "honest")


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and ``noun`` as a message says them: ``1 state``, ``2 states``, ``0 states``.

    ``many`` is the plural where adding ``s`` is wrong (``"degrees of freedom"``).
    """
    return f"{n} {noun if n == 1 else (many or noun + 's')}"


def article(word: str) -> str:
    """``word`` with its indefinite article by its first sound: ``an int``, ``a float``,
    ``an ndarray``, ``a NoneType``, ``a uint8``."""
    start = word.lower()
    vowel = start[:1] in {"a", "e", "i", "o", "u"} and not start.startswith(_CONSONANT_SOUND)
    return f"{'an' if vowel or start.startswith(_VOWEL_SOUND) else 'a'} {word}"


def check_states(x: object, dim: int, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float64 array of shape ``(n, dim)``; reject other shapes, NaN and inf."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise ValueError(f"{name} must have shape (n, {dim}), got {arr.shape}")
    if arr.shape[0] < 1:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def check_values(y: object, n: int, name: str) -> np.ndarray:
    """Return ``y`` as a finite float64 vector of length ``n`` (accepts ``(n,)`` or ``(n, 1)``)."""
    try:
        arr = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of {plural(n, 'number')}, shape ({n},), got "
                         f"{type(y).__name__} {y!r:.60}") from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def check_positive_int(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_finite_float(value: object, name: str, positive: bool = False) -> float:
    """Return ``value`` as a finite float (optionally ``> 0``)."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(out) or (positive and out <= 0):
        kind = "a positive finite number" if positive else "a finite number"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return out


def check_interval(lims: Sequence[float], name: str) -> tuple[float, float]:
    """Return ``(lo, hi)`` with finite ends and ``lo < hi``."""
    try:
        lo, hi = (float(v) for v in lims)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair LO,HI of numbers, got {lims!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"{name} must have finite ends, got {lo!r},{hi!r}")
    if lo >= hi:
        raise ValueError(f"{name} is empty or inverted: lo={lo!r} >= hi={hi!r}")
    return lo, hi


def state_dim(x: object) -> int:
    """The even state dimension ``2*dof`` of ``x: (n, 2*dof)``; raises for other shapes."""
    dim = np.shape(x)[-1] if np.ndim(x) == 2 else -1
    if dim < 2 or dim % 2:
        raise ValueError(f"x must have shape (n, 2*dof), got {np.shape(x)}")
    return int(dim)


def check_training_data(x: object, xdot: object, x0: object, h0: object
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Validate fit inputs: ``x, xdot: (N, 2*dof)`` with equal rows, ``x0: (1, 2*dof)``, ``H0``."""
    dim = state_dim(x)
    x_arr = check_states(x, dim, "x")
    xdot_arr = check_states(xdot, dim, "xdot")
    if xdot_arr.shape[0] != x_arr.shape[0]:
        raise ValueError(f"xdot has {plural(xdot_arr.shape[0], 'row')} but x has "
                         f"{x_arr.shape[0]}")
    return x_arr, xdot_arr, check_anchor_state(x0, dim), check_anchor_value(h0)


def _shape_of(value: object) -> str:
    try:
        return str(np.shape(value))
    except ValueError:  # ragged nested sequences
        return f"a ragged {type(value).__name__}"


def check_anchor_state(x0: object, dim: int) -> np.ndarray:
    """``x0``, one state of shape ``(1, dim)`` or ``(dim,)``, as ``(1, dim)`` float64; errors
    name the shape that was passed."""
    try:
        arr = np.asarray(x0, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"x0 must be one state of shape (1, {dim}) or ({dim},), got "
                         f"{_shape_of(x0)} of {type(x0).__name__}") from None
    if arr.shape not in ((1, dim), (dim,)):
        raise ValueError(f"x0 must be one state of shape (1, {dim}) or ({dim},), got shape "
                         f"{arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("x0 contains NaN or inf")
    return arr.reshape(1, dim)


def check_anchor_value(h0: object) -> float:
    """``H0 = H(x0)`` as a finite float: a Python or numpy number, or an array of size 1 (what
    ``system.hamiltonian(x0)`` returns). Anything else is a one-line error."""
    if isinstance(h0, (bool, np.bool_)):
        raise ValueError(f"H0 must be a number (H at x0), got {h0!r}")
    if isinstance(h0, numbers.Real):  # int, float, numpy scalars
        return check_finite_float(h0, "H0")
    if isinstance(h0, np.ndarray):
        if h0.size != 1 or not (np.issubdtype(h0.dtype, np.integer)
                                or np.issubdtype(h0.dtype, np.floating)):
            raise ValueError(f"H0 must be a number or an array of size 1 (H at x0), got an "
                             f"array of shape {h0.shape} and dtype {h0.dtype}")
        return check_finite_float(h0.reshape(-1)[0], "H0")
    raise ValueError(f"H0 must be a number or an array of size 1 (H at x0), got "
                     f"{type(h0).__name__} {h0!r:.60}")


class ArgumentParser(argparse.ArgumentParser):
    """argparse with single-line errors (exit status 2, no usage dump)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)
