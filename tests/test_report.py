"""The reproduction report: verdicts, comparability and the claim checks on synthetic data."""

import math
from pathlib import Path

import pytest

from shnn.pipeline import report

ROOT = Path(__file__).resolve().parents[1]


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


# ---------------------------------------------------------------------------------------
# A preset with a store_dir reports over the artifacts done so far ("not run yet")

def _progress(done, total):
    from shnn.pipeline.progress import Progress

    return Progress(done, total, 60.0)


@pytest.fixture
def progress(monkeypatch):
    """A stubbed ``shnn.pipeline.progress.artifact_progress``: fig06 35% of its fits, tab02 80%
    of its fits and 10% of its Adam steps; records the configs and inputs it was called
    with."""
    calls = []

    def artifact_progress(config, costs=None, inputs=None):
        calls.append((config, inputs))
        return {"fig06_double_pendulum": {"fits": _progress(35, 100)},
                "tab02_chaotic": {"fits": _progress(8, 10), "steps": _progress(1, 10)},
                "fig09_error_correction": {"notebook": _progress(0, 1)}}

    monkeypatch.setattr("shnn.pipeline.progress.artifact_progress", artifact_progress)
    return calls


def test_read_artifact_missing_without_store_dir_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="fig06_double_pendulum.csv"):
        report.read_artifact(tmp_path, "fig06_double_pendulum", {"preset": "default"})
    assert report.read_artifact(tmp_path, "fig06_double_pendulum", {"store_dir": "s"}) is None
    report.write_rows([report.Row("fig06", "q", "s", 1.0, 1.0, 1.0, 2.0, "agrees")],
                      tmp_path / "fig06_double_pendulum.csv", "default")
    assert report.read_artifact(tmp_path, "fig06_double_pendulum", {})[0]["verdict"] == "agrees"


def test_not_run_notes_from_the_store(progress):
    notes = report.not_run_notes({"store_dir": "s"}, ["fig06_double_pendulum", "tab02_chaotic",
                                                     "fig09_error_correction"])
    assert notes == {"fig06_double_pendulum": {"fits": "35% of its fits done"},
                     "tab02_chaotic": {"fits": "80% of its fits done",
                                       "steps": "10% of its Adam steps done"},
                     "fig09_error_correction": {
                         "notebook": "its notebook not rendered, about 1 min of work"}}
    assert report.not_run_notes({"store_dir": "s"}, []) == {}
    assert report.not_run_notes({}, ["fig06_double_pendulum"]) == {"fig06_double_pendulum": {}}
    assert len(progress) == 1  # asked only with a store_dir and something missing
    # the per-input progress the report read once is passed on, not read again
    inputs = {("fits", "dp"): _progress(35, 100)}
    report.not_run_notes({"store_dir": "s"}, ["fig06_double_pendulum"], inputs)
    assert progress[-1] == ({"store_dir": "s"}, inputs)


def test_sweep_rows_not_run_list_the_rows_it_will_have(progress):
    not_run = report.not_run_notes({"store_dir": "s"}, ["fig06_double_pendulum"])
    paper = [_paper(500.0, "elm", 6e-2), _paper(1000.0, "elm", 2e-2),
             _paper(1500.0, "elm", 2e-2), _paper(5000.0, "elm", 5.69e-3)]
    sweep = {**_sweep(), "repeats": 3, "methods": ["elm", "swim"]}
    rows = report.sweep_rows("dp", sweep, None, paper, not_run["fig06_double_pendulum"])
    by = {r.setting: r for r in rows}
    # widths 500 and 1000 are planned, 5000 is a key number; 1500 neither: left out as when run
    assert list(by) == ["dp, width 500", "dp, width 1000", "dp, width 5000"]
    assert {r.verdict for r in rows} == {report.NOT_RUN}
    assert all(math.isnan(r.ours) and math.isnan(r.ratio) for r in rows)
    assert by["dp, width 500"].note == "not run yet: 35% of its fits done"
    assert by["dp, width 500"].paper == 6e-2 and by["dp, width 500"].artifact == "fig06"
    assert by["dp, width 500"].quantity == "ELM mean test error of H"
    assert "not comparable at this preset even then: width 5000 not computed" in \
        by["dp, width 5000"].note


