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
import platform
import subprocess
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Segment:
    """One run of an Adam baseline's training: steps ``[first_step, end_step)`` and the
    training seconds they took, on which CPU and from which commit."""

    started_utc: str
    first_step: int
    end_step: int
    training_seconds: float
    cpu: str
    cpu_capability: str
    cores: int
    commit: str


COLUMNS = tuple(f.name for f in fields(Segment))


def segment_log_path(store_dir: str | Path, case: str) -> Path:
    """``<store>/segments/<case>.tsv``: the segments of baseline ``case``."""
    return Path(store_dir) / "segments" / f"{case}.tsv"


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``), else what :mod:`platform` says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def cpu_capability() -> str:
    """The vector instruction set PyTorch's CPU kernels use here (``AVX2``, ``AVX512``...)."""
    import torch

    return str(torch.backends.cpu.get_cpu_capability())


def current_commit(cwd: str | Path = ".") -> str:
    """The short commit of the checkout in ``cwd`` (``unknown`` outside git)."""
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=cwd,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def here(started: datetime, first_step: int, end_step: int, training_seconds: float,
         cores: int) -> Segment:
    """A segment that ran on this machine, from this checkout's commit."""
    return Segment(f"{started.astimezone(UTC):%Y-%m-%d %H:%M}", first_step, end_step,
                   round(training_seconds, 3), cpu_model(), cpu_capability(), cores,
                   current_commit())


def append_segment(path: Path, segment: Segment) -> None:
    """Add one line to a baseline's segment log (with the header when the file is new)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with path.open("a", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        if new:
            writer.writerow(COLUMNS)
        writer.writerow(astuple(segment))


def read_segments(path: Path) -> list[Segment]:
    """The segments logged for a baseline, oldest first (none without a log)."""
    if not path.exists():
        return []
    with path.open(newline="") as fh:
        return [Segment(r["started_utc"], int(r["first_step"]), int(r["end_step"]),
                        float(r["training_seconds"]), r["cpu"], r["cpu_capability"],
                        int(r["cores"]), r["commit"])
                for r in csv.DictReader(fh, delimiter="\t")]
