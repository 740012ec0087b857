#!/usr/bin/env bash
# Starts or stops a throw-away Slurm 22.05 cluster on this machine for the tests: one controller and two nodes (n1, n2)
# on localhost, each on its own port, with munge authentication and no accounting.
#
#   scripts/slurm-test-cluster.sh up DIR     installs the Debian packages if missing, writes DIR/slurm.conf, starts munged
#                                            (as user munge), slurmctld and two slurmd, waits until sinfo shows both nodes
#                                            idle, and writes DIR/env, which exports SLURM_CONF, CELLVISION_TEST_SLURM=1
#                                            and CELLVISION_TEST_SLURM_PARTITION. With JWT authentication enabled
#                                            (AuthAltTypes=auth/jwt, key DIR/jwt.key) it also starts slurmrestd on a
#                                            free loopback port (as user nobody) and exports CELLVISION_TEST_SLURMREST_URL
#                                            and CELLVISION_TEST_SLURMREST_TOKEN (a root token valid for an hour, not
#                                            SLURM_JWT, which would switch every Slurm command of the tests to JWT);
#                                            when slurmrestd cannot start, the rest of the cluster still comes up and
#                                            the REST tests skip
#   scripts/slurm-test-cluster.sh down DIR   stops exactly the processes "up" started, by PID (SIGKILL after a timeout),
#                                            and leaves DIR empty
#
# Run as root. State, spool, logs, PID files and the munge key all live under DIR. "down" is safe to call twice or
# after a failed "up".
set -euo pipefail

start_timeout_s=60
stop_timeout_s=10
partition=test

usage() {
  echo "usage: $0 up|down DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
command=$1
dir=$(realpath -m "$2")

# A TCP port that nothing listens on and that no other call of this function returned.
taken_ports=()
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20000))
    if [[ " ${taken_ports[*]} " == *" $port "* ]]; then
      continue
    fi
    if [ -z "$(ss -Htan "sport = :$port")" ]; then
      taken_ports+=("$port")
      echo "$port"
      return 0
    fi
  done
  echo "no free TCP port found" >&2
  return 1
}

install_packages() {
  if [ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] && command -v sbatch > /dev/null && [ -x /usr/sbin/munged ] \
    && [ -x /usr/sbin/slurmrestd ]; then
    return 0
  fi
  echo "installing slurmctld, slurmd, slurm-client, slurmrestd and munge" >&2
  apt-get update > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y slurmctld slurmd slurm-client munge > /dev/null
  # The REST tests need slurmrestd; without it the cluster still serves the command-line tests.
  DEBIAN_FRONTEND=noninteractive apt-get install -y slurmrestd > /dev/null || echo "slurmrestd could not be installed" >&2
}

# Starts a command in the background, records its PID under NAME in DIR/pids.
launch() {
  local name=$1
  shift
  "$@" > "$dir/log/$name.out" 2>&1 < /dev/null &
  echo "$name=$!" >> "$dir/pids"
}

write_config() {
  local controller_port=$1 n1_port=$2 n2_port=$3
  cat > "$dir/slurm.conf" << EOF
ClusterName=cellvision-test
SlurmctldHost=localhost
SlurmctldPort=$controller_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munged.socket
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$dir/jwt.key
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=2
MaxArraySize=10001
NodeName=n1 NodeHostname=localhost NodeAddr=127.0.0.1 Port=$n1_port CPUs=2 RealMemory=4000 State=UNKNOWN
NodeName=n2 NodeHostname=localhost NodeAddr=127.0.0.1 Port=$n2_port CPUs=2 RealMemory=4000 State=UNKNOWN
PartitionName=$partition Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
}

up() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$0 must run as root" >&2
    exit 1
  fi
  if [ -e "$dir/pids" ]; then
    echo "$dir already holds a cluster; stop it first" >&2
    exit 1
  fi
  install_packages
  # The script's own Slurm commands authenticate with munge; a token left in the caller's environment (from another
  # cluster) would make them use JWT with the wrong key.
  unset SLURM_JWT
  mkdir -p "$dir/state" "$dir/spool/n1" "$dir/spool/n2" "$dir/log" "$dir/run" "$dir/munge"
  : > "$dir/pids"

  # munged refuses keys and sockets that others can write: its folder belongs to munge, mode 0755 (clients must reach the socket).
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chown -R munge:munge "$dir/munge"
  chmod 0755 "$dir/munge"
  chmod 0400 "$dir/munge/munge.key"
  chmod 0755 "$dir"
  launch munged setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground \
    --socket="$dir/munge/munged.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"
  for _ in $(seq 1 50); do
    [ -S "$dir/munge/munged.socket" ] && break
    sleep 0.1
  done
  if [ ! -S "$dir/munge/munged.socket" ]; then
    echo "munged did not start; its output:" >&2
    tail -n 20 "$dir/log/munged.out" "$dir/munge/munged.log" >&2 || true
    down
    exit 1
  fi

  # The JWT signing key: 32 random bytes, readable by the SlurmUser (root) only.
  dd if=/dev/urandom of="$dir/jwt.key" bs=32 count=1 status=none
  chown root:root "$dir/jwt.key"
  chmod 0600 "$dir/jwt.key"

  write_config "$(free_port)" "$(free_port)" "$(free_port)"
  export SLURM_CONF="$dir/slurm.conf"
  launch slurmctld /usr/sbin/slurmctld -D -i -f "$SLURM_CONF"
  launch slurmd_n1 /usr/sbin/slurmd -D -N n1 -f "$SLURM_CONF"
  launch slurmd_n2 /usr/sbin/slurmd -D -N n2 -f "$SLURM_CONF"

  local deadline=$((SECONDS + start_timeout_s))
  until [ "$(timeout 5 sinfo -h -N -p "$partition" -t idle -o '%N' 2> /dev/null | sort -u | wc -l)" -eq 2 ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "the test cluster did not show two idle nodes within ${start_timeout_s} s; its logs:" >&2
      tail -n 20 "$dir"/log/*.log "$dir"/log/*.out >&2 || true
      down
      exit 1
    fi
    sleep 0.3
  done
  {
    echo "export SLURM_CONF=$dir/slurm.conf"
    echo "export CELLVISION_TEST_SLURM=1"
    echo "export CELLVISION_TEST_SLURM_PARTITION=$partition"
  } > "$dir/env"
  start_slurmrestd || echo "slurmrestd did not start: the REST tests will skip" >&2
  echo "Slurm test cluster up in $dir (nodes n1, n2 idle; pids: $(tr '\n' ' ' < "$dir/pids"))"
}

# Starts slurmrestd on a free loopback port with JWT authentication, waits until it answers, and adds its URL and a
# token to DIR/env. slurmrestd refuses to run as root (the SlurmUser here), so it drops to nobody after binding.
start_slurmrestd() {
  if [ ! -x /usr/sbin/slurmrestd ]; then
    echo "slurmrestd is not installed" >&2
    return 1
  fi
  local port token
  port=$(free_port) || return 1
  # The dbv0.0.* plugins need slurmdbd, which this cluster lacks (slurmrestd exits when it loads them).
  launch slurmrestd env SLURM_JWT=daemon /usr/sbin/slurmrestd -f "$SLURM_CONF" -u nobody -g nogroup \
    -a rest_auth/jwt -s openapi/v0.0.38,openapi/v0.0.37,openapi/v0.0.36 "127.0.0.1:$port"
  local pid url="http://127.0.0.1:$port"
  pid=$(sed -n 's/^slurmrestd=\([0-9]\+\)$/\1/p' "$dir/pids")
  local deadline=$((SECONDS + 20))
  # Any HTTP status (401 without a token) means it listens.
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/openapi/v3" 2> /dev/null)" != "000" ]; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$pid" 2> /dev/null; then
      echo "slurmrestd did not answer on $url; its output:" >&2
      tail -n 20 "$dir/log/slurmrestd.out" >&2 || true
      return 1
    fi
    sleep 0.2
  done
  token=$(timeout 10 scontrol token lifespan=3600 | sed -n 's/^SLURM_JWT=//p')
  if [ -z "$token" ]; then
    echo "scontrol token gave no token" >&2
    return 1
  fi
  {
    echo "export CELLVISION_TEST_SLURMREST_URL=$url"
    echo "export CELLVISION_TEST_SLURMREST_TOKEN=$token"
  } >> "$dir/env"
}

# Sends SIGTERM to a PID, waits, then SIGKILL (a slurmd that lost its controller ignores SIGTERM); reaps it.
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2> /dev/null || return 0
  for _ in $(seq 1 $((stop_timeout_s * 10))); do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
}

down() {
  if [ ! -f "$dir/pids" ]; then
    return 0
  fi
  # The REST daemon, the nodes, then the controller, then munge; each by the PID "up" recorded.
  local name pid
  for name in slurmrestd slurmd_n1 slurmd_n2 slurmctld munged; do
    pid=$(sed -n "s/^$name=\([0-9]\+\)$/\1/p" "$dir/pids")
    if [ -n "$pid" ]; then
      stop_pid "$pid"
    fi
  done
  rm -rf "${dir:?}/state" "${dir:?}/spool" "${dir:?}/log" "${dir:?}/run" "${dir:?}/munge" \
    "${dir:?}/slurm.conf" "${dir:?}/env" "${dir:?}/pids" "${dir:?}/jwt.key"
}

case "$command" in
  up) up ;;
  down) down ;;
  *) usage ;;
esac
