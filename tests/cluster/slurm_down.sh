#!/usr/bin/env bash
# Stop the test cluster of tests/cluster/slurm_up.sh: its daemons (by their pid files) and
# its link /etc/slurm/slurm.conf.
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
if [ "$(readlink /etc/slurm/slurm.conf 2>/dev/null)" = "$SLURM_DIR/slurm.conf" ]; then
    rm -f /etc/slurm/slurm.conf
fi
