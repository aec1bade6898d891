"""Fill the generated blocks of the README and of the pages in ``docs/`` from files the
pipeline wrote.

``python tools/readme.py README.md`` (``make readme``) rewrites, in ``README.md`` and every
``docs/*.md`` next to it, the text between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``
for each block ``NAME`` of :data:`BLOCKS`. A block lives wherever its markers are (each in one
file: ``tests/test_readme.py`` checks it); the generator does not list the files.

- ``verdict``: the headline, from the reproduction reports (``figures/paper/`` and
  ``figures/``): their counts and the claims' verdicts;
- ``artifacts``: paper artifact -> notebook -> outputs -> runtimes -> verdict (narrow);
- ``artifact-runtimes``: the same artifacts with their jobs and runtimes at every preset;
- ``runtimes``: the time of every job, from Snakemake's benchmark files
  ``results/<preset>/benchmarks/*.tsv`` and the paper preset's committed store;
- ``estimate``, ``cluster``, ``paper-status``: the paper preset's estimated cost, declared
  cluster resources and the state of its committed store.
"""

from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path
from typing import Any

from shnn.pipeline.config import load
from shnn.pipeline.manifest import ARTIFACTS as MANIFEST
from shnn.pipeline.manifest import PRESETS, artifacts_in, continued_jobs, owned_jobs, report_keys
from shnn.pipeline.resources import ADAM_SPEED_FILE, ESTIMATE_FILE

#: artifact -> its README title and the other jobs whose time it owns (shared work is counted
#: once, with the first artifact that needs it: fig05 reuses fig04's sweeps).
ARTIFACTS: dict[str, tuple[str, tuple[str, ...]]] = {
    name: (art.title, owned_jobs(name)) for name, art in MANIFEST.items()}
#: Where the paper preset renders (``figures_dir`` of ``config/paper.yaml``).
PAPER_FIGURES = Path("figures/paper")
#: The reproduction reports: the paper preset's (the README's headline) and the default's.
PAPER_REPORT = PAPER_FIGURES / "reproduction_report.md"
DEFAULT_REPORT = Path("figures/reproduction_report.md")
#: Every generated block, by the name of its markers (``<!-- NAME:start -->``).
BLOCKS = ("verdict", "artifacts", "artifact-runtimes", "runtimes", "estimate", "cluster",
          "paper-status", "contention")
#: What the committed store's times read at each contention (``bench/contention_store.py``).
CONTENTION_FILE = Path("bench/results/contention_store.json")


def read_benchmarks(results: Path, preset: str) -> dict[str, float]:
    """Seconds per job of one preset, from its benchmark files: ``<job>.tsv``, or the sum
    of the shards ``<job>/*.tsv`` (a sweep runs as one job per sweep value)."""
    out: dict[str, float] = {}
    folder = results / preset / "benchmarks"
    for tsv in sorted([*folder.glob("*.tsv"), *folder.glob("*/*.tsv")]):
        with tsv.open() as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        if rows:
            job = tsv.stem if tsv.parent == folder else tsv.parent.name
            out[job] = out.get(job, 0.0) + float(rows[-1]["s"])
    return out


def build_jobs(preset: str, config_dir: Path = Path("config")) -> set[str]:
    """Every job a build of ``preset`` from scratch runs: each artifact it renders, with the
    sweeps, baselines and other jobs that artifact needs."""
    config = load(config_dir / f"{preset}.yaml")
    return {job for art in artifacts_in(config)
            for job in (art.name, *art.needed_jobs, *continued_jobs(art.name, config))}


Benchmarks = dict[str, dict[str, float]]  # preset -> job -> seconds


def preset_benchmarks(results: Path) -> tuple[Benchmarks, dict[str, set[str]]]:
    """Seconds per job of every preset, each preset's files read once, and per preset the
    jobs of a build from scratch that have no benchmark file. A smoke or default column
    comes only from a complete build (no job missing), so that a partial build (one figure, a
    test's reference run that stopped early) never replaces the runtimes of a whole build;
    the paper preset's from whatever it has (it accumulates, see :func:`paper_measured`)."""
    bench: Benchmarks = {}
    missing: dict[str, set[str]] = {}
    for p in PRESETS:
        times = read_benchmarks(results, p)
        missing[p] = set() if p == "paper" else build_jobs(p) - times.keys()
        bench[p] = {} if missing[p] else times
    return bench, missing


