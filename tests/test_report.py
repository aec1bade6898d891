"""The reproduction report: verdicts, comparability and the claim checks on synthetic data."""

import math

import pytest

from shnn import report


def _sweep(**overrides):
    sweep = {"system": "double_pendulum", "train_size": 20000, "test_size": 20000,
             "vary": {"width": [500, 1000]}, "data_seed": 3943, "model_seed": 992472}
    return {**sweep, **overrides}


def _paper(value, method, mean, lo=None, hi=None):
    return {"sweep": "dp", "value": value, "method": method, "err_mean": mean,
            "err_min": lo if lo is not None else mean / 2, "err_max": hi or mean * 2}


def _ours(value, method, mean, sweep="dp", repeats=3):
    return {"sweep": sweep, "value": value, "method": method, "err_mean": mean,
            "repeats": repeats, "time_mean": 1.0}


@pytest.mark.parametrize("ours, tol, expected", [(1.9, 2, "agrees"), (0.51, 2, "agrees"),
                                                 (2.1, 2, "differs"), (0.3, 3, "differs")])
def test_verdict_is_symmetric_in_the_factor(ours, tol, expected):
    ratio, verdict = report.verdict(ours, 1.0, tol)
    assert ratio == ours and verdict == expected


def test_tolerances_follow_the_issues():
    assert report.tolerance("dp", "elm") == 2
    assert report.tolerance("hh", "elm") == 3 and report.tolerance("hh", "aswim") == 2
    assert report.tolerance("sp-small", "swim") == 3 and report.tolerance("dp", "hnn") == 5


def test_sweep_rows_compare_shared_points_and_flag_key_points_not_computed():
    paper = [_paper(500.0, "elm", 6e-2), _paper(5000.0, "elm", 5.69e-3),
             _paper(1500.0, "elm", 2e-2)]
    ours = [_ours(500, "elm", 2e-1)]
    rows = report.sweep_rows("dp", _sweep(), ours, paper)
    by = {r.setting: r for r in rows}
    assert by["dp, width 500"].verdict == "differs"
    assert by["dp, width 500"].ratio == pytest.approx(2e-1 / 6e-2)
    assert "outside the paper's min-max band" in by["dp, width 500"].note
    assert by["dp, width 5000"].verdict == report.NOT_COMPARABLE
    assert "not computed" in by["dp, width 5000"].note
    assert "dp, width 1500" not in by  # neither computed nor a key number: left out


def test_sweep_rows_with_other_data_sizes_are_not_comparable():
    rows = report.sweep_rows("dp", _sweep(train_size=1000), [_ours(1500, "elm", 6e-2)],
                             [_paper(1500.0, "elm", 6e-2)])
    assert rows == []  # width 1500 is no key number, and the sizes differ: not reported
    rows = report.sweep_rows("dp", _sweep(train_size=1000), [_ours(5000, "elm", 6e-3)],
                             [_paper(5000.0, "elm", 5.69e-3)])
    assert rows[0].verdict == report.NOT_COMPARABLE
    assert "train_size 1000 (paper 20000)" in rows[0].note


def test_table_rows_hnn_needs_the_papers_steps_and_width():
    table = [{"system": "Double pendulum", "method": "hnn", "steps": 5000, "width": 2000,
              "repeats": 1, "err": 0.1, "paper_err": 3.62e-3},
             {"system": "Double pendulum", "method": "elm", "steps": "", "width": 2000,
              "repeats": 3, "err": 1.5e-2, "paper_err": 5.69e-3}]
    rows = report.table_rows("tab02", table, {"Double pendulum": (180000, 5000)},
                             {"Double pendulum": "width 2000 (paper 5000)"},
                             {"Double pendulum": "dp"})
    assert [r.verdict for r in rows] == [report.NOT_COMPARABLE] * 2
    assert "5000 steps (paper 180000)" in rows[0].note and "width 2000" in rows[0].note
    table[0].update(steps=180000, width=5000, err=7e-3)
    rows = report.table_rows("tab02", table, {"Double pendulum": (180000, 5000)},
                             {"Double pendulum": ""}, {"Double pendulum": "dp"})
    assert rows[0].verdict == "agrees" and rows[1].verdict == "differs"


