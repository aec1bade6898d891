"""The Adam-trained HNN baseline: a one-hidden-layer tanh network fitted by backprop
(docs/method.md §8)."""

from __future__ import annotations

import functools
import logging
import math
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from shnn.adam_checkpoint import AdamCheckpoint, data_fingerprint
from shnn.lstsq_torch import check_device
from shnn.models import evaluate_in_chunks
from shnn.systems import gradient_to_vector_field
from shnn.validation import (
    check_finite_float,
    check_positive_int,
    check_states,
    check_training_data,
)

logger = logging.getLogger(__name__)

Params = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]

#: How the gradients are computed: the closed form (default) or the plain double backward.
BACKENDS = ("closed_form", "autograd")


def init_parameters(dim: int, width: int, seed: int) -> Params:
    """PyTorch's default ``nn.Linear`` init of ``Linear(dim, width)`` then ``Linear(width, 1)``.

    Bit-identical to ``torch.manual_seed(seed)`` followed by creating the two float64 layers
    (draw order: weight 1, bias 1, weight 2, bias 2; docs/method.md §8.2), but drawn from a private
    ``torch.Generator`` so torch's global RNG is left untouched. Returns CPU float64 tensors
    ``W: (width, dim)``, ``b: (width,)``, ``v: (1, width)``, ``b_out: (1,)``.
    """
    gen = torch.Generator().manual_seed(seed)
    out = []
    for fan_in, fan_out in ((dim, width), (width, 1)):
        weight = torch.empty(fan_out, fan_in, dtype=torch.float64)
        bias = torch.empty(fan_out, dtype=torch.float64)
        # Mirrors torch.nn.Linear.reset_parameters.
        torch.nn.init.kaiming_uniform_(weight, a=math.sqrt(5), generator=gen)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        torch.nn.init.uniform_(bias, -bound, bound, generator=gen)
        out += [weight, bias]
    return tuple(out)  # type: ignore[return-value]


def batch_bounds(step: int, batch_size: int, n: int) -> tuple[int, int]:
    """Rows ``[i0, i1)`` of step ``step``: ``i0 = (step*B) mod N``, cut at N
    (docs/method.md §8.5)."""
    i0 = (step * batch_size) % n
    return i0, min(i0 + batch_size, n)


def network_hamiltonian(params: Params, x: torch.Tensor) -> torch.Tensor:
    """``H(x) = v.tanh(W x + b) + b_out`` for ``x: (n, D)``; returns ``(n, 1)``."""
    w, b, v, b_out = params
    return F.linear(torch.tanh(F.linear(x, w, b)), v, b_out)


def derivative_loss_autograd(params: Params, x: torch.Tensor,
                             xdot: torch.Tensor) -> torch.Tensor:
    """MSE over all ``n x D`` entries between ``xdot`` and ``(dH/dp, -dH/dq)``
    (docs/method.md §8.3).

    The straightforward form: ``dH/dx`` by autograd with ``create_graph=True``, so that
    ``loss.backward()`` differentiates through that gradient again (a double backward). ``x``
    must require grad. The reference for :func:`derivative_loss_and_grads`.
    """
    dof = x.shape[1] // 2
    (grad,) = torch.autograd.grad(network_hamiltonian(params, x).sum(), x, create_graph=True)
    xdot_hat = torch.cat([grad[:, dof:], -grad[:, :dof]], dim=1)
    return ((xdot - xdot_hat) ** 2).mean()


#: Former name of :func:`derivative_loss_autograd`.
derivative_loss = derivative_loss_autograd


