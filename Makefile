# Two commands for a new user (see README.md):
#   make all    set up the environment and build every artifact at the default preset
#   make test   set up the environment and run the tests (unit tests, smoke DAG, nbval)
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SMOKE_NB := results/smoke/figures/notebooks

.PHONY: all setup test unit fidelity smoke nbval cluster-test lab readme report clean-smoke \
	paper paper-status paper-render paper-retime

all: $(STAMP)
	$(BIN)/snakemake --cores all

setup: $(STAMP)

# The lock holds the full resolved set (torch pinned to 2.13.0); the package is installed
# editable on top, without resolving anything again.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $@

test: unit fidelity smoke nbval cluster-test

unit: $(STAMP)
	$(BIN)/pytest -q tests -m "not workflow and not slow"

fidelity: $(STAMP)
	$(BIN)/pytest -q tests -m slow

smoke: $(STAMP)
	$(BIN)/snakemake --cores all --config preset=smoke

# Two calls: a marker filter would also deselect the notebook items of nbval.
nbval: $(STAMP)
	$(BIN)/pytest -q -m workflow tests
	$(BIN)/pytest -q --nbval-lax $(SMOKE_NB)/*.ipynb

# A real single-node SLURM cluster on this machine (installs Debian's slurm-wlm and munge,
# needs root): three smoke artifacts (every kind of job) through `--profile profiles/slurm`,
# checked with sacct and against the local smoke run; the paper store reused under SLURM;
# the sweeps interrupted and resumed (under SLURM and locally).
# Without root it says so and does nothing (CI runs as root).
cluster-test: smoke
	@if [ "$$(id -u)" != 0 ]; then \
		echo "cluster-test: SKIPPED, it needs root to install and start SLURM (sudo make cluster-test)"; \
		exit 0; \
	fi; \
	tests/cluster/slurm_up.sh || { tests/cluster/slurm_down.sh; exit 1; }; \
	. $${SLURM_DIR:-/tmp/shnn-slurm}/env && PATH=$(abspath $(BIN)):$$PATH \
		$(BIN)/python tests/cluster/cluster_test.py; \
		status=$$?; tests/cluster/slurm_down.sh; exit $$status

# The paper preset in pieces (about 46 h on 2 cores): do the missing work in priority order for
# at most MINUTES, then render what is complete into figures/paper/. Results accumulate in the
# committed store records/paper/ (commit it). PYTHONPATH=src: a checkout or git worktree runs
# its own code, even with another checkout's VENV.
paper: $(STAMP)
	PYTHONPATH=src $(BIN)/python -m shnn.pipeline.timebox run --minutes "$(MINUTES)"

paper-status: $(STAMP)
	PYTHONPATH=src $(BIN)/python -m shnn.pipeline.timebox status

paper-render: $(STAMP)
	PYTHONPATH=src $(BIN)/python -m shnn.pipeline.timebox render

# Re-time the committed fits whose time is suspect (contended, an outlier of its point, or a
# point off its neighbours) for at most MINUTES; errors must come out the same (else it stops).
# `make paper-retime MINUTES=0 ARGS=--dry-run` only lists them; `ARGS=--all-judged` re-times every
# point above 1 s (with `--unnamed`, only its fits not yet re-timed); `ARGS=--bridge` instead measures the bridges that put old shards' times on one
# machine's scale (shnn.pipeline.scale), `ARGS="--bridge --baseline dp"` an Adam baseline's.
paper-retime: $(STAMP)
	PYTHONPATH=src $(BIN)/python -m shnn.pipeline.retime --minutes "$(MINUTES)" $(ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean-smoke:
	rm -rf results/smoke

readme: $(STAMP)
	$(BIN)/python tools/readme.py README.md

# The self-contained HTML report of the default-preset build (run `make all` first).
report: $(STAMP)
	$(BIN)/snakemake --cores 1 --report report.html
