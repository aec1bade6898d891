# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Reproduction report — does it reproduce?
#
# Every number the paper reports (`data/paper/`: the key numbers of figures 2-9, every
# appendix point this preset computed, Table 1, Table 2, the error-correction values and
# the energy-conservation readings) next to ours at the preset that was run, with the ratio
# and a verdict, followed by the paper's qualitative claims, each marked as reproduced or not
# with the evidence. Everything is read from files the pipeline wrote.
#
# **Verdicts.** A number *agrees* when our value is within the tolerance factor of the
# paper's: 3x for the single pendulum and Lotka-Volterra, 2x for the double pendulum and for
# U-SWIM/A-SWIM/SWIM on Hénon–Heiles, 3x for ELM on Hénon–Heiles, 5x for the single-run Adam
# HNN, 2x for the error-correction values and the energy readings (read off the paper's
# figure). A number is *not comparable at this preset* only where the preset's settings
# differ from the paper's (width, sizes, Adam steps, ...); the note says how. Our sampled
# means are over the preset's repeats (the first k of the paper's 10 seed pairs), so a
# *differs* verdict comes with whether our mean lies inside the paper's min-max band.
#
# **Not run yet.** A preset with a `store_dir` (the paper preset) is computed in pieces
# (`make paper`), so only some of its artifacts may exist yet. The rows of a missing artifact
# are listed all the same, with our value empty, the verdict *not run yet* and a note saying
# how far its fits (or Adam steps) are; a claim that reads a missing artifact is *not run
# yet* too, naming what it waits for. At other presets a missing artifact is an error.
#
# The parameters below are the smoke scale, so the notebook runs on its own; the pipeline
# injects the chosen preset.

# %% tags=["parameters"]
preset: str = "smoke"  # preset name
config_path: str = "config/smoke.yaml"  # the preset that was run
runs_dir: str = "results/runs"  # unused here; every pipeline notebook receives it
out_stem: str = "results/smoke/figures/reproduction_report"  # output path without suffix
figures_dir: str = "results/smoke/figures"  # the artifacts' CSVs
sweeps_dir: str = "results/smoke/sweeps"  # per-fit rows of each sweep
paper_dir: str = "data/paper"  # the paper's numbers

# %% [markdown]
# Imports, and the repository root as working directory.

# %%
import os
import subprocess
from pathlib import Path

from shnn.pipeline import notebook, report
from shnn.pipeline.config import load

notebook.setup()

# %% [markdown]
# Load the preset, the artifacts' CSVs (None for an artifact not run yet, with how far its
# inputs are in `not_run`, and how far each sweep and Adam baseline is in `inputs`) and the
# paper's numbers. A table not run yet is replaced by the rows it will have (the paper's
# numbers, ours NaN), which the next cell marks *not run yet*.

# %%
config = load(config_path)
csvs = {name: report.read_artifact(figures_dir, name, config)
        for name in report.ARTIFACTS.values()}
missing = [name for name, rows in csvs.items() if rows is None]
inputs = report.input_progress(config)  # per sweep and baseline (empty without a store)
not_run = report.not_run_notes(config, missing, inputs)
summary = [r for name in report.SUMMARY_ARTIFACTS for r in csvs[name] or []]
runs = [r for path in sorted(Path(sweeps_dir).glob("*.csv")) for r in report.read_rows(path)]
paper = report.read_rows(Path(paper_dir) / "sweeps.csv")
paper_hnn = report.read_rows(Path(paper_dir) / "hnn.csv")
tab01, tab02 = (report.planned_table(name, config, paper, paper_hnn) if csvs[name] is None
                else csvs[name] for name in ("tab01_accuracy", "tab02_chaotic"))
correction = csvs["fig09_error_correction"]
trajectory = csvs["fig08_energy_conservation"]
energy = None if trajectory is None else report.energy_values(trajectory)
print(f"preset {preset}: {len(summary)} aggregated sweep points, {len(runs)} fits")
for name, notes in not_run.items():
    print(f"not run yet: {name} ({'; '.join(notes.values()) or 'no progress known'})")

