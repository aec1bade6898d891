"""The README's generated tables: every artifact listed, runtimes summed from benchmarks."""

from pathlib import Path

import readme  # tools/readme.py (pytest adds tools/ to the path)

from shnn.pipeline.manifest import ARTIFACTS as MANIFEST

ROOT = Path(__file__).resolve().parents[1]


def test_artifact_table_lists_every_artifact_with_its_notebook(tmp_path):
    table = readme.artifact_table(readme.preset_benchmarks(tmp_path)[0]).splitlines()
    for name, art in MANIFEST.items():
        row = [line for line in table if f"| `{name}`" in line]
        assert len(row) == 1, name
        assert f"`{art.notebook}`" in row[0] and (ROOT / art.notebook).is_file()
        assert f"`{name}.{{{','.join(art.outputs)}}}`" in row[0]


def test_tables_from_benchmark_files(tmp_path, monkeypatch):
    # Only the benchmark files here: not the committed paper store (its measured seconds).
    monkeypatch.setattr(readme, "paper_measured", lambda config: {})
    bench = tmp_path / "results" / "default" / "benchmarks"
    bench.mkdir(parents=True)
    header = "s\th:m:s\tmax_rss\n"
    times = {"fig02_single_pendulum": 10.0, "sweep_sp-small": 100.0, "sweep_sp-large": 30.0}
    for job in readme.build_jobs("default"):  # a complete build: every job has its file
        (bench / f"{job}.tsv").write_text(header + f"{times.get(job, 1.0)}\t0:00:01\t1\n")
    table = readme.artifact_table(readme.preset_benchmarks(tmp_path / "results")[0],
                                  tmp_path / "none.csv")
    row = next(line for line in table.splitlines() if "`fig02_single_pendulum`" in line)
    assert "| not run | 2.3 min | not run | no paper numbers |" in row
    assert "| not run | 4 s | not run |" in next(  # fig03 and its three sweeps, 1 s each
        line for line in table.splitlines() if "fig03" in line)
    text = "a\n<!-- artifacts:start -->\nold\n<!-- artifacts:end -->\n<!-- runtimes:start -->\n" \
           "<!-- runtimes:end -->\nb\n"
    path = tmp_path / "README.md"
    path.write_text(text)
    readme.update(path, tmp_path / "results", tmp_path / "none.csv")
    out = path.read_text()
    assert "old" not in out and "`sweep_sp-small` | not run | 100 s | not run |" in out
    assert out.startswith("a\n") and out.endswith("b\n")


def test_a_partial_build_leaves_the_committed_column(tmp_path, monkeypatch, capsys):
    """One figure built (not every job of the preset): its times replace nothing."""
    monkeypatch.setattr(readme, "paper_measured", lambda config: {})
    folder = tmp_path / "results" / "smoke" / "benchmarks"
    folder.mkdir(parents=True)
    (folder / "sweep_sp-small.tsv").write_text("s\th:m:s\n0.5\t0:00:00\n")
    times, missing = readme.preset_benchmarks(tmp_path / "results")
    assert "sweep_sp-large" in missing["smoke"] and times["smoke"] == {}
    path = tmp_path / "README.md"
    path.write_text("<!-- artifacts:start -->\n<!-- artifacts:end -->\n<!-- runtimes:start -->\n"
                    "| job | smoke | default | paper |\n|---|---|---|---|\n"
                    "| `sweep_sp-small` | 20 s | 57 s | not run |\n<!-- runtimes:end -->\n")
    readme.update(path, tmp_path / "results", tmp_path / "none.csv")
    assert "| `sweep_sp-small` | 20 s | 57 s | not run |" in path.read_text()
    assert "results/smoke/benchmarks: not a complete build" in capsys.readouterr().err


def test_agreement_column_from_the_report(tmp_path):
    report = tmp_path / "report.csv"
    rows = [("fig06", "agrees")] * 7 + [("fig06", "differs"), ("fig06", "not comparable at "
                                                                       "this preset")]
    rows += [("tab02", "not comparable at this preset")] * 4 + [("fig09", "agrees")] * 2
    report.write_text("preset,artifact,verdict\n"
                      + "".join(f"default,{a},{v}\n" for a, v in rows))
    preset, agrees = readme.agreement(report)
    assert preset == "default"
    assert agrees["fig06_double_pendulum"] == "mostly: 7/8 agree, 1 not comparable"
    assert agrees["tab02_chaotic"] == "not comparable at default (4 numbers)"
    assert agrees["fig09_error_correction"] == "yes: 2/2 agree"
    table = readme.artifact_table(readme.preset_benchmarks(tmp_path)[0], report)
    assert "agrees with paper? (default)" in table


def test_paper_column_from_the_store(tmp_path):
    """The paper runtime: measured seconds from the committed store; unfinished work says so."""
    measured = {"sweep_sp-small": (600.0, True), "sweep_sp-large": (300.0, True),
                "sweep_sp-f10": (0.0, False), "hnn_sp-small": (100.0, True)}
    folder = tmp_path / "results" / "paper" / "benchmarks"
    folder.mkdir(parents=True)
    (folder / "fig02_single_pendulum.tsv").write_text("s\th:m:s\tmax_rss\n30.0\t0:00:30\t1\n")
    bench = readme.preset_benchmarks(tmp_path / "results")[0]
    table = readme.artifact_table(bench, tmp_path / "none.csv", measured).splitlines()
    fig02 = next(line for line in table if "`fig02_single_pendulum`" in line)
    assert "| not run | not run | 15.5 min | no paper numbers |" in fig02
    fig03 = next(line for line in table if "`fig03_pendulum_frequency`" in line)
    assert "| not run | not run | not run |" in fig03  # nothing measured yet
    measured["sweep_sp-large"] = (300.0, False)
    del measured["sweep_sp-small"]
    fig02 = next(line for line in readme.artifact_table(
        bench, tmp_path / "none.csv", measured).splitlines()
        if "`fig02_single_pendulum`" in line)
    assert "running (5.0 min so far)" in fig02
    measured.update({"hnn_sp-small": (100.0, True), "hnn_sp-large": (200.0, True),
                     "hnn_lv-zero-small": (60.0, True), "hnn_lv-zero-large": (60.0, True),
                     "hnn_lv-five": (60.0, True)})  # tab01's own jobs done, fig02's sweep not
    tab01 = next(line for line in readme.artifact_table(
        bench, tmp_path / "none.csv", measured).splitlines()
        if "`tab01_accuracy`" in line)
    assert "| 8.0 min so far, its jobs done; waits for `sweep_sp-large` |" in tab01
    measured["sweep_sp-large"] = (300.0, True)  # every input complete, not rendered yet
    tab01 = next(line for line in readme.artifact_table(
        bench, tmp_path / "none.csv", measured).splitlines()
        if "`tab01_accuracy`" in line)
    assert "| 8.0 min so far, its jobs done; not rendered yet |" in tab01


def test_keep_columns_keeps_measurements_and_rows_this_machine_lacks():
    old = ("| job | smoke | default | paper |\n|---|---|---|---|\n"
           "| `a` | 5 s | 7 s | not run |\n| `b` | 6 s | 8 s | not run |\n")
    new = ("| job | smoke | default | paper |\n|---|---|---|---|\n"
           "| `a` | not run | not run | 3 s |\n| `c` | 1 s | not run | not run |\n")
    merged = readme.keep_columns(old, new, [1, 2], sort=True).splitlines()
    assert merged[2:] == ["| `a` | 5 s | 7 s | 3 s |", "| `b` | 6 s | 8 s | not run |",
                          "| `c` | 1 s | not run | not run |"]
