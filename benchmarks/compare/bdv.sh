#!/usr/bin/env bash
# Reads 8x64x64 regions at 200 positions, and whole views, from the real ELEPHANT BDV sample (scale-offset + deflate)
# with h5py and with CellVision, alternating for several rounds, and prints the ratios of medians cellvision/h5py
# (goal >= 1). Both sides report a checksum of the voxels read, which must agree.
# Usage: benchmarks/compare/bdv.sh [--rounds 3]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
xml="${CELLVISION_SHARED:-$root/../shared}/data/elephant-sample-3dt/sample.xml"
rounds=3
if [ "${1:-}" = "--rounds" ]; then rounds=$2; shift 2; fi
source "$root/benchmarks/compare/lib.sh"
for ((round = 1; round <= rounds; round++)); do
  /usr/bin/python3 "$root/benchmarks/compare/bdv_ref.py" "$(dirname "$xml")/sample.h5" | tee -a "$results"
  dotnet "$benchmark" compare-bdv "$xml" | tee -a "$results"
done
awk "$median_awk"'
  /^h5py/       { pr = pr " " $4; pv = pv " " $6; pc = $8 }
  /^cellvision/ { cr = cr " " $4; cv = cv " " $6; cc = $8 }
  END {
    printf "ratio regions cellvision/h5py = %.2f (medians %s vs %s regions/s)\n", median(cr) / median(pr), median(cr), median(pr)
    printf "ratio views   cellvision/h5py = %.2f (medians %s vs %s views/s)\n", median(cv) / median(pv), median(cv), median(pv)
    printf "checksums %s\n", (pc == cc ? "agree" : "DIFFER")
  }' "$results"
