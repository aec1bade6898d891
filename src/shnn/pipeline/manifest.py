"""The pipeline's manifest: every artifact, what it reads and shows, and the methods' names.

One place for these facts: the Snakefile makes one rule per :data:`ARTIFACTS` entry, the
README generator (``tools/readme.py``) its tables, the reproduction report
(:mod:`shnn.pipeline.report`) its artifact keys, the paper preset's progress model
(:mod:`shnn.pipeline.progress`) its inputs, and the tests read it.
Adding a figure means one entry here, one notebook in ``notebooks/`` and one caption in
``report/``.

Which code a job depends on is read from the imports (:func:`module_files`): a compute job
(a sweep shard, an Adam baseline) depends on the modules its command imports, a notebook on
the modules the notebook imports, each with what they import in turn. So editing a reporting
module (``plotting``, ``aggregate``, ``report``; the README generator is no module of the
package) plans no compute job, and editing
a science module plans the compute jobs again (they reload every fit whose record matches:
:data:`shnn.pipeline.records.RECORD_VERSION` is the one key of a stored fit).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from shnn.sampling import SWEEP_ORDER

#: The presets, one ``config/<name>.yaml`` each (``--config preset=NAME``).
PRESETS: tuple[str, ...] = ("smoke", "default", "paper")

#: The sampled methods in the paper's legend order (the order a sweep fits them,
#: docs/method.md §14).
METHODS: tuple[str, ...] = tuple(m.value for m in SWEEP_ORDER)
#: The Adam-trained baseline's method name.
BASELINE = "hnn"
#: Every method's label in tables, legends and the report.
METHOD_LABELS: Mapping[str, str] = MappingProxyType(
    {"elm": "ELM", "uswim": "U-SWIM", "aswim": "A-SWIM", "swim": "SWIM", BASELINE: "HNN"})

#: Report categories (the ``snakemake --report`` sections), by kind of artifact.
CATEGORIES: Mapping[str, str] = MappingProxyType(
    {"figure": "Figures", "table": "Tables", "performance": "Performance",
     "example": "Examples", "report": "Reproduction"})
#: The files each kind of artifact writes, by extension.
OUTPUTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"figure": ("pdf", "png", "csv"), "table": ("csv", "md", "tex"),
     "performance": ("pdf", "png", "csv"), "example": ("pdf", "png", "csv"),
     "report": ("csv", "md")})

SWEEPS_DIR = "{results}/sweeps"
HNN_DIR = "{results}/hnn"


@dataclass(frozen=True)
class Artifact:
    """One rendered notebook and its files.

    ``sweeps`` and ``baselines`` are the preset sections it reads; ``data`` committed files it
    reads; ``params`` its papermill parameters besides the common ones (``preset``,
    ``config_path``, ``runs_dir``, ``out_stem``), where ``{results}`` and ``{figures}`` stand
    for the preset's folders; ``files`` what other pipeline jobs (``jobs``) make for it;
    ``report_key`` the ``artifact`` column of its rows in the reproduction report;
    ``source``: the notebook it renders, if not its own (figures 4 and 5 render one notebook,
    with parameter ``kind``); ``continued``: it also shows the sweeps that continue its sweeps
    to more values (``continues:`` in a preset: the paper preset's dp-wide in fig06), passed
    as parameter ``continuations``.
    """

    name: str
    kind: str
    title: str
    sweeps: tuple[str, ...] = ()
    baselines: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    jobs: tuple[str, ...] = ()
    report_key: str | None = None
    source: str | None = None
    continued: bool = False

    @property
    def outputs(self) -> tuple[str, ...]:
        """The extensions of its files in the preset's figures folder."""
        return OUTPUTS[self.kind]

    @property
    def category(self) -> str:
        return CATEGORIES[self.kind]

    @property
    def notebook_name(self) -> str:
        """The stem of its notebook's jupytext source in ``notebooks/``."""
        return self.source or self.name

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.notebook_name}.py"

    @property
    def caption(self) -> str:
        return f"report/{self.name}.rst"

    @property
    def needed_jobs(self) -> tuple[str, ...]:
        """The pipeline jobs it needs besides its own: its other ``jobs``, each sweep it reads
        (``sweep_<id>``) and each Adam baseline (``hnn_<case>``), owned or shared."""
        return (*self.jobs, *(f"sweep_{s}" for s in self.sweeps),
                *(f"hnn_{c}" for c in self.baselines))

    @property
    def is_paper_result(self) -> bool:
        """A figure or table of the paper (or its diagnostic), not a benchmark, example or
        the report."""
        return self.kind in ("figure", "table")


