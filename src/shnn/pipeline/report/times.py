"""The report's times: the paper's appendix times beside ours, judged only by what does not
depend on the hardware.

The paper timed its fits on one 64-core node (data/paper/PROVENANCE.md, hardware), ours run on
2-core machines: an absolute time is shown with its ratio but is no verdict. Two things are
judged instead:

- **relative cost**: each method's mean time over U-SWIM's at the same sweep point, ours
  against the paper's, within the factor :data:`RELATIVE_TOL`, at points where both U-SWIM
  means are at least :data:`MIN_SECONDS` (below that, start-up noise dominates);
- **growth**: the exponent k of time ~ value^k (width, or training-set size) per sweep and
  method, fitted over the points both have above :data:`MIN_SECONDS`: judged by whether
  both grow superlinearly (k > 1) or both do not, which is what the paper's claim reads. The
  exponent itself depends on the hardware, as the committed paper preset shows: at a fixed
  training-set size the least-squares solve's work grows as width^2, and 2 cores show about
  that (k = 2.0-2.6 here, 1000-5000 wide), while the paper's 64 threads are used better by
  the larger solves, which lowers its measured k (1.2-1.35).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from shnn.pipeline.aggregate import by_value
from shnn.pipeline.manifest import METHOD_LABELS
from shnn.pipeline.report.facts import AGREES, DIFFERS, SWEEP_ARTIFACT

#: Allowed factor between our and the paper's time relative to U-SWIM at the same point.
RELATIVE_TOL = 1.5
#: Points whose U-SWIM mean time (ours or the paper's) is below this are not judged.
MIN_SECONDS = 1.0
#: Not a verdict: an absolute time, or a point below :data:`MIN_SECONDS`.
SHOWN = "shown, not judged"


@dataclass(frozen=True)
class TimeRow:
    """One time of the paper beside ours: ``kind`` is ``time`` (mean fit seconds; ``paper``,
    ``ours``), ``relative`` (over U-SWIM at the same point) or ``exponent`` (growth)."""

    artifact: str
    kind: str
    method: str
    setting: str
    paper: float
    ours: float
    verdict: str
    note: str = ""


def _means(rows: list[dict[str, Any]], sweep_id: str) -> dict[float, dict[str, float]]:
    """``{value: {method: mean fit seconds}}`` of one sweep, points not run yet (NaN) left out."""
    means = by_value(rows, sweep_id, "time_mean")
    return {v: {m: t for m, t in by_method.items() if not math.isnan(t)}
            for v, by_method in means.items()}


def point_rows(sweep_id: str, key: str, ours: dict[float, dict[str, float]],
               paper: dict[float, dict[str, float]]) -> list[TimeRow]:
    """Per sweep point both have, per method: the absolute times, and (but for U-SWIM) the
    time over U-SWIM's, judged."""
    artifact = SWEEP_ARTIFACT[sweep_id]
    rows = []
    for value in sorted(ours.keys() & paper.keys()):
        o, p = ours[value], paper[value]
        setting = f"{sweep_id}, {key} {value:g}"
        for method in (m for m in p if m in o):
            label = METHOD_LABELS[method]
            rows.append(TimeRow(artifact, "time", label, setting, p[method], o[method], SHOWN,
                                f"ours / paper {o[method] / p[method]:.2f}"))
            if method == "uswim" or "uswim" not in o or "uswim" not in p:
                continue
            rel_o, rel_p = o[method] / o["uswim"], p[method] / p["uswim"]
            if min(o["uswim"], p["uswim"]) < MIN_SECONDS:
                rows.append(TimeRow(artifact, "relative", label, setting, rel_p, rel_o, SHOWN,
                                    f"U-SWIM below {MIN_SECONDS:g} s"))
                continue
            ok = 1 / RELATIVE_TOL <= rel_o / rel_p <= RELATIVE_TOL
            rows.append(TimeRow(artifact, "relative", label, setting, rel_p, rel_o,
                                AGREES if ok else DIFFERS, f"ratio {rel_o / rel_p:.2f}"))
    return rows


