# One rule per paper artifact: papermill runs its notebook with the preset's parameters.


rule fig01_aswim_schematic:
    """Figure 1: the A-SWIM idea, drawn from a real small single-pendulum fit."""
    input:
        notebook_inputs("fig01_aswim_schematic"),
    output:
        artifact_outputs("fig01_aswim_schematic"),
        f"{FIG}/notebooks/fig01_aswim_schematic.ipynb",
    log:
        f"{RES}/logs/fig01_aswim_schematic.log",
    benchmark:
        f"{RES}/benchmarks/fig01_aswim_schematic.tsv"
    shell:
        papermill("fig01_aswim_schematic")


rule fig02_single_pendulum:
    """Figure 2: single pendulum errors (two domains) and times vs width."""
    input:
        notebook_inputs("fig02_single_pendulum", sweep_csv("sp-small"), sweep_csv("sp-large")),
    output:
        artifact_outputs("fig02_single_pendulum"),
        f"{FIG}/notebooks/fig02_single_pendulum.ipynb",
    log:
        f"{RES}/logs/fig02_single_pendulum.log",
    benchmark:
        f"{RES}/benchmarks/fig02_single_pendulum.tsv"
    shell:
        papermill("fig02_single_pendulum", sweeps_dir=f"{RES}/sweeps")


rule fig03_pendulum_frequency:
    """Figure 3: single pendulum with f = 10, 15, 20, errors vs train-set size."""
    input:
        notebook_inputs("fig03_pendulum_frequency",
                        *[sweep_csv(f"sp-f{f}") for f in (10, 15, 20)]),
    output:
        artifact_outputs("fig03_pendulum_frequency"),
        f"{FIG}/notebooks/fig03_pendulum_frequency.ipynb",
    log:
        f"{RES}/logs/fig03_pendulum_frequency.log",
    benchmark:
        f"{RES}/benchmarks/fig03_pendulum_frequency.tsv"
    shell:
        papermill("fig03_pendulum_frequency", sweeps_dir=f"{RES}/sweeps")


rule fig04_lotka_volterra_errors:
    """Figure 4: Lotka-Volterra errors vs width, three cases."""
    input:
        notebook_inputs("fig04_lotka_volterra_errors", *[sweep_csv(s) for s in LV_SWEEPS]),
    output:
        artifact_outputs("fig04_lotka_volterra_errors"),
        f"{FIG}/notebooks/fig04_lotka_volterra_errors.ipynb",
    log:
        f"{RES}/logs/fig04_lotka_volterra_errors.log",
    benchmark:
        f"{RES}/benchmarks/fig04_lotka_volterra_errors.tsv"
    shell:
        papermill("fig04_lotka_volterra_errors", sweeps_dir=f"{RES}/sweeps", kind="err")


rule fig05_lotka_volterra_times:
    """Figure 5: Lotka-Volterra training times vs width (the fits of figure 4)."""
    input:
        notebook_inputs("fig05_lotka_volterra_times", *[sweep_csv(s) for s in LV_SWEEPS]),
    output:
        artifact_outputs("fig05_lotka_volterra_times"),
        f"{FIG}/notebooks/fig05_lotka_volterra_times.ipynb",
    log:
        f"{RES}/logs/fig05_lotka_volterra_times.log",
    benchmark:
        f"{RES}/benchmarks/fig05_lotka_volterra_times.tsv"
    shell:
        papermill("fig05_lotka_volterra_times", sweeps_dir=f"{RES}/sweeps", kind="time")


rule fig06_double_pendulum:
    """Figure 6: double pendulum errors and times vs width."""
    input:
        notebook_inputs("fig06_double_pendulum", sweep_csv("dp")),
    output:
        artifact_outputs("fig06_double_pendulum"),
        f"{FIG}/notebooks/fig06_double_pendulum.ipynb",
    log:
        f"{RES}/logs/fig06_double_pendulum.log",
    benchmark:
        f"{RES}/benchmarks/fig06_double_pendulum.tsv"
    shell:
        papermill("fig06_double_pendulum", sweeps_dir=f"{RES}/sweeps")


rule fig07_henon_heiles:
    """Figure 7: Henon-Heiles errors and times vs alpha at a fixed width."""
    input:
        notebook_inputs("fig07_henon_heiles", sweep_csv("hh")),
    output:
        artifact_outputs("fig07_henon_heiles"),
        f"{FIG}/notebooks/fig07_henon_heiles.ipynb",
    log:
        f"{RES}/logs/fig07_henon_heiles.log",
    benchmark:
        f"{RES}/benchmarks/fig07_henon_heiles.tsv"
    shell:
        papermill("fig07_henon_heiles", sweeps_dir=f"{RES}/sweeps")


rule fig07b_henon_heiles_loss:
    """Figure 7b (diagnostic, not in the paper): the Adam HNN's loss vs the sampled errors."""
    input:
        notebook_inputs("fig07b_henon_heiles_loss", sweep_csv("hh"), hnn_csv("hh")),
    output:
        artifact_outputs("fig07b_henon_heiles_loss"),
        f"{FIG}/notebooks/fig07b_henon_heiles_loss.ipynb",
    log:
        f"{RES}/logs/fig07b_henon_heiles_loss.log",
    benchmark:
        f"{RES}/benchmarks/fig07b_henon_heiles_loss.tsv"
    shell:
        papermill("fig07b_henon_heiles_loss", sweeps_dir=f"{RES}/sweeps")


