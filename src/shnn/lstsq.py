"""The least-squares system of the sampled HNN and its SVD-truncated solve
(docs/method.md §5.3-5.4)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.linalg.lapack

from shnn.parallel import map_blocks
from shnn.sampling import HiddenLayer

#: Columns per block of the hidden-layer evaluation: an ``N x 32`` block stays in cache
#: through the matmul and the elementwise passes, and blocks are spread over threads.
_COLUMN_BLOCK = 32


def _hidden_into(layer: HiddenLayer, x: np.ndarray, out: np.ndarray,
                 finish: Callable[[np.ndarray], None]) -> None:
    """``out[:, j] = finish(x W[:, j] + b[j])`` column block by column block, in threads.

    Each block is its own matmul and elementwise ufuncs, so the numbers do not depend on
    the number of threads (see :mod:`shnn.parallel`).
    """
    def block(j: int) -> None:
        cols = slice(j, j + _COLUMN_BLOCK)
        view = out[:, cols]
        np.matmul(x, layer.W[:, cols], out=view)
        view += layer.b[cols]
        finish(view)

    map_blocks(block, range(0, layer.width, _COLUMN_BLOCK), out.size)


def _tanh(z: np.ndarray) -> None:
    np.tanh(z, out=z)


def _one_minus_tanh_squared(z: np.ndarray) -> None:
    np.tanh(z, out=z)
    np.square(z, out=z)
    np.subtract(1.0, z, out=z)


def preactivation(layer: HiddenLayer, x: np.ndarray) -> np.ndarray:
    """``x W + b`` as a Fortran-ordered ``(n, M)`` array (columns contiguous)."""
    z = np.empty((x.shape[0], layer.width), order="F")
    _hidden_into(layer, x, z, lambda view: None)
    return z


def features(layer: HiddenLayer, x: np.ndarray) -> np.ndarray:
    """``Phi(x) = tanh(x W + b)``: ``(n, M)``, Fortran-ordered."""
    z = np.empty((x.shape[0], layer.width), order="F")
    _hidden_into(layer, x, z, _tanh)
    return z


def tanh_derivative(layer: HiddenLayer, x: np.ndarray) -> np.ndarray:
    """``T = 1 - tanh(x W + b)^2``: ``(n, M)``, Fortran-ordered."""
    t = np.empty((x.shape[0], layer.width), order="F")
    _tanh_derivative_into(layer, x, t)
    return t


def _tanh_derivative_into(layer: HiddenLayer, x: np.ndarray, out: np.ndarray) -> None:
    """Write ``T = 1 - tanh(x W + b)^2`` into the (possibly strided) view ``out: (n, M)``."""
    _hidden_into(layer, x, out, _one_minus_tanh_squared)


def gradient_system(layer: HiddenLayer, x: np.ndarray, xdot: np.ndarray, x0: np.ndarray,
                    h0: float) -> tuple[np.ndarray, np.ndarray]:
    """The system ``A [c; c0] = rhs`` of docs/method.md §5.3, without forming the (N, D, M) tensor.

    Rows ``i*dof + k`` (point-major, dof-minor): ``dH/dp_k = q'_k``; then the same for
    ``-dH/dq_k = p'_k``; the last row is the anchor ``H(x0) = H0``. The last column is the
    output bias (1 in the anchor row only). ``A: (2*dof*N + 1, M + 1)`` Fortran-ordered,
    ``rhs: (2*dof*N + 1,)``.

    Memory: A itself plus an ``N x 256`` temporary. ``T = 1 - tanh^2`` is computed once,
    inside the storage of the last block of A, and scaled in place after the other blocks
    have been derived from it.
    """
    n_points, dim = x.shape
    dof = dim // 2
    width = layer.width
    n_rows = dof * n_points
    a = np.zeros((2 * n_rows + 1, width + 1), order="F")
    # Block k of the q'-rows is T * W[dof + k]; block k of the p'-rows is T * (-W[k]).
    blocks = [(a[k:n_rows:dof, :width], layer.W[dof + k]) for k in range(dof)]
    blocks += [(a[n_rows + k:2 * n_rows:dof, :width], -layer.W[k]) for k in range(dof)]
    t, t_scale = blocks[-1]
    _tanh_derivative_into(layer, x, t)
    for view, scale in blocks[:-1]:
        np.multiply(t, scale, out=view)
    t *= t_scale
    a[-1, :width] = features(layer, x0)[0]
    a[-1, width] = 1.0
    rhs = np.empty(2 * n_rows + 1)
    rhs[:n_rows] = xdot[:, :dof].reshape(-1)
    rhs[n_rows:2 * n_rows] = xdot[:, dof:].reshape(-1)
    rhs[-1] = h0
    return a, rhs


def solve_dense(a: np.ndarray, rhs: np.ndarray, rcond: float) -> np.ndarray:
    """Minimum-norm least squares by LAPACK gelsd; singular values ``<= rcond*s_max`` cut.

    ``a: (m, n)`` is overwritten when it is Fortran-ordered float64 (no copy is made);
    returns the solution ``(n,)``. numpy's ``lstsq(rcond=...)`` calls the same routine.
    """
    m, n = a.shape
    b = np.zeros((max(m, n), 1))
    b[:m, 0] = rhs
    lwork, iwork, info = scipy.linalg.lapack.dgelsd_lwork(m, n, 1, rcond)
    if info != 0:
        raise np.linalg.LinAlgError(f"gelsd workspace query failed (info={info})")
    x, _, _, info = scipy.linalg.lapack.dgelsd(a, b, int(lwork), int(iwork), rcond,
                                               overwrite_a=1, overwrite_b=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"gelsd: SVD did not converge (info={info})")
    return x[:n, 0]


def gradient_blocks(dof: int) -> list[tuple[int, float, int]]:
    """The row blocks of the system, in order, as ``(row of W, sign, column of xdot)``.

    Block ``i`` is ``sign * T diag(W[row])`` against ``xdot[:, col]``: first
    ``q'_j = dH/dp_j`` (``row = dof + j``), then ``p'_j = -dH/dq_j`` (``row = j``, sign -1).
    """
    return ([(dof + j, 1.0, j) for j in range(dof)]
            + [(j, -1.0, dof + j) for j in range(dof)])


def _structured_rows(r: np.ndarray, layer: HiddenLayer, qty: np.ndarray, x0: np.ndarray,
                     h0: float, out: np.ndarray, rhs: np.ndarray) -> None:
    """Fill ``B = [R D_p1; ...; -R D_q1; ...; phi(x0) 1]`` and ``[Q^T y_1; ...; H0]``."""
    k, width = r.shape
    for i, (row, sign, col) in enumerate(gradient_blocks(layer.W.shape[0] // 2)):
        np.multiply(r, sign * layer.W[row], out=out[i * k:(i + 1) * k, :width])
        rhs[i * k:(i + 1) * k] = qty[:k, col]
    out[-1, :width] = features(layer, x0)[0]
    out[-1, width] = 1.0
    rhs[-1] = h0


#: Panel width of the blocked QR of T (LAPACK geqrt, compact-WY, recursive panels). 128 was
#: faster than geqrf and than geqrt with 64 on the 2-core machine (N=10000, M=1000 and
#: N=20000, M=2000). The block size changes the rounding, not the mathematics.
QR_BLOCK = 128

#: Block size of the triangular-pair QR (LAPACK tpqrt). Any value <= M gives the same result up
#: to rounding (not bitwise); 64 was the fastest of 32-256 at M=2000 on the 2-core machine.
TPQRT_BLOCK = 64


def _merge_triangular_blocks(r: np.ndarray, layer: HiddenLayer,
                             qty: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reduce the stacked upper-triangular blocks ``R D_k`` to one triangle, orthogonally.

    The gradient rows of B are ``2*dof`` upper-triangular M x M blocks. LAPACK's tpqrt folds
    one triangle into the running one at a time (about ``2/3 M^3`` flops each, against
    ``2 (2 dof M) M^2`` for a dense QR of the stack), and tpmqrt applies the same reflections
    to the right-hand side. Returns the final triangle and its right-hand side; the rows
    folded away carry only the residual.
    """
    k, width = r.shape
    (row, sign, col), *rest = gradient_blocks(layer.W.shape[0] // 2)
    nb = min(TPQRT_BLOCK, width)
    acc = np.asfortranarray(r * (sign * layer.W[row]))
    c = np.asfortranarray(qty[:k, col:col + 1])
    block = np.empty((k, width), order="F")
    for row, sign, col in rest:
        np.multiply(r, sign * layer.W[row], out=block)
        acc, v, tfac, info = scipy.linalg.lapack.dtpqrt(width, nb, acc, block, overwrite_a=1,
                                                        overwrite_b=1)
        if info != 0:
            raise np.linalg.LinAlgError(f"tpqrt failed (info={info})")
        c_k = np.asfortranarray(qty[:k, col:col + 1])
        c, _, info = scipy.linalg.lapack.dtpmqrt(width, v, tfac, c, c_k, side="L", trans="T",
                                                 overwrite_a=1, overwrite_b=1)
        if info != 0:
            raise np.linalg.LinAlgError(f"tpmqrt failed (info={info})")
        block = v  # reuse the storage for the next block
    return acc, c[:, 0]


def solve_structured(layer: HiddenLayer, x: np.ndarray, xdot: np.ndarray, x0: np.ndarray,
                     h0: float, rcond: float, merge: bool = True) -> np.ndarray:
    """The least-squares solution of docs/method.md §5.3 without forming A; returns ``[c; c0]``.

    The gradient rows of A for input k are ``T D_k`` with ``T = 1 - tanh^2(x W + b)`` and
    ``D_k = diag(W[k])``. With the thin QR ``T = Q R`` (blocked Householder, LAPACK geqrt,
    in T's storage; Q is only applied, never formed), ``A = blockdiag(Q, ..., Q, 1) B`` where
    ``B = [R D_p1; ...; -R D_q1; ...; phi(x0) 1]``: A and B have the same singular values and
    the objectives differ by a constant, so the rcond-truncated minimum-norm solution of
    ``B [c; c0] = [Q^T y_1; ...; Q^T y_2n; H0]`` is that of A. Orthogonal transformations
    only. Memory: T plus B (``2*dof*min(N, M) + 1`` rows), a factor 2*dof*N/min(N, M) less
    than A.

    With ``merge`` (default) and ``N >= M``, the ``2*dof`` triangular blocks of B are first
    folded into one triangle by LAPACK tpqrt (:func:`_merge_triangular_blocks`), so the SVD
    solve runs on an ``(M+1) x (M+1)`` matrix; ``merge=False`` hands all of B to gelsd.
    """
    n_points, dim = x.shape
    width = layer.width
    t = np.empty((n_points, width), order="F")
    _tanh_derivative_into(layer, x, t)
    k = min(n_points, width)
    qr, tfac, info = scipy.linalg.lapack.dgeqrt(min(QR_BLOCK, k), t, overwrite_a=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"geqrt failed (info={info})")
    reflectors = qr[:, :k]  # Householder vectors of the k = min(N, M) reflections
    y = np.asfortranarray(xdot, dtype=np.float64)
    qty, info = scipy.linalg.lapack.dgemqrt(reflectors, tfac, y, side="L", trans="T",
                                            overwrite_c=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"gemqrt failed (info={info})")
    r = np.triu(qr[:k])
    del qr, t, reflectors
    if merge and k == width:
        tri, c = _merge_triangular_blocks(r, layer, qty)
        del r
        b = np.zeros((width + 1, width + 1), order="F")
        b[:width, :width] = tri
        b[-1, :width] = features(layer, x0)[0]
        b[-1, width] = 1.0
        return solve_dense(b, np.append(c, h0), rcond)
    b = np.zeros((dim * k + 1, width + 1), order="F")
    rhs = np.empty(dim * k + 1)
    _structured_rows(r, layer, qty, x0, h0, b, rhs)
    del r
    return solve_dense(b, rhs, rcond)
