#!/usr/bin/env bash
# 3-D CLAHE (clip limit 0.02, default kernel) of the same kind of uint16 volume with scikit-image
# (../shared/refbench/clahe_ref.py) and with CellVision, on 64x256x256 and 128x512x512, and prints skimage/cellvision
# speed-ups (goal >= 20x). Identical output is proven by tests/CellVision.Segmentation.Tests (0 differing voxels).
# Usage: benchmarks/compare/clahe.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
reference="${CELLVISION_REFBENCH:-$root/../shared/refbench}/clahe_ref.py"
source "$root/benchmarks/compare/lib.sh"
for shape in 64,256,256 128,512,512; do
  /usr/bin/python3 "$reference" "$shape" | tee -a "$results"
  dotnet "$benchmark" compare-clahe "$shape" | tee -a "$results"
done
awk '
  /^skimage_clahe/    { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "seconds") s = kv[2] } }
  /^cellvision_clahe/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "seconds") c = kv[2]; if (kv[1] == "warm_seconds") w = kv[2]; if (kv[1] == "mvox_per_s") m = kv[2] }
                        printf "speed-up skimage/cellvision = %.1fx (first call), %.1fx (second call); %s Mvoxel/s\n", s / c, s / w, m }' "$results"
