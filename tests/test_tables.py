"""Tables 1 and 2 (shnn.pipeline.tables): rows beside the paper's, speed-ups, the three files."""

from pathlib import Path

import pytest

from shnn.pipeline import tables

METHODS = ("elm", "aswim")


def _table2(hnn_seconds: float = 100.0) -> list[dict]:
    hnn = {"dp": {"width": 50, "steps": 200, "test_rel_l2_H": 1e-2, "fit_seconds": hnn_seconds}}
    sampled = {"dp": {"elm": {"repeats": 3, "err_mean": 1e-3, "time_mean": 2.0},
                      "aswim": {"repeats": 3, "err_mean": 1e-4, "time_mean": 4.0}}}
    paper_hnn = {"dp": {"err": "3e-2", "seconds": "1000"}}
    paper = {"dp": {"elm": {"err_mean": 2e-3, "time_mean": 10.0},
                    "aswim": {"err_mean": 1e-4, "time_mean": 20.0}}}
    return tables.table2_rows({"dp": "Double pendulum"}, hnn, sampled, paper_hnn, paper,
                              METHODS)


def test_table2_speedups_are_the_hnn_time_over_each_methods_of_the_same_source():
    rows = {r["method"]: r for r in _table2()}
    assert list(rows) == ["hnn", *METHODS]
    assert rows["hnn"]["speedup"] == rows["hnn"]["paper_speedup"] == 1.0
    assert rows["elm"]["speedup"] == 50.0 and rows["aswim"]["speedup"] == 25.0
    # the paper's speed-up uses the paper's HNN time and the paper's sampled time
    assert rows["elm"]["paper_speedup"] == 100.0 and rows["aswim"]["paper_speedup"] == 50.0
    # a slower HNN gives a proportionally larger speed-up; our errors and ratios don't move
    slow = {r["method"]: r for r in _table2(hnn_seconds=400.0)}
    assert slow["aswim"]["speedup"] == 4 * rows["aswim"]["speedup"]
    assert slow["aswim"]["paper_speedup"] == rows["aswim"]["paper_speedup"]


def test_ratios_are_ours_over_the_papers():
    rows = {r["method"]: r for r in _table2()}
    assert rows["elm"]["ratio"] == pytest.approx(0.5)
    assert rows["hnn"]["ratio"] == pytest.approx(1 / 3)


def test_files(tmp_path: Path):
    rows = _table2()
    tables.write_csv(rows, tmp_path / "t.csv", "smoke", width=50)
    header, first = (tmp_path / "t.csv").read_text().splitlines()[:2]
    assert header.split(",")[:3] == ["preset", "width", "system"]
    assert first.startswith("smoke,50,Double pendulum,hnn,50,200,1,1.000000e-02")
    body = [tables.table_line(["a", tables.bold("b", True)])]
    md = tables.markdown("T", "cap", ["x", "y"], body, "Paper:", body)
    assert md.splitlines() == ["# T", "", "cap", "", "| x | y |", "|---|---|", "| a | **b** |",
                               "", "Paper:", "", "| x | y |", "|---|---|", "| a | **b** |"]
    tex = tables.latex("cap", "ll", ["x", "y"], [tables.table_line(
        ["a", tables.bold("b", True, latex=True)], latex=True)])
    assert r"\begin{tabular}{ll}" in tex and r"a & \textbf{b} \\" in tex
    assert tables.log10_lines(rows[:1], "system", 16) == ["Double pendulum  hnn     -2.0"]
