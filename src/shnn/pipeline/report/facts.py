"""The paper's facts the report checks against: its settings (read from the paper preset,
``config/paper.yaml``), the values it quotes, the tolerances, and its claims."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shnn.pipeline.manifest import report_key_of, report_keys

AGREES = "agrees"
DIFFERS = "differs"
NOT_COMPARABLE = "not comparable at this preset"
NOT_RUN = "not run yet"

#: The paper preset: the paper's exact settings (docs/method.md §13), the one place they are
#: written.
PAPER_CONFIG = Path(__file__).resolve().parents[4] / "config" / "paper.yaml"


def _paper_settings() -> tuple[dict[str, dict[str, Any]], int, tuple[int, int]]:
    """The paper's sweeps (in the paper preset's order) with the sizes and fixed width each
    does not vary, its repeats and its first seeds, read from :data:`PAPER_CONFIG`."""
    from shnn.pipeline.config import load

    sweeps = {sweep_id: sweep for sweep_id, sweep in load(PAPER_CONFIG)["sweeps"].items()
              if "continues" not in sweep}  # a continuation adds values to its sweep
    first = next(iter(sweeps.values()))
    return ({sweep_id: {k: sweep[k] for k in ("train_size", "test_size", "width") if k in sweep}
             for sweep_id, sweep in sweeps.items()},
            first["repeats"], (first["data_seed"], first["model_seed"]))


#: The paper's sweep settings: sizes and fixed width per sweep, repeats, first seeds.
PAPER_SWEEPS, PAPER_REPEATS, PAPER_SEEDS = _paper_settings()

#: The sweep values whose numbers the paper quotes in its text and tables (Figs. 2-7).
KEY_VALUES: dict[str, tuple[float, ...]] = {
    **{s: (1000.0,) for s in ("sp-small", "sp-large", "lv-zero-small", "lv-zero-large",
                              "lv-five")},
    **{f"sp-f{f}": (20000.0,) for f in (10, 15, 20)},
    "dp": (500.0, 5000.0, 10000.0),
    "hh": (0.0, 1.0),
}

#: Which artifact (report key) shows which sweep: the first reported one reading it.
SWEEP_ARTIFACT = {sweep_id: report_key_of("sweeps", sweep_id) for sweep_id in PAPER_SWEEPS}

#: The artifacts the report reads, by the short name its rows carry.
ARTIFACTS = {key: name for name, key in report_keys().items()}
#: The artifacts whose CSVs are the aggregated sweeps (``aggregate.write_summary``).
SUMMARY_ARTIFACTS = tuple(ARTIFACTS[a] for a in ("fig02", "fig03", "fig04", "fig06", "fig07"))

def tolerance(sweep: str, method: str) -> float:
    """Allowed factor between our mean error and the paper's.

    3x for the single pendulum and Lotka-Volterra (issue 3), 2x for the double pendulum and
    the SWIM family on Henon-Heiles, 3x for ELM on Henon-Heiles (issue 4); 5x for the
    single-run Adam HNN, whose own re-runs varied by about 2x (data/paper/PROVENANCE.md, the
    Adam baseline's versions).
    """
    if method == "hnn":
        return 5.0
    if sweep == "dp":
        return 2.0
    if sweep == "hh":
        return 3.0 if method == "elm" else 2.0
    return 3.0



#: The cases of Table 1 and Table 2, as their notebooks write them: case -> (system, domain).
TABLE_CASES: dict[str, dict[str, tuple[str, str]]] = {
    "tab01_accuracy": {"sp-small": ("Single pendulum", r"[-2\pi,2\pi]\times[-1,1]"),
                       "sp-large": ("Single pendulum", r"[-2\pi,2\pi]\times[-6,6]"),
                       "lv-zero-small": ("Lotka-Volterra", r"[-2,2]^2"),
                       "lv-zero-large": ("Lotka-Volterra", r"[-5,5]^2"),
                       "lv-five": ("Lotka-Volterra (shifted)", r"[0,8]^2")},
    "tab02_chaotic": {"dp": ("Double pendulum", ""), "hh": ("Hénon-Heiles (α = 1)", "")}}
#: The paper's HNN runs each table quotes (``version`` in ``data/paper/hnn.csv``).
TABLE_HNN_VERSION = {"tab01_accuracy": 2, "tab02_chaotic": 3}
#: The sweep values of Table 2's sampled entries in the paper (Table 1: the HNN's width).
TABLE2_VALUE = {"dp": 5000.0, "hh": 1.0}


REPRODUCED, PARTLY, NOT_REPRODUCED = "reproduced", "partly reproduced", "not reproduced"
FAMILY = ("uswim", "aswim", "swim")

#: Each claim as the report states it.
CLAIM_TEXT = {
    "1": "small centred domains: ELM ends 1.5-3 orders below the SWIM family (checked: >= 1 "
         "order at the largest width); crossover near width 300-700 (checked: 200-800)",
    "2": "wide or shifted domains: data-driven sampling wins by orders of magnitude at "
         "moderate widths (checked: >= 10x); ELM never catches up on LV [0,8]^2",
    "3": "high frequency (f = 15, 20): A-SWIM ~ SWIM beat ELM by about 1-1.5 orders (checked: "
         ">= 3x at the largest N; the paper's own: 4.5x at f = 15), U-SWIM is worst",
    "4": "A-SWIM equals SWIM exactly in most runs, rarely on the double pendulum (checked: our "
         "fraction within 25 points of the paper's)",
    "5": "A-SWIM costs about 2.1-2.4x U-SWIM (checked: 1.7-2.8x); ELM is 5-20% slower than "
         "U-SWIM; time grows superlinearly in width on the double pendulum",
    "6": "chaotic systems: sampling > 100x faster than Adam on CPU; accuracy comparable on the "
         "double pendulum, about 1e4x better on Henon-Heiles",
    "7": "the sampled HNN conserves energy (bounded) while the sampled ODE-Net drifts; the "
         "first-order correction turns O(h) into O(h^2)",
    "DP": "double pendulum: the four methods within 2x of each other at every width, each "
          "improving with width (checked: lower at the widest width than at the narrowest, "
          "never more than 5% worse from one width to the next)",
    "HH": "Henon-Heiles: the SWIM family at least 100x more accurate than ELM at every alpha",
    "T2": "Table 2: A-SWIM more accurate than the Adam HNN on Henon-Heiles and faster than it "
          "on both systems (the HNN of this preset)",
    "T1": "Table 1: on the non-chaotic systems the sampled HNNs are orders of magnitude more "
          "accurate than the Adam-trained HNN (checked: HNN error / best sampled error >= 1e3 "
          "on every system; ours beside the paper's)",
}
#: The artifacts whose CSVs each claim reads (claim 4: the per-fit rows of all their sweeps).
CLAIM_ARTIFACTS: dict[str, tuple[str, ...]] = {
    "1": (ARTIFACTS["fig02"], ARTIFACTS["fig04"]),
    "2": (ARTIFACTS["fig02"], ARTIFACTS["fig04"], ARTIFACTS["fig07"]),
    "3": (ARTIFACTS["fig03"],), "4": SUMMARY_ARTIFACTS, "5": SUMMARY_ARTIFACTS,
    "6": (ARTIFACTS["tab02"],), "7": (ARTIFACTS["fig08"], ARTIFACTS["fig09"]),
    "DP": (ARTIFACTS["fig06"],), "HH": (ARTIFACTS["fig07"],), "T2": (ARTIFACTS["tab02"],),
    "T1": (ARTIFACTS["tab01"],)}


#: The paper's counts of runs where A-SWIM equals SWIM exactly (the paper's claims,
#: data/paper/PROVENANCE.md, claim 4).
PAPER_EQUAL = {"single pendulum": ((("sp-small", "sp-large")), 387 / 400),
               "single pendulum f": (("sp-f10", "sp-f15", "sp-f20"), 132 / 600),
               "Lotka-Volterra": (("lv-zero-small", "lv-zero-large", "lv-five"), 562 / 600),
               "double pendulum": (("dp",), 0 / 200),
               "Henon-Heiles": (("hh",), 108 / 110)}


#: The sweeps whose data each claim reads (claims 7 reads fig08/fig09 instead).
CLAIM_SWEEPS = {"1": ("sp-small", "lv-zero-small"),
                "2": ("sp-large", "lv-zero-large", "lv-five", "hh"),
                "3": ("sp-f15", "sp-f20"), "4": tuple(PAPER_SWEEPS), "5": tuple(PAPER_SWEEPS),
                "6": ("dp", "hh"), "7": (), "DP": ("dp",), "HH": ("hh",), "T2": ("dp", "hh"),
                "T1": ("sp-small", "sp-large", "lv-zero-small", "lv-zero-large", "lv-five")}

