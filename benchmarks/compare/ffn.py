#!/usr/bin/python3
"""Reference half of benchmarks/compare/ffn.sh: flood-filling network (google/ffn) inference and training steps, timed
with the plain-Python transcriptions that the CellVision tests use (tests/CellVision.Segmentation.Tests/Golden):
the NumPy/SciPy inference canvas of ffn_canvas_golden.py driven by a real PyTorch forward of ConvStack3D at batch 1,
and the clipped SGD step of ffn_model_golden.py.

  ffn.py segment --weights W.pth --raw RAW.tif [--block-start Z,Y,X --block-size Z,Y,X] [options] [--labels-out F]
      normalises the block ((float32(raw) - mean) / std), finds the PolicyPeaks seeds (scipy Sobel magnitude, Gaussian
      threshold, EDT, RandomState(42) noise, skimage peak_local_max), runs the canvas over every seed, and prints
      one line `reference_ffn_segment key=value ...` (steps = network calls, objects, seconds per phase, the peak
      resident set from getrusage); with --labels-out the labels are written there as little-endian uint32, C order.
  ffn.py train --weights W.pth --inputs F.bin --batch-size B --steps N [--learning-rate --clip]
      F.bin holds N + 1 batches of float32 [image, seed, target] windows (batch x field of view each); the first batch
      is an untimed warm-up step, the other N steps are timed. Prints `reference_ffn_train key=value ...`.

The network is loaded from a state dict written by CellVision's FloodFillNetwork.Save (conv0_a.weight ... conv_lom.bias,
field_of_view, deltas).
"""
import argparse
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "CellVision.Segmentation.Tests", "Golden"))
import ffn_canvas_golden as canvas_ref  # noqa: E402
import ffn_model_golden as model_ref  # noqa: E402
import skimage.feature  # noqa: E402
import tifffile  # noqa: E402
from scipy import ndimage  # noqa: E402


def triple(text):
    parts = [int(p) for p in text.split(",")]
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"give three integers Z,Y,X, not {text!r}")
    return tuple(parts)


parser = argparse.ArgumentParser()
parser.add_argument("mode", choices=["segment", "train"])
parser.add_argument("--weights", required=True)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--raw", help="segment: the uint8 Z,Y,X TIFF")
parser.add_argument("--block-start", type=triple, default=(150, 75, 75))
parser.add_argument("--block-size", type=triple, default=(100, 100, 100))
parser.add_argument("--image-mean", type=float, default=128.0)
parser.add_argument("--image-stddev", type=float, default=33.0)
parser.add_argument("--init-activation", type=float, default=0.95)
parser.add_argument("--pad-value", type=float, default=0.05)
parser.add_argument("--move-threshold", type=float, default=0.9)
parser.add_argument("--segment-threshold", type=float, default=0.6)
parser.add_argument("--min-segment-size", type=int, default=1000)
parser.add_argument("--min-boundary-dist", type=triple, default=(1, 1, 1))
parser.add_argument("--disco-seed-threshold", type=float, default=0.0)
parser.add_argument("--labels-out")
parser.add_argument("--inputs", help="train: the float32 input batches")
parser.add_argument("--batch-size", type=int, default=4)
parser.add_argument("--steps", type=int, default=10)
parser.add_argument("--learning-rate", type=float, default=0.001)
parser.add_argument("--clip", type=float, default=0.7)
args = parser.parse_args()
torch.set_num_threads(args.threads)


# ----------------------------------------------------------------------------------------------------------------
# ConvStack3DFFNModel (spec A.1), as ffn_model_golden.forward writes it, for any depth.

def load_weights(path):
    state = torch.load(path)
    depth = 0
    while f"conv{depth}_a.weight" in state:
        depth += 1
    params = {k: v.float().contiguous() for k, v in state.items() if k.endswith((".weight", ".bias"))}
    fov = tuple(int(v) for v in state["field_of_view"].tolist())
    deltas = tuple(int(v) for v in state["deltas"].tolist())
    return params, depth, fov, deltas


def forward(params, depth, image, seed):
    """The transcription's ConvStack3D forward (ffn_model_golden.py) for a network of any depth."""
    return model_ref.forward(params, image, seed, depth)


class TorchNetwork:
    """The canvas's network callable: one field-of-view window of image and mask logits in, updated logits out."""

    def __init__(self, params, depth, fov, deltas):
        self.params, self.depth, self.fov, self.deltas = params, depth, fov, deltas
        self.calls = 0
        self.seconds = 0.0

    def __call__(self, image, seed):
        start = time.perf_counter()
        shape = (1, 1) + self.fov
        with torch.no_grad():
            out = forward(self.params, self.depth, torch.from_numpy(np.ascontiguousarray(image)).view(shape),
                          torch.from_numpy(np.ascontiguousarray(seed)).view(shape))
        logits = out.numpy().reshape(self.fov)
        self.calls += 1
        self.seconds += time.perf_counter() - start
        return logits


# ----------------------------------------------------------------------------------------------------------------
# PolicyPeaks (spec A.3.8) as ffn_canvas_golden.policy_peaks computes it, with scikit-image's peak_local_max itself
# (the golden script also runs its own transcription of it and checks the two agree; that check is not timed here).

