"""Tables 1 and 2 (shnn.pipeline.tables): rows beside the paper's, speed-ups, the three files."""

import math
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


TABLE1_CASES = {"sp": ("Single pendulum", "D")}
LABELS = {"hnn": "HNN", "elm": "ELM", "aswim": "A-SWIM"}


def _table1() -> list[dict]:
    hnn = {"sp": {"test_rel_l2_H": 1e-2, "fit_seconds": 30.0, "steps": 200}}
    sampled = {"sp": {"elm": {"repeats": 3, "err_mean": 1e-3, "time_mean": 2.0},
                      "aswim": {"repeats": 3, "err_mean": 1e-4, "time_mean": 4.0}}}
    paper_hnn = {"sp": {"err": "2e-2", "seconds": "12.9", "steps": "15000"}}
    paper = {"sp": {"elm": {"err_mean": 2e-3, "time_mean": 0.5}}}  # no A-SWIM point here
    return tables.table1_rows(TABLE1_CASES, hnn, sampled, paper_hnn, paper, METHODS)


def test_table1_rows_are_the_csv_columns_in_order_with_nan_where_the_paper_has_no_point():
    rows = {r["method"]: r for r in _table1()}
    assert list(rows) == ["hnn", *METHODS]
    columns = ["system", "domain", "method", "err", "seconds", "repeats", "steps", "paper_err",
               "paper_seconds", "paper_steps", "ratio"]
    assert all(list(r) == columns for r in rows.values())
    assert rows["hnn"]["repeats"] == 1 and rows["hnn"]["paper_steps"] == 15000
    assert rows["hnn"]["paper_seconds"] == 12.9 and rows["hnn"]["ratio"] == pytest.approx(0.5)
    assert rows["elm"]["steps"] == rows["elm"]["paper_steps"] == ""
    assert rows["elm"]["repeats"] == 3 and rows["elm"]["ratio"] == pytest.approx(0.5)
    assert math.isnan(rows["aswim"]["paper_err"]) and math.isnan(rows["aswim"]["paper_seconds"])
    assert math.isnan(rows["aswim"]["ratio"])


def test_at_value_keeps_the_first_row_of_each_method_at_that_value():
    rows = [{"value": 100, "method": "elm", "i": 0}, {"value": 100.0, "method": "elm", "i": 1},
            {"value": 200, "method": "aswim", "i": 2}]
    assert tables.at_value(rows, 100.0) == {"elm": rows[0]}
    assert tables.at_value(rows, 300) == {}


def test_best_is_the_smallest_and_the_first_on_a_tie():
    assert tables.best({"a": {"e": 2.0}, "b": {"e": 1.0}}, "e") == "b"
    assert tables.best({"a": {"e": 1.0}, "b": {"e": 1.0}}, "e") == "a"


def test_table1_lines_bold_the_best_error_of_each_case():
    rows, columns = _table1(), ["hnn", *METHODS]
    assert tables.table1_lines(rows, TABLE1_CASES, columns, "err", "seconds") == [
        "| Single pendulum | $D$ | 1.00e-02 (30.0 s) | 1.00e-03 (2.0 s) "
        "| **1.00e-04 (4.0 s)** |"]
    assert tables.table1_lines(rows, TABLE1_CASES, columns, "err", "seconds", latex=True) == [
        r"Single pendulum & $D$ & 1.00e-02 (30.0 s) & 1.00e-03 (2.0 s) "
        r"& \textbf{1.00e-04 (4.0 s)} \\"]
    # the paper has no A-SWIM point: shown as nan, and never the best
    assert tables.table1_lines(rows, TABLE1_CASES, columns, "paper_err", "paper_seconds") == [
        "| Single pendulum | $D$ | 2.00e-02 (12.9 s) | **2.00e-03 (0.5 s)** | nan (nan s) |"]


def test_seconds_text():
    assert tables.seconds_text(12.345) == "12.3"
    assert tables.seconds_text(1.0) == "1.0"
    assert tables.seconds_text(0.0123) == "0.012"
    assert tables.seconds_text(0.5) == "0.5"


def test_table2_lines_bold_the_best_time_and_error_of_each_system():
    rows, columns = _table2(), ["hnn", *METHODS]
    cases = {"dp": "Double pendulum"}
    assert tables.table2_lines(rows, cases, columns, LABELS, "err", "seconds", "speedup") == [
        "| HNN | 100.0 | 1.00e-02 |", "| ELM | **2.0** (50x) | 1.00e-03 |",
        "| A-SWIM | 4.0 (25x) | **1.00e-04** |"]
    assert tables.table2_lines(rows, cases, columns, LABELS, "paper_err", "paper_seconds",
                               "paper_speedup") == [
        "| HNN | 1000.0 | 3.00e-02 |", "| ELM | **10.0** (100x) | 2.00e-03 |",
        "| A-SWIM | 20.0 (50x) | **1.00e-04** |"]
    latex = tables.table2_lines(rows, cases, columns, LABELS, "err", "seconds", "speedup",
                                latex=True)
    assert latex[1] == r"ELM & \textbf{2.0} (50x) & 1.00e-03 \\"
