#!/usr/bin/env bash
# ELEPHANT's detection U-Net on one 16x256x256 patch with ../shared/refbench/unet_ref.py (PyTorch, Debian) and with
# CellVision (same libtorch), same thread count, one after the other; prints python/cellvision time ratios (>= 1.0:
# CellVision at least as fast).
# Usage: benchmarks/compare/unet.sh [shape z,y,x] [threads] [onednn|pytorch]
#   the last picks CellVision's 3-D convolution kernels: oneDNN throughout (default, as the detection options) or
#   PyTorch's own choice (identical results to PyTorch).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
reference="${CELLVISION_REFBENCH:-$root/../shared/refbench}/unet_ref.py"
shape="${1:-16,256,256}"
threads="${2:-2}"
kernels="${3:-onednn}"
source "$root/benchmarks/compare/lib.sh"
/usr/bin/python3 "$reference" "$shape" "$threads" | tee -a "$results"
dotnet "$benchmark" compare-unet "$shape" "$threads" "$kernels" | tee -a "$results"
awk '
  /^torch_unet_infer/            { for (i = 1; i <= NF; i++) if ($i ~ /^seconds=/) { split($i, kv, "="); pi = kv[2] } }
  /^torch_unet_train_step/       { for (i = 1; i <= NF; i++) if ($i ~ /^seconds=/) { split($i, kv, "="); pt = kv[2] } }
  /^cellvision_unet_infer/       { for (i = 1; i <= NF; i++) if ($i ~ /^seconds=/) { split($i, kv, "="); ci = kv[2] } }
  /^cellvision_unet_train_step/  { for (i = 1; i <= NF; i++) if ($i ~ /^seconds=/) { split($i, kv, "="); ct = kv[2] } }
  END { printf "ratio inference python/cellvision = %.3f\nratio train step python/cellvision = %.3f\n", pi / ci, pt / ct }' "$results"
