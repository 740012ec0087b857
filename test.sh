#!/usr/bin/env bash
# Builds CellVision (including native/cvtorch), runs every test (with a throw-away RabbitMQ broker and a throw-away
# two-node Slurm cluster) and then the file-based samples. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-dependencies.sh
dotnet build CellVision.sln -c Release
log=$(mktemp)
# A throw-away RabbitMQ broker for the server's messaging tests (they are reported as skipped without one).
broker_dir=$(mktemp -d)
# A throw-away Slurm cluster (controller + nodes n1, n2 on localhost) for the distributed tests (skipped without one).
slurm_dir=$(mktemp -d)
cleanup() {
  scripts/rabbitmq-test-broker.sh stop "$broker_dir" || true
  scripts/slurm-test-cluster.sh down "$slurm_dir" || true
  rm -rf "$broker_dir" "$slurm_dir"
  rm -f "$log"
}
trap cleanup EXIT
if scripts/rabbitmq-test-broker.sh start "$broker_dir"; then
  # shellcheck disable=SC1091
  source "$broker_dir/env"
else
  echo "warning: the RabbitMQ test broker did not start; the broker tests will be skipped" >&2
fi
if scripts/slurm-test-cluster.sh up "$slurm_dir"; then
  # shellcheck disable=SC1091
  source "$slurm_dir/env"
else
  echo "warning: the Slurm test cluster did not start; the Slurm tests will be skipped" >&2
fi
status=0
dotnet test CellVision.sln -c Release --no-build "$@" 2>&1 | tee "$log" || status=$?
# One summary line over all test projects, e.g. "tests: 140 passed, 0 failed, 0 skipped".
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") f += $(i + 1) + 0
         if ($i == "Passed:") p += $(i + 1) + 0
         if ($i == "Skipped:") s += $(i + 1) + 0
       }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
# The file-based samples (samples/*.cs) must run too.
if [ "$status" -eq 0 ]; then
  scripts/run-samples.sh || status=$?
fi
exit "$status"
