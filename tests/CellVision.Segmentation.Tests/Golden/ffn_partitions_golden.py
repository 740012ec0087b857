#!/usr/bin/python3
"""Writes flood-filling training partitions computed by a NumPy transcription of google/ffn's compute_partitions.py
(the FFN specification, part A.4.1) for the CellVision tests.

  ffn_partitions_golden.py OUT_DIR SHARED_DATA_DIR

For each case: OUT_DIR/<name>.labels (C order, little-endian, the case's dtype), OUT_DIR/<name>.mask (uint8 0/1, only
for cases with an exclusion mask), OUT_DIR/<name>.out (uint8 partitions of the full input shape, 255 outside the valid
region) and OUT_DIR/manifest.json with the parameters, the partition counts of the valid region and, for the margin
given, the voxel count of every partition value that build_coordinates.py (A.4.2) samples.
"""
import json
import os
import sys

import numpy as np
import tifffile

DEFAULT_THRESHOLDS = [0.025, 0.05, 0.075, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def remove_dust(labels, min_size):
    """Labels with fewer than min_size voxels become background (ffn.inference.segmentation.clear_dust)."""
    ids, sizes = np.unique(labels, return_counts=True)
    out = labels.copy()
    out[np.isin(labels, ids[sizes < min_size])] = 0
    return out


def summed_volume_table(mask):
    """Inclusive prefix sums along z, y and x in int32, with one leading zero plane on each axis."""
    table = mask.astype(np.int32).cumsum(axis=0).cumsum(axis=1).cumsum(axis=2)
    return np.pad(table, [(1, 0), (1, 0), (1, 0)], mode="constant")


def valid_box_sums(table, diameter):
    """Sum of the mask over the diameter-sized box centred on every voxel whose box lies inside the volume."""
    dz, dy, dx = diameter
    t = table
    return (t[dz:, dy:, dx:] - t[:-dz, dy:, dx:] - t[dz:, :-dy, dx:] - t[dz:, dy:, :-dx]
            + t[:-dz, :-dy, dx:] + t[:-dz, dy:, :-dx] + t[dz:, :-dy, :-dx] - t[:-dz, :-dy, :-dx])


def partitions(labels, thresholds, radius_zyx, min_size, exclusion=None):
    labels = remove_dust(labels, min_size)
    radius = np.array(radius_zyx)
    diameter = 2 * radius + 1
    valid = tuple(slice(r, n - r) for r, n in zip(radius, labels.shape))
    inner = np.zeros(labels[valid].shape, dtype=np.uint8)
    if exclusion is not None:
        # A voxel is excluded when its box holds at least one masked voxel (mask_configs in the reference).
        inner[valid_box_sums(summed_volume_table(exclusion), diameter) >= 1] = 255
    box_volume = np.prod(diameter)
    for label in np.unique(labels):
        if label == 0:
            continue
        own = labels == label
        fraction = valid_box_sums(summed_volume_table(own), diameter) / box_volume
        own = own[valid]
        for i, threshold in enumerate(thresholds):
            inner[own & (fraction < threshold) & (inner == 0)] = i + 1
        inner[own & (fraction >= thresholds[-1]) & (inner == 0)] = len(thresholds) + 1
    full = np.full(labels.shape, 255, dtype=np.uint8)
    full[valid] = inner
    return full, inner


def blobs(shape, count, seed, dtype):
    """Labels of the nearest of `count` random centres, background where the nearest centre is far, plus specks."""
    rng = np.random.default_rng(seed)
    grid = np.stack(np.meshgrid(*[np.arange(s) for s in shape], indexing="ij"), axis=-1).astype(np.float64)
    centres = rng.uniform(0, 1, (count, 3)) * np.array(shape)
    distances = np.stack([np.sqrt(((grid - c) ** 2).sum(-1)) for c in centres], axis=-1)
    labels = (np.argmin(distances, axis=-1) + 1).astype(dtype)
    labels[np.min(distances, axis=-1) > min(shape) * 0.45] = 0
    specks = rng.uniform(0, 1, shape) < 0.002
    labels[specks] = (count + 1 + np.arange(specks.sum()) % 5).astype(dtype)
    return labels


def spheres(shape, seed):
    rng = np.random.default_rng(seed)
    zz, yy, xx = np.meshgrid(*[np.arange(s) for s in shape], indexing="ij")
    mask = np.zeros(shape, dtype=bool)
    for _ in range(2):
        z, y, x = rng.uniform(0, 1, 3) * np.array(shape)
        mask |= (zz - z) ** 2 + (yy - y) ** 2 + (xx - x) ** 2 <= 9
    return mask


def cases(shared):
    yield "blobs_u16_default_thresholds", blobs((31, 36, 40), 9, 1, np.uint16), dict(radius=(3, 4, 5), min_size=60, margin=(4, 5, 6))
    yield "blobs_u32_masked", blobs((26, 30, 28), 7, 2, np.uint32), dict(radius=(2, 3, 2), min_size=40, margin=(2, 3, 2), mask=spheres((26, 30, 28), 3))
    yield "blobs_i32_three_thresholds", blobs((24, 27, 33), 6, 4, np.int32), dict(radius=(4, 2, 3), min_size=1, thresholds=[0.1, 0.5, 0.9], margin=(5, 5, 5))
    yield "blobs_u8_flat_z_radius", blobs((12, 30, 30), 5, 5, np.uint8), dict(radius=(0, 3, 2), min_size=30, margin=(1, 4, 3))
    gt = tifffile.imread(os.path.join(shared, "fib25-medulla-ts2", "derived", "gt_bodies_zyx_uint16.tif"))
    crop = np.ascontiguousarray(gt[85:165, 85:165, 85:165])
    yield "fib25_80_r8", crop, dict(radius=(8, 8, 8), min_size=2000, margin=(8, 8, 8))
    yield "fib25_80_r6_10_12_u32", crop.astype(np.uint32), dict(radius=(6, 10, 12), min_size=800, thresholds=[0.05, 0.2, 0.5, 0.8], margin=(9, 11, 13))


def main(out, shared):
    os.makedirs(out, exist_ok=True)
    manifest = []
    for name, labels, case in cases(shared):
        thresholds = case.get("thresholds", DEFAULT_THRESHOLDS)
        mask = case.get("mask")
        full, inner = partitions(labels, thresholds, case["radius"], case["min_size"], mask)
        labels.tofile(os.path.join(out, name + ".labels"))
        full.tofile(os.path.join(out, name + ".out"))
        if mask is not None:
            mask.astype(np.uint8).tofile(os.path.join(out, name + ".mask"))
        values, counts = np.unique(inner, return_counts=True)
        mz, my, mx = case["margin"]
        sampled = full[mz:-mz or None, my:-my or None, mx:-mx or None]
        sample_values, sample_counts = np.unique(sampled[sampled != 255], return_counts=True)
        manifest.append({
            "name": name, "dtype": str(labels.dtype), "shape": list(labels.shape), "radius": list(case["radius"]),
            "min_size": case["min_size"], "thresholds": thresholds, "mask": mask is not None,
            "counts": {str(int(v)): int(c) for v, c in zip(values, counts)},
            "margin": list(case["margin"]),
            "sampled_counts": {str(int(v)): int(c) for v, c in zip(sample_values, sample_counts)},
        })
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
