"""The README and its reference pages in docs/: the headline is the paper preset report's,
every artifact is listed, runtimes are summed from benchmarks, every generated block lives in
one page, every relative link resolves, and the README stays a front door (under 16000
bytes)."""

import re
from pathlib import Path

import pytest
import readme  # tools/readme.py (pytest adds tools/ to the path)

from shnn.pipeline.manifest import ARTIFACTS as MANIFEST

ROOT = Path(__file__).resolve().parents[1]
PAGES = readme.pages(ROOT / "README.md")


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


# --- the README as a front door, and its pages -------------------------------------------------


def test_the_readme_is_a_front_door():
    assert (ROOT / "README.md").stat().st_size <= 16000


def test_the_verdict_is_the_paper_preset_report(monkeypatch):
    """The README's headline numbers and claim verdicts are the reports' (run `make readme`
    after the reports change), never typed."""
    monkeypatch.chdir(ROOT)
    block = readme._block((ROOT / "README.md").read_text(), "verdict").strip()
    assert block == readme.verdict_block().strip()
    paper = readme.read_report(readme.PAPER_REPORT)
    assert paper["numbers"] in block and paper["claims"] in block
    assert len(paper["verdicts"]) >= 1
    for claim, verdict in paper["verdicts"]:
        assert f"| {readme.short_claim(claim)} | {verdict} |" in block


def test_every_generated_block_lives_in_one_page():
    for name in readme.BLOCKS:
        holders = [page for page in PAGES
                   if f"<!-- {name}:start -->" in page.read_text()
                   and f"<!-- {name}:end -->" in page.read_text()]
        assert len(holders) == 1, (name, holders)
    assert {"verdict", "artifacts"} <= set(readme.blocks_in((ROOT / "README.md").read_text()))


def _prose(text: str) -> str:
    return re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)  # code blocks hold no links


def _links(text: str, anchors: bool = False) -> list[str]:
    """The relative link targets of a Markdown text (with their ``#anchor`` if ``anchors``)."""
    found = [m[1] for m in re.finditer(r"\]\(([^)\s]+)\)", _prose(text))
             if not re.match(r"[a-z]+://|#|mailto:", m[1])]
    return found if anchors else [link.split("#", 1)[0] for link in found]


