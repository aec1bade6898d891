"""The reproduction report: every number of the paper next to ours, with a verdict.

Everything here reads files the pipeline wrote (figure CSVs, per-fit sweep CSVs, the
preset) and the paper's numbers in ``data/paper/``. A row is *comparable* only where the
preset computed the paper's exact setting (system, domain, sizes, width, seeds); otherwise
its verdict is ``not comparable at this preset`` and its note says what differs.

A preset with a ``store_dir`` (the paper preset, computed in pieces by :mod:`shnn.timebox`)
may report over part of its artifacts: the rows of an artifact whose CSV is missing are
listed all the same, with our value empty and the verdict ``not run yet`` (the note says how
far its fits or Adam steps are), and so is every claim that reads such an artifact.

Four modules: :mod:`~shnn.report.facts` (the paper's settings, quoted values, tolerances and
claims), :mod:`~shnn.report.rows` (the numbers beside the paper's), :mod:`~shnn.report.claims`
(the qualitative claims checked) and :mod:`~shnn.report.render` (CSV and Markdown). Their
public names are importable from ``shnn.report`` itself.
"""

from shnn.report.claims import (
    Claim,
    at_preset,
    claim_aswim_equals_swim,
    claim_chaotic,
    claim_conservation,
    claim_costs,
    claim_dp_close,
    claim_frequency,
    claim_hh_gap,
    claim_small_domains,
    claim_table2,
    claim_wide_domains,
    data_size_differences,
    not_run_claim,
)
from shnn.report.facts import (
    AGREES,
    ARTIFACTS,
    CLAIM_ARTIFACTS,
    CLAIM_SWEEPS,
    CLAIM_TEXT,
    DIFFERS,
    FAMILY,
    KEY_VALUES,
    NOT_COMPARABLE,
    NOT_REPRODUCED,
    NOT_RUN,
    PAPER_CONFIG,
    PAPER_EQUAL,
    PAPER_REPEATS,
    PAPER_SEEDS,
    PAPER_SWEEPS,
    PARTLY,
    REPRODUCED,
    SUMMARY_ARTIFACTS,
    SWEEP_ARTIFACT,
    TABLE2_VALUE,
    TABLE_CASES,
    TABLE_HNN_VERSION,
    tolerance,
)
from shnn.report.render import (
    markdown,
    write_rows,
)
from shnn.report.rows import (
    PROGRESS_UNITS,
    Row,
    continuation_note,
    correction_rows,
    energy_rows,
    energy_values,
    mark_not_run,
    not_run_note,
    not_run_notes,
    planned_summary,
    planned_table,
    progress_text,
    read_artifact,
    read_rows,
    setting_differences,
    sweep_rows,
    table_rows,
    verdict,
    with_continuations,
)

__all__ = [
    "AGREES",
    "ARTIFACTS",
    "CLAIM_ARTIFACTS",
    "CLAIM_SWEEPS",
    "CLAIM_TEXT",
    "Claim",
    "DIFFERS",
    "FAMILY",
    "KEY_VALUES",
    "NOT_COMPARABLE",
    "NOT_REPRODUCED",
    "NOT_RUN",
    "PAPER_CONFIG",
    "PAPER_EQUAL",
    "PAPER_REPEATS",
    "PAPER_SEEDS",
    "PAPER_SWEEPS",
    "PARTLY",
    "PROGRESS_UNITS",
    "REPRODUCED",
    "Row",
    "SUMMARY_ARTIFACTS",
    "SWEEP_ARTIFACT",
    "TABLE2_VALUE",
    "TABLE_CASES",
    "TABLE_HNN_VERSION",
    "at_preset",
    "claim_aswim_equals_swim",
    "claim_chaotic",
    "claim_conservation",
    "claim_costs",
    "claim_dp_close",
    "claim_frequency",
    "claim_hh_gap",
    "claim_small_domains",
    "claim_table2",
    "claim_wide_domains",
    "continuation_note",
    "correction_rows",
    "data_size_differences",
    "energy_rows",
    "energy_values",
    "mark_not_run",
    "markdown",
    "not_run_claim",
    "not_run_note",
    "not_run_notes",
    "planned_summary",
    "planned_table",
    "progress_text",
    "read_artifact",
    "read_rows",
    "setting_differences",
    "sweep_rows",
    "table_rows",
    "tolerance",
    "verdict",
    "with_continuations",
    "write_rows",
]