def exponent(values: list[float], seconds: list[float]) -> float:
    """The slope of log(seconds) against log(values) (least squares)."""
    return float(np.polyfit(np.log(values), np.log(seconds), 1)[0])


def exponent_rows(sweep_id: str, key: str, ours: dict[float, dict[str, float]],
                  paper: dict[float, dict[str, float]]) -> list[TimeRow]:
    """Per method: the growth exponent of time in the swept size (not for a swept system
    parameter), over the points both have where both U-SWIM means are above
    :data:`MIN_SECONDS`; judged when there are at least 3 such points."""
    if key not in ("width", "train_size"):
        return []
    values = sorted(v for v in ours.keys() & paper.keys() if v > 0
                    and min(ours[v].get("uswim", 0.0), paper[v].get("uswim", 0.0))
                    >= MIN_SECONDS)
    rows = []
    for method in (m for m in next(iter(paper.values()), {}) if values):
        if any(method not in ours[v] or method not in paper[v] for v in values):
            continue
        k_o = exponent(values, [ours[v][method] for v in values])
        k_p = exponent(values, [paper[v][method] for v in values])
        setting = f"{sweep_id}, {key} {values[0]:g}-{values[-1]:g} ({len(values)} points)"
        if len(values) < 3:
            rows.append(TimeRow(SWEEP_ARTIFACT[sweep_id], "exponent", METHOD_LABELS[method],
                                setting, k_p, k_o, SHOWN, "fewer than 3 points"))
            continue
        same = (k_o > 1) == (k_p > 1)
        rows.append(TimeRow(SWEEP_ARTIFACT[sweep_id], "exponent", METHOD_LABELS[method],
                            setting, k_p, k_o, AGREES if same else DIFFERS,
                            f"{'both' if same else 'not both'} "
                            f"{'superlinear' if k_p > 1 else 'sublinear'}; difference "
                            f"{k_o - k_p:+.2f}"))
    return rows


def time_rows(sweeps: dict[str, dict[str, Any]], summary: list[dict[str, Any]],
              paper: list[dict[str, Any]]) -> list[TimeRow]:
    """Every time row of the preset's ``sweeps`` (id -> settings, in the report's order) that
    the figure CSVs (``summary``) and the paper's appendix (``paper``) both have."""
    rows = []
    for sweep_id, sweep in sweeps.items():
        key = next(iter(sweep["vary"]))
        ours, theirs = _means(summary, sweep_id), _means(paper, sweep_id)
        rows += point_rows(sweep_id, key, ours, theirs)
        rows += exponent_rows(sweep_id, key, ours, theirs)
    return rows


#: What each kind of row is, in the report's table.
KIND_TEXT = {"time": "mean fit time (s)", "relative": "time / U-SWIM's at the same point",
             "exponent": "growth exponent of time"}


def markdown(rows: list[TimeRow], hardware: str) -> list[str]:
    """The report's "Times" section: the counts of the judged rows, then every row."""
    judged = [r for r in rows if r.verdict != SHOWN]
    agree = sum(r.verdict == AGREES for r in judged)
    lines = ["## Times", "",
             f"Hardware: the paper's times are from one 64-core node (data/paper/PROVENANCE.md, "
             f"hardware); ours {hardware}. Absolute times are shown, not judged. Judged: each "
             f"method's time over U-SWIM's at the same point (within {RELATIVE_TOL:g}x of the "
             f"paper's, where U-SWIM takes at least {MIN_SECONDS:g} s in both) and whether time "
             "grows superlinearly in width or training-set size, as in the paper (the exponent "
             "itself depends on the hardware: a 2-core machine shows the solve's width^2 work, "
             "the paper's 64 threads are used better by larger solves).", "",
             f"**{len(judged)} time comparisons**: {agree} agree, {len(judged) - agree} differ "
             f"({len(rows) - len(judged)} more rows shown, not judged).", "",
             "| artifact | quantity | method | setting | paper | ours | verdict | note |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r.artifact} | {KIND_TEXT[r.kind]} | {r.method} | {r.setting} | "
              f"{r.paper:.3g} | {r.ours:.3g} | {r.verdict} | {r.note} |" for r in rows]
    return lines
