"""The report's times: absolute times shown, relative costs and growth exponents judged."""

from __future__ import annotations

from pathlib import Path

import pytest

from shnn.pipeline import aggregate
from shnn.pipeline.config import load
from shnn.pipeline.report import AGREES, DIFFERS, times

ROOT = Path(__file__).resolve().parents[1]
EPS = 1.01


def _point(uswim: float, **others: float) -> dict[str, float]:
    return {"elm": uswim, "uswim": uswim, "aswim": 2 * uswim, "swim": uswim, **others}


def test_relative_cost_is_judged_against_the_papers_within_its_tolerance():
    paper = {1000.0: _point(2.0)}
    inside = {1000.0: _point(5.0, aswim=2 * 5.0 * times.RELATIVE_TOL / EPS)}
    outside = {1000.0: _point(5.0, aswim=2 * 5.0 * times.RELATIVE_TOL * EPS)}
    for ours, expected in ((inside, AGREES), (outside, DIFFERS)):
        rows = times.point_rows("sp-small", "width", ours, paper)
        [aswim] = [r for r in rows if r.kind == "relative" and r.method == "A-SWIM"]
        assert aswim.verdict == expected and aswim.paper == 2.0
    absolute = [r for r in times.point_rows("sp-small", "width", inside, paper)
                if r.kind == "time"]
    assert len(absolute) == 4 and {r.verdict for r in absolute} == {times.SHOWN}


def test_a_point_below_a_second_is_shown_not_judged():
    rows = times.point_rows("sp-small", "width", {100.0: _point(0.5, aswim=9.0)},
                            {100.0: _point(2.0)})
    assert {r.verdict for r in rows} == {times.SHOWN}


@pytest.mark.parametrize("paper_k, ours_k, expected", [
    (1.2, 2.0, AGREES), (0.8, 0.9, AGREES), (1.1, 1 / EPS, DIFFERS), (1 / EPS, 1.5, DIFFERS)])
def test_growth_is_judged_by_whether_both_are_superlinear(paper_k, ours_k, expected):
    widths = [1000.0, 2000.0, 4000.0]
    paper = {w: _point(2.0 * (w / 1000) ** paper_k) for w in widths}
    ours = {w: _point(3.0 * (w / 1000) ** ours_k) for w in widths}
    rows = times.exponent_rows("dp", "width", ours, paper)
    assert {r.verdict for r in rows} == {expected}
    assert rows[0].paper == pytest.approx(paper_k) and rows[0].ours == pytest.approx(ours_k)
    assert times.exponent_rows("hh", "alpha", ours, paper) == []  # not a size


def test_every_time_check_agrees_on_the_papers_own_numbers():
    paper = aggregate.load_paper(ROOT / "data" / "paper" / "sweeps.csv")
    sweeps = {k: v for k, v in load(ROOT / "config" / "paper.yaml")["sweeps"].items()
              if "continues" not in v}
    rows = times.time_rows(sweeps, paper, paper)
    judged = [r for r in rows if r.verdict != times.SHOWN]
    assert len(judged) > 100 and {r.verdict for r in judged} == {AGREES}
    section = "\n".join(times.markdown(rows, "here"))
    assert f"**{len(judged)} time comparisons**: {len(judged)} agree, 0 differ" in section
