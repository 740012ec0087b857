#!/usr/bin/env bash
# Nearest-neighbour candidate search between two frames (n = 1k, 10k, 100k; k = 3 within 5.0, build + query) with
# scipy's cKDTree (../shared/refbench/knn_ref.py) and with CellVision's KdTree3 (all processors and one thread), in
# alternating rounds, and prints the medians and CellVision's queries/s over scipy's (goal >= 1.0x).
# Usage: benchmarks/compare/knn.sh [--rounds 7]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
reference="${CELLVISION_REFBENCH:-$root/../shared/refbench}/knn_ref.py"
source "$root/benchmarks/compare/lib.sh"
if ! /usr/bin/python3 -c 'import scipy' 2>/dev/null; then
  sudo_cmd=(); if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-scipy
fi
dotnet "$benchmark" compare-knn --reference "$reference" "$@"
