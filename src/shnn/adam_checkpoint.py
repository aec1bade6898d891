"""Checkpoints of :meth:`shnn.adam.AdamHNN.fit`: the file layout, its checks on resuming,
atomic writes, stopping at a deadline, and removal once the results are stored."""

from __future__ import annotations

import hashlib
import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from shnn.files import atomic_write

if TYPE_CHECKING:
    from shnn.adam import Params

#: Version of the checkpoint file layout written by :meth:`~shnn.adam.AdamHNN.fit`.
CHECKPOINT_FORMAT = 1

#: The settings a checkpoint must share with the run that resumes it, in the order checked
#: (after the format version): the model's hyperparameters, then the training data.
CHECKPOINT_SETTINGS = ("width", "seed", "steps", "lr", "batch_size", "weight_decay", "backend",
                       "n_rows", "dim", "data_sha256")

_SETTING_NAMES = {"n_rows": "number of training rows N", "dim": "input dimension D",
                  "data_sha256": "training data sha256"}


class TrainingStopped(RuntimeError):
    """:meth:`~shnn.adam.AdamHNN.fit` passed its ``deadline``: a checkpoint was written,
    training stopped.

    Rerun ``fit`` with the same settings, data and ``checkpoint`` to resume. Attributes:
    ``step`` (steps done), ``steps`` (steps in all), ``checkpoint`` (the file).
    """

    def __init__(self, step: int, steps: int, checkpoint: Path) -> None:
        super().__init__(f"AdamHNN training stopped at the deadline after step {step} of "
                         f"{steps}; checkpoint written to {checkpoint} (rerun fit with it to "
                         f"resume)")
        self.step, self.steps, self.checkpoint = step, steps, checkpoint

    def __reduce__(self) -> tuple[type[TrainingStopped], tuple[int, int, Path]]:
        return (type(self), (self.step, self.steps, self.checkpoint))  # picklable


def data_fingerprint(x: np.ndarray, xdot: np.ndarray) -> str:
    """sha256 (hex) of the shapes and float64 C-order bytes of ``x`` and then ``xdot``."""
    digest = hashlib.sha256()
    for arr in (x, xdot):
        arr = np.ascontiguousarray(arr, dtype=np.float64)
        digest.update(repr(arr.shape).encode())
        digest.update(memoryview(arr).cast("B"))
    return digest.hexdigest()


