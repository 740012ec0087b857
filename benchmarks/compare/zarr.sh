#!/usr/bin/env bash
# Writes and reads the same 128x512x512 uint16 volume (chunks 32x128x128) with zarr-python (../shared/refbench/zarr_ref.py)
# and with CellVision, raw / zlib1 / blosc-lz4 / blosc-zstd, alternating the two for several rounds on this machine, and
# prints the ratios of median throughputs cellvision/zarr-python (goal: writes >= 2x, reads >= 1.5x), with memcpy as the limit.
# Usage: benchmarks/compare/zarr.sh [--rounds 3]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
reference="${CELLVISION_REFBENCH:-$root/../shared/refbench}/zarr_ref.py"
rounds=3
if [ "${1:-}" = "--rounds" ]; then rounds=$2; shift 2; fi
source "$root/benchmarks/compare/lib.sh"
for ((round = 1; round <= rounds; round++)); do
  /usr/bin/python3 "$reference" | tee -a "$results"
  dotnet "$benchmark" compare-zarr 1 | tee -a "$results"
done
awk "$median_awk"'
  /^zarr-python/ { name = $2; sub(":", "", name); pw[name] = pw[name] " " $4; pr[name] = pr[name] " " $7 }
  /^cellvision/  { name = $2; sub(":", "", name); cw[name] = cw[name] " " $4; cr[name] = cr[name] " " $7; cu[name] = cu[name] " " $10 }
  /^memcpy/      { copy = copy " " $2 }
  END {
    m = median(copy)
    for (name in cw) printf "ratio %-10s write %.2fx  read %.2fx  read into a reused buffer %.2fx  (medians MB/s: zarr-python write %s read %s; cellvision write %s read %s reused %s; reused read = %.0f%% of memcpy %s)\n", name, median(cw[name]) / median(pw[name]), median(cr[name]) / median(pr[name]), median(cu[name]) / median(pr[name]), median(pw[name]), median(pr[name]), median(cw[name]), median(cr[name]), median(cu[name]), 100 * median(cu[name]) / m, m
  }' "$results"
