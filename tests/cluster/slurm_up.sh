#!/usr/bin/env bash
# Start a single-node SLURM cluster on this machine (slurmctld + slurmd on localhost, munge
# authentication), for the cluster test only. Installs Debian's slurm-wlm and munge when
# missing. Everything it writes is under $SLURM_DIR (default /tmp/shnn-slurm): the
# configuration, state, spool, logs and pid files; tests/cluster/slurm_down.sh stops it.
set -euo pipefail
SLURM_DIR=${SLURM_DIR:-/tmp/shnn-slurm}
export SLURM_DIR
"$(dirname "$0")/slurm_down.sh"  # a cluster left over from an earlier run

if ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
    echo "installing slurm-wlm and munge (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurm-wlm munge > /dev/null
fi

mkdir -p "$SLURM_DIR"/{state,spool,log,run}
host=$(hostname -s)
cpus=$(nproc)
# Leave 2 GiB to the system; SLURM then refuses jobs that ask for more than the machine has.
mem_mb=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 2048 ))
cat > "$SLURM_DIR/slurm.conf" <<CONF
ClusterName=shnn-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldPidFile=$SLURM_DIR/run/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/run/slurmd.pid
SlurmctldLogFile=$SLURM_DIR/log/slurmctld.log
SlurmdLogFile=$SLURM_DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$SLURM_DIR/log/jobcomp.log
MinJobAge=3600
ReturnToService=2
MpiDefault=none
AuthInfo=socket=$SLURM_DIR/run/munge.socket
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
echo "export SLURM_CONF=$SLURM_DIR/slurm.conf" > "$SLURM_DIR/env"
export SLURM_CONF=$SLURM_DIR/slurm.conf
# Inside a job, Snakemake's jobstep executor drops SLURM_* variables (SLURM_CONF too) before
# calling srun, which then reads the default /etc/slurm/slurm.conf: link it there, unless
# this machine already has a SLURM configuration of its own (then refuse, touching nothing).
if [ -e /etc/slurm/slurm.conf ] && [ "$(readlink /etc/slurm/slurm.conf)" != "$SLURM_CONF" ]; then
    echo "/etc/slurm/slurm.conf exists and is not the test cluster's; not starting" >&2
    exit 1
fi
mkdir -p /etc/slurm
ln -sfn "$SLURM_CONF" /etc/slurm/slurm.conf

# munge: a key of its own (never the system's), its socket and pid under $SLURM_DIR.
if [ ! -f "$SLURM_DIR/munge.key" ]; then
    dd if=/dev/urandom bs=1 count=1024 of="$SLURM_DIR/munge.key" status=none
fi
chmod 600 "$SLURM_DIR/munge.key"
munged --force --key-file="$SLURM_DIR/munge.key" --socket="$SLURM_DIR/run/munge.socket" \
    --pid-file="$SLURM_DIR/run/munged.pid" --log-file="$SLURM_DIR/log/munged.log" \
    --seed-file="$SLURM_DIR/run/munge.seed"

slurmctld -f "$SLURM_DIR/slurm.conf"
slurmd -f "$SLURM_DIR/slurm.conf"
for _ in $(seq 60); do
    if sinfo -h -o %t 2>/dev/null | grep -q idle; then
        sinfo
        exit 0
    fi
    sleep 1
done
echo "slurm did not come up; logs in $SLURM_DIR/log" >&2
tail -n 20 "$SLURM_DIR"/log/*.log >&2 || true
exit 1
