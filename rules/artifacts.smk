# One rule per artifact of the manifest (pipeline.manifest.ARTIFACTS), named after it: papermill
# runs the artifact's notebook with the preset's parameters and the artifact's own. The
# command is a parameter: Snakemake evaluates `shell:` when a job runs, after the loop has
# moved on, but `params:` here, once per rule.

for _art in ARTIFACTS.values():

    rule:
        name:
            _art.name
        input:
            artifact_inputs(_art),
        output:
            artifact_outputs(_art.name),
            f"{FIG}/notebooks/{_art.name}.ipynb",
        params:
            command=papermill(_art),
        log:
            f"{RES}/logs/{_art.name}.log",
        benchmark:
            f"{RES}/benchmarks/{_art.name}.tsv"
        shell:
            "({params.command}) > {log} 2>&1"