def test_table_rows_not_run_hnn_note_from_adam_steps(progress):
    not_run = report.not_run_notes({"store_dir": "s"}, ["tab02_chaotic"])
    config = {"hnn": {c: {"width": 5000, "steps": 180000} for c in ("dp", "hh")},
              "sweeps": {c: {"repeats": 10} for c in ("dp", "hh")}}
    paper_hnn = [{"case": c, "version": v, "err": e, "steps": 180000}
                 for c, e in (("dp", 3.62e-3), ("hh", 6.68e-4)) for v in (1, 3)]
    paper = [{"sweep": "dp", "value": 5000.0, "method": m, "err_mean": 5e-3}
             for m in ("elm", "uswim", "aswim", "swim")]
    table = report.planned_table("tab02_chaotic", config, paper, paper_hnn)
    assert len(table) == 10 and all(math.isnan(r["err"]) for r in table)
    systems = {"Double pendulum": "dp", "Hénon-Heiles (α = 1)": "hh"}
    rows = report.table_rows("tab02", table, {s: (180000, 5000) for s in systems},
                             dict.fromkeys(systems, ""), systems, not_run["tab02_chaotic"])
    assert {r.verdict for r in rows} == {report.NOT_RUN}
    assert rows[0].quantity == "HNN test error of H" and rows[0].paper == 3.62e-3
    assert rows[0].note == "not run yet: 10% of its Adam steps done"
    assert rows[1].note == "not run yet: 80% of its fits done" and rows[1].paper == 5e-3
    assert math.isnan(rows[6].paper)  # no Hénon-Heiles sampled number in this paper stub


def test_planned_tables_match_the_committed_default_tables():
    from shnn.pipeline.config import load

    config = load(ROOT / "config/default.yaml")
    paper = report.read_rows(ROOT / "data/paper/sweeps.csv")
    paper_hnn = report.read_rows(ROOT / "data/paper/hnn.csv")
    for name in ("tab01_accuracy", "tab02_chaotic"):
        real = report.read_rows(ROOT / f"figures/{name}.csv")
        planned = report.planned_table(name, config, paper, paper_hnn)
        keys = ("system", "method", "width", "steps", "paper_err", "repeats")
        assert [[r[k] for k in keys] for r in planned] == [[r[k] for k in keys] for r in real]
        assert [r.get("domain", "") for r in planned] == [r.get("domain", "") for r in real]


def test_planned_sweep_rows_match_the_committed_default_figures():
    from shnn.pipeline.config import load

    config = load(ROOT / "config/default.yaml")
    paper = report.read_rows(ROOT / "data/paper/sweeps.csv")
    for sweep_id, artifact in report.SWEEP_ARTIFACT.items():
        real = report.read_rows(ROOT / f"figures/{report.ARTIFACTS[artifact]}.csv")
        done = report.sweep_rows(sweep_id, config["sweeps"][sweep_id], real, paper)
        pending = report.sweep_rows(sweep_id, config["sweeps"][sweep_id], None, paper)
        assert [(r.artifact, r.quantity, r.setting, r.paper) for r in pending] == \
            [(r.artifact, r.quantity, r.setting, r.paper) for r in done]
        assert {r.verdict for r in pending} == {report.NOT_RUN}


def test_correction_and_energy_rows_not_run():
    paper = [{"h": 0.05, "err_uncorrected": 7.42e-3, "err_corrected": 1.04e-4}]
    rows = report.correction_rows(None, paper, [], not_run={"notebook": "x"})
    assert [(r.quantity.split()[0], r.paper, r.verdict, r.note) for r in rows] == [
        ("uncorrected", 7.42e-3, report.NOT_RUN, "not run yet: x"),
        ("corrected", 1.04e-4, report.NOT_RUN, "not run yet: x")]
    rows = report.energy_rows(None, [{"quantity": "shnn_energy_max", "value": 1.0003}], [])
    assert rows[0].paper == pytest.approx(3e-4) and rows[0].note == report.NOT_RUN
    assert math.isnan(rows[0].ours)


def test_claims_reading_a_missing_artifact_are_not_run(progress):
    not_run = report.not_run_notes({"store_dir": "s"}, ["fig06_double_pendulum"])
    claim = report.not_run_claim("DP", not_run)
    assert claim.verdict == report.NOT_RUN and claim.text == report.CLAIM_TEXT["DP"]
    assert claim.evidence == "not run yet: fig06_double_pendulum (35% of its fits done)"
    assert report.not_run_claim("5", not_run).verdict == report.NOT_RUN
    assert report.not_run_claim("1", not_run) is None  # reads fig02 and fig04 only
    assert [c for c, arts in report.CLAIM_ARTIFACTS.items()
            if "fig06_double_pendulum" in arts] == ["4", "5", "DP"]
    config = {"sweeps": {"dp": _sweep(train_size=1000)}}
    marked = report.at_preset(claim, config)  # stays not run, the differing sizes added
    assert marked.verdict == report.NOT_RUN and "dp train_size 1000" in marked.evidence