def policy_peaks(image, margin):
    edges = ndimage.generic_gradient_magnitude(image.astype(np.float32), ndimage.sobel)
    thresh = np.zeros(edges.shape, dtype=np.float32)
    ndimage.gaussian_filter(edges, 49.0 / 6.0, output=thresh, mode="reflect")
    filt_edges = edges > thresh
    if np.all(filt_edges) or not np.any(filt_edges):
        return []
    dt = ndimage.distance_transform_edt(1 - filt_edges).astype(np.float32)
    dt[~np.isfinite(dt)] = -1
    noisy = dt + np.random.RandomState(42).rand(*dt.shape) * 1e-4
    peaks = skimage.feature.peak_local_max(noisy, min_distance=3, threshold_abs=0, threshold_rel=0)
    seeds = sorted(tuple(int(v) for v in p) for p in peaks)
    shape = np.array(image.shape)
    return [s for s in seeds if np.all(np.array(s) - margin >= 0) and np.all(np.array(s) + margin < shape)]


def segment():
    params, depth, fov, deltas = load_weights(args.weights)
    network = TorchNetwork(params, depth, fov, deltas)
    raw = tifffile.imread(args.raw)
    block = tuple(slice(s, s + n) for s, n in zip(args.block_start, args.block_size))
    raw = np.ascontiguousarray(raw[block])
    options = canvas_ref.Options(
        image_mean=args.image_mean, image_stddev=args.image_stddev, init_activation=args.init_activation,
        pad_value=args.pad_value, move_threshold=args.move_threshold, min_boundary_dist=args.min_boundary_dist,
        segment_threshold=args.segment_threshold, min_segment_size=args.min_segment_size,
        disco_seed_threshold=args.disco_seed_threshold)

    # Warm-up, untimed: the first forward calls build libtorch's kernels (CellVision warms up the same way).
    zeros = np.zeros(fov, dtype=np.float32)
    for _ in range(3):
        network(zeros, zeros)
    network.calls, network.seconds = 0, 0.0

    start = time.perf_counter()
    image = canvas_ref.normalise(raw, options)
    canvas = canvas_ref.Canvas(image, network, options)
    seeds = policy_peaks(image, canvas.margin)
    seeded = time.perf_counter()
    attempts = canvas.segment_all(seeds)
    labels = np.maximum(canvas.segmentation, 0).astype("<u4")
    end = time.perf_counter()

    steps = sum(len(a["steps"]) for a in attempts)
    objects = sum(1 for a in attempts if a["outcome"] == "accepted")
    if args.labels_out:
        labels.tofile(args.labels_out)
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kilobytes on Linux
    print(f"reference_ffn_segment threads={torch.get_num_threads()} torch={torch.__version__} depth={depth} "
          f"features={params['conv0_a.weight'].shape[0]} fov={','.join(map(str, fov))} deltas={','.join(map(str, deltas))} "
          f"block={','.join(map(str, raw.shape))} seeds={len(seeds)} steps={steps} network_calls={network.calls} "
          f"objects={objects} labelled_voxels={int(np.count_nonzero(labels))} "
          f"seeds_s={seeded - start:.4f} canvas_s={end - seeded:.4f} network_s={network.seconds:.4f} "
          f"total_s={end - start:.4f} max_rss_mib={max_rss_mib:.1f}")


# ----------------------------------------------------------------------------------------------------------------
# The training step (spec A.4.5, A.4.7) as ffn_model_golden.make takes it: mean sigmoid cross-entropy of the updated
# logits, every gradient entry clipped, plain SGD.

def train():
    state, depth, fov, _ = load_weights(args.weights)
    params = {k: v.clone().requires_grad_(True) for k, v in state.items()}
    batch = args.batch_size
    inputs = torch.from_numpy(np.fromfile(args.inputs, dtype="<f4").reshape((-1, 3, batch, 1) + fov))
    if inputs.shape[0] < args.steps + 1:
        raise SystemExit(f"{args.inputs} holds {inputs.shape[0]} batches; {args.steps + 1} are needed")

    def step(k):
        image, seed, target = inputs[k, 0], inputs[k, 1], inputs[k, 2]
        output = forward(params, depth, image, seed)
        loss = F.binary_cross_entropy_with_logits(output, target)
        for p in params.values():
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params.values():
                p.grad.clamp_(-args.clip, args.clip)
                p -= args.learning_rate * p.grad
        output.detach().numpy()  # the trainer writes the logits back into its seeds
        return float(loss)

    step(0)  # warm-up, untimed
    start = time.perf_counter()
    losses = [step(k) for k in range(1, args.steps + 1)]
    seconds = time.perf_counter() - start
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"reference_ffn_train threads={torch.get_num_threads()} torch={torch.__version__} batch={batch} "
          f"steps={args.steps} first_loss={losses[0]:.6f} last_loss={losses[-1]:.6f} train_s={seconds:.4f} "
          f"max_rss_mib={max_rss_mib:.1f}")


{"segment": segment, "train": train}[args.mode]()
