#!/usr/bin/env bash
# incasem's semantic U-Net (32 feature maps, 204³ -> 110³) on FIB-25 EM: block-wise prediction into zlib-3 Zarr arrays
# and Adam training steps, CellVision against benchmarks/compare/semantic.py (the plain-PyTorch transcription of funlib's
# U-Net that the tests use, driven as incasem's pipeline drives it), with the same weights and thread count; prints
# both sides, their agreement, the ratios and the goals (>= 1.2x prediction voxels/s, >= 1.0x training step time).
# Usage: benchmarks/compare/semantic.sh [--threads 2] [--volume 204,204,250] [--input-size 204,204,204] [--train-steps 2]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/benchmarks/compare/lib.sh"
cd "$root"
dotnet "$benchmark" compare-semantic --reference "$root/benchmarks/compare/semantic.py" "$@"
