"""The structured least-squares solve in torch (float64), on the CPU or a CUDA device.

Same algorithm as :func:`shnn.lstsq.solve_structured`: Householder QR of
``T = 1 - tanh^2(x W + b)`` (``torch.geqrf``), ``Q^T`` applied to the targets
(``torch.ormqr``), then the rcond-truncated minimum-norm solution of the small system B by
an SVD (singular values ``<= rcond * s_max`` dropped, as gelsd does).
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
    """Minimum-norm least squares of ``b x = rhs`` keeping singular values ``> rcond*s_max``."""
    u, s, vh = torch.linalg.svd(b, full_matrices=False)
    keep = s > rcond * s[0]
    coef = (u[:, keep].T @ rhs) / s[keep]
    return vh[keep].T @ coef


def solve_structured_torch(layer: HiddenLayer, x: np.ndarray, xdot: np.ndarray,
                           x0: np.ndarray, h0: float, rcond: float,
                           device: str = "cpu") -> np.ndarray:
    """``[c; c0]`` of METHOD §5.3 computed with torch on ``device``; returns numpy float64."""
    dev = check_device(device)

    def tensor(a: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.ascontiguousarray(a), dtype=torch.float64, device=dev)

    xt, w, bias = tensor(x), tensor(layer.W), tensor(layer.b)
    n_points, dim = x.shape
    dof, width = dim // 2, layer.width
    t = torch.tanh(xt @ w + bias)
    t = 1.0 - t * t
    qr, tau = torch.geqrf(t)
    del t
    k = min(n_points, width)
    qty = torch.ormqr(qr[:, :k], tau, tensor(xdot), left=True, transpose=True)[:k]
    r = torch.triu(qr[:k])
    del qr
    b = torch.zeros((dim * k + 1, width + 1), dtype=torch.float64, device=dev)
    rhs = torch.empty(dim * k + 1, dtype=torch.float64, device=dev)
    for i, (row, sign, col) in enumerate(gradient_blocks(dof)):
        b[i * k:(i + 1) * k, :width] = r * (sign * w[row])
        rhs[i * k:(i + 1) * k] = qty[:, col]
    b[-1, :width] = torch.tanh(tensor(x0) @ w + bias)[0]
    b[-1, width] = 1.0
    rhs[-1] = h0
    return truncated_lstsq(b, rhs, rcond).cpu().numpy()
