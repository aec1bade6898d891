# Computation shared by artifacts: sweeps and Adam baselines (per-fit records, resumable),
# and the conversion of jupytext sources to .ipynb for papermill.


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


rule hnn_baseline:
    """Train (or load) one Adam-trained HNN baseline (METHOD §8.7), on the CPU."""
    input:
        CONFIG_FILE,
        SRC,
    output:
        f"{RES}/hnn/{{case}}.csv",
    params:
        spec=lambda w: json.dumps(CFG["hnn"][w.case], sort_keys=True),
    threads: THREADS
    log:
        f"{RES}/logs/hnn_{{case}}.log",
    benchmark:
        f"{RES}/benchmarks/hnn_{{case}}.tsv"
    shell:
        "OPENBLAS_NUM_THREADS={threads} OMP_NUM_THREADS={threads} MKL_NUM_THREADS={threads} "
        "{PY} -m shnn.cli baseline --config {CONFIG_FILE} --case {wildcards.case} "
        "--runs-dir {RUNS} --csv {output} > {log} 2>&1"


rule perf_scaling:
    """Solver scaling benchmark (time, peak memory vs width); one process per case."""
    input:
        CONFIG_FILE,
        SRC,
        "bench/bench_scaling.py",
    output:
        f"{RES}/bench/scaling.json",
    params:
        args=" ".join(f"--{k.replace('_', '-')} {','.join(map(str, v)) if isinstance(v, list) else v}"
                      for k, v in CFG["perf"].items()),
    threads: THREADS
    log:
        f"{RES}/logs/perf_scaling.log",
    benchmark:
        f"{RES}/benchmarks/perf_scaling.tsv"
    shell:
        "OPENBLAS_NUM_THREADS={threads} OMP_NUM_THREADS={threads} MKL_NUM_THREADS={threads} "
        "{PY} bench/bench_scaling.py {params.args} --out {output} > {log} 2>&1"


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
