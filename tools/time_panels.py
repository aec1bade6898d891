"""Are the paper figures' time panels smooth? Reads their CSVs (the plotted numbers) and checks
each method's curve: at every point whose mean is at least ``shnn.pipeline.suspect.MIN_SECONDS``,
the mean against the line through its neighbours (off by more than ``OFF_CURVE``?), and the
slowest fit against the mean (more than ``OUTLIER`` times?).

    python tools/time_panels.py [FIGURES_DIR] [--out FILE]

Prints one line per panel and method, and every point that fails; exit status 0 either way
(it reports, it does not judge a build).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from shnn.pipeline.suspect import MIN_SECONDS, OFF_CURVE, OUTLIER, point_reasons

#: The time panels of the paper's figures: (figure CSV, sweeps whose times it plots).
#: One panel's sweeps make one curve (fig06 plots dp and dp-wide as one width axis).
PANELS = (("fig02_single_pendulum.csv", ("sp-large",)),
          ("fig05_lotka_volterra_times.csv", ("lv-zero-small",)),
          ("fig05_lotka_volterra_times.csv", ("lv-zero-large",)),
          ("fig05_lotka_volterra_times.csv", ("lv-five",)),
          ("fig06_double_pendulum.csv", ("dp", "dp-wide")),
          ("fig07_henon_heiles.csv", ("hh",)))


def check(rows: list[dict[str, str]]) -> tuple[int, list[str]]:
    """``(points judged, failures)`` of one panel-method curve's CSV ``rows``."""
    means = {float(r["value"]): float(r["time_mean"]) for r in rows}
    highs = {float(r["value"]): float(r["time_max"]) for r in rows}
    failures = [f"{v:g}: mean {why.split('is ', 1)[1]}"
                for v, why in point_reasons({v: [m] for v, m in means.items()}).items()]
    failures += [f"{v:g}: slowest fit {highs[v]:.2f} s, {highs[v] / m:.2f}x the mean"
                 for v, m in means.items() if m >= MIN_SECONDS and highs[v] > OUTLIER * m]
    return sum(m >= MIN_SECONDS for m in means.values()), failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("figures", nargs="?", default="figures/paper")
    parser.add_argument("--out", help="also write the lines to this file")
    args = parser.parse_args()
    lines = [f"time panels of {args.figures}: a mean more than {OFF_CURVE:.0%} off its "
             f"neighbours' line, or a fit more than {OUTLIER:g}x its point's mean, at points "
             f"with a mean of at least {MIN_SECONDS:g} s"]
    for name, sweeps in PANELS:
        path = Path(args.figures) / name
        if not path.exists():
            lines.append(f"{name}: not rendered")
            continue
        with path.open() as fh:
            table = list(csv.DictReader(fh))
        methods = dict.fromkeys(r["method"] for r in table if r["sweep"] in sweeps)
        for method in methods:
            curve = [r for r in table if r["sweep"] in sweeps and r["method"] == method]
            judged, failures = check(curve)
            verdict = "smooth" if not failures else f"{len(failures)} off: " + "; ".join(failures)
            lines.append(f"{name} {'+'.join(sweeps)} {method}: {judged} points judged, {verdict}")
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
