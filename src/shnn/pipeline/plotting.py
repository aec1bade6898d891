"""One plotting style for all figures: the paper's colours and markers (as in its figures)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb

from shnn.pipeline.manifest import BASELINE, METHOD_LABELS, METHODS

#: Legend label, colour and marker of each method, in the paper's legend order.
#: (``edge``: an outline colour for a colour that is hard to see on white.)
METHOD_STYLE: dict[str, dict[str, str]] = {
    "elm": {"label": METHOD_LABELS["elm"], "color": "#05c9ff", "marker": "+"},
    "uswim": {"label": METHOD_LABELS["uswim"], "color": "#ff0000", "marker": "."},
    "aswim": {"label": METHOD_LABELS["aswim"], "color": "#28fa02", "marker": "x"},
    "swim": {"label": METHOD_LABELS["swim"], "color": "#ffff00", "marker": "*",
             "edge": "0.35"},  # yellow on white: a grey outline keeps it visible
    BASELINE: {"label": f"{METHOD_LABELS[BASELINE]} (Adam)", "color": "#000000", "marker": "s"},
}
METHOD_ORDER: tuple[str, ...] = METHODS
ERROR_LABEL = r"Rel. $L^2$ error on log10 scale"
TIME_LABEL = "Time [s]"


def apply_style() -> None:
    """Serif fonts with Computer Modern maths (LaTeX look without a LaTeX install)."""
    plt.rcParams.update({
        "font.family": "serif",
        "mathtext.fontset": "cm",
        "font.size": 10,
        "axes.titlesize": 10,
        "legend.fontsize": 8,
        "figure.dpi": 120,
        "savefig.dpi": 200,
        "savefig.bbox": "tight",
        "svg.hashsalt": "sampled-hnn",  # fixed ids in an SVG: the same figure, the same bytes
    })


def plot_band(ax: plt.Axes, x: Sequence[float], mean: Sequence[float], lo: Sequence[float],
              hi: Sequence[float], method: str, log10: bool, **kwargs) -> None:
    """Mean line with markers and a min-max band (alpha 0.2); optionally on log10 values."""
    style = METHOD_STYLE[method]
    f = np.log10 if log10 else np.asarray
    if "edge" in style:  # a thin outline: a slightly wider line beneath, edged markers
        ax.plot(x, f(mean), color=style["edge"], linewidth=2.2, zorder=1.9)
        kwargs = {"markeredgecolor": style["edge"], "markeredgewidth": 0.6, **kwargs}
    ax.plot(x, f(mean), color=style["color"], marker=style["marker"], label=style["label"],
            **kwargs)
    ax.fill_between(x, f(lo), f(hi), color=style["color"], alpha=0.2, linewidth=0)


def plot_paper_mean(ax: plt.Axes, x: Sequence[float], mean: Sequence[float], method: str,
                    log10: bool) -> None:
    """The paper's mean curve: thin and dashed, in a darker shade of the method's colour, drawn
    on top of ours so that it stays visible where the two coincide."""
    f = np.log10 if log10 else np.asarray
    ax.plot(x, f(mean), color=paper_color(method), linestyle="--", linewidth=0.9, zorder=3)


def paper_color(method: str) -> tuple[float, float, float]:
    """The method's colour at 60% brightness: the paper's curves over ours."""
    red, green, blue = to_rgb(METHOD_STYLE[method]["color"])
    return (0.6 * red, 0.6 * green, 0.6 * blue)


def paper_legend_entry(ax: plt.Axes) -> None:
    """A legend entry for the paper's curves ("paper (dashed)"), drawn by no data."""
    ax.plot([], [], color="0.3", linestyle="--", linewidth=0.9, label="paper (dashed)")


def finish_axes(ax: plt.Axes, xlabel: str, ylabel: str, title: str) -> None:
    """Labels, title, rotated x ticks, light grid."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=60)
    ax.grid(alpha=0.3)


def sweep_panel(ax: plt.Axes, summary: list[dict], paper: list[dict], sweep: str, kind: str,
                xlabel: str, title: str, methods: Sequence[str] = METHOD_ORDER) -> None:
    """One panel of a sweep figure: ours (mean line, min-max band) over the paper's mean.

    ``kind`` is ``"err"`` (log10 of the test error) or ``"time"`` (fit seconds, linear);
    ``summary`` and ``paper`` are rows of :func:`shnn.pipeline.aggregate.summarize` and
    :func:`shnn.pipeline.aggregate.load_paper`.
    """
    from shnn.pipeline.aggregate import series

    log10 = kind == "err"
    shown = False
    for method in methods:
        px, pmean = series(paper, sweep, method, f"{kind}_mean")
        if px.size:
            plot_paper_mean(ax, px, pmean, method, log10)
            shown = True
        x, mean = series(summary, sweep, method, f"{kind}_mean")
        _, lo = series(summary, sweep, method, f"{kind}_min")
        _, hi = series(summary, sweep, method, f"{kind}_max")
        plot_band(ax, x, mean, lo, hi, method, log10)
    if shown:
        paper_legend_entry(ax)
    finish_axes(ax, xlabel, ERROR_LABEL if log10 else TIME_LABEL, title)


def save_figure(fig: plt.Figure, out_stem: str) -> None:
    """Write ``out_stem.pdf`` and ``out_stem.png``."""
    from pathlib import Path

    Path(out_stem).parent.mkdir(parents=True, exist_ok=True)
    # no creation date in the PDF: a render of unchanged inputs is byte-identical
    fig.savefig(f"{out_stem}.pdf", metadata={"CreationDate": None})
    fig.savefig(f"{out_stem}.png")
