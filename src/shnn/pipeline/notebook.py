"""What the figure and table notebooks share: set-up, loading and aggregating sweeps, and
writing a figure with the CSV of exactly its numbers.

A notebook then reads as its argument: the parameters, one call to load, the figure, and
the comparison with the paper::

    from shnn.pipeline import notebook
    notebook.setup()
    data = notebook.load(config_path, ["sp-small", "sp-large"], sweeps_dir, runs_dir, paper_csv)
    print(data.describe(preset))
    ...
    notebook.save(fig, data.summary, out_stem, preset)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Each swept quantity's name in printed summaries (a system parameter: its own name).
VALUE_NAMES = {"width": "widths", "train_size": "train sizes"}


def setup() -> None:
    """Make the repository root the working directory (relative paths then work under
    papermill and in ``jupyter lab`` alike) and apply the figures' plotting style. Returns
    nothing, so that a rendered notebook never shows where it was built."""
    from shnn.pipeline import plotting

    root = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "Snakefile").exists())
    os.chdir(root)
    plotting.apply_style()


@dataclass
class SweepData:
    """Sweeps of a preset, per fit (``rows``) and aggregated over repeats (``summary``), and
    the paper's numbers (``paper``: ``data/paper/sweeps.csv``)."""

    config: dict[str, Any]
    sweep_ids: list[str]
    rows: list[dict[str, Any]]
    summary: list[dict[str, Any]]
    paper: list[dict[str, Any]]
    runs_dir: str | Path = ""
    #: How the times of each sweep put on one machine's scale were (:mod:`shnn.pipeline.scale`).
    scaled: dict[str, str] = field(default_factory=dict)

    def timing(self, sweep_id: str) -> str:
        """``Times of <sweep>: ...``: how its times were put on one machine's scale, else which
        machines timed its stored fits (:func:`shnn.pipeline.calibration.sweep_timing_note`)."""
        from shnn.pipeline.calibration import sweep_timing_note

        if sweep_id in self.scaled:
            return f"Times of {sweep_id}: {self.scaled[sweep_id]}"
        return f"Times of {sweep_id}: " + sweep_timing_note(self.config, sweep_id, self.runs_dir)

    @property
    def settings(self) -> dict[str, Any]:
        """The settings of the first sweep (the sweeps of one figure share them)."""
        return self.config["sweeps"][self.sweep_ids[0]]

    @property
    def key(self) -> str:
        """The swept quantity: ``width``, ``train_size`` or a system parameter."""
        return next(iter(self.settings["vary"]))

    @property
    def values(self) -> list[float]:
        """The sweep values the summary holds, sorted."""
        return sorted({r["value"] for r in self.summary})

    def paper_comparison(self) -> list[dict[str, Any]]:
        """Ours next to the paper's at every value both have, for each sweep
        (:func:`shnn.pipeline.aggregate.compare_with_paper`)."""
        from shnn.pipeline import aggregate

        return [row for sweep_id in self.shown
                for row in aggregate.compare_with_paper(self.summary, self.paper, sweep_id)]

    @property
    def shown(self) -> list[str]:
        """The sweeps the rows are labelled with: a continuation's rows carry the name of
        the sweep it continues (:func:`shnn.pipeline.sweeps.load_sweeps`)."""
        labels = [self.config["sweeps"][s].get("continues", s) for s in self.sweep_ids]
        return list(dict.fromkeys(labels))

    def describe(self, preset: str) -> str:
        """``preset default: 96 fits, widths [...], width 5000, 3 repeats, N = 10000 train /
        10000 test`` (the fixed width or train size only where it is not swept)."""
        s = self.settings
        parts = [f"preset {preset}: {len(self.rows)} fits",
                 f"{VALUE_NAMES.get(self.key, self.key)} {self.values}"]
        if self.key != "width":
            parts.append(f"width {s['width']}")
        parts.append(f"{s['repeats']} repeats")
        parts.append(f"N = {s['train_size']} train / {s['test_size']} test"
                     if self.key != "train_size" else f"{s['test_size']} test points")
        return ", ".join(parts)


def load(config_path: str | Path, sweep_ids: list[str], sweeps_dir: str | Path,
         runs_dir: str | Path, paper_csv: str | Path | None = None) -> SweepData:
    """Load the sweeps' per-fit rows (running any sweep whose CSV is missing:
    :func:`shnn.pipeline.sweeps.load_sweeps`), aggregate them over repeats, and read the paper's
    numbers (none without ``paper_csv``)."""
    from shnn.pipeline import aggregate
    from shnn.pipeline.config import load as load_config
    from shnn.pipeline.scale import preset_scale, put_on_scale
    from shnn.pipeline.sweeps import load_sweeps

    config = load_config(config_path)
    on = preset_scale(config)  # the store's machine and bridge logs, read once
    rows, scaled = [], {}
    for sweep_id in sweep_ids:
        these = load_sweeps(config, [sweep_id], sweeps_dir, runs_dir)
        note = None if on is None else put_on_scale(config, sweep_id, these, on)
        if note is not None:
            scaled[sweep_id] = note
        rows += these
    paper = aggregate.load_paper(paper_csv) if paper_csv else []
    return SweepData(config, list(sweep_ids), rows, aggregate.summarize(rows), paper, runs_dir,
                     scaled)


def save(fig: Any, summary: list[dict[str, Any]], out_stem: str, preset: str) -> None:
    """Write the figure (``out_stem.pdf``, ``.png``) and exactly its numbers, the means,
    mins and maxes over repeats (``out_stem.csv``,
    :func:`shnn.pipeline.aggregate.write_summary`)."""
    from shnn.pipeline import aggregate, plotting

    plotting.save_figure(fig, out_stem)
    aggregate.write_summary(summary, f"{out_stem}.csv", preset)
    print(f"wrote {out_stem}.pdf, {out_stem}.png, {out_stem}.csv")
