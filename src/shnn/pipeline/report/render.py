"""The report's files: the rows as CSV, and rows and claims as Markdown."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from shnn.pipeline.report.claims import Claim
from shnn.pipeline.report.facts import (
    AGREES,
    DIFFERS,
    NOT_COMPARABLE,
    NOT_REPRODUCED,
    NOT_RUN,
    PARTLY,
    REPRODUCED,
)
from shnn.pipeline.report.rows import Row


def write_rows(rows: Iterable[Row], path: str | Path, preset: str) -> None:
    """The report rows as CSV, with a ``preset`` column."""
    rows = list(rows)
    with Path(path).open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["preset", *asdict(rows[0])])
        writer.writeheader()
        for r in rows:
            writer.writerow({"preset": preset, **{k: (f"{v:.6e}" if isinstance(v, float) else v)
                                                  for k, v in asdict(r).items()}})


def _num(v: float, fmt: str = ".2e") -> str:
    return "" if math.isnan(v) else format(v, fmt)


def markdown(rows: list[Row], claims: list[Claim], header: list[str],
             times: list[str] = ()) -> str:
    """The report as Markdown: header lines, verdict counts, claims, then every row, then the
    ``times`` section's lines (:func:`shnn.pipeline.report.times.markdown`).

    ``not run yet`` is counted only where some row or claim has it.
    """
    counts = {k: sum(r.verdict == k for r in rows)
              for k in (AGREES, DIFFERS, NOT_COMPARABLE, NOT_RUN)}
    claim_verdicts = [REPRODUCED, PARTLY, NOT_REPRODUCED, NOT_COMPARABLE]
    claim_verdicts += [NOT_RUN] if any(c.verdict == NOT_RUN for c in claims) else []
    lines = [*header, "",
             f"**{len(rows)} numbers**: {counts[AGREES]} agree, {counts[DIFFERS]} differ, "
             f"{counts[NOT_COMPARABLE]} not comparable at this preset"
             + (f", {counts[NOT_RUN]} {NOT_RUN}" if counts[NOT_RUN] else "") + ". "
             f"**{len(claims)} claims**: "
             + ", ".join(f"{sum(c.verdict == k for c in claims)} {k}"
                         for k in claim_verdicts) + ".",
             "", "## Qualitative claims", "", "| claim | verdict | evidence |", "|---|---|---|"]
    lines += [f"| {c.claim}: {c.text} | {c.verdict} | {c.evidence} |" for c in claims]
    lines += ["", "## Numbers", "",
              "| artifact | quantity | setting | paper | ours | ratio | tol. | verdict | note |",
              "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r.artifact} | {r.quantity} | {r.setting} | {_num(r.paper)} | {_num(r.ours)} "
              f"| {_num(r.ratio, '.2f')} | {r.tolerance:g}x | {r.verdict} | {r.note} |"
              for r in rows]
    lines += ["", *times] if times else []
    return "\n".join(lines) + "\n"


