"""One fit: its model and data, fitted now (:func:`run_fit`), or its record looked up in a
record store and else computed and stored (:func:`fit_record`).

A fit is named by its :class:`~shnn.pipeline.records.FitSpec`; where its record lives is a
:class:`~shnn.pipeline.store.RecordStore`. Which fits a sweep or an Adam baseline runs, and
in which store, is :mod:`shnn.pipeline.sweeps`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from shnn import systems
from shnn.data import Dataset, Domain, make_dataset
from shnn.metrics import relative_l2
from shnn.models import SampledHNN
from shnn.pipeline.machine import Meter
from shnn.pipeline.records import FitSpec, InvalidRecord, record_problems
from shnn.pipeline.store import RecordFiles, RecordStore, new_record


class MissingRecord(ValueError):
    """A fit that should have been stored is not (``compute=False``)."""


class BudgetExhausted(RuntimeError):
    """A fit was not started because the time budget would not cover it."""


#: An Adam baseline's ``final_loss`` is the mean loss of its last this many steps (of all of
#: them in a shorter run).
FINAL_LOSS_STEPS = 1000

#: Decides, before a missing fit is computed, whether to stop instead (a time budget).
StopRule = Callable[[FitSpec], bool]


def make_model(spec: FitSpec) -> Any:
    """An unfitted model for ``spec``: :class:`SampledHNN`, or the Adam baseline for ``hnn``."""
    if spec.method == "hnn":
        from shnn.adam import AdamHNN

        return AdamHNN(spec.width, seed=spec.model_seed, steps=spec.steps, lr=spec.lr,
                       batch_size=spec.batch_size, weight_decay=spec.weight_decay)
    return SampledHNN(spec.width, spec.method, seed=spec.model_seed, rcond=spec.rcond,
                      elm_bias=tuple(spec.elm_bias) if spec.elm_bias else None,
                      solver=spec.solver)


def spec_dataset(spec: FitSpec) -> Dataset:
    """The exact data of ``spec`` (data seed, sizes, domain, system, anchor)."""
    system = systems.get(spec.system, **spec.params)
    domain = Domain.of(spec.q_lims, spec.p_lims)
    return make_dataset(system, domain, spec.train_size, spec.test_size, spec.data_seed,
                        x0=spec.x0 or None)


def run_fit(spec: FitSpec, data: Dataset | None = None, **fit_options: Any) -> dict[str, Any]:
    """Fit one model; return its results: fit seconds, train/test errors of H and x'.

    ``fit_options`` go to the model's ``fit`` (the Adam baseline's ``checkpoint``,
    ``checkpoint_every`` and ``deadline``).
    """
    if data is None:
        data = spec_dataset(spec)
    model = make_model(spec)
    model.fit(data.x_train, data.xdot_train, data.x0, data.H0, H=data.H_train, **fit_options)
    results = {
        "fit_seconds": model.fit_seconds_,
        "test_rel_l2_H": relative_l2(data.H_test, model.hamiltonian(data.x_test)),
        "train_rel_l2_H": relative_l2(data.H_train, model.hamiltonian(data.x_train)),
        "test_rel_l2_xdot": relative_l2(data.xdot_test, model.vector_field(data.x_test)),
        "train_rel_l2_xdot": relative_l2(data.xdot_train, model.vector_field(data.x_train)),
    }
    if spec.method == "hnn":
        results["final_loss"] = float(np.mean(model.loss_history_[-FINAL_LOSS_STEPS:]))
        results["loss_history"] = model.loss_history_[:: max(1, spec.steps // 1000)].tolist()
    return results


def fit_record(spec: FitSpec, store: RecordStore | str | Path,
               data: Callable[[], Dataset] | None = None, *, compute: bool = True,
               stop: StopRule | None = None, **fit_options: Any
               ) -> tuple[dict[str, Any], bool]:
    """``(record, computed)`` of one fit: stored if its settings match, else fitted now.

    ``store``: a record store, or a folder of per-fit JSON files. With ``compute=False`` a
    missing record raises :class:`MissingRecord`; ``stop(spec)`` true raises
    :class:`BudgetExhausted` instead of starting the fit; ``fit_options`` go to
    :func:`run_fit`.
    """
    if isinstance(store, (str, Path)):
        store = RecordFiles(store)
    record = store.get(spec)
    if record is not None:
        return record, False
    where = getattr(store, "path", getattr(store, "runs_dir", store))
    if not compute:
        raise MissingRecord(f"{where}: no record of {describe(spec)}")
    if stop is not None and stop(spec):
        raise BudgetExhausted(f"time budget too short for {describe(spec)}")
    meter = Meter()
    results = run_fit(spec, data() if data else None, **fit_options)
    record = new_record(spec.settings(), results, meter.stop())
    problems = record_problems(record, spec.settings())
    if problems:  # stored, it would be rejected on reading and recomputed forever
        raise InvalidRecord(f"{describe(spec)}: computed record not stored: {'; '.join(problems)}")
    return store.put(spec, record), True


def describe(spec: FitSpec) -> str:
    """A short name of one fit for messages."""
    params = "".join(f" {k}={v}" for k, v in sorted(spec.params.items()))
    return (f"{spec.system}{params} {spec.domain} N={spec.train_size} width={spec.width} "
            f"{spec.method} seeds {spec.data_seed}-{spec.model_seed}")