def with_measured(bench: Benchmarks, measured: dict[str, tuple[float, bool]]) -> Benchmarks:
    """``bench`` with the paper preset's complete jobs measured in its store added."""
    paper = {**bench.get("paper", {}),
             **{job: sec for job, (sec, complete) in measured.items() if complete}}
    return {**bench, "paper": paper}


def committed_paper_times(runtimes: str, bench: Benchmarks,
                          measured: dict[str, tuple[float, bool]]) -> Benchmarks:
    """``bench`` with the paper preset's jobs that neither this machine's benchmark files nor
    the store measure (the renders: their benchmark files stay on the machine that rendered)
    taken from the committed :func:`runtime_table` ``runtimes``, so that a machine that has
    not rendered the paper preset keeps their measured seconds."""
    paper = dict(bench.get("paper", {}))
    for job, row in table_rows(runtimes).items():
        job = job.strip("`")
        found = re.fullmatch(r"(\d+(?:\.\d+)?) (s|min)", row.get("paper", ""))
        if found and job not in paper and job not in measured:
            paper[job] = float(found[1]) * (60 if found[2] == "min" else 1)
    return {**bench, "paper": paper}


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "not run"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def agreement(report_csv: Path) -> tuple[str, dict[str, str]]:
    """``(preset, {artifact: verdict summary})`` from a reproduction report CSV."""
    if not report_csv.exists():
        return "", {}
    with report_csv.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    preset = rows[0]["preset"] if rows else ""
    out = {}
    for name, key in report_keys().items():
        mine = [r["verdict"] for r in rows if r["artifact"] == key]
        agree, differ = mine.count("agrees"), mine.count("differs")
        not_run = mine.count("not run yet")
        other = len(mine) - agree - differ - not_run
        if agree + differ == 0:
            out[name] = (f"not comparable at {preset}" if other else "not run yet") \
                + f" ({len(mine)} numbers)"
            continue
        word = "yes" if differ == 0 else "mostly" if agree >= 3 * differ else "partly"
        out[name] = (f"{word}: {agree}/{agree + differ} agree"
                     + (f", {other} not comparable" if other else "")
                     + (f", {not_run} not run yet" if not_run else ""))
    return preset, out


def paper_measured(config: dict[str, Any]) -> dict[str, tuple[float, bool]]:
    """The paper preset's measured compute seconds per job, from its committed store."""
    from shnn.pipeline.progress import measured_seconds

    return measured_seconds(config)


def paper_continued(config: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Per artifact, the paper preset's sweep jobs that continue its sweeps (fig06:
    ``sweep_dp-wide``)."""
    return {name: jobs for name in MANIFEST if (jobs := continued_jobs(name, config))}


def paper_link(name: str, folder: Path = PAPER_FIGURES) -> str:
    """A link to the paper-preset rendering of an artifact, or "not yet"."""
    notebook = folder / "notebooks" / f"{name}.ipynb"
    return f"[notebook]({notebook.as_posix()})" if notebook.exists() else "not yet"


def artifact_table(bench: Benchmarks,
                   report_csv: Path = Path("figures/reproduction_report.csv"),
                   measured: dict[str, tuple[float, bool]] | None = None,
                   later_jobs: dict[str, tuple[str, ...]] | None = None) -> str:
    """Markdown: paper artifact -> notebook -> rule -> outputs -> runtime per preset ->
    agreement with the paper (from the reproduction report). ``bench``: from
    :func:`preset_benchmarks`; ``measured``: the paper store's (:func:`paper_measured`);
    ``later_jobs``: the paper preset's continuations (:func:`paper_continued`)."""
    measured = measured or {}
    later_jobs = later_jobs or {}
    bench = with_measured(bench, measured)
    preset, agrees = agreement(report_csv)
    lines = ["| paper artifact | notebook | rule (+ jobs it needs) | outputs in `figures/` | "
             + " | ".join(f"runtime {p}" for p in PRESETS)
             + f" | agrees with paper? ({preset or 'no report yet'}) | paper preset |",
             "|---|---|---|---|" + "---|" * (len(PRESETS) + 2)]
    for name, (label, jobs) in ARTIFACTS.items():
        times = []
        for p in PRESETS:
            parts = [bench[p].get(j) for j in (name, *jobs)]
            times.append(_fmt(sum(parts)) if None not in parts else "not run")
        unfinished = [j for j in jobs if j in measured and not measured[j][1]]
        so_far = sum(measured[j][0] for j in jobs if j in measured)
        if unfinished and times[-1] == "not run":
            times[-1] = f"running ({_fmt(so_far)} so far)" if so_far else "not run"
        elif so_far and times[-1] == "not run":  # its own jobs done, shared ones are not
            waits = [j for j in MANIFEST[name].needed_jobs if j in measured and not measured[j][1]]
            times[-1] = f"{_fmt(so_far)} so far, its jobs done; " + (
                "waits for " + ", ".join(f"`{j}`" for j in waits) if waits
                else "not rendered yet")
        later = later_jobs.get(name, ())
        if later:  # the paper preset's continuation (dp-wide): its own line in the cell
            so_far = sum(measured.get(j, (0.0, False))[0] for j in later)
            done = all(measured.get(j, (0.0, False))[1] for j in later)
            state = _fmt(so_far) if done else (f"running, {_fmt(so_far)} so far" if so_far
                                                else "not run")
            times[-1] += f"; {', '.join(later)}: {state}"
        listed = [*jobs, *later]
        extra = f" (+ {', '.join(f'`{j}`' for j in listed)})" if listed else ""
        lines.append(f"| {label} | `{MANIFEST[name].notebook}` | `{name}`{extra} | "
                     f"`{name}.{{{','.join(MANIFEST[name].outputs)}}}` | " + " | ".join(times)
                     + f" | {agrees.get(name, 'no paper numbers')} | "
                     + ("not in this preset" if MANIFEST[name].kind == "example"
                        else paper_link(name)) + " |")
    totals = [_fmt(sum(b.values())) if b else "not run" for b in bench.values()]
    so_far = sum(sec for sec, _ in measured.values())
    if so_far and not all(complete for _, complete in measured.values()):
        totals[-1] = f"running ({_fmt(so_far)} so far)"
    lines.append("| **all jobs** | | | | " + " | ".join(totals) + " | |")
    return "\n".join(lines)


