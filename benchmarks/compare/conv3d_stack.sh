#!/usr/bin/env bash
# Times the same conv3d stack (forward, and forward + backward) in Python torch and in CellVision on this machine,
# alternating the two for several rounds, and prints the ratio of medians python_seconds / cellvision_seconds
# (>= 1.0: CellVision is at least as fast).
# Usage: benchmarks/compare/conv3d_stack.sh [--rounds 3] [--shape 1,32,16,128,128] [--threads 2] [--iterations 5] [--layers 2]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
rounds=3
if [ "${1:-}" = "--rounds" ]; then rounds=$2; shift 2; fi
source "$root/benchmarks/compare/lib.sh"
for ((round = 1; round <= rounds; round++)); do
  /usr/bin/python3 "$root/benchmarks/compare/conv3d_stack.py" "$@" | tee -a "$results"
  dotnet "$benchmark" compare-conv3d "$@" | tee -a "$results"
done
for measure in forward_s forward_backward_s; do
  awk -v m="$measure" "$median_awk"'
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == m) { if ($1 ~ /^torch/) { p = p " " kv[2]; np++ } else c = c " " kv[2] } } }
    END { mp = median(p); mc = median(c); printf "ratio %s python/cellvision = %.3f (median of %d rounds: python %.4f s, cellvision %.4f s)\n", m, mp / mc, np, mp, mc }' "$results"
done
