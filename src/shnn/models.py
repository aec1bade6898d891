"""Sampled models: the sampled HNN (S-HNN) and the sampled MLP / ODE-Net (docs/method.md §5-7)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import scipy.linalg

from shnn.hamiltonian import gradient_to_vector_field, vector_field_to_gradient
from shnn.lstsq import features, gradient_system, solve_dense, solve_structured, tanh_derivative
from shnn.sampling import HiddenLayer, Method, sample_elm, sample_swim
from shnn.validation import (
    check_finite_float,
    check_interval,
    check_positive_int,
    check_states,
    check_training_data,
    check_values,
    plural,
    state_dim,
)

#: Least-squares solvers of :class:`SampledHNN`.
SOLVERS = ("qr", "dense")

#: Rows per chunk when evaluating a fitted model, bounding memory to ``chunk x M`` floats.
EVAL_CHUNK = 8192


def evaluate_in_chunks(x: np.ndarray, out: np.ndarray,
                       evaluate: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``out[s] = evaluate(x[s])`` for consecutive blocks of :data:`EVAL_CHUNK` rows; returns
    ``out``. Every fitted model (sampled or Adam-trained) evaluates through this, so a
    prediction on many points never holds more than ``EVAL_CHUNK x M`` hidden values."""
    for start in range(0, x.shape[0], EVAL_CHUNK):
        s = slice(start, start + EVAL_CHUNK)
        out[s] = evaluate(x[s])
    return out



class _SampledBase:
    """Shared construction and hidden-layer evaluation of the sampled models."""

    def __init__(self, width: int, seed: int, rcond: float,
                 elm_bias: tuple[float, float] | None) -> None:
        self.width = check_positive_int(width, "width")
        self.seed = check_positive_int(seed, "seed", minimum=0)
        self.rcond = check_finite_float(rcond, "rcond", positive=True)
        self.elm_bias = None if elm_bias is None else check_interval(elm_bias, "elm_bias")
        self.layer_: HiddenLayer | None = None
        self.fit_seconds_: float = float("nan")

    def _require_fit(self) -> HiddenLayer:
        if self.layer_ is None:
            raise ValueError(f"{type(self).__name__} is not fitted; call fit() first")
        return self.layer_

    def _elm_layer(self, x: np.ndarray) -> HiddenLayer:
        bias = self.elm_bias if self.elm_bias is not None else (float(x.min()), float(x.max()))
        return sample_elm(x.shape[1], self.width, bias, self.seed)