def _temp_files(path: Path) -> list[Path]:
    """Temporary files ``.<name>.*.tmp`` beside ``path`` left by interrupted checkpoint writes."""
    prefix = f".{path.name}."
    try:
        return [p for p in path.parent.iterdir()
                if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return []


def remove_checkpoint(path: str | os.PathLike[str]) -> bool:
    """Delete the checkpoint ``path`` of :meth:`~shnn.adam.AdamHNN.fit` and any temporary files
    of writes that were killed midway. ``fit`` never deletes its checkpoint: call this once the
    finished run's results are stored. Returns whether the checkpoint existed."""
    path = Path(path)
    for tmp in _temp_files(path):
        tmp.unlink(missing_ok=True)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def _atomic_torch_save(obj: object, path: Path) -> None:
    """``torch.save`` to a temporary file in ``path``'s folder, fsync, then ``os.replace``."""
    atomic_write(path, lambda fh: torch.save(obj, fh), prefix=f".{path.name}.", suffix=".tmp")


def _clone_tensors(value: Any) -> Any:
    """A copy of ``value`` (nested dicts, lists, tuples) with every tensor a fresh CPU copy."""
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu", copy=True)
    if isinstance(value, dict):
        return {k: _clone_tensors(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_clone_tensors(v) for v in value)
    return value


def _first_line(exc: BaseException) -> str:
    """``Type: first line`` of an exception's message (at most 200 characters of it)."""
    text = str(exc).strip().splitlines()
    detail = text[0][:200] if text else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


class AdamCheckpoint:
    """The checkpoint file of one :meth:`~shnn.adam.AdamHNN.fit` call: read, check, write.

    ``prior_seconds`` are the timed seconds of the earlier segments; ``start`` is set to the
    ``perf_counter`` at the start of this segment's timed region, and ``io_seconds`` sums the
    time spent writing checkpoints in it (left out of the training time). ``batch_start(step)``
    is the first row of step ``step``'s batch (:func:`shnn.adam.batch_bounds`), stored with
    the state and checked on resuming.
    """

    PARAM_NAMES = ("W", "b", "v", "b_out")

    def __init__(self, path: Path, every: int, deadline: float | None,
                 settings: dict[str, Any], info: dict[str, Any],
                 batch_start: Callable[[int], int]) -> None:
        self.path, self.every, self.deadline = path, every, deadline
        self.settings, self.info, self.batch_start = settings, info, batch_start
        self.resume: dict[str, Any] | None = None
        self.resume_step = 0
        self.prior_seconds = 0.0
        self.start = float("nan")
        self.io_seconds = 0.0

    def _error(self, message: str) -> ValueError:
        """A ``ValueError`` naming the file."""
        return ValueError(f"checkpoint {self.path}: {message}")

    def _damaged(self, reason: str) -> ValueError:
        """The error of a file that is damaged or no checkpoint of this class."""
        return self._error(f"damaged or not an AdamHNN checkpoint ({reason}); delete it to "
                           f"start afresh")

    def load(self) -> Params | None:
        """Read and check the file if it exists; returns its CPU parameters (else ``None``)."""
        if not self.path.exists():
            return None
        try:
            # Plain tensors, dicts, lists, tuples, numbers and strings: weights_only suffices.
            state = torch.load(self.path, map_location="cpu", weights_only=True)
        except Exception as exc:  # torch.load raises many kinds on damaged files
            raise self._error(f"unreadable or corrupt ({_first_line(exc)}); delete it to "
                              f"start afresh") from None
        if not isinstance(state, dict):
            raise self._damaged(f"holds a {type(state).__name__}, not a dict")
        missing = [k for k in ("format", "settings", "step", "batch_start", "params",
                               "optimizer", "losses", "seconds") if k not in state]
        if missing:
            raise self._damaged(f"missing {', '.join(missing)}")
        if state["format"] != CHECKPOINT_FORMAT:
            raise self._error(f"made with checkpoint format {state['format']!r}, this run "
                              f"reads format {CHECKPOINT_FORMAT}")
        saved = state["settings"]
        if not isinstance(saved, dict):
            raise self._damaged("settings are not a dict")
        for name in CHECKPOINT_SETTINGS:
            ours, theirs = self.settings[name], saved.get(name)
            if type(theirs) is not type(ours) or theirs != ours:
                label = _SETTING_NAMES.get(name, name)
                raise self._error(f"made with {label} {theirs!r}, this run has {label} {ours!r}")
        return self._check_state(state)

    def _check_state(self, state: dict[str, Any]) -> Params:
        """Check a loaded state against this run (step, batch position, shapes, losses,
        seconds, optimizer state), keep copies to resume from; returns its CPU parameters."""
        steps, width, dim = self.settings["steps"], self.settings["width"], self.settings["dim"]
        step = state["step"]
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= steps:
            raise self._damaged(f"next step {step!r} is not in [0, {steps}]")
        expect_i0 = self.batch_start(step)
        if state["batch_start"] != expect_i0:
            raise self._damaged(f"batch position {state['batch_start']!r} does not match step "
                                f"{step} (expected row {expect_i0})")
        shapes = {"W": (width, dim), "b": (width,), "v": (1, width), "b_out": (1,)}
        params = state["params"]
        if not isinstance(params, dict) or set(params) != set(shapes):
            raise self._damaged("parameters are not W, b, v, b_out")
        for name, shape in shapes.items():
            p = params[name]
            if (not isinstance(p, torch.Tensor) or p.dtype != torch.float64
                    or tuple(p.shape) != shape):
                raise self._damaged(f"parameter {name} is not a float64 tensor of shape {shape}")
        losses = state["losses"]
        if (not isinstance(losses, torch.Tensor) or losses.dtype != torch.float64
                or tuple(losses.shape) != (step,)):
            raise self._damaged(f"loss history is not a float64 tensor of length {step}")
        seconds = state["seconds"]
        if (isinstance(seconds, bool) or not isinstance(seconds, (int, float))
                or not math.isfinite(seconds) or seconds < 0):
            raise self._damaged(f"training seconds {seconds!r} are not a number >= 0")
        opt = state["optimizer"]
        if (not isinstance(opt, dict) or not isinstance(opt.get("state"), dict)
                or not isinstance(opt.get("param_groups"), list)):
            raise self._damaged("optimizer state is not an Adam state_dict")
        # Adam keeps state for W, b, v (ids 0-2) once they have had a step; b_out has no grad.
        want_ids = {0, 1, 2} if step > 0 else set()
        if set(opt["state"]) != want_ids:
            raise self._damaged(f"optimizer state for parameters {sorted(opt['state'])}, "
                                f"expected {sorted(want_ids)}")
        for pid in want_ids:
            entry, shape = opt["state"][pid], shapes[self.PARAM_NAMES[pid]]
            ok = isinstance(entry, dict) and all(
                isinstance(entry.get(k), torch.Tensor) and tuple(entry[k].shape) == shape
                for k in ("exp_avg", "exp_avg_sq"))
            ok = ok and isinstance(entry.get("step"), torch.Tensor) and entry["step"].numel() == 1
            if not ok or float(entry["step"]) != step:
                raise self._damaged(f"optimizer state of {self.PARAM_NAMES[pid]} does not fit "
                                    f"step {step}")
        # Fresh, compact copies (nothing aliases the loaded storages).
        self.resume = {"step": step, "optimizer": _clone_tensors(opt),
                       "losses": losses.clone()}
        self.resume_step, self.prior_seconds = step, float(seconds)
        return tuple(params[name].clone() for name in self.PARAM_NAMES)  # type: ignore[return-value]

    def restore(self, optimizer: torch.optim.Optimizer, losses: torch.Tensor) -> int:
        """Load the resumed optimizer state and losses; returns the next step (0 if fresh)."""
        if self.resume is None:
            return 0
        group = optimizer.param_groups[0]
        keys = ("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize")
        before = {k: group.get(k) for k in keys}
        try:
            optimizer.load_state_dict(self.resume["optimizer"])
        except (ValueError, KeyError, TypeError, RuntimeError) as exc:
            raise self._damaged(f"optimizer state does not load: {_first_line(exc)}") from None
        after = {k: optimizer.param_groups[0].get(k) for k in keys}
        if len(optimizer.param_groups) != 1 or after != before:
            raise self._damaged(f"optimizer settings {after} differ from this run's {before}")
        step = self.resume["step"]
        losses[:step] = self.resume["losses"]
        self.resume = None  # free the copies
        return step

    def due(self, step: int) -> bool:
        """Whether to write after step ``step`` (not after the last one)."""
        return (step + 1) % self.every == 0 and step + 1 < self.settings["steps"]

    def at_boundary(self, step: int, params: Params, optimizer: torch.optim.Optimizer,
                    losses: torch.Tensor) -> None:
        """Before step ``step``: past the deadline, write and raise :class:`TrainingStopped`."""
        if self.deadline is not None and time.time() > self.deadline:
            self.save(step, params, optimizer, losses)
            raise TrainingStopped(step, self.settings["steps"], self.path)

    def save(self, next_step: int, params: Params, optimizer: torch.optim.Optimizer,
             losses: torch.Tensor) -> None:
        """Write the state before step ``next_step`` (all earlier steps done)."""
        begin = time.perf_counter()
        seconds = self.prior_seconds + (begin - self.start - self.io_seconds)
        state = {
            "format": CHECKPOINT_FORMAT,
            "settings": dict(self.settings),
            "step": next_step,
            "batch_start": self.batch_start(next_step),
            "params": {name: p.detach().to("cpu", copy=True)
                       for name, p in zip(self.PARAM_NAMES, params, strict=True)},
            "optimizer": _clone_tensors(optimizer.state_dict()),
            "losses": losses[:next_step].to("cpu", copy=True),
            "seconds": seconds,
            "info": dict(self.info),
        }
        _atomic_torch_save(state, self.path)
        self.io_seconds += time.perf_counter() - begin


