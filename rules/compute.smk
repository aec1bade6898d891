# Computation shared by artifacts: sweeps (one job per sweep value, gathered per sweep),
# Adam baselines (per-fit records, resumable), the two experiments of fig08 and fig09, the
# solver benchmark, and the conversion of jupytext sources to .ipynb for papermill.


rule sweep_shard:
    """One shard of a sweep: every method and repeat at one value of the swept quantity.

    Per-fit records go to RUNS (written atomically, reused on a re-run), the shard's rows to
    its CSV; memory and run time are declared from the measured cost model (pipeline.resources).
    A system of your own (FILE.py:NAME) adds its file as an input. Its benchmark file is the
    fits' compute seconds as measured when each was computed (not Snakemake's `benchmark:`,
    which a rerun that only reloads the records would overwrite with its own few seconds).
    """
    input:
        CONFIG_FILE,
        COMPUTE_CODE,
        lambda w: shnn.systems.source_files(CFG["sweeps"][w.sweep]["system"]),
    output:
        pipeline.jobs.shard_csv(RES, "{sweep}", "{value}"),
    params:
        spec=lambda w: json.dumps(CFG["sweeps"][w.sweep], sort_keys=True),
        command=lambda w: shlex.join(pipeline.jobs.shard_command(
            CONFIG_FILE, CFG, w.sweep, w.value, benchmark=True)),
    threads: THREADS
    resources:
        mem_mb=lambda w: shard_resources(w.sweep, w.value)["mem_mb"],
        runtime=lambda w: shard_resources(w.sweep, w.value)["runtime"],
    log:
        f"{RES}/logs/sweep_{{sweep}}/value~{{value}}.log",
    shell:
        "OPENBLAS_NUM_THREADS={threads} OMP_NUM_THREADS={threads} MKL_NUM_THREADS={threads} "
        "{params.command} > {log} 2>&1"


rule sweep:
    """Gather the shards of one sweep into its CSV (the figure notebooks read this)."""
    input:
        lambda w: [shard_csv(w.sweep, label)
                   for label in pipeline.sweeps.shard_labels(CFG["sweeps"][w.sweep])],
    output:
        f"{RES}/sweeps/{{sweep}}.csv",
    log:
        f"{RES}/logs/gather_{{sweep}}.log",
    shell:
        "{PY} -m shnn.cli gather --csv {output} {input} > {log} 2>&1"


rule sweep_shard_stored:
    """A shard whose fits are all in the committed store: its CSV, read from there (no fit)."""
    input:
        lambda w: pipeline.store.shard_log_path(STORE, w.sweep, w.value),
        CONFIG_FILE,
    output:
        f"{RES}/sweeps/{{sweep}}/stored~{{value}}.csv",
    log:
        f"{RES}/logs/sweep_{{sweep}}/stored~{{value}}.log",
    shell:
        "{PY} -m shnn.cli sweep --config {CONFIG_FILE} --sweep {wildcards.sweep} "
        "--value {wildcards.value} --runs-dir {RUNS} --csv {output} --no-compute > {log} 2>&1"


rule hnn_baseline_stored:
    """An Adam baseline whose record is in the committed store: its CSV row (no training)."""
    input:
        lambda w: pipeline.store.baseline_log_path(STORE, w.case),
        CONFIG_FILE,
    output:
        f"{RES}/hnn/stored/{{case}}.csv",
    log:
        f"{RES}/logs/hnn_stored_{{case}}.log",
    shell:
        "{PY} -m shnn.cli baseline --config {CONFIG_FILE} --case {wildcards.case} "
        "--runs-dir {RUNS} --csv {output} --no-compute > {log} 2>&1"


rule hnn_baseline:
    """Train (or load) one Adam-trained HNN baseline (docs/method.md §8.7), on the CPU; with a
    store (paper preset) it checkpoints there and resumes from the committed checkpoint."""
    input:
        CONFIG_FILE,
        COMPUTE_CODE,
    output:
        pipeline.jobs.baseline_csv(RES, "{case}"),
    params:
        spec=lambda w: json.dumps(CFG["hnn"][w.case], sort_keys=True),
        command=lambda w: shlex.join(pipeline.jobs.baseline_command(
            CONFIG_FILE, CFG, w.case, benchmark=True)),
    threads: THREADS
    resources:
        mem_mb=lambda w: baseline_resources(w.case)["mem_mb"],
        runtime=lambda w: baseline_resources(w.case)["runtime"],
    log:
        f"{RES}/logs/hnn_{{case}}.log",
    shell:
        "OPENBLAS_NUM_THREADS={threads} OMP_NUM_THREADS={threads} MKL_NUM_THREADS={threads} "
        "{params.command} > {log} 2>&1"


rule experiment:
    """One experiment that is not a sweep: energy conservation (fig08) or error correction
    (fig09). Its results go to RUNS (reused on a re-run; the notebook reads them from there);
    its benchmark file is their compute seconds as measured when they were computed."""
    input:
        CONFIG_FILE,
        COMPUTE_CODE,
    output:
        f"{RES}/experiments/{{name}}.json",
    params:
        spec=lambda w: json.dumps(CFG[w.name], sort_keys=True),
    wildcard_constraints:
        name="|".join(pipeline.experiments.EXPERIMENTS),
    threads: THREADS
    log:
        f"{RES}/logs/experiment_{{name}}.log",
    shell:
        "OPENBLAS_NUM_THREADS={threads} OMP_NUM_THREADS={threads} MKL_NUM_THREADS={threads} "
        "{PY} -m shnn.cli experiment --config {CONFIG_FILE} --name {wildcards.name} "
        "--runs-dir {RUNS} --out {output} "
        f"--benchmark {RES}/benchmarks/experiment_{{wildcards.name}}.tsv > {{log}} 2>&1"


rule perf_scaling:
    """Solver scaling benchmark (time, peak memory vs width); one process per case."""
    input:
        CONFIG_FILE,
        pipeline.manifest.module_files("bench/bench_scaling.py"),
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
