"""Writing a file atomically: a process killed at any moment leaves the old file or the new
one, never a part of either (the pipeline's records and the Adam baseline's checkpoints)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO


def atomic_write(path: str | Path, write: Callable[[BinaryIO], Any], prefix: str = ".tmp-",
                 suffix: str = ".tmp") -> None:
    """Create or replace ``path`` atomically: ``write(fh)`` into a temporary file beside it
    (``prefix``, ``suffix``), fsync it, rename it over ``path``, fsync the folder. A process
    killed at any moment leaves the old file or the new one, never a part of either."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def append_json_line(path: str | Path, entry: Any) -> None:
    """Append ``entry`` as one compact JSON line (sorted keys) to ``path``, in one write,
    fsynced: a process killed at any moment leaves at most a torn last line, which readers of
    such logs skip."""
    import json

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fh.write(json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