# %% [markdown]
# Numbers: every sweep point the preset shares with the paper's appendix plus the paper's
# key points; Tables 1 and 2; the error-correction and energy values.

# %%
rows = []
for sweep_id, artifact in report.SWEEP_ARTIFACT.items():
    name = report.ARTIFACTS[artifact]
    rows += report.sweep_rows(sweep_id, report.with_continuations(config, sweep_id),
                              csvs[name], paper, not_run.get(name),
                              later=report.continuation_note(config, sweep_id, inputs))

tab01_sweep = {"Single pendulum [-2\\pi,2\\pi]\\times[-1,1]": "sp-small",
               "Single pendulum [-2\\pi,2\\pi]\\times[-6,6]": "sp-large",
               "Lotka-Volterra [-2,2]^2": "lv-zero-small",
               "Lotka-Volterra [-5,5]^2": "lv-zero-large",
               "Lotka-Volterra (shifted) [0,8]^2": "lv-five"}
tab01_hnn = {f"{r['system']} {r['domain']}": (int(r["paper_steps"]), 1000)
             for r in tab01 if r["method"] == "hnn"}
tab01_ok = {}
for system, sweep_id in tab01_sweep.items():
    diffs = report.setting_differences(sweep_id, config["sweeps"][sweep_id])
    width = next(int(r["width"]) for r in tab01)
    if width != 1000:
        diffs.append(f"width {width} (paper 1000)")
    tab01_ok[system] = "; ".join(diffs)
rows += report.table_rows("tab01", tab01, tab01_hnn, tab01_ok, tab01_sweep,
                          not_run.get("tab01_accuracy"), inputs)

tab02_sweep = {r["system"]: ("dp" if r["system"].startswith("Double") else "hh") for r in tab02}
tab02_ok = {}
for system, sweep_id in tab02_sweep.items():
    diffs = report.setting_differences(sweep_id, config["sweeps"][sweep_id])
    width = next(int(r["width"]) for r in tab02 if r["system"] == system)
    if sweep_id == "dp" and width != 5000:
        diffs.append(f"width {width} (paper 5000)")
    tab02_ok[system] = "; ".join(diffs)
rows += report.table_rows("tab02", tab02, {s: (180000, 5000) for s in tab02_sweep}, tab02_ok,
                          tab02_sweep, not_run.get("tab02_chaotic"), inputs)

ec = config["error_correction"]
ec_diffs = [f"{k} {ec[k]} (paper {v})" for k, v in
            {"width": 200, "train_size": 2500, "method": "aswim"}.items() if ec[k] != v]
rows += report.correction_rows(correction, report.read_rows(Path(paper_dir) /
                                                            "error_correction.csv"), ec_diffs,
                               not_run=not_run.get("fig09_error_correction"))
en = config["energy"]
en_diffs = [f"{k} {en[k]} (paper {v})" for k, v in
            {"width": 500, "train_size": 10000, "n_states": 200000}.items() if en[k] != v]
rows += report.energy_rows(energy, report.read_rows(Path(paper_dir) / "energy_conservation.csv"),
                           en_diffs, not_run=not_run.get("fig08_energy_conservation"))

# %% [markdown]
# Qualitative claims (the paper's claims, `data/paper/PROVENANCE.md`, and the three claims
# issue 4 checks at every preset). Each is checked only when every artifact it reads is
# there (`report.CLAIM_ARTIFACTS`), else it is *not run yet*.

# %%
checks = {"1": lambda: report.claim_small_domains(summary),
          "2": lambda: report.claim_wide_domains(summary, config),
          "3": lambda: report.claim_frequency(summary),
          "4": lambda: report.claim_aswim_equals_swim(runs),
          "5": lambda: report.claim_costs(summary),
          "6": lambda: report.claim_chaotic(tab02),
          "7": lambda: report.claim_conservation(energy, correction),
          "DP": lambda: report.claim_dp_close(summary),
          "HH": lambda: report.claim_hh_gap(summary),
          "T2": lambda: report.claim_table2(tab02),
          "T1": lambda: report.claim_table1(tab01, tab01_sweep)}
