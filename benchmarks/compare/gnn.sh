#!/usr/bin/env bash
# The GNN cell tracker on Fluo-N2DH-SIM+ 01 (65 frames, the TRA masks as the segmentation): feature extraction,
# candidate graph, inference, one training epoch and the decoders, with the plain PyTorch/NumPy transcriptions of
# cell-tracker-gnn (benchmarks/compare/gnn.py, reusing tests/CellVision.Tracking.Tests/Golden/Gnn) and with CellVision,
# the same libtorch thread count and initial weights, in alternating rounds; prints the medians and the ratios
# reference / CellVision per stage (goals: >= 1.5x for features + graph + inference, >= 1.0x for the epoch) and the
# global decoder's time per frame.
# Usage: benchmarks/compare/gnn.sh [--rounds 3] [--threads 2] [--data ../shared/data/ctc-fluo-n2dh-sim-01/01]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/benchmarks/compare/lib.sh"
cd "$root"
dotnet "$benchmark" compare-gnn --reference "$root/benchmarks/compare/gnn.py" "$@"
