"""The reproduction pipeline, built on the science modules of :mod:`shnn` and never imported
by them.

- :mod:`~shnn.pipeline.manifest`: every artifact (figure, table, report), what it reads and
  shows; the Snakefile, the README generator, the report and the tests read it.
- :mod:`~shnn.pipeline.config`: the presets (``config/*.yaml``) and their checks.
- :mod:`~shnn.pipeline.records`, :mod:`~shnn.pipeline.store`: one stored record per fit (files
  under ``results/runs``; the paper preset's committed logs under ``records/paper``).
- :mod:`~shnn.pipeline.fitting`: one fit, run now or its record reloaded from a store.
- :mod:`~shnn.pipeline.sweeps`, :mod:`~shnn.pipeline.experiments`: the sweeps, Adam baselines
  and the two experiments, computed or reloaded.
- :mod:`~shnn.pipeline.commands`: ``shnn sweep | gather | baseline | verify``, the commands
  Snakemake runs; :mod:`~shnn.pipeline.resources` their declared memory and time.
- :mod:`~shnn.pipeline.jobs`: the command lines of the compute jobs (a sweep shard, an Adam
  baseline) that Snakemake and the paper-preset runner both start.
- :mod:`~shnn.pipeline.timebox`: the paper preset in pieces, within a time box (the runner and
  its command line); :mod:`~shnn.pipeline.progress` how far the preset is (its plan in priority
  order, the work done, the time left), which the runner, the report and
  :mod:`~shnn.pipeline.status` (the status table) read.
- :mod:`~shnn.pipeline.aggregate`, :mod:`~shnn.pipeline.plotting`, :mod:`~shnn.pipeline.tables`,
  :mod:`~shnn.pipeline.notebook`, :mod:`~shnn.pipeline.report`: what the notebooks call to
  load, summarise, draw and compare with the paper.
"""