SP = ("sp-small", "sp-large")
SP_FREQ = ("sp-f10", "sp-f15", "sp-f20")
LV = ("lv-zero-small", "lv-zero-large", "lv-five")
TABLE1 = (*SP, *LV)
CHAOTIC = ("dp", "hh")
PAPER_SWEEPS_CSV = "data/paper/sweeps.csv"
PAPER_HNN_CSV = "data/paper/hnn.csv"
PAPER_ENERGY_CSV = "data/paper/energy_conservation.csv"
PAPER_CORRECTION_CSV = "data/paper/error_correction.csv"
#: Committed benchmark runs (bench/bench_scaling.py) that perf01 sets beside the preset's own.
PERF_REFERENCES = ("bench/results/chaotic_scaling_2000.json",
                   "bench/results/small_n_over_m.json")
PERF_JSON = "{results}/bench/scaling.json"


def experiment_json(name: str) -> str:
    """What the compute job of experiment ``name`` (``shnn experiment``) writes."""
    return f"{{results}}/experiments/{name}.json"


_ARTIFACTS = (
    Artifact("fig01_aswim_schematic", "figure",
             "Fig. 1, the A-SWIM idea, drawn from a real small fit"),
    Artifact("fig02_single_pendulum", "figure",
             "Fig. 2, single pendulum: errors on two domains, times vs width", sweeps=SP,
             params={"sweeps_dir": SWEEPS_DIR}, report_key="fig02"),
    Artifact("fig03_pendulum_frequency", "figure",
             "Fig. 3, single pendulum f = 10, 15, 20: errors vs train size", sweeps=SP_FREQ,
             params={"sweeps_dir": SWEEPS_DIR}, report_key="fig03"),
    Artifact("fig04_lotka_volterra_errors", "figure",
             "Fig. 4, Lotka-Volterra (3 cases): errors vs width", sweeps=LV,
             params={"sweeps_dir": SWEEPS_DIR, "kind": "err"}, report_key="fig04",
             source="fig04_05_lotka_volterra"),
    Artifact("fig05_lotka_volterra_times", "figure",
             "Fig. 5, Lotka-Volterra: times vs width (Fig. 4's fits)", sweeps=LV,
             params={"sweeps_dir": SWEEPS_DIR, "kind": "time"},
             source="fig04_05_lotka_volterra"),
    Artifact("fig06_double_pendulum", "figure",
             "Fig. 6, double pendulum: errors and times vs width", sweeps=("dp",),
             params={"sweeps_dir": SWEEPS_DIR}, report_key="fig06", continued=True),
    Artifact("fig07_henon_heiles", "figure", "Fig. 7, Hénon-Heiles: errors and times vs alpha",
             sweeps=("hh",), params={"sweeps_dir": SWEEPS_DIR}, report_key="fig07"),
    Artifact("fig08_energy_conservation", "figure",
             "Fig. 8, energy conservation: sampled MLP vs sampled HNN", data=(PAPER_ENERGY_CSV,),
             files=(experiment_json("energy"),), jobs=("experiment_energy",),
             report_key="fig08"),
    Artifact("fig09_error_correction", "figure",
             "Fig. 9, first-order error correction from snapshot pairs",
             data=(PAPER_CORRECTION_CSV,), files=(experiment_json("error_correction"),),
             jobs=("experiment_error_correction",), report_key="fig09"),
    Artifact("tab01_accuracy", "table", "Table 1, Adam-trained HNN vs sampled HNNs (width 1000)",
             sweeps=TABLE1, baselines=TABLE1, data=(PAPER_HNN_CSV,),
             params={"sweeps_dir": SWEEPS_DIR, "hnn_dir": HNN_DIR}, report_key="tab01"),
    Artifact("tab02_chaotic", "table",
             "Table 2, chaotic systems: Adam HNN vs sampled HNNs, speed-ups", sweeps=CHAOTIC,
             baselines=CHAOTIC, data=(PAPER_HNN_CSV,),
             params={"sweeps_dir": SWEEPS_DIR, "hnn_dir": HNN_DIR}, report_key="tab02"),
    Artifact("fig07b_henon_heiles_loss", "figure",
             "Fig. 7b (diagnostic, not in the paper): HNN loss vs sampled errors "
             "(Table 2's runs)", sweeps=("hh",), baselines=("hh",),
             params={"sweeps_dir": SWEEPS_DIR}),
    Artifact("perf01_solver_scaling", "performance",
             "Performance (not in the paper): solver time and memory vs width",
             data=PERF_REFERENCES, files=(PERF_JSON,), jobs=("perf_scaling",),
             params={"bench_json": PERF_JSON, "reference_jsons": ",".join(PERF_REFERENCES)}),
    Artifact("ex01_own_system", "example",
             "Example (not in the paper): your own system (Duffing double well, "
             "`examples/duffing.py`) through the DAG", sweeps=("ex-duffing",),
             params={"sweeps_dir": SWEEPS_DIR, "sweep_id": "ex-duffing"}),
    Artifact("reproduction_report", "report",
             "Reproduction report: every paper number vs ours, with verdicts",
             data=(PAPER_HNN_CSV, PAPER_CORRECTION_CSV, PAPER_ENERGY_CSV),
             params={"figures_dir": "{figures}", "sweeps_dir": SWEEPS_DIR}),
)
#: Every artifact by name, in the README's order.
ARTIFACTS: Mapping[str, Artifact] = MappingProxyType({a.name: a for a in _ARTIFACTS})
#: Committed files every notebook reads (the paper's appendix tables, one per sweep).
NOTEBOOK_DATA: tuple[str, ...] = (PAPER_SWEEPS_CSV,)