def runtime_table(bench: Benchmarks,
                  measured: dict[str, tuple[float, bool]] | None = None) -> str:
    """Markdown table: job -> seconds per preset (paper: also ``measured`` from its store)."""
    measured = measured or {}
    bench = with_measured(bench, measured)
    jobs = sorted({j for b in bench.values() for j in b} | set(measured))
    lines = ["| job (benchmark file) | " + " | ".join(PRESETS) + " |",
             "|---|" + "---|" * len(PRESETS)]
    for job in jobs:
        cells = [_fmt(bench[p].get(job)) for p in PRESETS]
        if job in measured and not measured[job][1] and measured[job][0]:
            cells[-1] = f"running ({_fmt(measured[job][0])} so far)"
        lines.append(f"| `{job}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def estimate_table(estimate_json: Path) -> str:
    """Markdown: the paper preset's estimated time and peak memory per artifact."""
    import json

    if not estimate_json.exists():
        return "(no estimate yet: run `bench/estimate_paper.py`)"
    est = json.loads(estimate_json.read_text())
    lines = ["| artifact | fits or runs | time, 2 cores (est.) | peak memory (est.) | "
             "time, 64-core node (est.) |", "|---|---|---|---|---|"]
    for key, art in sorted(est["artifacts"].items()):
        c64 = art.get("seconds_64core")
        peak = (f"{art['peak_bytes'] / 2**30:.1f} GiB" if art["peak_bytes"]
                else "small (not modelled)")
        lines.append(f"| {key} | {art['fits']} | {art['seconds_2core'] / 3600:.1f} h | {peak} | "
                     + ("-" if c64 is None else f"{c64 / 3600:.1f} h") + " |")
    total64 = sum(a["seconds_64core"] or 0 for a in est["artifacts"].values())
    lines.append(f"| **total** | | **{est['total_seconds_2core'] / 3600:.0f} h** | | "
                 f"**{total64 / 3600:.0f} h** |")
    return "\n".join(lines)


def contention_table(path: Path = CONTENTION_FILE) -> str:
    """Markdown: committed fit times against their point's median, by contention band."""
    import json

    if not path.exists():
        return "(not measured yet: run `python bench/contention_store.py`)"
    found = json.loads(path.read_text())
    lines = ["| contention | fits | time / point median: median | 90th percentile |",
             "|---|---|---|---|"]
    for band in found["bands"]:
        ratio = "-" if band["median_ratio"] is None else f"{band['median_ratio']:.2f}"
        p90 = "-" if band["p90_ratio"] is None else f"{band['p90_ratio']:.2f}"
        lines.append(f"| {band['contention_from']:g}-{band['contention_to']:g} | "
                     f"{band['fits']} | {ratio} | {p90} |")
    steal = found["steal_over_contention"]
    lines.append("")
    lines.append(f"{found['fits']} fits of the store with a contention, at points whose median "
                 f"is at least {found['min_seconds']:g} s. The {found['fits_with_steal']} of "
                 "them that also store `steal`: " + (
                     "none yet" if steal is None else
                     f"their steal summed to {steal:.2f}x their contention") + ".")
    return "\n".join(lines)


def cluster_table(config: dict[str, Any], estimate_json: Path, adam_json: Path) -> str:
    """Markdown: the jobs of a preset and the resources they declare to a scheduler.

    One row per artifact: its sweep shards (one job per sweep value) or Adam baselines,
    the largest memory and run time declared by one job (:mod:`shnn.pipeline.resources`, 2 cores),
    and the estimated core-hours of all its jobs on the 2-core reference machine.
    """
    from shnn.pipeline.manifest import report_key_of
    from shnn.pipeline.resources import CostModel, baseline_resources, shard_resources
    from shnn.pipeline.sweeps import shard_labels, shard_value

    costs = CostModel.from_files(estimate_json, adam_json)
    rows: dict[str, list[dict[str, int]]] = {}
    for sweep_id, sweep in config["sweeps"].items():
        try:  # a continuation (dp-wide) is shown by its sweep's artifact
            art = report_key_of("sweeps", sweep.get("continues", sweep_id))
        except KeyError:  # a sweep no paper artifact reads (an example's)
            art = sweep_id
        rows.setdefault(art, []).extend(
            shard_resources(costs, sweep, shard_value(sweep_id, sweep, label))
            for label in shard_labels(sweep))
    for case, hnn in config["hnn"].items():
        art = report_key_of("baselines", case)
        rows.setdefault(art, []).append(baseline_resources(costs, hnn))
    lines = ["| artifact | jobs | largest job: memory | largest job: run time | "
             "all jobs: declared run time |", "|---|---|---|---|---|"]
    for art, jobs in sorted(rows.items()):
        mem = max(j["mem_mb"] for j in jobs) / 1024
        longest = max(j["runtime"] for j in jobs)
        total = sum(j["runtime"] for j in jobs)
        lines.append(f"| {art} | {len(jobs)} | {mem:.1f} GiB | {longest / 60:.1f} h | "
                     f"{total / 60:.0f} h |")
    return "\n".join(lines)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table_rows(table: str) -> dict[str, dict[str, str]]:
    """A Markdown table as ``{first cell: {header: cell}}``."""
    header, *rows = [line for line in table.strip().splitlines() if line.startswith("|")] or [""]
    names = _cells(header)
    return {cells[0]: dict(zip(names, cells)) for cells in map(_cells, rows[1:])}


def front_table(full: str, report_csv: Path = PAPER_FIGURES / "reproduction_report.csv") -> str:
    """Markdown, the README's narrow artifact table: paper artifact -> notebook -> outputs ->
    runtime at the default and paper presets (the cells of ``full``, the
    :func:`artifact_table` as merged with its committed runtimes) -> agreement with the paper
    at the preset of ``report_csv`` (the paper preset's reproduction report)."""
    rows = table_rows(full)
    preset, agrees = agreement(report_csv)
    lines = ["| paper artifact | notebook | outputs | runtime default | runtime paper | "
             f"agrees with paper? ({f'{preset} preset' if preset else 'no report yet'}) |",
             "|---|---|---|---|---|---|"]
    for name, art in MANIFEST.items():
        row = rows.get(art.title, {})
        paper = ("not in this preset" if art.kind == "example"
                 else row.get("runtime paper", "not run"))
        lines.append(f"| {art.title} | [`{Path(art.notebook).name}`]({art.notebook}) | "
                     f"`{name}.{{{','.join(art.outputs)}}}` | "
                     f"{row.get('runtime default', 'not run')} | {paper} | "
                     f"{agrees.get(name, 'no paper numbers')} |")
    total = rows.get("**all jobs**", {})
    lines.append(f"| **all jobs** | | | {total.get('runtime default', 'not run')} | "
                 f"{total.get('runtime paper', 'not run')} | |")
    return "\n".join(lines)


#: A reproduction report's bold counts line: ``**818 numbers**: 778 agree, ... **10 claims**: ...``
COUNTS = re.compile(r"^\*\*(\d+) numbers\*\*: (.+?)\. \*\*(\d+) claims\*\*: (.+?)\.$", re.M)
#: Its header line: ``Built from commit `<sha>` (committed <date> <time> UTC) with ...`` (before
#: 2026-12-07: ``Built <date> <time> UTC from commit `<sha>` with ...``)
BUILT = re.compile(r"^Built (?:(\S+) \S+ UTC from commit `([0-9a-f]+)`|from commit "
                   r"`([0-9a-f]+)` \(committed (\S+))", re.M)


def short_claim(claim: str) -> str:
    """A claim of the report in a few words: its id and first clause, without the checked
    thresholds (``1: small centred domains: ELM ends 1.5-3 orders below the SWIM family``)."""
    claim = re.sub(r"\s*\(checked:[^()]*\)", "", claim)
    return claim.split("; ", 1)[0].strip()


def read_report(report_md: Path) -> dict[str, Any]:
    """The headline of a reproduction report (``figures/<...>/reproduction_report.md``):
    ``numbers`` and ``claims`` (the counts, as the report words them), ``date`` and
    ``commit`` of its build, and ``verdicts``: ``[(claim, verdict)]`` of its "Qualitative
    claims" table. A report without its counts line or claims table is an error."""
    text = report_md.read_text()
    counts = COUNTS.search(text)
    if not counts:
        raise ValueError(f"{report_md}: no '**N numbers**: ... **N claims**: ...' line")
    built = BUILT.search(text)
    section = text.split("## Qualitative claims", 1)
    if len(section) < 2:
        raise ValueError(f"{report_md}: no '## Qualitative claims' section")
    table = section[1].split("\n## ", 1)[0]
    verdicts = [(cells[0], cells[1]) for cells in map(_cells, table.strip().splitlines()[2:])
                if len(cells) >= 2]
    if not verdicts:
        raise ValueError(f"{report_md}: its 'Qualitative claims' table has no rows")
    return {"numbers": f"**{counts[1]} numbers**: {counts[2]}",
            "claims": f"**{counts[3]} claims**: {counts[4]}",
            "date": (built[1] or built[4]) if built else "",
            "commit": (built[2] or built[3]) if built else "",
            "verdicts": verdicts}


def verdict_block(paper_md: Path = PAPER_REPORT, default_md: Path = DEFAULT_REPORT) -> str:
    """Markdown, the README's headline: the counts of the paper preset's reproduction report
    and of the default preset's, and every claim with its verdict at both presets, as the
    reports state them."""
    paper, default = read_report(paper_md), read_report(default_md)

    def built(rep: dict[str, Any]) -> str:
        return f", built {rep['date']} from commit `{rep['commit']}`" if rep["commit"] else ""

    at_default = dict(default["verdicts"])
    lines = [f"At the paper's own settings ([report]({paper_md.as_posix()}){built(paper)}): "
             f"{paper['numbers']}. {paper['claims']}.", "",
             f"At the default preset, what `make all` builds ([report]({default_md.as_posix()})"
             f"{built(default)}): {default['numbers']}. {default['claims']}.", "",
             "| claim of the paper | paper preset | default preset |", "|---|---|---|"]
    lines += [f"| {short_claim(claim)} | {verdict} | {at_default.get(claim, 'not in its report')} |"
              for claim, verdict in paper["verdicts"]]
    return "\n".join(lines)


def _block(text: str, tag: str) -> str:
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    return text.split(start, 1)[1].split(end, 1)[0] if start in text and end in text else ""


def keep_columns(old: str, new: str, columns: list[int], sort: bool = False) -> str:
    """``new`` (a Markdown table) merged with ``old``: where a cell of ``columns`` says
    "not run" but the row of ``old`` with the same first cell has a measurement, the old cell
    stays, and rows only ``old`` has stay too (``sort``: data rows by their first cell).
    Benchmark files are not committed, so a machine that has not built a preset keeps the
    runtimes measured where it was built."""
    def cells(line: str) -> list[str]:
        return line.strip().strip("|").split("|")

    old_rows = [cells(line) for line in old.strip().splitlines()[2:]]
    theirs_by_key = {row[0]: row for row in old_rows}
    header, *rows = new.strip().splitlines()[:2], *new.strip().splitlines()[2:]
    body: dict[str, str] = {}
    for line in rows:
        mine, theirs = cells(line), theirs_by_key.get(cells(line)[0])
        for col in columns:
            if theirs and col < min(len(theirs), len(mine)) and mine[col].strip() == "not run":
                mine[col] = theirs[col]
        body[mine[0]] = "|" + "|".join(mine) + "|"
    for row in old_rows:
        body.setdefault(row[0], "|" + "|".join(row) + "|")
    keys = sorted(body) if sort else list(body)
    return "\n".join([*header, *(body[k] for k in keys)])


def _replace_block(text: str, tag: str, body: str) -> str:
    start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"README has no {start} ... {end} block")
    return re.sub(re.escape(start) + ".*?" + re.escape(end),
                  lambda _: f"{start}\n{body}\n{end}", text, flags=re.S)


