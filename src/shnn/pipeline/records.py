"""Per-fit run records: one JSON file per fit, named by its parameters (key~value).

A record holds the full settings of the fit and its results. Records are written
atomically (temporary file, fsynced, then renamed), so an interrupted run never leaves a
half-written record, and a sweep re-run recomputes only missing records.

Every record is validated when it is read (:func:`record_problems`): a stored file that is not
a valid record of exactly the expected settings (unreadable bytes, truncated JSON, another
shape, missing or non-finite results, another record version) is reported with its path and
the reason, and treated as missing, so it is recomputed and never reused.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from shnn.files import atomic_write

log = logging.getLogger(__name__)

#: Bump when a change to the core alters the numbers, so that stored records are recomputed.
RECORD_VERSION = 4

#: Results every fit record holds, each a finite number.
RESULT_KEYS = ("fit_seconds", "test_rel_l2_H", "train_rel_l2_H", "test_rel_l2_xdot",
               "train_rel_l2_xdot")

#: Results an Adam baseline (method ``hnn``) holds besides :data:`RESULT_KEYS`.
ADAM_KEYS = ("final_loss",)

#: Results a record may hold; when present, a finite number.
OPTIONAL_KEYS = ("wall_seconds", "cpu_seconds", "contention", "steal")

#: A validation: ``(record, settings) -> problems`` (:func:`record_problems`).
Problems = Callable[[Any, Any], list[str]]


class InvalidRecord(ValueError):
    """A stored or computed run record that cannot be used."""


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
    #: The anchor state ``(q..., p...)`` of the integration constant; empty: the origin.
    x0: list[float] = field(default_factory=list)

    def settings(self) -> dict[str, Any]:
        """The spec as a JSON-ready dict, with the record format version. An anchor at the
        origin (``x0`` empty, every built-in and paper setting) is left out, so those settings,
        and the records they find, are as they were before the anchor was a setting."""
        settings = {"record_version": RECORD_VERSION, **asdict(self)}
        if not self.x0:
            del settings["x0"]
        return settings


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def record_path(runs_dir: str | Path, spec: FitSpec) -> Path:
    """``runs_dir/system~S[/param~v...]/domain~D[/x0~..]/train~N/test~Nt/width~M/method~m/
    seeds~d-m.json``.

    Only parameters that differ from the system's defaults, and an anchor other than the
    origin, appear in the path; the record
    itself stores all of them. A built-in system's name ``S`` appears as it is; a system of
    your own (``examples/duffing.py:duffing@<source hash>``) as
    :func:`shnn.systems.path_label` of its name (``examples_duffing.py_duffing@<hash>``).
    """
    from shnn.systems import parameters, path_label

    defaults = parameters(spec.system)
    parts: list[tuple[str, Any]] = [("system", path_label(spec.system))]
    parts += [(k, v) for k, v in sorted(spec.params.items()) if defaults.get(k) != v]
    parts.append(("domain", spec.domain))
    if spec.x0:
        parts.append(("x0", ",".join(repr(float(v)) for v in spec.x0)))
    parts += [("train", spec.train_size), ("test", spec.test_size),
              ("width", spec.width), ("method", spec.method)]
    if spec.method == "hnn":
        parts.append(("steps", spec.steps))
    parts.append(("seeds", f"{spec.data_seed}-{spec.model_seed}"))
    return keyed_path(runs_dir, parts)


def write_record(path: str | Path, record: dict[str, Any]) -> None:
    """Write ``record`` as JSON atomically: a temporary file, fsynced, renamed over ``path``."""
    atomic_write(path, lambda fh: fh.write(json.dumps(record, indent=1, sort_keys=True)
                                           .encode()), prefix=".tmp-", suffix=".json")


def _json_type(value: Any) -> str:
    """The JSON name of a parsed value's type (``object``, ``array``, ...)."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _plain(value: Any) -> Any:
    """``value`` as it reads back from JSON (tuples become lists)."""
    return json.loads(json.dumps(value))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_finite_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer beyond the float range
        return False


def _version_problem(stored: dict[str, Any]) -> str | None:
    """Why stored settings are not of the current record version (``None`` if they are)."""
    version = stored.get("record_version")
    if version == RECORD_VERSION:
        return None
    return f"record version {version!r} (this code is at {RECORD_VERSION})"


def _settings_problem(stored: dict[str, Any], expected: dict[str, Any]) -> str | None:
    """Why ``stored`` settings are not ``expected`` (``None`` if they are equal)."""
    if stored == expected:
        return None
    version, wanted = stored.get("record_version"), expected.get("record_version")
    if "record_version" in expected and version != wanted:
        return f"record version {version!r} (this code is at {wanted})"
    missing = object()
    differ = sorted(k for k in stored.keys() | expected.keys()
                    if stored.get(k, missing) != expected.get(k, missing))
    return f"made with other settings ({', '.join(differ)} differ)"