def derivative_loss_and_grads(w: torch.Tensor, b: torch.Tensor, v: torch.Tensor,
                              x1: torch.Tensor, xdot: torch.Tensor,
                              work: tuple[torch.Tensor, torch.Tensor] | None = None
                              ) -> tuple[torch.Tensor, ...]:
    """The loss of :func:`derivative_loss_autograd` and its parameter gradients, in closed form.

    For ``H(x) = v.tanh(W x + b) + b_out`` with ``t = tanh(x W^T + b)`` and ``s = 1 - t^2``
    (both ``(n, M)``), ``dH/dx = (s * v) W``, so ``xdot_hat = (dH/dp, -dH/dq) = s (v^T * Ws)``
    with the symplectic columns ``Ws = (W_p, -W_q)``. With ``e = dL/dxdot_hat = 2 (xdot_hat -
    xdot) / (n D)``, back-propagation through that expression gives, for hidden unit ``m``::

        dL/dv_m  = sum_k Ws_mk (s^T e)_mk
        dL/dWs_mk (direct) = v_m (s^T e)_mk
        dL/d(W, b)_mj (through t) = -2 v_m sum_k Ws_mk Z_mkj,  Z = (t s)^T (e_k x1_j)

    where ``x1 = (x, 1)`` carries the bias as a last input column. Only three skinny products
    with the ``(n, M)`` matrices ``s`` and ``t s`` are needed, instead of the many ``(n, M)``
    passes of a double backward. ``b_out`` gets no gradient (it is not in the loss).

    Args: ``w: (M, D)``, ``b: (M,)``, ``v: (1, M)``, ``x1: (n, D+1)`` (states, then a column of
    ones), ``xdot: (n, D)``; ``work``: optional two ``(>= n, M)`` buffers reused for ``t`` and
    ``s`` (saves allocating and page-faulting two large arrays per step; overwritten). Call
    without autograd recording. Returns ``(loss, dL/dw, dL/db, dL/dv)``.
    """
    n, d = xdot.shape
    dof = d // 2
    wt = w.t()                                              # (D, M)
    wt_sym = torch.cat((wt[dof:], -wt[:dof]))               # Ws^T, (D, M)
    wb = torch.cat((wt, b.unsqueeze(0)))                    # (D+1, M): x1 wb = x W^T + b
    if work is None:
        t = torch.tanh(x1 @ wb)                             # (n, M)
        s = 1.0 - t * t
    else:
        t = torch.mm(x1, wb, out=work[0][:n]).tanh_()
        one = torch.ones((), dtype=t.dtype, device=t.device)
        s = torch.addcmul(one, t, t, value=-1.0, out=work[1][:n])
    residual = s @ (wt_sym * v).t() - xdot                  # xdot_hat - xdot, (n, D)
    loss = (residual * residual).mean()
    e = residual * (2.0 / residual.numel())
    # Rows: e_k, then e_k x1_j; the products below are (rows, n) @ (n, M) (fastest layout).
    ex = torch.cat((e, (e.unsqueeze(2) * x1.unsqueeze(1)).reshape(n, d * (d + 1))), dim=1)
    ex = ex.t().contiguous()                                # (D + D (D+1), n)
    se = ex[:d] @ s                                         # (s^T e)^T, (D, M)
    ts = t.mul_(s)                                          # t s, in place of t
    z = (ex[d:] @ ts).view(d, d + 1, -1)                    # Z^T, (D, D+1, M)
    g_through_t = (wt_sym.unsqueeze(1) * z).sum(0) * (-2.0 * v)   # (D+1, M)
    g_sym = se * v
    grad_w = g_through_t[:d] + torch.cat((-g_sym[dof:], g_sym[:dof]))
    grad_w = grad_w.t().contiguous()
    grad_b = g_through_t[d].contiguous()
    grad_v = (wt_sym * se).sum(0, keepdim=True)
    return loss, grad_w, grad_b, grad_v


