"""Where and when each part of an Adam baseline's training ran.

The paper preset trains its width-5000 Adam baselines over several sessions, each on the
machine it had. Table 2's training time is the sum of the segments' training seconds, and a
step's cost differs between machines (the Hénon-Heiles baseline's pace differed 1.7x
between two sessions' 2-core machines). The time box
(:mod:`shnn.pipeline.timebox`) appends one line per segment to the store's
``segments/<case>.tsv``, committed with the checkpoint and kept once the baseline is
complete, so that sum can be read with where its parts came from.
"""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shnn.files import atomic_write
from shnn.pipeline import machine


@dataclass(frozen=True)
class Segment:
    """One run of an Adam baseline's training: steps ``[first_step, end_step)`` and the
    training seconds they took, on which CPU and from which commit; since the machine module,
    also numpy's SIMD target, the BLAS kernels and threads, and the contention of the run
    (:mod:`shnn.pipeline.machine`; empty in lines logged before)."""

    started_utc: str
    first_step: int
    end_step: int
    training_seconds: float
    cpu: str
    cpu_capability: str
    cores: int
    commit: str
    numpy_simd: str = ""
    blas_kernels: str = ""
    blas_threads: int | None = None
    contention: float | None = None


COLUMNS = tuple(f.name for f in fields(Segment))


def segment_log_path(store_dir: str | Path, case: str) -> Path:
    """``<store>/segments/<case>.tsv``: the segments of baseline ``case``."""
    return Path(store_dir) / "segments" / f"{case}.tsv"


def current_commit(cwd: str | Path = ".") -> str:
    """The short commit of the checkout in ``cwd`` (``unknown`` outside git)."""
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=cwd,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def here(started: datetime, first_step: int, end_step: int, training_seconds: float,
         cores: int, contention: float | None = None) -> Segment:
    """A segment that ran on this machine with ``cores`` BLAS threads, from this checkout's
    commit; ``contention``: that of the job that ran it (:class:`shnn.pipeline.machine.Usage`)."""
    found = machine.identity()
    return Segment(f"{started.astimezone(UTC):%Y-%m-%d %H:%M}", first_step, end_step,
                   round(training_seconds, 3), found["cpu"], found["torch_simd"], cores,
                   current_commit(), found["numpy_simd"], found["blas"]["kernels"], cores,
                   None if contention is None else round(contention, 3))


def _cell(value: object) -> object:
    return "" if value is None else value


def append_segment(path: Path, segment: Segment) -> None:
    """Add one line to a baseline's segment log (with the header when the file is new). A log
    written with fewer columns is first rewritten with today's header, its lines unchanged
    but for empty new columns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = read_segments(path)
    if old and path.read_text().split("\n", 1)[0].split("\t") != list(COLUMNS):
        atomic_write(path, lambda fh: fh.write(_tsv(old).encode()))  # today's header
    with path.open("a", newline="") as fh:
        fh.write(_tsv([segment], header=not old))


def _tsv(lines: list[Segment], header: bool = True) -> str:
    """Segments as tab-separated lines (with :data:`COLUMNS` first, with ``header``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    if header:
        writer.writerow(COLUMNS)
    writer.writerows([_cell(v) for v in astuple(line)] for line in lines)
    return out.getvalue()


def read_segments(path: Path) -> list[Segment]:
    """The segments logged for a baseline, oldest first (none without a log)."""
    if not path.exists():
        return []
    with path.open(newline="") as fh:
        return [Segment(r["started_utc"], int(r["first_step"]), int(r["end_step"]),
                        float(r["training_seconds"]), r["cpu"], r["cpu_capability"],
                        int(r["cores"]), r["commit"], r.get("numpy_simd") or "",
                        r.get("blas_kernels") or "", _optional(r.get("blas_threads"), int),
                        _optional(r.get("contention"), float))
                for r in csv.DictReader(fh, delimiter="\t")]


def _optional(text: str | None, cast: type) -> Any:
    return cast(text) if text else None