def artifacts_in(config: Mapping[str, Any]) -> list[Artifact]:
    """The artifacts a preset renders: all but the examples whose sweep it lacks."""
    return [a for a in ARTIFACTS.values()
            if a.kind != "example" or all(s in config["sweeps"] for s in a.sweeps)]


def paper_results() -> list[Artifact]:
    """The paper's figures and tables (and the diagnostic fig07b), in the README's order."""
    return [a for a in ARTIFACTS.values() if a.is_paper_result]


def report_keys() -> dict[str, str]:
    """artifact name -> the ``artifact`` key of its rows in the reproduction report."""
    return {a.name: a.report_key for a in ARTIFACTS.values() if a.report_key}


def report_key_of(section: str, name: str) -> str:
    """The report key of the first reported artifact reading sweep (``section="sweeps"``) or
    baseline (``"baselines"``) ``name``: ``fig02`` for sweep sp-small, ``tab02`` for
    baseline hh; ``KeyError`` if no reported artifact reads it."""
    for artifact in ARTIFACTS.values():
        if artifact.report_key and name in getattr(artifact, section):
            return artifact.report_key
    raise KeyError(name)


def owned_jobs(name: str) -> tuple[str, ...]:
    """The pipeline jobs whose time ``name`` owns in the README: its own ``jobs`` and each
    sweep (``sweep_<id>``) and baseline (``hnn_<case>``) no earlier artifact reads (shared
    work is counted once, with the first artifact that needs it)."""
    seen: set[str] = set()
    for artifact in ARTIFACTS.values():
        jobs = artifact.needed_jobs
        mine = tuple(j for j in jobs if j not in seen)
        if artifact.name == name:
            return mine
        seen.update(jobs)
    raise KeyError(name)


def continued_jobs(name: str, config: Mapping[str, Any]) -> tuple[str, ...]:
    """The sweep jobs (``sweep_<id>``) of a preset that continue ``name``'s sweeps (the paper
    preset's ``dp-wide`` for fig06): its work too, shown once complete."""
    from shnn.pipeline.config import continuations

    art = ARTIFACTS[name]
    if not art.continued:
        return ()
    return tuple(f"sweep_{later}" for s in art.sweeps if s in config["sweeps"]
                 for later in continuations(dict(config), s))


# --- which code a job depends on -----------------------------------------------------------

PACKAGE = "shnn"
SRC = Path(__file__).resolve().parents[1]  # src/shnn


def imported_modules(source: str) -> set[str]:
    """The ``shnn`` modules a piece of Python imports (anywhere in it, functions included):
    ``import shnn.x``, ``from shnn import x``, ``from shnn.x.y import z``, as paths under
    ``src/shnn`` without ``.py``. A package counts as its ``__init__`` (whose own imports the
    closure follows), and importing a module imports every package above it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == PACKAGE:
                found |= _resolve(parts[1:])
    return found


def _resolve(parts: list[str]) -> set[str]:
    """``shnn.<parts>`` as module paths under ``src/shnn``: the packages' ``__init__`` down
    to the deepest module or package the dotted name reaches (the rest is an attribute)."""
    found, prefix = {"__init__"}, ""
    for part in parts:
        path = f"{prefix}{part}"
        if (SRC / f"{path}.py").exists():
            return found | {path}
        if not (SRC / path / "__init__.py").exists():
            break
        found.add(f"{path}/__init__")
        prefix = f"{path}/"
    return found


def module_closure(modules: Iterable[str], src: Path = SRC) -> set[str]:
    """``modules`` and every ``shnn`` module they import, in turn."""
    todo, seen = list(modules), set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(imported_modules((src / f"{module}.py").read_text()) - seen)
    return seen


def module_files(*sources: str | Path, modules: Iterable[str] = (), root: Path = Path(".")
                 ) -> list[str]:
    """The package files that Python files ``sources`` and ``modules`` depend on through
    their imports, as paths relative to ``root`` (sorted; the Snakefile's code inputs)."""
    wanted = set(modules)
    for path in sources:
        wanted |= imported_modules(Path(path).read_text())
    src = Path(root) / "src" / PACKAGE
    return sorted(str(src / f"{m}.py") for m in module_closure(wanted, src))


#: The modules the compute jobs run (``shnn.cli sweep`` and ``shnn.cli baseline``).
COMPUTE_MODULES: tuple[str, ...] = ("cli", "pipeline/sweeps", "pipeline/config")
