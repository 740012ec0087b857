#!/usr/bin/python3
"""An independent NumPy transcription of ELEPHANT's detection label generation (specs/elephant.md §2.2-2.3).

  labels_reference.py SPOTS.json OUT.bin

SPOTS.json: {"shape": [d, h, w], "scales": [sz, sy, sx], "centre_ratio": c, "auto_bg": t, "frame": "path or null",
             "spots": [{"pos": [x, y, z], "cov": [9 numbers, row-major, xyz], "tag": "tp"|...}]}
Writes the uint8 label volume (C order).
"""
import json
import math
import sys

import numpy as np


def ellipsoid(centre, radii, rotation, scales, shape, minarea):
    r = np.array(radii, dtype=float)
    sc = np.array(centre) / scales
    signs = np.array([[a, b, c] for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)], dtype=float)
    while True:
        corners = (rotation @ (r * signs).T).T / scales
        half = np.abs(corners).max(axis=0)
        lo = np.clip(np.floor(sc - half).astype(int), 0, np.array(shape) - 1)
        hi = np.clip(np.ceil(sc + half).astype(int), 0, np.array(shape) - 1)
        if np.prod(hi - lo + 1) < minarea:
            r = r * 1.1
            continue
        grid = np.stack(np.meshgrid(*[np.arange(a, b + 1) for a, b in zip(lo, hi)], indexing="ij"), -1).reshape(-1, 3)
        q = (scales * (grid - sc)) @ rotation
        d = ((q / r) ** 2).sum(axis=1)
        thr = 1.0
        while np.count_nonzero(d < thr) < minarea:
            thr *= 1.1
        inside = grid[d < thr]
        return tuple(inside.T)


def dilate(index, shape):
    mask = np.zeros(shape, bool)
    mask[index] = True
    out = mask.copy()
    for dz in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                shifted = np.zeros_like(mask)
                src = tuple(slice(max(0, -o), n - max(0, o)) for o, n in zip((dz, dy, dx), shape))
                dst = tuple(slice(max(0, o), n - max(0, -o)) for o, n in zip((dz, dy, dx), shape))
                shifted[dst] = mask[src]
                out |= shifted
    return out


def main(spec_path, out_path):
    spec = json.load(open(spec_path))
    shape = tuple(spec["shape"])
    scales = np.array(spec["scales"], dtype=float)
    label = np.zeros(shape, np.uint8)
    if spec["auto_bg"] > 0:
        frame = np.fromfile(spec["frame"], dtype=np.float32).reshape(shape)
        label[frame < spec["auto_bg"]] = 1
    for spot in spec["spots"]:
        centre = np.array(spot["pos"][::-1], dtype=float)
        cov = np.array(spot["cov"], dtype=float).reshape(3, 3)[::-1, ::-1]
        values, vectors = np.linalg.eigh(cov)
        radii = np.sqrt(values)
        outer = ellipsoid(centre, radii, vectors, scales, shape, 9)
        tag = spot["tag"]
        off = 0 if tag in ("tp", "tb", "tn") else 3
        keep = ((label[outer] - 1) % 3) <= 1
        if tag in ("tp", "fn"):
            inner = ellipsoid(centre, radii * spec["centre_ratio"], vectors, scales, shape, 9)
            label[outer] = np.where(keep, 2 + off, label[outer])
            label[dilate(inner, shape)] = 2 + off
            label[inner] = 3 + off
        elif tag in ("tb", "fb"):
            label[outer] = np.where(keep, 2 + off, label[outer])
        else:
            bg = ((label[outer] - 1) % 3) <= 0
            label[outer] = np.where(bg, 1 + off, label[outer])
    label.tofile(out_path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
