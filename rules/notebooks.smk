# Sweeps (per-fit records, resumable) and the papermill notebook rules.


rule sweep:
    """Run or resume one sweep of the preset; one CSV row per fit, records in RUNS."""
    input:
        CONFIG_FILE,
        SRC,
    output:
        f"{RES}/sweeps/{{sweep}}.csv",
    params:
        spec=lambda w: json.dumps(CFG["sweeps"][w.sweep], sort_keys=True),
    threads: THREADS
    log:
        f"{RES}/logs/sweep_{{sweep}}.log",
    benchmark:
        f"{RES}/benchmarks/sweep_{{sweep}}.tsv"
    shell:
        "OPENBLAS_NUM_THREADS={threads} OMP_NUM_THREADS={threads} MKL_NUM_THREADS={threads} "
        "{PY} -m shnn.cli sweep --config {CONFIG_FILE} --sweep {wildcards.sweep} "
        "--runs-dir {RUNS} --csv {output} > {log} 2>&1"


rule notebook_ipynb:
    """Convert a jupytext .py notebook to .ipynb (papermill cannot read .py)."""
    input:
        "notebooks/{name}.py",
    output:
        temp(f"{RES}/notebooks/src/{{name}}.ipynb"),
    log:
        f"{RES}/logs/jupytext_{{name}}.log",
    shell:
        "{PY} -m jupytext --to ipynb --output {output} {input} > {log} 2>&1"


rule fig02_single_pendulum:
    """Figure 2: single pendulum errors (two domains) and times vs width."""
    input:
        nb=f"{RES}/notebooks/src/fig02_single_pendulum.ipynb",
        small=sweep_csv("sp-small"),
        large=sweep_csv("sp-large"),
        paper="data/paper/sweeps.csv",
        src=SRC,
    output:
        artifact_outputs("fig02_single_pendulum"),
        nb=f"{RES}/notebooks/fig02_single_pendulum.ipynb",
    params:
        stem=f"{FIG}/fig02_single_pendulum",
    log:
        f"{RES}/logs/fig02_single_pendulum.log",
    benchmark:
        f"{RES}/benchmarks/fig02_single_pendulum.tsv"
    shell:
        "{PY} -m papermill {input.nb} {output.nb} --cwd . --log-output "
        "-p preset {PRESET} -p config_path {CONFIG_FILE} -p runs_dir {RUNS} "
        "-p small_csv {input.small} -p large_csv {input.large} -p paper_csv {input.paper} "
        "-p out_stem {params.stem} > {log} 2>&1"
