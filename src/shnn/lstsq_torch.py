"""The structured least-squares solve in torch (float64), on the CPU or a CUDA device.

Same algorithm as :func:`shnn.lstsq.solve_structured`: Householder QR of
``T = 1 - tanh^2(x W + b)`` (``torch.geqrf``), ``Q^T`` applied to the targets
(``torch.ormqr``), the gradient blocks folded into one triangle, then the rcond-truncated
minimum-norm solution of the small system by an SVD (singular values ``<= rcond * s_max``
dropped, as gelsd does).
"""

from __future__ import annotations

import numpy as np
import torch

from shnn.lstsq import gradient_blocks
from shnn.sampling import HiddenLayer


def check_device(device: str) -> torch.device:
    """``device`` as a ``torch.device``; CUDA only when available."""
    try:
        dev = torch.device(device)
    except (TypeError, RuntimeError):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}") from None
    if dev.type not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} requested but CUDA is not available")
    return dev


def truncated_lstsq(b: torch.Tensor, rhs: torch.Tensor, rcond: float) -> torch.Tensor:
    """Minimum-norm least squares of ``b x = rhs`` keeping singular values ``> rcond*s_max``.

    On the CPU this is LAPACK gelsd (as the numpy solver); CUDA has no gelsd in torch, so
    there the truncation is done on an explicit SVD.
    """
    if b.device.type == "cpu":
        return torch.linalg.lstsq(b, rhs[:, None], rcond=rcond, driver="gelsd").solution[:, 0]
    u, s, vh = torch.linalg.svd(b, full_matrices=False)
    keep = s > rcond * s[0]
    coef = (u[:, keep].T @ rhs) / s[keep]
    return vh[keep].T @ coef


def _fold_blocks(r: torch.Tensor, w: torch.Tensor, qty: torch.Tensor,
                 dof: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Fold the ``2*dof`` blocks ``sign * R D_k`` of B into one triangle, orthogonally.

    The torch counterpart of :func:`shnn.lstsq._merge_triangular_blocks` (torch has no
    tpqrt): each step is a QR of the running triangle stacked on the next block
    (``2M x M``, in one reused buffer), with the same reflections applied to the right-hand
    side. Memory stays at R plus two ``2M x M`` arrays instead of B's ``2*dof*M x M``.
    """
    width = r.shape[1]
    (row, sign, col), *rest = gradient_blocks(dof)
    stacked = torch.empty((2 * width, width), dtype=r.dtype, device=r.device)
    torch.mul(r, sign * w[row], out=stacked[:width])
    rhs = torch.empty((2 * width, 1), dtype=r.dtype, device=r.device)
    rhs[:width, 0] = qty[:, col]
    for row, sign, col in rest:
        torch.mul(r, sign * w[row], out=stacked[width:])
        rhs[width:, 0] = qty[:, col]
        factor, tau = torch.geqrf(stacked)
        rhs = torch.ormqr(factor, tau, rhs, left=True, transpose=True)
        torch.triu(factor[:width], out=stacked[:width])
        del factor, tau
    return stacked[:width], rhs[:width, 0]


def solve_structured_torch(layer: HiddenLayer, x: np.ndarray, xdot: np.ndarray,
                           x0: np.ndarray, h0: float, rcond: float,
                           device: str = "cpu") -> np.ndarray:
    """``[c; c0]`` of docs/method.md §5.3 computed with torch on ``device``; returns numpy float64.

    ``T = 1 - tanh^2`` is computed in place; with ``N >= M`` the gradient blocks are folded
    into one triangle (:func:`_fold_blocks`), so the SVD runs on ``(M+1) x (M+1)``.
    """
    dev = check_device(device)

    def tensor(a: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.ascontiguousarray(a), dtype=torch.float64, device=dev)

    xt, w, bias = tensor(x), tensor(layer.W), tensor(layer.b)
    n_points, dim = x.shape
    dof, width = dim // 2, layer.width
    t = xt @ w
    t += bias
    t.tanh_().square_().neg_().add_(1.0)
    qr, tau = torch.geqrf(t)
    del t
    k = min(n_points, width)
    qty = torch.ormqr(qr[:, :k], tau, tensor(xdot), left=True, transpose=True)[:k]
    r = torch.triu(qr[:k])
    del qr, tau
    phi0 = torch.tanh(tensor(x0) @ w + bias)[0]
    if k == width:
        tri, c = _fold_blocks(r, w, qty, dof)
        del r
        b = torch.zeros((width + 1, width + 1), dtype=torch.float64, device=dev)
        b[:width, :width] = tri
        rhs = torch.empty(width + 1, dtype=torch.float64, device=dev)
        rhs[:width] = c
    else:
        b = torch.zeros((dim * k + 1, width + 1), dtype=torch.float64, device=dev)
        rhs = torch.empty(dim * k + 1, dtype=torch.float64, device=dev)
        for i, (row, sign, col) in enumerate(gradient_blocks(dof)):
            b[i * k:(i + 1) * k, :width] = r * (sign * w[row])
            rhs[i * k:(i + 1) * k] = qty[:, col]
        del r
    b[-1, :width] = phi0
    b[-1, width] = 1.0
    rhs[-1] = h0
    return truncated_lstsq(b, rhs, rcond).cpu().numpy()