claims = [report.not_run_claim(claim_id, not_run) or check() for claim_id, check in checks.items()]
claims = [report.on_part(report.at_preset(c, config, (ec_diffs + en_diffs) if c.claim == "7"
                                          else ()), config, summary) for c in claims]
for c in claims:
    print(f"[{c.verdict}] {c.claim}: {c.text}\n    {c.evidence}")

# %% [markdown]
# Write the report: CSV (one row per number) and Markdown (header with the preset, date and
# commit it was built from; the claims; every number).

# %%
def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True,
                          env={**os.environ, "TZ": "UTC"}).stdout.strip()


try:
    # The build rewrites the committed figures/, so only changes elsewhere count as dirty.
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".",
                  ":(exclude)figures")
    # the commit's own date, not the clock's: a render of unchanged inputs is byte-identical
    commit = (f"`{git('rev-parse', '--short', 'HEAD')}` (committed "
              + git("log", "-1", "--date=format-local:%Y-%m-%d %H:%M", "--format=%cd")
              + (" UTC, with uncommitted changes outside figures/)" if changed else " UTC)"))
except (OSError, subprocess.CalledProcessError):
    commit = "unknown (not a git checkout)"
repeats = sorted({s["repeats"] for s in config["sweeps"].values()})
header = [f"# Reproduction report (preset: {preset})", "",
          f"Built from commit {commit} with `{config_path}`: {config['description']}.", "",
          "Tolerances: 3x (single pendulum, Lotka-Volterra), 2x (double pendulum; SWIM family "
          "on Hénon–Heiles; error correction; energy readings), 3x (ELM on Hénon–Heiles), 5x "
          f"(Adam HNN). Sampled means are over this preset's {' or '.join(map(str, repeats))} "
          "repeats per sweep point; repeat r uses the paper's seed pair r (data seed 3943 + r, "
          "model seed 992472 + r), so k repeats are the paper's first k of its 10."]
if not_run:
    header += ["", f"Not run yet (their numbers and the claims reading them are marked so): "
               f"{', '.join(not_run)}."]
report.write_rows(rows, f"{out_stem}.csv", preset)
time_rows = report.times.time_rows({s: config["sweeps"][s] for s in report.SWEEP_ARTIFACT
                                    if s in config["sweeps"]}, summary, paper)
if config.get("store_dir"):  # filled over many sessions, each on its own machine
    hardware = ("on the 2-core machines of the sessions that computed them (an Intel Xeon with "
                "AVX-512 or an AMD EPYC without it; since 2026-12-07 each fit's record names its "
                "machine and contention, docs/records.md)")
else:
    from shnn.pipeline.machine import identity, kind

    hardware = f"on this machine ({kind(identity())})"
Path(f"{out_stem}.md").write_text(report.markdown(rows, claims, header,
                                                  report.times.markdown(time_rows, hardware)))
print(f"wrote {out_stem}.csv and {out_stem}.md: {len(rows)} numbers, {len(claims)} claims, "
      f"{len(time_rows)} time rows")

# %% [markdown]
# The numbers that differ, with the reason where it is known.

# %%
for r in rows:
    if r.verdict == report.DIFFERS:
        print(f"{r.artifact} {r.setting} {r.quantity}: ours {r.ours:.2e}, paper {r.paper:.2e} "
              f"(ratio {r.ratio:.2f}); {r.note}")

# %% [markdown]
# Verdict counts (nbval checks this cell).

# %%
# NBVAL_CHECK_OUTPUT
from collections import Counter

print(sorted(Counter(r.verdict for r in rows).items()))
print(sorted(Counter(c.verdict for c in claims).items()))
