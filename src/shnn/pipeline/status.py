"""The paper preset's status table (``make paper-status``, and the README's ``paper-status``
block): per artifact, the sampled fits and Adam steps done, the estimated time left and whether
it is rendered, from the progress model (:mod:`shnn.pipeline.progress`)."""

from __future__ import annotations

from typing import Any

from shnn.pipeline.manifest import artifacts_in
from shnn.pipeline.progress import (
    ARTIFACT_INPUTS,
    Progress,
    artifact_progress,
    artifact_rendered,
    continued_sweeps,
    figures_dir,
    input_progress,
    work_left,
)
from shnn.pipeline.resources import CostModel


def hours_text(seconds: float) -> str:
    """A duration for people: hours with one decimal from 6 minutes on, else whole minutes."""
    return f"{seconds / 3600:.1f} h" if seconds >= 360 else f"{seconds / 60:.0f} min"


def untimed_artifacts(config: dict[str, Any]) -> list[str]:
    """The preset's artifacts besides the report that the time box neither computes nor
    renders: those that are no paper result (perf01, a solver benchmark). A full ``snakemake
    --config preset=<preset>`` run makes them."""
    return [a.name for a in artifacts_in(config)
            if a.name not in ARTIFACT_INPUTS and a.kind != "report"]


def status_table(config: dict[str, Any]) -> str:
    """Markdown table: per artifact, fits and Adam steps done, estimated time left (2 cores)."""
    lines = ["| artifact | sampled fits done | Adam steps done | estimated time left (2 cores) "
             "| rendered in `" + str(figures_dir(config)) + "/` |",
             "|---|---|---|---|---|"]
    costs = CostModel.committed()
    inputs = input_progress(config, costs)
    for artifact, parts in artifact_progress(config, costs, inputs).items():
        fits, steps = parts.get("fits"), parts.get("steps")
        left = sum(p.seconds_left for p in parts.values())
        lines.append(f"| `{artifact}` | {_cell(fits)} | {_cell(steps)} | "
                     f"{_left(parts, left)} | {_rendered(config, artifact)} |")
    for artifact, later in continued_sweeps(config):
        done = inputs[("fits", later)]
        lines.append(f"| `{artifact}`, continued: sweep `{later}` | {_cell(done)} | – | "
                     f"{_left({'fits': done}, done.seconds_left)} | once complete |")
    for artifact in untimed_artifacts(config):
        lines.append(f"| `{artifact}` | – | – | not in the time box (`snakemake --config "
                     f"preset={config['preset']}`) | {_rendered(config, artifact)} |")
    lines.append(f"| **all** (shared work once) | | | "
                 f"{hours_text(work_left(config, costs, inputs))} | |")
    return "\n".join(lines)


def _rendered(config: dict[str, Any], artifact: str) -> str:
    """The table's last column: ``yes`` when ``artifact`` is rendered, else ``no``."""
    return "yes" if artifact_rendered(config, artifact) else "no"


def _left(parts: dict[str, Progress], seconds: float) -> str:
    """The time-left cell: ``render only`` (no inputs), ``done``, or the estimate."""
    if not parts:
        return "render only"
    return "done" if seconds == 0 else hours_text(seconds)


def _cell(p: Progress | None) -> str:
    """A done cell: ``done / total (percent%)``, or a dash for an input it does not have."""
    if p is None:
        return "–"
    return f"{p.done} / {p.total} ({p.percent}%)" if p.total else "0 / 0"