class AdamHNN:
    """Hamiltonian neural network ``H(x) = v.tanh(W x + b) + b_out`` trained with Adam.

    Same interface as :class:`shnn.SampledHNN`. Float64 throughout, PyTorch default init from
    ``seed``, full loss on time derivatives, contiguous unshuffled batches, and the integration
    constant fixed after training so that ``H(x0) = H0`` (docs/method.md §8).

    Args:
        width: number of hidden neurons M.
        seed: model seed for the initial weights (a private ``torch.Generator``).
        steps: number of Adam steps (one batch each).
        lr: Adam learning rate.
        batch_size: rows per batch B.
        weight_decay: coupled L2 weight decay of ``torch.optim.Adam``.
        device: ``"cpu"`` or ``"cuda"`` (only if available).
        log_every: log the loss every this many steps.
        backend: ``"closed_form"`` (default): the data is copied to the device once, batches are
            views, and the loss and parameter gradients come from the closed form of
            :func:`derivative_loss_and_grads`. ``"autograd"``: the straightforward reference,
            a fresh per-step batch copy and a double backward through
            :func:`derivative_loss_autograd`. Both give the same loss curve (to rounding).
        compile: run the closed form under ``torch.compile`` (off by default; on a CPU it
            costs tens of seconds of compilation and was not faster).
    """

    def __init__(self, width: int, seed: int = 0, steps: int = 15000, lr: float = 5e-4,
                 batch_size: int = 2048, weight_decay: float = 1e-13, device: str = "cpu",
                 log_every: int = 1000, backend: str = "closed_form",
                 compile: bool = False) -> None:
        self.width = check_positive_int(width, "width")
        self.seed = check_positive_int(seed, "seed", minimum=0)
        self.steps = check_positive_int(steps, "steps")
        self.lr = check_finite_float(lr, "lr", positive=True)
        self.batch_size = check_positive_int(batch_size, "batch_size")
        self.weight_decay = check_finite_float(weight_decay, "weight_decay")
        if self.weight_decay < 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
        self.device = check_device(device)
        self.log_every = check_positive_int(log_every, "log_every")
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        self.backend = backend
        if not isinstance(compile, bool):
            raise ValueError(f"compile must be True or False, got {compile!r}")
        self.compile = compile
        self.W_: np.ndarray | None = None
        self.b_: np.ndarray | None = None
        self.coef_: np.ndarray | None = None
        self.bias_: float = float("nan")
        self.fit_seconds_: float = float("nan")
        self.loss_history_: np.ndarray = np.empty(0)

    def fit(self, x: np.ndarray, xdot: np.ndarray, x0: np.ndarray, H0: float,
            H: np.ndarray | None = None, *, checkpoint: str | os.PathLike[str] | None = None,
            checkpoint_every: int = 1000, deadline: float | None = None) -> AdamHNN:
        """Train on time derivatives ``xdot: (N, 2*dof)`` at ``x: (N, 2*dof)``.

        ``x0: (1, 2*dof)`` (or ``(2*dof,)``) and ``H0`` fix the integration constant. ``H`` is
        accepted for API symmetry with :class:`shnn.SampledHNN` and ignored. Sets
        ``loss_history_: (steps,)`` (loss of each step's batch before its update) and
        ``fit_seconds_`` (device transfers, optimizer, all steps, constant fix;
        docs/method.md §8.8). Returns ``self``.

        Checkpointing (optional; without ``checkpoint`` nothing changes):

        - ``checkpoint``: a file path. If the file exists, training resumes from it; it must
          come from the same settings (width, seed, steps, lr, batch_size, weight_decay,
          backend) and the same training data (N, D and a sha256 of ``x`` and ``xdot``), else
          a ``ValueError`` names the setting that differs. A damaged file also raises a
          ``ValueError``. The checkpoint is written atomically (temporary file, fsync,
          ``os.replace``; the folder is created if needed) after every ``checkpoint_every``-th
          step, but not after the last. ``fit`` never deletes it: once the results are stored,
          delete it with :func:`~shnn.adam_checkpoint.remove_checkpoint` (a later ``fit`` would
          otherwise resume from it, at its end, and return the same model again).
        - A resumed run is bit-identical to an uninterrupted one (loss history, weights,
          bias; same device, ``compile`` and thread settings), and its ``fit_seconds_`` is the
          sum of the timed seconds of all segments (each as above, less the checkpoint writes).
        - ``deadline``: a ``time.time()`` epoch, only with ``checkpoint``. Once the clock has
          passed it at a step boundary, the checkpoint is written there and
          :class:`~shnn.adam_checkpoint.TrainingStopped` is raised (the model stays unfitted);
          rerun to resume. The file's layout and checks: :mod:`shnn.adam_checkpoint`.
        """
        x, xdot, x0, h0 = check_training_data(x, xdot, x0, H0)
        x, xdot = np.ascontiguousarray(x), np.ascontiguousarray(xdot)
        every = check_positive_int(checkpoint_every, "checkpoint_every")
        if deadline is not None:
            if checkpoint is None:
                raise ValueError("deadline needs a checkpoint path to stop at (checkpoint=...)")
            deadline = check_finite_float(deadline, "deadline")
        ckpt = None
        if checkpoint is None:
            cpu_params = init_parameters(x.shape[1], self.width, self.seed)
        else:
            ckpt = self._open_checkpoint(checkpoint, every, deadline, x, xdot)
            loaded = ckpt.load()
            if loaded is None:
                cpu_params = init_parameters(x.shape[1], self.width, self.seed)
            else:
                cpu_params = loaded
                logger.info("AdamHNN resumes from %s at step %d/%d", ckpt.path,
                            ckpt.resume_step, self.steps)

        start = time.perf_counter()
        if ckpt is not None:
            ckpt.start = start
        params, losses = self._train(cpu_params, x, xdot, x0, h0, ckpt)
        self.fit_seconds_ = time.perf_counter() - start
        if ckpt is not None:  # the earlier segments' seconds, and not this one's writes
            self.fit_seconds_ = ckpt.prior_seconds + (self.fit_seconds_ - ckpt.io_seconds)

        w, b, v, b_out = (p.detach().numpy() for p in params)
        self.W_, self.b_, self.coef_, self.bias_ = w, b, v[0].copy(), float(b_out[0])
        self.loss_history_ = losses
        return self

    def _open_checkpoint(self, checkpoint: str | os.PathLike[str], every: int,
                         deadline: float | None, x: np.ndarray, xdot: np.ndarray
                         ) -> AdamCheckpoint:
        """The checkpoint file of this fit: the settings and data it must share with the run
        that resumes it, what ran it, and the batch schedule of its steps."""
        if not isinstance(checkpoint, (str, os.PathLike)) or not os.fspath(checkpoint):
            raise ValueError(f"checkpoint must be a file path, got {checkpoint!r}")
        settings = {"width": self.width, "seed": self.seed, "steps": self.steps,
                    "lr": self.lr, "batch_size": self.batch_size,
                    "weight_decay": self.weight_decay, "backend": self.backend,
                    "n_rows": int(x.shape[0]), "dim": int(x.shape[1]),
                    "data_sha256": data_fingerprint(x, xdot)}
        info = {"device": str(self.device), "compile": self.compile,
                "torch": str(torch.__version__), "threads": torch.get_num_threads()}
        n, batch = int(x.shape[0]), self.batch_size
        return AdamCheckpoint(Path(checkpoint), every, deadline, settings, info,
                              lambda step: batch_bounds(step, batch, n)[0])

    def _train(self, cpu_params: Params, x: np.ndarray, xdot: np.ndarray, x0: np.ndarray,
               h0: float, ckpt: AdamCheckpoint | None = None) -> tuple[Params, np.ndarray]:
        """The timed region: returns the trained CPU parameters and the per-step losses.

        With ``ckpt``: resumes from its loaded state, writes it every ``ckpt.every`` steps and
        stops at its deadline (the arithmetic of the steps is the same either way).
        """
        dev, n = self.device, x.shape[0]
        params: Params = tuple(  # type: ignore[assignment]
            p.to(dev).requires_grad_(True) for p in cpu_params)
        optimizer = torch.optim.Adam(params, lr=self.lr, betas=(0.9, 0.999), eps=1e-8,
                                     weight_decay=self.weight_decay)
        losses = torch.empty(self.steps, dtype=torch.float64, device=dev)
        first = 0 if ckpt is None else ckpt.restore(optimizer, losses)
        if self.backend == "autograd":
            step_fn = self._autograd_steps(params, x, xdot)
        else:
            step_fn = self._closed_form_steps(params, x, xdot)
        for step in range(first, self.steps):
            if ckpt is not None:
                ckpt.at_boundary(step, params, optimizer, losses)
            loss = step_fn(*batch_bounds(step, self.batch_size, n))
            optimizer.step()
            losses[step] = loss
            if ckpt is not None and ckpt.due(step):
                ckpt.save(step + 1, params, optimizer, losses)
            if step % self.log_every == 0 or step == self.steps - 1:
                logger.info("AdamHNN step %d/%d: loss %.6e", step + 1, self.steps, loss.item())
        with torch.no_grad():
            x0_t = torch.tensor(x0, dtype=torch.float64, device=dev)
            params[3].add_(h0 - network_hamiltonian(params, x0_t)[0])
        trained: Params = tuple(p.detach().cpu() for p in params)  # type: ignore[assignment]
        return trained, losses.cpu().numpy()

    def _closed_form_steps(self, params: Params, x: np.ndarray,
                           xdot: np.ndarray) -> Callable[[int, int], torch.Tensor]:
        """Copy the data to the device once; each call sets the gradients of rows ``[i0, i1)``.

        Batches are views of the device copy; ``t`` and ``s`` live in two preallocated
        ``(min(B, N), M)`` buffers (unless compiled). The gradients come from
        :func:`derivative_loss_and_grads`; ``b_out`` keeps ``grad = None`` exactly as after
        ``loss.backward()`` in the autograd form, so Adam leaves it alone (no weight decay).
        """
        dev = self.device
        x_dev = torch.tensor(x, dtype=torch.float64, device=dev)
        x1 = torch.cat((x_dev, torch.ones_like(x_dev[:, :1])), dim=1)
        xdot_dev = torch.tensor(xdot, dtype=torch.float64, device=dev)
        w, b, v, _ = params
        if self.compile:  # let the compiler fuse the (n, M) passes; no buffers
            kernel = torch.compile(derivative_loss_and_grads, dynamic=True)
        else:
            rows = min(self.batch_size, x.shape[0])
            work = tuple(torch.empty(rows, self.width, dtype=torch.float64, device=dev)
                         for _ in range(2))
            kernel = functools.partial(derivative_loss_and_grads, work=work)

        def step_fn(i0: int, i1: int) -> torch.Tensor:
            with torch.no_grad():
                loss, w.grad, b.grad, v.grad = kernel(w, b, v, x1[i0:i1], xdot_dev[i0:i1])
            return loss

        return step_fn

    def _autograd_steps(self, params: Params, x: np.ndarray,
                        xdot: np.ndarray) -> Callable[[int, int], torch.Tensor]:
        """The straightforward form: per-step batch copies and a double backward (reference)."""
        dev = self.device

        def step_fn(i0: int, i1: int) -> torch.Tensor:
            xb = torch.tensor(x[i0:i1], dtype=torch.float64, device=dev, requires_grad=True)
            xdotb = torch.tensor(xdot[i0:i1], dtype=torch.float64, device=dev)
            loss = derivative_loss_autograd(params, xb, xdotb)
            for p in params:
                p.grad = None
            loss.backward()
            return loss.detach()

        return step_fn

    def _require_fit(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self.W_ is None or self.b_ is None or self.coef_ is None:
            raise ValueError("AdamHNN is not fitted; call fit() first")
        return self.W_, self.b_, self.coef_

    def hamiltonian(self, x: np.ndarray) -> np.ndarray:
        """Predicted H: ``(n,)``."""
        w, b, coef = self._require_fit()
        x = check_states(x, w.shape[1], "x")
        return evaluate_in_chunks(x, np.empty(x.shape[0]),
                                  lambda xs: np.tanh(xs @ w.T + b) @ coef + self.bias_)

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """Predicted ``(dH/dq..., dH/dp...)``: ``(n, 2*dof)``, as ``((1 - tanh^2) * v) W``."""
        w, b, coef = self._require_fit()
        x = check_states(x, w.shape[1], "x")

        def gradient(xs: np.ndarray) -> np.ndarray:
            t = np.tanh(xs @ w.T + b)
            return ((1.0 - t * t) * coef) @ w

        return evaluate_in_chunks(x, np.empty_like(x), gradient)

    def vector_field(self, x: np.ndarray) -> np.ndarray:
        """Predicted ``x' = (dH/dp, -dH/dq)``: ``(n, 2*dof)``."""
        return gradient_to_vector_field(self.gradient(x), np.shape(x)[1] // 2)
