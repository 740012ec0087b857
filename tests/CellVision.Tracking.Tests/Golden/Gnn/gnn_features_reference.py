#!/usr/bin/env python3
"""Reference values for the GNN cell tracker's data side, computed the way cell-tracker-gnn computes them:
scikit-image 0.19 regionprops on each label's binary mask (seg == L) with the raw frame as intensity image, the
ground-truth id as the argmax of a background-free bincount of the TRA markers inside the segment, and NumPy
transcriptions of the box gate, the 'simple' training labels, the 10-frame windows and scikit-learn's MinMaxScaler.

Usage:
  gnn_features_reference.py features RAW SEG [MARKERS]
      prints a JSON list of rows, one per label of SEG (ascending); with MARKERS, rows without overlap are dropped.
  gnn_features_reference.py graphs LENGTH N FRAME RAW SEG MARKERS [FRAME RAW SEG MARKERS ...]
      prints {"roi", "windows": [...], "sequence": {...}}: the training windows (labels, stride 1, ROI of the whole
      sequence) and the unlabelled graph of the whole sequence.

An image is a TIFF path (read with Pillow, as the reference reads 2-D frames) or bin:PATH:DTYPE:D,H,W (raw C-order
bytes); depth 1 is read as a 2-D image.
"""
import json
import sys

import numpy as np
import skimage
from PIL import Image
from skimage.measure import regionprops

assert skimage.__version__.startswith("0.19"), f"these references follow scikit-image 0.19, not {skimage.__version__}"


def read(spec):
    if spec.startswith("bin:"):
        _, path, dtype, shape = spec.split(":")
        shape = tuple(int(s) for s in shape.split(","))
        array = np.fromfile(path, dtype=np.dtype(dtype)).reshape(shape)
        return array[0] if shape[0] == 1 else array
    with Image.open(spec) as image:
        return np.array(image)


def track_id(binary, markers):
    inside = np.where(binary, markers, 0).ravel()
    counts = np.bincount(inside, weights=(inside > 0).astype(np.float64))
    return int(np.argmax(counts))


def rows(raw, seg, markers, frame):
    assert raw.shape == seg.shape, (raw.shape, seg.shape)
    result = []
    for label in np.unique(seg):
        if label == 0:
            continue
        binary = np.uint8(seg == label)
        tid = 0
        if markers is not None:
            tid = track_id(binary, markers)
            if tid == 0:
                continue
        p = regionprops(binary, raw)[0]
        result.append({
            "frame": frame,
            "label": int(label),
            "track": tid,
            "area": int(p.area),
            "bbox": [int(v) for v in p.bbox],
            "centroid": [float(v) for v in p.centroid],
            "rounded": [int(np.round(v).astype(np.int16)) for v in p.centroid],
            "major": float(p.major_axis_length),
            "minor": float(p.minor_axis_length),
            "max": float(p.max_intensity),
            "mean": float(p.mean_intensity),
            "min": float(p.min_intensity),
        })
    return result


def node_vector(row):
    # frame_num, area, bbox (mins then maxes), rounded centroid, major, minor, max, mean, min (cell-tracker-gnn §1.1)
    return [row["frame"], row["area"], *row["bbox"], *row["rounded"], row["major"], row["minor"], row["max"], row["mean"], row["min"]]


def min_max(x):
    # scikit-learn 1.0 MinMaxScaler.fit_transform: a range below 10 eps counts as 1, then x * scale + (0 - min * scale)
    x = np.asarray(x, dtype=np.float64)
    low, high = x.min(axis=0), x.max(axis=0)
    span = high - low
    span[span < 10 * np.finfo(np.float64).eps] = 1.0
    scale = 1.0 / span
    return (x * scale + (0.0 - low * scale)).astype(np.float32)


def graph_arrays(nodes, roi, labelled):
    """The graph of a list of rows as NumPy arrays: edge_index (2, E) int64, x (N, F) float32, labels (E) float32 or None."""
    frame = np.array([r["frame"] for r in nodes])
    centre = np.array([r["rounded"] for r in nodes], dtype=np.int64)
    edges, positive = [], set()
    if labelled:
        track = np.array([r["track"] for r in nodes])
        for tid in np.unique(track):
            members = np.flatnonzero(track == tid)
            for a, b in zip(members[:-1], members[1:]):
                if frame[b] - frame[a] == 1:
                    edges.append((int(a), int(b)))
        positive = set(edges)
    n_true = len(edges)
    present = np.unique(frame)
    for t, u in zip(present[:-1], present[1:]):
        sources, targets = np.flatnonzero(frame == t), np.flatnonzero(frame == u)
        inside = np.all(np.abs(centre[targets][None, :, :] - centre[sources][:, None, :]) <= roi[None, None, :], axis=2)
        for k, i in enumerate(sources):
            for j in targets[inside[k]]:
                if (int(i), int(j)) not in positive:
                    edges.append((int(i), int(j)))
    labels = None
    if labelled:
        labels = np.zeros(len(edges), dtype=np.float32)
        labels[:n_true] = 1
    return {
        "edge_index": np.array(edges, dtype=np.int64).reshape(-1, 2).T.copy(),
        "x": min_max([node_vector(r) for r in nodes]),
        "labels": labels,
    }


def graph(nodes, roi, labelled):
    arrays = graph_arrays(nodes, roi, labelled)
    out = {
        "nodes": [[r["frame"], r["label"]] for r in nodes],
        "edges": arrays["edge_index"].T.tolist(),
        "x": [[float(v) for v in row] for row in arrays["x"]],
    }
    if labelled:
        out["labels"] = [int(v) for v in arrays["labels"]]
    return out


def sequence_roi(rows):
    """bb_roi: twice the largest bounding-box extent per axis over the whole sequence."""
    dims = len(rows[0]["rounded"])
    extent = np.array([[r["bbox"][dims + a] - r["bbox"][a] for a in range(dims)] for r in rows]).max(axis=0)
    return 2 * extent


def main(argv):
    if argv[0] == "features":
        markers = read(argv[3]) if len(argv) > 3 else None
        print(json.dumps(rows(read(argv[1]), read(argv[2]), markers, 0)))
        return
    assert argv[0] == "graphs"
    length, count = int(argv[1]), int(argv[2])
    frames = []
    for k in range(count):
        frame, raw, seg, markers = argv[3 + 4 * k: 7 + 4 * k]
        frames.append(rows(read(raw), read(seg), read(markers), int(frame)))
    everything = [r for f in frames for r in f]
    roi = sequence_roi(everything)
    windows = [graph([r for f in frames[s:s + length] for r in f], roi, True) for s in range(0, len(frames) - length + 1)]
    print(json.dumps({"roi": [int(v) for v in roi], "windows": windows, "sequence": graph(everything, roi, False)}))


if __name__ == "__main__":
    main(sys.argv[1:])