#: A generated block's opening marker, on a line of its own.
MARKER = re.compile(r"^<!-- ([\w-]+):start -->$", re.M)


#: A relative Markdown link target (not a URL, an anchor or an absolute path).
LINK = re.compile(r"\]\((?![a-z]+://|#|/)([^)\s]+)\)")


def relink(body: str, source: Path, target: Path) -> str:
    """``body`` with its relative links, written relative to folder ``source``, rewritten
    relative to folder ``target``: the tables are generated with links from the repository
    root, and a page in ``docs/`` needs them from there."""
    if source.resolve() == target.resolve():
        return body
    return LINK.sub(lambda m: "](" + Path(os.path.relpath(
        os.path.normpath(source / m[1]), target)).as_posix() + ")", body)


def pages(readme: Path) -> list[Path]:
    """The files whose generated blocks ``update`` fills: ``readme`` and the Markdown pages
    of the ``docs/`` folder next to it."""
    return [readme, *sorted((readme.parent / "docs").glob("*.md"))]


def blocks_in(text: str) -> list[str]:
    """The names of the generated blocks of a page, in order; an unknown name is an error."""
    names = MARKER.findall(text)
    unknown = sorted(set(names) - set(BLOCKS))
    if unknown:
        raise ValueError(f"unknown generated block(s) {', '.join(unknown)}; known: "
                         + ", ".join(BLOCKS))
    return names