def _headings(page: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown page."""
    return {re.sub(r"[^\w\- ]", "", m[1].strip().lower()).replace(" ", "-")
            for m in re.finditer(r"^#+ (.+)$", _prose(page.read_text()), flags=re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page):
    missing, no_anchor = [], []
    for link in _links(page.read_text(), anchors=True):
        path, _, anchor = link.partition("#")
        target = page.parent / path
        if not target.exists():
            missing.append(link)
        elif anchor and target.suffix == ".md" and anchor not in _headings(target):
            no_anchor.append(link)
    assert not missing, f"{page.relative_to(ROOT)}: links to missing files {missing}"
    assert not no_anchor, f"{page.relative_to(ROOT)}: links to missing headings {no_anchor}"


def test_the_readme_reaches_every_page_in_one_click():
    linked = {(ROOT / link).resolve() for link in _links((ROOT / "README.md").read_text())}
    assert set(PAGES[1:]) <= linked
    assert (ROOT / "data/paper/PROVENANCE.md").resolve() in linked


def test_the_verdict_from_a_report(tmp_path):
    report = tmp_path / "report.md"
    report.write_text(
        "# Reproduction report (preset: paper)\n\nBuilt 2026-01-02 03:04 UTC from commit "
        "`abc1234` with `config/paper.yaml`.\n\n**12 numbers**: 10 agree, 1 differ, 0 not "
        "comparable at this preset, 1 not run yet. **2 claims**: 1 reproduced, 1 partly "
        "reproduced, 0 not reproduced, 0 not comparable at this preset.\n\n"
        "## Qualitative claims\n\n| claim | verdict | evidence |\n|---|---|---|\n"
        "| 1: small domains: ELM wins (checked: >= 1 order); crossover near 500 | reproduced "
        "| max |H - 1| 4e-4 |\n"
        "| 3: high f: A-SWIM beats ELM (checked: >= 5x), U-SWIM is worst | partly reproduced "
        "| x |\n\n## Numbers\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    rep = readme.read_report(report)
    assert rep["numbers"] == ("**12 numbers**: 10 agree, 1 differ, 0 not comparable at this "
                              "preset, 1 not run yet")
    assert rep["claims"].startswith("**2 claims**: 1 reproduced")
    assert (rep["date"], rep["commit"]) == ("2026-01-02", "abc1234")
    assert [readme.short_claim(c) for c, _ in rep["verdicts"]] == [
        "1: small domains: ELM wins", "3: high f: A-SWIM beats ELM, U-SWIM is worst"]
    block = readme.verdict_block(report, report)
    assert "| 1: small domains: ELM wins | reproduced | reproduced |" in block
    assert "built 2026-01-02 from commit `abc1234`" in block
    report.write_text("# Reproduction report\n\n## Qualitative claims\n")
    with pytest.raises(ValueError, match="numbers"):
        readme.read_report(report)


def test_update_fills_blocks_wherever_they_live(tmp_path, monkeypatch):
    """A block in docs/ is filled there, with its links made relative to docs/."""
    monkeypatch.setattr(readme, "paper_measured", lambda config: {})
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("<!-- artifacts:start -->\n<!-- artifacts:end -->\n")
    page = tmp_path / "docs" / "performance.md"
    page.write_text("<!-- artifact-runtimes:start -->\n<!-- artifact-runtimes:end -->\n")
    readme.update(tmp_path / "README.md", tmp_path / "results", tmp_path / "none.csv",
                  tmp_path / "none.csv")
    front, wide = (tmp_path / "README.md").read_text(), page.read_text()
    assert "(notebooks/fig02_single_pendulum.py)" in front and "| runtime smoke |" not in front
    assert "| runtime smoke |" in wide
    if "](" in wide:  # the paper preset's rendered notebooks, where they exist
        assert "](../figures/paper/notebooks/" in wide and "](figures/" not in wide
    page.write_text("<!-- nonsense:start -->\n<!-- nonsense:end -->\n")
    with pytest.raises(ValueError, match="nonsense"):
        readme.update(tmp_path / "README.md", tmp_path / "results", tmp_path / "none.csv")


def test_relink_from_the_root_to_docs_and_back():
    body = "[a](figures/x.png) [b](https://e.org/y) [c](#here) [d](docs/api.md#top)"
    there = readme.relink(body, Path("."), Path("docs"))
    assert there == ("[a](../figures/x.png) [b](https://e.org/y) [c](#here) "
                     "[d](api.md#top)")
    assert readme.relink(there, Path("docs"), Path(".")) == body


def test_the_front_table_takes_runtimes_from_the_wide_one(tmp_path):
    report = tmp_path / "report.csv"
    report.write_text("preset,artifact,verdict\n" + "paper,fig06,agrees\n" * 3
                      + "paper,fig06,not run yet\n" * 2 + "paper,tab02,not run yet\n")
    wide = ("| paper artifact | notebook | rule | outputs | runtime smoke | runtime default | "
            "runtime paper |\n|---|---|---|---|---|---|---|\n"
            f"| {MANIFEST['fig06_double_pendulum'].title} | x | x | x | 1 s | 3.1 min | 2.0 h |\n"
            "| **all jobs** | | | | 5 s | 30.0 min | 9 h |\n")
    table = readme.front_table(wide, report).splitlines()
    assert table[0].endswith("| agrees with paper? (paper preset) |")
    fig06 = next(line for line in table if "`fig06_double_pendulum.{" in line)
    assert fig06.endswith("| 3.1 min | 2.0 h | yes: 3/3 agree, 2 not run yet |")
    tab02 = next(line for line in table if "`tab02_chaotic.{" in line)
    assert "| not run | not run | not run yet (1 numbers) |" in tab02
    assert table[-1] == "| **all jobs** | | | 30.0 min | 9 h | |"
