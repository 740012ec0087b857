#!/usr/bin/python3
"""Reference half of benchmarks/compare/gnn.sh: the GNN cell tracker's stages on a Cell Tracking Challenge sequence,
timed with the plain PyTorch/NumPy transcriptions of cell-tracker-gnn that the golden tests use
(tests/CellVision.Tracking.Tests/Golden/Gnn: scikit-image regionprops features per label, the NumPy box gate and
min-max scaling, the PyTorch edge classifier, the reference's post-processing).

The ground-truth TRA masks stand in for the segmentation (and give the track ids for training). Stages:
  features   regionprops rows of every frame (seg == L per label, raw frame as intensity image)
  graph      the unlabelled candidate graph of the whole sequence (box gate, min-max scaled node vectors)
  inference  the edge classifier on that graph, eval mode, no gradients, sigmoid to probabilities
  windows    the labelled 10-frame training windows (stride 1) as tensors, the sequence's ROI
  epoch      one epoch as the reference trains: the last 20 % of the windows held out, the rest shuffled into batches
             of 8 (disjoint union), BCE with pos_weight = #neg/#pos per batch, Adam (1e-3, weight decay 1e-5), dropout
             on; then the held-out batches in eval mode; then a copy of the weights (the best-epoch checkpoint)
  decode     the reference's post-processing on the model's probabilities (decode_model) and on scores from the
             ground truth, 0.95 for links within one track and 0.2 otherwise (decode_truth)
Each stage but the epoch (whose operations the stages before have run) runs once untimed, then --iterations times; the median is printed, as one line of key=value pairs.
"""
import argparse
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "CellVision.Tracking.Tests", "Golden", "Gnn"))
import gnn_features_reference as features_ref  # noqa: E402
import gnn_model_reference as model_ref  # noqa: E402
import reference_decoder  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True, help="the sequence folder (NN) beside NN_GT/TRA")
parser.add_argument("--frames", type=int, default=0, help="the first frames only (0: all)")
parser.add_argument("--weights", required=True, help="state dict of CellTrack_Model without embedding")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--iterations", type=int, default=1)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--window", type=int, default=10)
parser.add_argument("--batch", type=int, default=8)
parser.add_argument("--validation", type=float, default=0.2)
args = parser.parse_args()

torch.set_num_threads(args.threads)
tra = os.path.join(os.path.dirname(os.path.abspath(args.data)), os.path.basename(os.path.abspath(args.data)) + "_GT", "TRA")
numbers = sorted(int(name[len("man_track"):-len(".tif")]) for name in os.listdir(tra) if name.startswith("man_track") and name.endswith(".tif"))
if args.frames > 0:
    numbers = numbers[:args.frames]
raws = [features_ref.read(os.path.join(args.data, f"t{n:03d}.tif")) for n in numbers]
masks = [features_ref.read(os.path.join(tra, f"man_track{n:03d}.tif")) for n in numbers]
weights = torch.load(args.weights)


def median_seconds(fn, warm_up=True):
    result = fn() if warm_up else None
    samples = []
    for _ in range(args.iterations):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return samples[len(samples) // 2], result


def new_model(fh):
    model = model_ref.CellTrack_Model(fh, embedding=False)
    model.load_state_dict(weights, strict=True)
    return model


def extract():
    return [r for k in range(len(numbers)) for r in features_ref.rows(raws[k], masks[k], None, k)]


def build(rows):
    g = features_ref.graph_arrays(rows, features_ref.sequence_roi(rows), False)
    return torch.from_numpy(g["x"]), torch.from_numpy(g["edge_index"])


def infer(model, x, edge_index):
    model.eval()
    with torch.no_grad():
        return torch.sigmoid(model(x, None, edge_index)).numpy()


def make_windows(rows_by_frame):
    roi = features_ref.sequence_roi([r for f in rows_by_frame for r in f])
    windows = []
    for s in range(0, len(rows_by_frame) - args.window + 1):
        g = features_ref.graph_arrays([r for f in rows_by_frame[s:s + args.window] for r in f], roi, True)
        windows.append((torch.from_numpy(g["x"]), torch.from_numpy(g["edge_index"]), torch.from_numpy(g["labels"])))
    return windows


def collate(graphs):
    offsets = np.cumsum([0] + [g[0].shape[0] for g in graphs[:-1]])
    return (torch.cat([g[0] for g in graphs]), torch.cat([g[1] + int(o) for g, o in zip(graphs, offsets)], 1), torch.cat([g[2] for g in graphs]))


def loss_and_accuracy(z, y):
    pos = y.sum()
    pw = (y.shape[0] - pos) / pos if pos else torch.zeros((), dtype=y.dtype)
    loss = F.binary_cross_entropy_with_logits(z.view(-1), y.view(-1), pos_weight=pw)
    accuracy = ((z.view(-1) >= 0.5).short() == y.view(-1).short()).double().mean()
    return loss, accuracy


def epoch(windows, fh, order):
    model = new_model(fh)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    held_out = int(np.floor(args.validation * len(windows)))
    training, validation = list(windows[:len(windows) - held_out]), windows[len(windows) - held_out:]
    order.shuffle(training)
    model.train()
    for b in range(0, len(training), args.batch):
        x, edge_index, y = collate(training[b:b + args.batch])
        optimizer.zero_grad()
        loss, accuracy = loss_and_accuracy(model(x, None, edge_index), y)
        loss.backward()
        optimizer.step()
        loss.item(), accuracy.item()
    model.eval()
    with torch.no_grad():
        for b in range(0, len(validation), args.batch):
            x, edge_index, y = collate(validation[b:b + args.batch])
            loss, accuracy = loss_and_accuracy(model(x, None, edge_index), y)
            loss.item(), accuracy.item()
    return {k: v.clone() for k, v in model.state_dict().items()}


features_s, rows = median_seconds(extract)
graph_s, (x, edge_index) = median_seconds(lambda: build(rows))
model = new_model(x.shape[1])
inference_s, probabilities = median_seconds(lambda: infer(model, x, edge_index))

# Training rows carry ground-truth track ids (not timed: the TRA masks are also the markers).
labelled = [features_ref.rows(raws[k], masks[k], masks[k], k) for k in range(len(numbers))]
windows_s, windows = median_seconds(lambda: make_windows(labelled))
order = random.Random(args.seed)
epoch_s, _ = median_seconds(lambda: epoch(windows, x.shape[1], order), warm_up=False)  # the stages before ran its ops

frames = [r["frame"] for r in rows]
centroids = [r["rounded"] for r in rows]
edges = edge_index.T.numpy()
labels = np.array([r["label"] for r in rows])
truth = np.where(labels[edges[:, 0]] == labels[edges[:, 1]], 0.95, 0.2)
decode_model_s, _ = median_seconds(lambda: reference_decoder.decode(frames, centroids, edges, probabilities))
decode_truth_s, _ = median_seconds(lambda: reference_decoder.decode(frames, centroids, edges, truth))

print(f"reference_gnn threads={torch.get_num_threads()} frames={len(numbers)} nodes={len(rows)} edges={edges.shape[0]} "
      f"windows={len(windows)} mean_probability={float(probabilities.mean()):.6f} "
      f"features_s={features_s:.4f} graph_s={graph_s:.4f} inference_s={inference_s:.4f} windows_s={windows_s:.4f} "
      f"epoch_s={epoch_s:.4f} decode_model_s={decode_model_s:.4f} decode_truth_s={decode_truth_s:.4f}")