def update(readme: Path, results: Path,
           report_csv: Path = Path("figures/reproduction_report.csv"),
           paper_report_csv: Path = PAPER_FIGURES / "reproduction_report.csv") -> None:
    """Rewrite in place the generated blocks of ``readme`` and of ``docs/*.md`` next to it.
    ``report_csv``: the default preset's reproduction report (the agreement column of the
    ``artifact-runtimes`` table); ``paper_report_csv``: the paper preset's (the README's
    ``artifacts`` table)."""
    paper = Path("config/paper.yaml")
    texts = {page: page.read_text() for page in pages(readme)}
    present = {name: page for page, text in texts.items() for name in blocks_in(text)}
    root = readme.parent
    old = {name: relink(_block(texts[page], name), page.parent, root)
           for name, page in present.items()}
    kept = [i for i, p in enumerate(PRESETS) if p != "paper"]
    bench, missing = preset_benchmarks(results)
    for p, jobs in missing.items():
        if jobs and (results / p / "benchmarks").is_dir():
            print(f"{results / p / 'benchmarks'}: not a complete build ({len(jobs)} jobs "
                  f"without a benchmark file, e.g. {min(jobs)}); its runtime columns stay as "
                  "committed", file=sys.stderr)
    config = load(paper) if paper.exists() else None
    measured = paper_measured(config) if config else {}
    later = paper_continued(config) if config else {}
    estimate = Path(ESTIMATE_FILE)
    # Benchmark files are not committed: the tables keep the committed smoke and default
    # runtimes, and the paper preset's render times; the README's narrow table takes its
    # runtimes from the wide one.
    runtimes = keep_columns(old.get("runtimes", ""), runtime_table(bench, measured),
                            [1 + i for i in kept], sort=True)
    full = keep_columns(old.get("artifact-runtimes", ""),
                        artifact_table(committed_paper_times(runtimes, bench, measured),
                                       report_csv, measured, later),
                        [4 + i for i in kept])
    new: dict[str, Any] = {
        "verdict": verdict_block,
        "artifacts": lambda: front_table(full, paper_report_csv),
        "artifact-runtimes": lambda: full,
        "runtimes": lambda: runtimes,
        "estimate": lambda: estimate_table(estimate),
        "contention": contention_table,
    }
    if config:
        from shnn.pipeline.status import status_table

        new["cluster"] = lambda: cluster_table(config, estimate, Path(ADAM_SPEED_FILE))
        new["paper-status"] = lambda: status_table(config)
    for page, text in texts.items():
        for name in blocks_in(text):
            if name in new:
                text = _replace_block(text, name, relink(new[name](), root, page.parent))
        if text != texts[page]:
            page.write_text(text)


if __name__ == "__main__":
    update(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md"), Path("results"))
