#!/usr/bin/env bash
# Flood-filling networks (google/ffn) on FIB-25: inference on a block (default z,y,x 150,75,75, 100³) and training
# steps (batch 4, clipped SGD), with the plain-Python transcriptions the tests use (benchmarks/compare/ffn.py: the
# NumPy/SciPy canvas of tests/CellVision.Segmentation.Tests/Golden/ffn_canvas_golden.py driving a PyTorch forward of
# ConvStack3D at batch 1, and ffn_model_golden.py's training step) and with CellVision, the same libtorch thread count
# and weights, in alternating rounds; prints the medians and the ratios per measure (steps/s, voxels/s, seconds per
# phase, peak memory; goals: >= 2x inference steps/s, >= 1.0x training steps/s) and whether both sides took the same
# steps and wrote the same labels.
# Usage: benchmarks/compare/ffn.sh [--model ffn.pth] [--rounds 3] [--threads 2] [--block-start 150,75,75]
#            [--block-size 100,100,100] [--train-steps 10] [--batch-size 4] [--min-segment-size 1000] ...
#        benchmarks/compare/ffn.sh --model ffn.pth --whole-volume    (CellVision only: the 250³ volume, peak memory)
# Without --model a fresh seeded network of --depth 6 --features 16 --fov 25,25,25 --deltas 6,6,6 is used; an
# untrained network hardly moves its field of view, so give a trained one (cellvision ffn train) for realistic walks.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/benchmarks/compare/lib.sh"
cd "$root"
dotnet "$benchmark" compare-ffn --reference "$root/benchmarks/compare/ffn.py" "$@"
