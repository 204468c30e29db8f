#!/usr/bin/env bash
# A throwaway one-machine SLURM cluster (Debian's slurmctld, slurmd and munge, no systemd, no cgroups),
# for trying and testing `pnpm train slurm` where no real cluster is at hand. Run as root.
#
#   scripts/slurm-single-node.sh install           apt-get install the packages (skipped if present)
#   scripts/slurm-single-node.sh run CMD [ARG...]   start a cluster, run CMD with SLURM_CONF set so
#                                                   sbatch/squeue talk to it, stop it, exit with CMD's status
#
# Everything the cluster writes (munge key and socket, slurm.conf, state, logs) lives in one temp folder,
# removed at the end; only `install` touches the system. The daemons are stopped by the PIDs this script
# started, never by name. CPUS (default: all cores) sets the node's CPUs; the ports are picked free.
set -euo pipefail

log() { echo "[slurm-single-node] $*" >&2; }

have_packages() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
    command -v sbatch >/dev/null && command -v munged >/dev/null
}

install_packages() {
  if have_packages; then return 0; fi
  # A policy-rc.d that says "no" keeps the packages' postinst from starting services (no systemd here).
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client munge >/dev/null
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
}

# A TCP port nobody listens on, from a random start (two clusters on one machine must not collide).
free_port() {
  local port=$((20000 + RANDOM % 20000))
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

run_cluster() {
  have_packages || { log "slurm packages missing: run '$0 install' first"; exit 127; }
  local dir host cpus ctld_port d_port
  dir=$(mktemp -d /tmp/slurm-single-node.XXXXXX)
  host=$(hostname -s)
  cpus=${CPUS:-$(nproc)}
  ctld_port=$(free_port)
  d_port=$(free_port)
  while [ "$d_port" = "$ctld_port" ]; do d_port=$(free_port); done
  mkdir -p "$dir"/{munge,state/ctld,state/d,log,run}
  # munged wants its socket folder world-searchable and its key readable by its owner only.
  chmod 755 "$dir" "$dir/munge"
  export SLURM_CONF=$dir/slurm.conf

  PIDS=()
  stop_cluster() {
    local status=$?
    set +e
    # Newest first: slurmd, slurmctld (its slurmscriptd child exits with it), munged.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
      local pid=${PIDS[i]}
      kill -TERM "$pid" 2>/dev/null || continue
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      wait "$pid" 2>/dev/null
    done
    rm -rf "$dir"
    exit "$status"
  }
  trap stop_cluster EXIT
  trap 'exit 130' INT TERM

  mungekey -c -k "$dir/munge/munge.key" >/dev/null 2>&1 ||
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  munged -F --key-file="$dir/munge/munge.key" --socket="$dir/munge/socket" \
    --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/seed" </dev/null >"$dir/log/munged.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do [ -S "$dir/munge/socket" ] && break; sleep 0.05; done

  cat >"$SLURM_CONF" <<CONF
ClusterName=single
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/socket
StateSaveLocation=$dir/state/ctld
SlurmdSpoolDir=$dir/state/d
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# Schedule at once after a submit or an end (the default waits seconds), and keep finished jobs only
# briefly so that sbatch --wait polls every 2 s.
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MinJobAge=5
ReturnToService=2
# Take CPUs= as given, whatever the hardware says (else the node may drain).
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

  slurmctld -D -f "$SLURM_CONF" </dev/null >"$dir/log/slurmctld.out" 2>&1 &
  PIDS+=($!)
  slurmd -D -f "$SLURM_CONF" </dev/null >"$dir/log/slurmd.out" 2>&1 &
  PIDS+=($!)
  local state=""
  for _ in $(seq 300); do
    state=$(sinfo -h -N -n "$host" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { log "a daemon (pid $pid) died:"; tail -n 20 "$dir"/log/*; exit 1; }
    done
    sleep 0.2
  done
  [ "$state" = idle ] || { log "the node did not become idle (state '$state')"; tail -n 30 "$dir"/log/*; exit 1; }
  log "cluster up: $cpus CPUs, slurmctld port $ctld_port, SLURM_CONF=$SLURM_CONF"

  set +e
  "$@"
  local status=$?
  set -e
  exit "$status"
}

case "${1:-}" in
  install) install_packages ;;
  run)
    shift
    [ $# -gt 0 ] || { log "usage: $0 run CMD [ARG...]"; exit 2; }
    run_cluster "$@"
    ;;
  *) log "usage: $0 install | run CMD [ARG...]"; exit 2 ;;
esac