class SampledHNN(_SampledBase):
    """Sampled Hamiltonian neural network ``H(x) = sum_j c_j tanh(w_j.x + b_j) + c0``.

    The hidden layer is sampled (``method``: ``"elm"``, ``"uswim"``, ``"swim"``, ``"aswim"``)
    and ``(c, c0)`` solve one least-squares system encoding Hamilton's equations at the
    training points plus the anchor ``H(x0) = H0``.

    Args:
        width: number of hidden neurons M.
        method: hidden-layer sampler.
        seed: model seed; every hidden-layer draw uses a fresh ``default_rng(seed)``.
        rcond: SVD cut-off; singular values ``<= rcond * s_max`` are dropped.
        elm_bias: ``(lo, hi)`` of the ELM biases; default the min/max of the training inputs
            (the paper uses the min/max of the domain limits).
        solver: ``"qr"`` (default) solves the equivalent small system after a QR of
            ``1 - tanh^2`` without forming A (:func:`shnn.lstsq.solve_structured`);
            ``"dense"`` builds A and calls gelsd on it, as the original implementation.
        device: ``None`` (default) solves with numpy/LAPACK on the CPU; ``"cuda"`` (or
            ``"cpu"``) runs the QR and the truncated SVD solve in torch float64 on that device
            (:func:`shnn.lstsq_torch.solve_structured_torch`). Sampling stays on the CPU.
    """

    def __init__(self, width: int, method: str | Method = "aswim", seed: int = 0,
                 rcond: float = 1e-13, elm_bias: tuple[float, float] | None = None,
                 solver: str = "qr", device: str | None = None) -> None:
        super().__init__(width, seed, rcond, elm_bias)
        self.method = Method.parse(method)
        if solver not in SOLVERS:
            raise ValueError(f"unknown solver {solver!r}; choose from {', '.join(SOLVERS)}")
        if device is not None and solver != "qr":
            raise ValueError(f"device={device!r} needs solver='qr', got solver={solver!r}")
        if device is not None:
            from shnn.lstsq_torch import check_device

            check_device(device)
        self.solver = solver
        self.device = device
        self.coef_: np.ndarray | None = None
        self.bias_: float = float("nan")

    def fit(self, x: np.ndarray, xdot: np.ndarray, x0: np.ndarray, H0: float,
            H: np.ndarray | None = None) -> SampledHNN:
        """Fit to time derivatives ``xdot: (N, 2*dof)`` at ``x: (N, 2*dof)``.

        ``x0: (1, 2*dof)`` (or ``(2*dof,)``) and ``H0``, the true H at ``x0`` (a number, or an
        array of size 1 as ``system.hamiltonian(x0)`` returns), fix the integration constant.
        ``H``: the true H **values** at the training points ``x``, an array ``(N,)`` (or
        ``(N, 1)``), e.g. ``system.hamiltonian(x)`` or ``data.H_train``; not a function. Only
        the supervised ``"swim"`` oracle uses it (it needs it); the other methods check it
        when given and ignore it. Sets ``fit_seconds_`` (sampling and solves, docs/method.md §9.3).
        Returns ``self``.
        """
        x, xdot, x0, h0 = check_training_data(x, xdot, x0, H0)
        if self.method in (Method.USWIM, Method.SWIM, Method.ASWIM) and x.shape[0] < 3:
            raise ValueError(f"train size must be >= 3 for method {self.method.value!r}, "
                             f"got {x.shape[0]}")
        if self.method is Method.SWIM and H is None:
            raise ValueError("method 'swim' needs H, the true Hamiltonian at x")
        if H is not None:
            if callable(H):
                raise ValueError(f"H must be the true H values at x, an array of shape "
                                 f"({x.shape[0]},), not a function ({type(H).__name__}); pass "
                                 "e.g. system.hamiltonian(x)")
            H = check_values(H, x.shape[0], "H")
        start = time.perf_counter()
        if self.method is Method.ELM:
            self._solve(self._elm_layer(x), x, xdot, x0, h0)
        elif self.method is Method.SWIM:
            self._solve(sample_swim(x, self.width, self.seed, y=H), x, xdot, x0, h0)
        else:
            self._solve(sample_swim(x, self.width, self.seed), x, xdot, x0, h0)
            if self.method is Method.ASWIM:
                h_train = self.hamiltonian(x)
                self._solve(sample_swim(x, self.width, self.seed, y=h_train), x, xdot, x0, h0)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _solve(self, layer: HiddenLayer, x: np.ndarray, xdot: np.ndarray, x0: np.ndarray,
               h0: float) -> None:
        if self.device is not None:
            from shnn.lstsq_torch import solve_structured_torch

            sol = solve_structured_torch(layer, x, xdot, x0, h0, self.rcond, self.device)
        elif self.solver == "dense":
            a, rhs = gradient_system(layer, x, xdot, x0, h0)
            sol = solve_dense(a, rhs, self.rcond)
        else:
            sol = solve_structured(layer, x, xdot, x0, h0, self.rcond)
        self.layer_, self.coef_, self.bias_ = layer, sol[:-1], float(sol[-1])

    def hamiltonian(self, x: np.ndarray) -> np.ndarray:
        """Predicted H: ``(n,)``."""
        layer = self._require_fit()
        x = check_states(x, layer.W.shape[0], "x")
        return evaluate_in_chunks(x, np.empty(x.shape[0]),
                                  lambda xs: features(layer, xs) @ self.coef_ + self.bias_)

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """Predicted ``(dH/dq..., dH/dp...)``: ``(n, 2*dof)``, as ``(T * c) W^T``."""
        layer = self._require_fit()
        x = check_states(x, layer.W.shape[0], "x")

        def gradient(xs: np.ndarray) -> np.ndarray:
            t = tanh_derivative(layer, xs)
            t *= self.coef_
            return t @ layer.W.T

        return evaluate_in_chunks(x, np.empty_like(x), gradient)

    def vector_field(self, x: np.ndarray) -> np.ndarray:
        """Predicted ``x' = (dH/dp, -dH/dq)``: ``(n, 2*dof)``."""
        return gradient_to_vector_field(self.gradient(x), np.shape(x)[1] // 2)


class SampledMLP(_SampledBase):
    """Sampled ODE-Net: ``x' = tanh(x W + b) C + c0`` with an ELM hidden layer
    (docs/method.md §7)."""

    def __init__(self, width: int, seed: int = 0, rcond: float = 1e-13,
                 elm_bias: tuple[float, float] | None = None) -> None:
        super().__init__(width, seed, rcond, elm_bias)
        self.coef_: np.ndarray | None = None

    def fit(self, x: np.ndarray, xdot: np.ndarray) -> SampledMLP:
        """Least squares ``[Phi(x), 1] [C; c0] = xdot`` with ``2*dof`` right-hand sides."""
        dim = state_dim(x)
        x = check_states(x, dim, "x")
        xdot = check_states(xdot, dim, "xdot")
        if xdot.shape[0] != x.shape[0]:
            raise ValueError(f"xdot has {plural(xdot.shape[0], 'row')} but x has {x.shape[0]}")
        start = time.perf_counter()
        layer = self._elm_layer(x)
        a = np.ones((x.shape[0], self.width + 1), order="F")
        a[:, :-1] = features(layer, x)
        sol, _, _, _ = scipy.linalg.lstsq(a, xdot, cond=self.rcond, overwrite_a=True,
                                          check_finite=False, lapack_driver="gelsd")
        self.layer_, self.coef_ = layer, sol
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def vector_field(self, x: np.ndarray) -> np.ndarray:
        """Predicted ``x'``: ``(n, 2*dof)``."""
        layer = self._require_fit()
        x = check_states(x, layer.W.shape[0], "x")
        return evaluate_in_chunks(
            x, np.empty_like(x), lambda xs: features(layer, xs) @ self.coef_[:-1] + self.coef_[-1])

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """Pseudo-gradient ``(-p', q')`` so that an integrator advances with the MLP's field."""
        return vector_field_to_gradient(self.vector_field(x), np.shape(x)[1] // 2)