def structure_problems(record: Any, settings: dict[str, Any] | None = None) -> list[str]:
    """Why ``record`` is not a run record: a JSON object whose ``settings`` is an object (equal
    to ``settings`` when given) and whose ``created`` is a string. Empty if it is one."""
    if not isinstance(record, dict):
        return [f"not a JSON object but a JSON {_json_type(record)}"]
    stored = record.get("settings")
    if not isinstance(stored, dict):
        return ["no settings object"]
    if settings is not None:
        problem = _settings_problem(stored, _plain(settings))
        if problem:
            return [problem]
    if not isinstance(record.get("created"), str):
        return ["created is missing or not a string"]
    return []


def _number_problems(record: dict[str, Any], keys: tuple[str, ...],
                     required: bool = True) -> list[str]:
    missing = [k for k in keys if k not in record]
    problems = [f"missing results: {', '.join(missing)}"] if missing and required else []
    return problems + [f"{k} is {_short(record[k])}, not a finite number"
                       for k in keys if k in record and not _is_finite_number(record[k])]


def _history_problems(history: Any) -> list[str]:
    if not isinstance(history, list):
        return [f"loss_history is a JSON {_json_type(history)}, not a list of numbers"]
    if not history:
        return ["loss_history is empty"]
    bad = next((i for i, v in enumerate(history) if not _is_finite_number(v)), None)
    return [] if bad is None else [f"loss_history[{bad}] is {_short(history[bad])}, "
                                   "not a finite number"]


def record_problems(record: Any, settings: dict[str, Any] | None = None) -> list[str]:
    """Why ``record`` is not a valid fit record made with ``settings``; empty if it is one.

    A valid record is a JSON object with ``settings`` (equal to ``settings`` when given, and
    of the current :data:`RECORD_VERSION` always), a ``created`` string, and every result of
    :data:`RESULT_KEYS` a finite number; an Adam baseline (method ``hnn``) also has a finite
    ``final_loss`` and a non-empty ``loss_history`` of finite numbers. Optional results
    (:data:`OPTIONAL_KEYS`) are finite numbers when present.
    """
    if isinstance(record, dict) and isinstance(record.get("settings"), dict):
        problem = _version_problem(record["settings"])
        if problem:
            return [problem]
    problems = structure_problems(record, settings)
    if problems:
        return problems
    hnn = record["settings"].get("method") == "hnn"
    problems = _number_problems(record, RESULT_KEYS + (ADAM_KEYS if hnn else ()))
    problems += _number_problems(record, OPTIONAL_KEYS, required=False)
    return problems + (_history_problems(record.get("loss_history")) if hnn else [])


def parse_record(data: bytes) -> Any:
    """The JSON value of a stored record's bytes; :class:`InvalidRecord` (a one-line reason)
    if they are not UTF-8 JSON text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRecord(f"not UTF-8 text (byte {data[exc.start]:#04x} at offset "
                            f"{exc.start})") from None
    if not text.strip():
        raise InvalidRecord("empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidRecord(f"not valid JSON, truncated or corrupt ({exc.msg} at line "
                            f"{exc.lineno} column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of too many digits
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InvalidRecord(f"not valid JSON ({first})") from None


def check_record_file(path: str | Path, settings: dict[str, Any],
                      problems: Problems = record_problems
                      ) -> tuple[dict[str, Any] | None, str | None]:
    """``(record, None)`` if ``path`` holds a valid record made with ``settings``,
    ``(None, reason)`` if it holds anything else, ``(None, None)`` if there is no file.

    ``problems``: the validation (:func:`record_problems`, or :func:`structure_problems` for
    records that are not fits).
    """
    try:
        record = parse_record(Path(path).read_bytes())
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"unreadable ({exc.strerror or exc})"
    except InvalidRecord as exc:
        return None, str(exc)
    found = problems(record, settings)
    return (None, "; ".join(found)) if found else (record, None)


def read_record(path: str | Path, settings: dict[str, Any],
                problems: Problems = record_problems) -> dict[str, Any] | None:
    """The stored record if it exists and is a valid record made with exactly ``settings``.

    A file that is not one is logged (a warning naming the path and the reason) and treated
    as missing: the caller recomputes the record and overwrites the file.
    """
    record, reason = check_record_file(path, settings, problems)
    if reason is not None:
        log.warning("%s: invalid record ignored (it is recomputed): %s", path, reason)
    return record


def keyed_path(runs_dir: str | Path, parts: list[tuple[str, Any]], suffix: str = ".json") -> Path:
    """``runs_dir/k1~v1/k2~v2/.../kn~vn<suffix>`` from ordered ``(key, value)`` parts."""
    names = [f"{k}~{_fmt(v)}" for k, v in parts]
    return Path(runs_dir).joinpath(*names[:-1], names[-1] + suffix)


def load_or_compute(path: str | Path, settings: dict[str, Any],
                    compute: Callable[[], dict[str, Any]], needs: Sequence[str] = ()
                    ) -> tuple[dict[str, Any], bool]:
    """``(record, computed)``: the record at ``path`` if made with ``settings`` and holding
    every key of ``needs``, else a new one.

    A new record is ``{"settings": ..., **compute(), "created": ...}``, written atomically.
    These records are not fits (their results differ), so only their structure is validated
    (:func:`structure_problems`).
    """
    record = read_record(path, settings, structure_problems)
    if record is not None and all(key in record for key in needs):
        return record, False
    record = {"settings": _plain(settings), **compute(),
              "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
    write_record(path, record)
    return record, True
