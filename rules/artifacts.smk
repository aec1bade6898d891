# One rule per artifact of the manifest (shnn.manifest.ARTIFACTS), named after it: papermill
# runs the artifact's notebook with the preset's parameters and the artifact's own.

for _art in ARTIFACTS.values():

    rule:
        name:
            _art.name
        input:
            artifact_inputs(_art),
        output:
            artifact_outputs(_art.name),
            f"{FIG}/notebooks/{_art.name}.ipynb",
        threads: THREADS if _art.threads else 1
        log:
            f"{RES}/logs/{_art.name}.log",
        benchmark:
            f"{RES}/benchmarks/{_art.name}.tsv"
        shell:
            papermill(_art)
