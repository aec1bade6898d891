"""Per-fit run records: one JSON file per fit, named by its parameters (key~value).

A record holds the full settings of the fit and its results. Records are written
atomically (temporary file + rename), so an interrupted run never leaves a half-written
record, and a sweep re-run recomputes only missing records.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: Bump when a change to the core alters the numbers, so that stored records are recomputed.
RECORD_VERSION = 4


@dataclass(frozen=True)
class FitSpec:
    """Everything that determines one fit and its evaluation."""

    system: str
    params: dict[str, float]
    domain: str
    q_lims: list[list[float]]
    p_lims: list[list[float]]
    train_size: int
    test_size: int
    width: int
    method: str
    data_seed: int
    model_seed: int
    rcond: float = 1e-13
    elm_bias: list[float] = field(default_factory=list)
    steps: int = 0
    lr: float = 0.0
    batch_size: int = 0
    weight_decay: float = 0.0
    solver: str = "qr"

    def settings(self) -> dict[str, Any]:
        """The spec as a JSON-ready dict, with the record format version."""
        return {"record_version": RECORD_VERSION, **asdict(self)}


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def record_path(runs_dir: str | Path, spec: FitSpec) -> Path:
    """``runs_dir/system~S[/param~v...]/domain~D/train~N/test~Nt/width~M/method~m/seeds~d-m.json``.

    Only parameters that differ from the system's defaults appear in the path; the record
    itself stores all of them.
    """
    from shnn.systems import parameters

    defaults = parameters(spec.system)
    parts: list[tuple[str, Any]] = [("system", spec.system)]
    parts += [(k, v) for k, v in sorted(spec.params.items()) if defaults.get(k) != v]
    parts += [("domain", spec.domain), ("train", spec.train_size), ("test", spec.test_size),
              ("width", spec.width), ("method", spec.method)]
    if spec.method == "hnn":
        parts.append(("steps", spec.steps))
    parts.append(("seeds", f"{spec.data_seed}-{spec.model_seed}"))
    return keyed_path(runs_dir, parts)


def write_record(path: str | Path, record: dict[str, Any]) -> None:
    """Write ``record`` as JSON atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(record, fh, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_record(path: str | Path, settings: dict[str, Any]) -> dict[str, Any] | None:
    """The stored record if it exists, parses and was made with exactly ``settings``."""
    try:
        record = json.loads(Path(path).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    return record if record.get("settings") == json.loads(json.dumps(settings)) else None


def keyed_path(runs_dir: str | Path, parts: list[tuple[str, Any]], suffix: str = ".json") -> Path:
    """``runs_dir/k1~v1/k2~v2/.../kn~vn<suffix>`` from ordered ``(key, value)`` parts."""
    names = [f"{k}~{_fmt(v)}" for k, v in parts]
    return Path(runs_dir).joinpath(*names[:-1], names[-1] + suffix)


def load_or_compute(path: str | Path, settings: dict[str, Any],
                    compute: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """``(record, computed)``: the record at ``path`` if made with ``settings``, else a new one.

    A new record is ``{"settings": ..., **compute(), "created": ...}``, written atomically.
    """
    record = read_record(path, settings)
    if record is not None:
        return record, False
    record = {"settings": json.loads(json.dumps(settings)), **compute(),
              "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
    write_record(path, record)
    return record, True