def test_markdown_counts_not_run_only_when_present():
    row = report.Row("fig06", "q", "s", 1.0, math.nan, math.nan, 2.0, report.NOT_RUN,
                     "not run yet: 35% of its fits done")
    claims = [report.Claim("DP", "close", report.NOT_RUN, "not run yet: fig06")]
    md = report.markdown([row], claims, ["# Report"])
    assert ("**1 numbers**: 0 agree, 0 differ, 0 not comparable at this preset, 1 not run "
            "yet. **1 claims**: 0 reproduced, 0 partly reproduced, 0 not reproduced, 0 not "
            "comparable at this preset, 1 not run yet.") in md
    assert "| s | 1.00e+00 |  |  | 2x | not run yet | not run yet: 35% of its fits done |" in md
    md = report.markdown([], [], ["# Report"])
    assert "0 not comparable at this preset. **0 claims**" in md and "not run" not in md


def test_table_rows_not_run_say_how_far_their_own_input_is(progress):
    """A row of a table not run yet reads its own baseline's steps or sweep's fits (the
    double pendulum's HNN at 0% while the Hénon-Heiles one is at 22%), and a row whose input
    is complete says what the table still waits for."""
    not_run = report.not_run_notes({"store_dir": "s"}, ["tab02_chaotic"])
    inputs = {("steps", "dp"): _progress(0, 10), ("steps", "hh"): _progress(22, 100),
              ("fits", "dp"): _progress(0, 40), ("fits", "hh"): _progress(40, 40)}
    config = {"hnn": {c: {"width": 5000, "steps": 180000} for c in ("dp", "hh")},
              "sweeps": {c: {"repeats": 10} for c in ("dp", "hh")}}
    paper_hnn = [{"case": c, "version": v, "err": e, "steps": 180000}
                 for c, e in (("dp", 3.62e-3), ("hh", 6.68e-4)) for v in (1, 3)]
    table = report.planned_table("tab02_chaotic", config, [], paper_hnn)
    systems = {"Double pendulum": "dp", "Hénon-Heiles (α = 1)": "hh"}
    rows = report.table_rows("tab02", table, {s: (180000, 5000) for s in systems},
                             dict.fromkeys(systems, ""), systems, not_run["tab02_chaotic"],
                             inputs)
    notes = {(r["system"], r["method"]): row.note for r, row in zip(table, rows, strict=True)}
    assert notes[("Double pendulum", "hnn")] == "not run yet: 0% of its Adam steps done"
    assert notes[("Hénon-Heiles (α = 1)", "hnn")] == "not run yet: 22% of its Adam steps done"
    assert notes[("Double pendulum", "elm")] == "not run yet: 0% of its fits done"
    assert notes[("Hénon-Heiles (α = 1)", "elm")] == (
        "not run yet: all its fits done; the table waits for the rest "
        "(80% of its fits done; 10% of its Adam steps done)")
    # without per-input progress (no store), the whole table's
    rows = report.table_rows("tab02", table, {s: (180000, 5000) for s in systems},
                             dict.fromkeys(systems, ""), systems, not_run["tab02_chaotic"])
    assert rows[0].note == "not run yet: 10% of its Adam steps done"


def test_input_progress_only_with_a_store(monkeypatch):
    calls = []

    def input_progress(config):
        calls.append(config)
        return {("fits", "dp"): _progress(1, 2)}

    monkeypatch.setattr("shnn.pipeline.progress.input_progress", input_progress)
    assert report.input_progress({}) == {}
    assert report.input_progress({"store_dir": "s"}) == {("fits", "dp"): _progress(1, 2)}
    assert len(calls) == 1


def test_continuation_note_says_how_far_the_continuing_sweep_is():
    """A value a continuing sweep computes names that sweep, with its progress when the
    report read the store's (``inputs``), without it when there is no store."""
    config = {"sweeps": {"dp": _sweep(), "dp-wide": {**_sweep(), "continues": "dp"}}}
    inputs = {("fits", "dp-wide"): _progress(35, 100), ("fits", "dp"): _progress(1, 1)}
    assert report.continuation_note(config, "dp", inputs) == (
        "not run yet: in sweep dp-wide, 35% of its fits done")
    assert report.continuation_note(config, "dp", {}) == "not run yet: in sweep dp-wide"
    assert report.continuation_note(config, "dp-wide", inputs) == ""
