"""The least-squares system of the sampled HNN and its SVD-truncated solve (METHOD §5.3-5.4)."""

from __future__ import annotations

import numpy as np
import scipy.linalg

from shnn.sampling import HiddenLayer


def preactivation(layer: HiddenLayer, x: np.ndarray) -> np.ndarray:
    """``x W + b`` as a Fortran-ordered ``(n, M)`` array (columns contiguous)."""
    z = (layer.W.T @ x.T).T
    z += layer.b
    return z


def features(layer: HiddenLayer, x: np.ndarray) -> np.ndarray:
    """``Phi(x) = tanh(x W + b)``: ``(n, M)``."""
    z = preactivation(layer, x)
    return np.tanh(z, out=z)


def tanh_derivative(layer: HiddenLayer, x: np.ndarray) -> np.ndarray:
    """``T = 1 - tanh(x W + b)^2``: ``(n, M)``, Fortran-ordered, computed in place."""
    t = features(layer, x)
    np.square(t, out=t)
    np.subtract(1.0, t, out=t)
    return t


def gradient_system(layer: HiddenLayer, x: np.ndarray, xdot: np.ndarray, x0: np.ndarray,
                    h0: float) -> tuple[np.ndarray, np.ndarray]:
    """The system ``A [c; c0] = rhs`` of METHOD §5.3, without forming the (N, D, M) tensor.

    Rows ``i*dof + k`` (point-major, dof-minor): ``dH/dp_k = q'_k``; then the same for
    ``-dH/dq_k = p'_k``; the last row is the anchor ``H(x0) = H0``. The last column is the
    output bias (1 in the anchor row only). ``A: (2*dof*N + 1, M + 1)`` Fortran-ordered,
    ``rhs: (2*dof*N + 1,)``.
    """
    n_points, dim = x.shape
    dof = dim // 2
    width = layer.width
    n_rows = dof * n_points
    a = np.zeros((2 * n_rows + 1, width + 1), order="F")
    t = tanh_derivative(layer, x)
    for k in range(dof):
        np.multiply(t, layer.W[dof + k], out=a[k:n_rows:dof, :width])
        np.multiply(t, -layer.W[k], out=a[n_rows + k:2 * n_rows:dof, :width])
    del t
    a[-1, :width] = features(layer, x0)[0]
    a[-1, width] = 1.0
    rhs = np.empty(2 * n_rows + 1)
    rhs[:n_rows] = xdot[:, :dof].reshape(-1)
    rhs[n_rows:2 * n_rows] = xdot[:, dof:].reshape(-1)
    rhs[-1] = h0
    return a, rhs


def solve_dense(a: np.ndarray, rhs: np.ndarray, rcond: float) -> np.ndarray:
    """Minimum-norm least squares by LAPACK gelsd; singular values ``<= rcond*s_max`` cut.

    ``a`` and ``rhs`` are overwritten (no copy is made of a Fortran-ordered ``a``).
    """
    sol, _, _, _ = scipy.linalg.lstsq(a, rhs, cond=rcond, overwrite_a=True, overwrite_b=True,
                                      check_finite=False, lapack_driver="gelsd")
    return sol
