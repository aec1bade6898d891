#!/usr/bin/env bash
# Stop the test cluster of tests/cluster/slurm_up.sh (its daemons only, by their pid files).
SLURM_DIR=${SLURM_DIR:-/tmp/shnn-slurm}
for name in slurmd slurmctld munged; do
    pidfile="$SLURM_DIR/run/$name.pid"
    if [ -f "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
done
sleep 2
for name in slurmd slurmctld munged; do
    pidfile="$SLURM_DIR/run/$name.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    fi
    rm -f "$pidfile"
done
