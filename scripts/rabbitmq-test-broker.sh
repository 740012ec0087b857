#!/usr/bin/env bash
# Starts or stops a throw-away RabbitMQ broker (Debian rabbitmq-server) for the tests.
#
#   scripts/rabbitmq-test-broker.sh start DIR   starts a node whose data, logs and Erlang cookie live in DIR, on free
#                                               ports, with user "user"/"user" (the ELEPHANT defaults) on vhost "/",
#                                               and writes DIR/env, which exports CELLVISION_TEST_RABBITMQ (the AMQP URI)
#   scripts/rabbitmq-test-broker.sh stop DIR    stops that node and the epmd it started, by PID, and leaves DIR empty
#
# The node gets its own epmd port (ERL_EPMD_PORT), so it neither joins nor ends an epmd that something else runs.
# Run as root (the broker's files belong to it); "stop" is safe to call twice or after a failed "start".
set -euo pipefail

server=/usr/lib/rabbitmq/bin/rabbitmq-server
ctl=/usr/lib/rabbitmq/bin/rabbitmqctl
node=rabbit@localhost
start_timeout_s=60

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
command=$1
dir=$2

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

# The broker's environment, read back from DIR/state by "stop".
broker_environment() {
  export HOME="$dir/home"
  export RABBITMQ_NODENAME=$node
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$node_port
  export RABBITMQ_DIST_PORT=$dist_port
  export ERL_EPMD_PORT=$epmd_port
  # Listen on loopback only: AMQP (above), epmd and the Erlang distribution port.
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
}

# The PID of the process that listens on a local TCP port, or nothing.
listener_pid() {
  ss -Hltnp "sport = :$1" | sed -n 's/.*pid=\([0-9]\+\).*/\1/p' | head -n 1
}

start() {
  if [ ! -x "$server" ]; then
    echo "$server not found: install the Debian package rabbitmq-server (scripts/install-dependencies.sh)" >&2
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "$0 must run as root" >&2
    exit 1
  fi
  if [ -e "$dir/state" ]; then
    echo "$dir already holds a broker; stop it first" >&2
    exit 1
  fi
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  echo '[].' > "$dir/enabled_plugins"
  : > "$dir/rabbitmq-env.conf"
  node_port=$(free_port)
  dist_port=$(free_port)
  epmd_port=$(free_port)
  printf 'node_port=%s\ndist_port=%s\nepmd_port=%s\n' "$node_port" "$dist_port" "$epmd_port" > "$dir/state"
  broker_environment

  "$server" > "$dir/log/server.out" 2>&1 < /dev/null &
  echo "server_pid=$!" >> "$dir/state"
  local server_pid=$!

  local deadline=$((SECONDS + start_timeout_s))
  until timeout 15 "$ctl" -n "$node" status > /dev/null 2>&1; do
    if ! kill -0 "$server_pid" 2> /dev/null; then
      echo "rabbitmq-server exited during start; its output:" >&2
      tail -n 40 "$dir/log/server.out" >&2
      stop
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "rabbitmq-server did not answer 'rabbitmqctl status' within ${start_timeout_s} s; its output:" >&2
      tail -n 40 "$dir/log/server.out" >&2
      stop
      exit 1
    fi
    sleep 0.5
  done
  timeout 30 "$ctl" -n "$node" await_startup > /dev/null

  timeout 30 "$ctl" -n "$node" add_user user user > /dev/null
  timeout 30 "$ctl" -n "$node" set_permissions -p / user '.*' '.*' '.*' > /dev/null
  echo "export CELLVISION_TEST_RABBITMQ=amqp://user:user@127.0.0.1:$node_port/" > "$dir/env"
  echo "RabbitMQ test broker on 127.0.0.1:$node_port (pid $server_pid, epmd port $epmd_port)"
}

stop() {
  if [ ! -f "$dir/state" ]; then
    return 0
  fi
  local server_pid=""
  # shellcheck disable=SC1091
  source "$dir/state"
  broker_environment

  # epmd daemonises, so it is not a child of the server: find it by the port that only this node uses.
  local epmd_pid
  epmd_pid=$(listener_pid "$epmd_port")

  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
    timeout 30 "$ctl" -n "$node" stop > /dev/null 2>&1 || true
    for _ in $(seq 1 40); do
      kill -0 "$server_pid" 2> /dev/null || break
      sleep 0.25
    done
    if kill -0 "$server_pid" 2> /dev/null; then
      # The rabbitmq-server script runs the Erlang VM as its child: end the VM (and its helpers) first, then the script.
      local vm_pids
      vm_pids=$(ps -o pid= --ppid "$server_pid" | xargs || true)
      echo "rabbitmq-server (pid $server_pid, VM $vm_pids) did not stop; killing it" >&2
      for pid in $vm_pids; do
        kill -KILL "$pid" 2> /dev/null || true
      done
      kill -KILL "$server_pid" 2> /dev/null || true
    fi
  fi
  # Reap the server if this shell started it ("start" failing), so no zombie stays behind.
  wait "$server_pid" 2> /dev/null || true

  if [ -z "$epmd_pid" ]; then
    epmd_pid=$(listener_pid "$epmd_port")
  fi
  if [ -n "$epmd_pid" ]; then
    kill "$epmd_pid" 2> /dev/null || true
    for _ in $(seq 1 20); do
      kill -0 "$epmd_pid" 2> /dev/null || break
      sleep 0.1
    done
    kill -KILL "$epmd_pid" 2> /dev/null || true
  fi
  rm -rf "${dir:?}/home" "${dir:?}/mnesia" "${dir:?}/log" "${dir:?}/state" "${dir:?}/env" \
    "${dir:?}/enabled_plugins" "${dir:?}/rabbitmq-env.conf" "${dir:?}/rabbitmq.pid"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
