"""Where fit records live (:class:`RecordStore`): per-fit JSON files, or committed logs.

Without a ``store_dir`` each record is one JSON file under ``runs_dir`` (:class:`RecordFiles`,
:func:`shnn.pipeline.records.record_path`). The paper preset's results outlive any one machine
or session: they are committed to the repository under the preset's ``store_dir``
(``records/paper``), one JSON-lines file per durable unit (:class:`RecordLog`), each line
appended (and fsynced) as its fit finishes:

- ``sweeps/<sweep>/value~<label>.jsonl``: every method and repeat of one sweep value (a shard),
- ``hnn/<case>.jsonl``: one Adam-trained baseline,
- ``checkpoints/<case>.pt``: the checkpoint of an unfinished baseline (deleted when it ends).

A line is a full run record (``settings``, results, ``created``) plus ``code``: the record
version and the commit that made it. Lines are appended in one ``write`` and fsynced, so a
process killed at any moment loses at most the fit in flight; a torn last line (a kill in
mid-write) is ignored on reading and cut off before the next append. The files are append-only
and one line per fit, so they diff line by line.

A line made with another :data:`~shnn.pipeline.records.RECORD_VERSION` is never reused: reading
a log that holds such lines warns once, naming the file, the version and the commit that made them.
Any other line that is not a valid record (:func:`log_problems`: not UTF-8 JSON, another shape,
missing or non-finite results, no ``code``) is skipped with a warning naming ``path:line``, so
its fit counts as missing and is recomputed (the new record is appended; the bad line stays).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from shnn.pipeline import machine
from shnn.pipeline.machine import Usage
from shnn.pipeline.records import (
    RECORD_VERSION,
    FitSpec,
    InvalidRecord,
    parse_record,
    read_record,
    record_path,
    record_problems,
    write_record,
)

log = logging.getLogger(__name__)


class RecordStore(Protocol):
    """Where fit records live: :class:`RecordFiles` or :class:`RecordLog`."""

    def get(self, spec: FitSpec) -> dict[str, Any] | None:
        """The stored record made with exactly ``spec``'s settings, or ``None``."""

    def put(self, spec: FitSpec, record: dict[str, Any]) -> dict[str, Any]:
        """Store ``record`` (made with ``spec``); returns the record as stored."""


class RecordFiles:
    """One JSON file per fit under ``runs_dir`` (:func:`shnn.pipeline.records.record_path`)."""

    def __init__(self, runs_dir: str | Path) -> None:
        self.runs_dir = Path(runs_dir)

    def get(self, spec: FitSpec) -> dict[str, Any] | None:
        return read_record(record_path(self.runs_dir, spec), spec.settings())

    def put(self, spec: FitSpec, record: dict[str, Any]) -> dict[str, Any]:
        write_record(record_path(self.runs_dir, spec), record)
        return record


@functools.cache
def code_version() -> dict[str, Any]:
    """``{"record_version", "commit"}`` of the running code (commit ``unknown`` outside git).

    ``SHNN_COMMIT`` overrides the commit (a runner that works in a checkout of a fixed commit
    sets it once for all its jobs).
    """
    commit = os.environ.get("SHNN_COMMIT")
    if not commit:
        try:
            commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True,
                                    text=True, check=True,
                                    cwd=Path(__file__).parent).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            commit = "unknown"
    return {"record_version": RECORD_VERSION, "commit": commit}


