"""Committed fit records: one JSON line per fit, appended (and fsynced) as each fit finishes.

The paper preset's results outlive any one machine or session: they are committed to the
repository under the preset's ``store_dir`` (``records/paper``), one file per durable unit:

- ``sweeps/<sweep>/value~<label>.jsonl``: every method and repeat of one sweep value (a shard),
- ``hnn/<case>.jsonl``: one Adam-trained baseline,
- ``checkpoints/<case>.pt``: the checkpoint of an unfinished baseline (deleted when it ends).

A line is a full run record (``settings``, results, ``created``) plus ``code``: the record
version and the commit that made it. Lines are appended in one ``write`` and fsynced, so a
process killed at any moment loses at most the fit in flight; a torn last line (a kill in
mid-write) is ignored on reading and cut off before the next append. The files are append-only
and one line per fit, so they diff line by line.

A line made with another :data:`~shnn.records.RECORD_VERSION` is never reused: reading a log
that holds such lines warns once, naming the file, the version and the commit that made them.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shnn.records import RECORD_VERSION, FitSpec

log = logging.getLogger(__name__)


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


class RecordLog:
    """The records of one durable unit, in one append-only JSON-lines file.

    Implements the record-store interface of :func:`shnn.sweeps.fit_record`: :meth:`get` and
    :meth:`put` by :class:`~shnn.records.FitSpec`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._records: dict[str, dict[str, Any]] | None = None

    def records(self) -> dict[str, dict[str, Any]]:
        """Valid records of the current record version, by :func:`settings_key`."""
        if self._records is None:
            self._records = {}
            stale: dict[tuple[Any, Any], int] = {}
            for number, record in self._lines():
                settings = record.get("settings")
                if not isinstance(settings, dict) or "created" not in record:
                    log.warning("%s:%d: not a run record; ignored", self.path, number)
                    continue
                version = settings.get("record_version")
                if version != RECORD_VERSION:
                    made_by = (record.get("code") or {}).get("commit", "unknown")
                    stale[version, made_by] = stale.get((version, made_by), 0) + 1
                    continue
                self._records[settings_key(settings)] = record
            for (version, commit), count in stale.items():
                log.warning("%s: %d record(s) of record version %s (commit %s) rejected: this "
                            "code is at record version %d, so they are recomputed",
                            self.path, count, version, commit, RECORD_VERSION)
        return self._records

    def _lines(self) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            text = self.path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                if number == len(lines):  # a torn last line: the fit in flight when killed
                    log.warning("%s:%d: incomplete last line ignored", self.path, number)
                else:
                    log.warning("%s:%d: not valid JSON; ignored", self.path, number)
                continue
            if isinstance(record, dict):
                yield number, record
            else:
                log.warning("%s:%d: not a JSON object; ignored", self.path, number)

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
            if fh.tell() > 0:
                _cut_torn_tail(self.path, fh)
            fh.write(line.encode())
            fh.flush()
            os.fsync(fh.fileno())
        self.records()[settings_key(spec.settings())] = record
        return record


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
               wall_seconds: float) -> dict[str, Any]:
    """A run record: settings, results, the wall time it took and when it was made."""
    return {"settings": json.loads(json.dumps(settings)), **results,
            "wall_seconds": wall_seconds, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}


def shard_log_path(store_dir: str | Path, sweep_id: str, label: str) -> Path:
    """``store_dir/sweeps/<sweep>/value~<label>.jsonl``: the records of one sweep shard."""
    return Path(store_dir) / "sweeps" / sweep_id / f"value~{label}.jsonl"


def baseline_log_path(store_dir: str | Path, case: str) -> Path:
    """``store_dir/hnn/<case>.jsonl``: the record of one Adam baseline."""
    return Path(store_dir) / "hnn" / f"{case}.jsonl"


def checkpoint_path(store_dir: str | Path, case: str) -> Path:
    """``store_dir/checkpoints/<case>.pt``: the checkpoint of an unfinished Adam baseline."""
    return Path(store_dir) / "checkpoints" / f"{case}.pt"
