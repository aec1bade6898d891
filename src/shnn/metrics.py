"""Relative L2 errors (docs/method.md §9.1)."""

from __future__ import annotations

import numpy as np


def relative_l2(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """``||y - y_hat||_2 / ||y||_2`` over all entries (Frobenius norm).

    If ``y`` is all zeros (to 1e-15), the absolute error ``||y - y_hat||_2`` is returned.
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(y_true.shape)
    err = float(np.linalg.norm(y_true - y_pred))
    if np.allclose(y_true, 0.0, rtol=0.0, atol=1e-15):
        return err
    return err / float(np.linalg.norm(y_true))