def settings_key(settings: dict[str, Any]) -> str:
    """The canonical JSON text of a fit's settings (the lookup key of a record)."""
    return json.dumps(settings, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class BadLine:
    """A line of a record log that is not used, and why (:meth:`RecordLog.bad_lines`)."""

    number: int
    reason: str
    #: :func:`settings_key` of the line's settings, when it has a settings object.
    key: str | None = None
    #: Made with another record version (kept as history, never reused).
    stale: bool = False


def log_problems(record: Any) -> list[str]:
    """Why a parsed log line is not a valid committed record: :func:`record_problems`, and
    ``code`` (the version and commit that made it) an object. Empty if it is valid."""
    problems = record_problems(record)
    if not problems and not isinstance(record.get("code"), dict):
        problems.append("code is missing or not an object")
    return problems


class RecordLog:
    """The records of one durable unit, in one append-only JSON-lines file.

    A :class:`RecordStore` (what :func:`shnn.pipeline.fitting.fit_record` reads and writes):
    :meth:`get` and :meth:`put` by :class:`~shnn.pipeline.records.FitSpec`. Every line is
    validated on reading
    (:func:`log_problems`): an invalid one is skipped with a warning naming ``path:line``
    (``warn=False``: silently, for :meth:`bad_lines`), so its fit is recomputed.
    """

    def __init__(self, path: str | Path, warn: bool = True) -> None:
        self.path = Path(path)
        self.warn = warn
        self._records: dict[str, dict[str, Any]] | None = None
        self._bad: list[BadLine] = []

    def records(self) -> dict[str, dict[str, Any]]:
        """Valid records of the current record version, by :func:`settings_key`."""
        if self._records is None:
            self._records, self._bad = {}, []
            stale: dict[tuple[Any, Any], int] = {}
            for number, record, reason in self._lines():
                reason = reason or "; ".join(log_problems(record))
                if not reason:
                    self._records[settings_key(record["settings"])] = record
                    continue
                bad = _bad_line(number, record, reason)
                self._bad.append(bad)
                if bad.stale:
                    made_by = (record["settings"].get("record_version"), _commit(record))
                    stale[made_by] = stale.get(made_by, 0) + 1
                elif self.warn:
                    log.warning("%s:%d: invalid record ignored (its fit is recomputed): %s",
                                self.path, number, reason)
            if self.warn:
                self._warn_stale(stale)
        return self._records

    def _warn_stale(self, stale: dict[tuple[Any, Any], int]) -> None:
        for (version, commit), count in stale.items():
            log.warning("%s: %d record(s) of record version %s (commit %s) rejected: this "
                        "code is at record version %d, so they are recomputed",
                        self.path, count, version, commit, RECORD_VERSION)

    def bad_lines(self) -> list[BadLine]:
        """The lines :meth:`records` skipped (invalid, torn, or of another record version)."""
        self.records()
        return list(self._bad)

    def _lines(self) -> Iterator[tuple[int, Any, str | None]]:
        """``(number, parsed line, None)``, or ``(number, None, reason)`` for a line that is
        not UTF-8 JSON; blank lines are skipped."""
        try:
            lines = self.path.read_bytes().split(b"\n")
        except FileNotFoundError:
            return
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield number, parse_record(line), None
            except InvalidRecord as exc:
                torn = number == len(lines)  # no newline: the fit in flight when killed
                yield number, None, ("incomplete last line (a write cut short)" if torn
                                     else str(exc))

    def get(self, spec: FitSpec) -> dict[str, Any] | None:
        """The stored record of ``spec`` (same settings, same record version), or ``None``."""
        return self.records().get(settings_key(spec.settings()))

    def __contains__(self, spec: FitSpec) -> bool:
        return self.get(spec) is not None

    def put(self, spec: FitSpec, record: dict[str, Any]) -> dict[str, Any]:
        """Append ``record`` (made with ``spec``) as one line, with the code version; fsync."""
        record = {**record, "code": code_version()}
        line = json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as fh:
            _lock(fh)  # another writer (a time box, a re-time) appends one whole line at a time
            if fh.seek(0, os.SEEK_END) > 0:  # the end now, after any other writer's line
                _cut_torn_tail(self.path, fh)
            fh.write(line.encode())
            fh.flush()
            os.fsync(fh.fileno())
        self.records()[settings_key(spec.settings())] = record
        return record


def _lock(fh: Any) -> None:
    """Hold an exclusive lock on the open file until it is closed (where the platform has
    ``fcntl``)."""
    try:
        import fcntl
    except ImportError:  # not on Windows
        return
    fcntl.flock(fh.fileno(), fcntl.LOCK_EX)


def _commit(record: dict[str, Any]) -> str:
    code = record.get("code")
    return str(code.get("commit", "unknown")) if isinstance(code, dict) else "unknown"


def _bad_line(number: int, record: Any, reason: str) -> BadLine:
    settings = record.get("settings") if isinstance(record, dict) else None
    if not isinstance(settings, dict):
        return BadLine(number, reason)
    return BadLine(number, reason, settings_key(settings),
                   settings.get("record_version") != RECORD_VERSION)


def _cut_torn_tail(path: Path, fh: Any) -> None:
    """Truncate a last line without its newline (left by a kill in mid-write)."""
    with path.open("rb") as reader:
        data = reader.read()
    if data.endswith(b"\n"):
        return
    keep = data.rfind(b"\n") + 1
    fh.truncate(keep)
    fh.seek(keep)


def new_record(settings: dict[str, Any], results: dict[str, Any],
               usage: Usage) -> dict[str, Any]:
    """A run record: settings, results, the wall time it took, when it was made, which machine
    made it and whether it had that machine to itself (:mod:`shnn.pipeline.machine`:
    ``machine``, ``cpu_seconds``, ``contention``). ``load_per_cpu`` (the 1-minute load average
    over the CPU count when it ended) is kept as the records made before ``contention`` have it;
    it counts the fit's own threads, so it does not tell whether the fit ran alone."""
    return {"settings": json.loads(json.dumps(settings)), **results,
            "wall_seconds": usage.wall_seconds, **usage.fields(), "machine": machine.identity(),
            "load_per_cpu": _load_per_cpu(), "created": time.strftime("%Y-%m-%dT%H:%M:%S")}


def record_seconds(record: dict[str, Any]) -> float:
    """The compute seconds of one stored fit, as measured when it was computed: a sampled
    fit's wall seconds (data, fit and errors; the fit seconds of a record made before wall
    seconds were kept), an Adam baseline's training seconds summed over its segments."""
    if record["settings"]["method"] == "hnn":
        return float(record["fit_seconds"])
    return float(record.get("wall_seconds", record["fit_seconds"]))


def _load_per_cpu() -> float | None:
    try:
        return round(os.getloadavg()[0] / len(os.sched_getaffinity(0)), 2)
    except (OSError, AttributeError):  # not on every platform
        return None


def shard_log_path(store_dir: str | Path, sweep_id: str, label: str) -> Path:
    """``store_dir/sweeps/<sweep>/value~<label>.jsonl``: the records of one sweep shard."""
    return Path(store_dir) / "sweeps" / sweep_id / f"value~{label}.jsonl"


def baseline_log_path(store_dir: str | Path, case: str) -> Path:
    """``store_dir/hnn/<case>.jsonl``: the record of one Adam baseline."""
    return Path(store_dir) / "hnn" / f"{case}.jsonl"


def checkpoint_path(store_dir: str | Path, case: str) -> Path:
    """``store_dir/checkpoints/<case>.pt``: the checkpoint of an unfinished Adam baseline."""
    return Path(store_dir) / "checkpoints" / f"{case}.pt"
