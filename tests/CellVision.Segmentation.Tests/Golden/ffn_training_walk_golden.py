#!/usr/bin/python3
"""NumPy transcription of google/ffn's training walks (spec A.4.3-A.4.4, A.4.6): the max_pred_moves policy
(examples.max_pred_offsets) on a fresh training seed, with the deterministic stand-in network of ffn_canvas_golden.py
in place of the model and its output written back into the seed, for the CellVision tests.

  ffn_training_walk_golden.py OUT_DIR

Writes OUT_DIR/volume.raw (uint8), OUT_DIR/labels.bin (uint32, 6-connected bright regions), for each case
OUT_DIR/<case>.seed (the final float32 seed of the whole patch), and OUT_DIR/manifest.json (the stand-in, the geometry,
and per case its centre, options, the offsets visited in order, and TP/FP/FN/TN of the central evaluation crop).
"""
import collections
import json
import os
import sys

import numpy as np
from scipy import ndimage
from scipy.special import expit, logit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ffn_canvas_golden import StandIn, scored_move_offsets, synthetic_cells  # noqa: E402

F32 = np.float32
FOV, DELTAS = (9, 11, 9), (2, 3, 2)
MEAN, STDDEV = 128.0, 33.0


def patch_geometry(moves):
    patch = tuple(f + 2 * d * (moves + 1) for f, d in zip(FOV, DELTAS))
    evaluation = tuple(f + 2 * d * moves for f, d in zip(FOV, DELTAS))
    return patch, evaluation


def cut(volume, centre, size):
    return volume[tuple(slice(c - (s - 1) // 2, c - (s - 1) // 2 + s) for c, s in zip(centre, size))]


def walk(raw, labels, centre, network, pad, activation, threshold):
    """The max_pred_moves walk in Z, Y, X order (the reference keeps X, Y, Z; the order of axes changes nothing)."""
    patch, evaluation = patch_geometry(1)
    image = (cut(raw, centre, patch).astype(F32) - F32(MEAN)) / F32(STDDEV)
    centre_label = labels[centre]
    soft = np.where((cut(labels, centre, patch) == centre_label) & (centre_label != 0), F32(0.95), F32(0.05)).astype(F32)
    seed = np.full(patch, F32(logit(pad)), dtype=F32)
    middle = tuple((s - 1) // 2 for s in patch)
    seed[middle] = F32(logit(activation))
    score_threshold = float(logit(threshold))
    seed_threshold = F32(score_threshold)
    label_threshold = expit(score_threshold)
    max_radius = np.array([(p - f) // 2 for p, f in zip(patch, FOV)])
    deltas = np.array(DELTAS)

    queue = collections.deque([(0, 0, 0)])
    done, visited = set(), []
    while queue:
        offset = np.array(queue.popleft())
        if np.any(np.abs(offset) > max_radius):
            continue
        quantized = tuple((offset + deltas / 2) // np.maximum(deltas, 1))
        if quantized in done:
            continue
        at = tuple(m + o for m, o in zip(middle, offset))
        valid = seed[at] >= seed_threshold
        wanted = soft[at] >= label_threshold
        if not valid or (not wanted and quantized != (0, 0, 0)):
            continue
        done.add(quantized)
        visited.append([int(o) for o in offset])
        window = tuple(slice(m + o - f // 2, m + o - f // 2 + f) for m, o, f in zip(middle, offset, FOV))
        seed[window] = network(image[window], seed[window].copy())
        todos = sorted(scored_move_offsets(DELTAS, seed[window], score_threshold), reverse=True)
        queue.extend(tuple(int(o) + int(t) for o, t in zip(offset, move)) for _, move in todos)

    crop = tuple(slice((p - e) // 2, (p - e) // 2 + e) for p, e in zip(patch, evaluation))
    predicted, truth = seed[crop] >= seed_threshold, soft[crop] > 0.5
    counts = [int((predicted & truth).sum()), int((predicted & ~truth).sum()), int((~predicted & truth).sum()),
              int((~predicted & ~truth).sum())]
    return visited, seed, counts


def main(out):
    os.makedirs(out, exist_ok=True)
    raw = synthetic_cells((48, 56, 52), 12, 5)
    labels, _ = ndimage.label(raw > 125)
    labels = labels.astype(np.uint32)
    network = StandIn(FOV, DELTAS, level=-0.2, gain=4.0, cap=4.5, decay=0.02)
    raw.tofile(os.path.join(out, "volume.raw"))
    labels.tofile(os.path.join(out, "labels.bin"))
    rng = np.random.default_rng(2)
    patch, evaluation = patch_geometry(1)
    half = [(s - 1) // 2 for s in patch]
    cases = []
    for index in range(10):
        centre = tuple(int(rng.integers(h, n - (s - h))) for h, s, n in zip(half, patch, raw.shape))
        pad, activation, threshold = (0.05, 0.95, 0.9) if index % 2 == 0 else (0.1, 0.97, 0.85)
        visited, seed, counts = walk(raw, labels, centre, network, pad, activation, threshold)
        name = f"case{index}"
        seed.tofile(os.path.join(out, name + ".seed"))
        cases.append(dict(name=name, centre=list(centre), pad=pad, activation=activation, threshold=threshold,
                          label=int(labels[centre]), visited=visited, counts=counts))
    manifest = dict(shape=list(raw.shape), patch=list(patch), evaluation=list(evaluation), mean=MEAN, stddev=STDDEV,
                    network=network.params(), cases=cases)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    main(sys.argv[1])