def test_energy_rows_compare_deviations_from_one():
    paper = [{"quantity": "shnn_energy_max", "value": 1.0003},
             {"quantity": "smlp_traj_err_peak", "value": 0.016}]
    rows = report.energy_rows({"shnn_energy_max": 1.0005, "smlp_traj_err_peak": 0.05}, paper, [])
    assert rows[0].ratio == pytest.approx(0.0005 / 0.0003, rel=1e-6)
    assert rows[0].verdict == "agrees" and rows[1].verdict == "differs"


def _summary_dp(spread):
    out = []
    for width, base in ((500, 4e-2), (1000, 2e-2), (2000, 1e-2)):
        for k, method in enumerate(("elm", "uswim", "aswim", "swim")):
            out.append(_ours(width, method, base * (1 + k * (spread - 1) / 3)))
    return out


def test_claim_dp_close():
    assert report.claim_dp_close(_summary_dp(1.5)).verdict == report.REPRODUCED
    assert report.claim_dp_close(_summary_dp(3.0)).verdict == report.PARTLY


def test_claim_hh_gap():
    rows = [_ours(a, m, e, sweep="hh") for a in (0.0, 1.0)
            for m, e in (("elm", 1e-2), ("uswim", 1e-6), ("aswim", 1e-6), ("swim", 1e-6))]
    assert report.claim_hh_gap(rows).verdict == report.REPRODUCED
    rows[0]["err_mean"] = 1e-5  # ELM at alpha 0 only 10x worse
    claim = report.claim_hh_gap(rows)
    assert claim.verdict == report.NOT_REPRODUCED and "alpha 0" in claim.evidence


def test_claim_aswim_equals_swim_counts_identical_errors():
    runs = []
    for r in range(4):
        runs.append({"sweep": "sp-small", "value": 1000, "repeat": r, "method": "swim",
                     "test_rel_l2_H": 1e-9 + r})
        runs.append({"sweep": "sp-small", "value": 1000, "repeat": r, "method": "aswim",
                     "test_rel_l2_H": 1e-9 + r if r < 3 else 5.0})
    claim = report.claim_aswim_equals_swim(runs)
    assert "single pendulum 3/4" in claim.evidence and claim.verdict == report.REPRODUCED


def test_claims_on_other_data_sizes_are_not_comparable():
    config = {"sweeps": {"dp": _sweep(train_size=1000)}}
    claim = report.at_preset(report.claim_dp_close(_summary_dp(1.5)), config)
    assert claim.verdict == report.NOT_COMPARABLE and "dp train_size 1000" in claim.evidence
    config = {"sweeps": {"dp": _sweep()}}
    assert report.at_preset(report.claim_dp_close(_summary_dp(1.5)), config).verdict == \
        report.REPRODUCED


def test_markdown_and_csv(tmp_path):
    rows = [report.Row("fig06", "ELM mean test error of H", "dp, width 500", 6e-2, 6.1e-2,
                       6.1e-2 / 6e-2, 2.0, "agrees", "mean over 3"),
            report.Row("fig06", "ELM mean test error of H", "dp, width 5000", 5.69e-3,
                       math.nan, math.nan, 2.0, report.NOT_COMPARABLE, "not computed")]
    claims = [report.Claim("DP", "close", report.REPRODUCED, "ratio 1.5")]
    md = report.markdown(rows, claims, ["# Report"])
    assert "**2 numbers**: 1 agree, 0 differ, 1 not comparable" in md
    assert "| fig06 | ELM mean test error of H | dp, width 5000 | 5.69e-03 |  |  |" in md
    report.write_rows(rows, tmp_path / "r.csv", "default")
    back = report.read_rows(tmp_path / "r.csv")
    assert back[0]["preset"] == "default" and back[0]["verdict"] == "agrees"