rule fig08_energy_conservation:
    """Figure 8: sampled MLP vs sampled HNN, trajectories, errors and energy."""
    input:
        notebook_inputs("fig08_energy_conservation", "data/paper/energy_conservation.csv"),
    output:
        artifact_outputs("fig08_energy_conservation"),
        f"{FIG}/notebooks/fig08_energy_conservation.ipynb",
    threads: THREADS
    log:
        f"{RES}/logs/fig08_energy_conservation.log",
    benchmark:
        f"{RES}/benchmarks/fig08_energy_conservation.tsv"
    shell:
        papermill("fig08_energy_conservation")


rule fig09_error_correction:
    """Figure 9: first-order error correction from snapshot pairs."""
    input:
        notebook_inputs("fig09_error_correction", "data/paper/error_correction.csv"),
    output:
        artifact_outputs("fig09_error_correction"),
        f"{FIG}/notebooks/fig09_error_correction.ipynb",
    threads: THREADS
    log:
        f"{RES}/logs/fig09_error_correction.log",
    benchmark:
        f"{RES}/benchmarks/fig09_error_correction.tsv"
    shell:
        papermill("fig09_error_correction")


rule tab01_accuracy:
    """Table 1: Adam-trained HNN vs the sampled HNNs at width 1000 (non-chaotic systems)."""
    input:
        notebook_inputs("tab01_accuracy", "data/paper/hnn.csv",
                        *[sweep_csv(s) for s in ["sp-small", "sp-large", *LV_SWEEPS]],
                        *[hnn_csv(c) for c in CFG["hnn"] if c not in CHAOTIC]),
    output:
        artifact_outputs("tab01_accuracy"),
        f"{FIG}/notebooks/tab01_accuracy.ipynb",
    log:
        f"{RES}/logs/tab01_accuracy.log",
    benchmark:
        f"{RES}/benchmarks/tab01_accuracy.tsv"
    shell:
        papermill("tab01_accuracy", sweeps_dir=f"{RES}/sweeps", hnn_dir=f"{RES}/hnn")


rule tab02_chaotic:
    """Table 2: Adam-trained HNN vs the sampled HNNs on the chaotic systems, with speed-ups."""
    input:
        notebook_inputs("tab02_chaotic", "data/paper/hnn.csv",
                        *[sweep_csv(s) for s in CHAOTIC], *[hnn_csv(c) for c in CHAOTIC]),
    output:
        artifact_outputs("tab02_chaotic"),
        f"{FIG}/notebooks/tab02_chaotic.ipynb",
    log:
        f"{RES}/logs/tab02_chaotic.log",
    benchmark:
        f"{RES}/benchmarks/tab02_chaotic.tsv"
    shell:
        papermill("tab02_chaotic", sweeps_dir=f"{RES}/sweeps", hnn_dir=f"{RES}/hnn")


# Committed benchmark runs (bench/bench_scaling.py) that perf01 sets beside the preset's own.
PERF_REFERENCES = ["bench/results/chaotic_scaling_2000.json", "bench/results/small_n_over_m.json"]


rule perf01_solver_scaling:
    """Performance: fit time and peak memory vs width for each solver (not a paper figure)."""
    input:
        notebook_inputs("perf01_solver_scaling", f"{RES}/bench/scaling.json", *PERF_REFERENCES),
    output:
        artifact_outputs("perf01_solver_scaling"),
        f"{FIG}/notebooks/perf01_solver_scaling.ipynb",
    log:
        f"{RES}/logs/perf01_solver_scaling.log",
    benchmark:
        f"{RES}/benchmarks/perf01_solver_scaling.tsv"
    shell:
        papermill("perf01_solver_scaling", bench_json=f"{RES}/bench/scaling.json",
                  reference_jsons=",".join(PERF_REFERENCES))


rule reproduction_report:
    """Every number of the paper next to ours with a verdict, and the qualitative claims."""
    input:
        notebook_inputs("reproduction_report", "data/paper/hnn.csv",
                        "data/paper/error_correction.csv", "data/paper/energy_conservation.csv",
                        *[sweep_csv(s) for name in REPORTED
                          for s in shnn.timebox.ARTIFACT_INPUTS[name][0]],
                        *[out for name in REPORTED
                          for out in artifact_files(name) if out.endswith(".csv")]),
    output:
        artifact_outputs("reproduction_report"),
        f"{FIG}/notebooks/reproduction_report.ipynb",
    log:
        f"{RES}/logs/reproduction_report.log",
    benchmark:
        f"{RES}/benchmarks/reproduction_report.tsv"
    shell:
        papermill("reproduction_report", figures_dir=FIG, sweeps_dir=f"{RES}/sweeps")


if "ex01_own_system" in ARTIFACTS:  # only presets with the example's sweep (not paper)

    rule ex01_own_system:
        """Example (not in the paper): your own system, a Duffing double well defined in
        examples/duffing.py, swept through the same DAG (README "Your own system")."""
        input:
            notebook_inputs("ex01_own_system", sweep_csv(EXAMPLES["ex01_own_system"]),
                            *shnn.systems.source_files(
                                CFG["sweeps"][EXAMPLES["ex01_own_system"]]["system"])),
        output:
            artifact_outputs("ex01_own_system"),
            f"{FIG}/notebooks/ex01_own_system.ipynb",
        log:
            f"{RES}/logs/ex01_own_system.log",
        benchmark:
            f"{RES}/benchmarks/ex01_own_system.tsv"
        shell:
            papermill("ex01_own_system", sweeps_dir=f"{RES}/sweeps",
                      sweep_id=EXAMPLES["ex01_own_system"])
