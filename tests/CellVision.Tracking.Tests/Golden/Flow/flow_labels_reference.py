#!/usr/bin/python3
"""An independent NumPy transcription of ELEPHANT's flow label generation (specs/elephant.md §5.3, ellipsoids §2.3).

  flow_labels_reference.py SPEC.json OUT.bin CENTROIDS.json

SPEC.json: {"shape": [d, h, w], "scales": [sz, sy, sx], "norm": [nx, ny, nz],
            "links": [{"pos": [x, y, z] (target), "cov": [9 numbers, row-major, xyz] (target),
                       "disp": [dx, dy, dz] (source - target)}]}
Writes the float32 label (4, d, h, w) in C order -- channels x, y, z displacement / scale / norm, then the mask -- and
the crop pool: [[z, y, x] = int(target / scales) for every link].
"""
import json
import sys

import numpy as np


def ellipsoid(centre, radii, rotation, scales, shape, minarea):
    """Voxels (z, y, x index arrays) with (R^-1 s(v - c/s)) / r squared-summed below a threshold grown to minarea."""
    r = np.array(radii, dtype=float)
    c = np.array(centre, dtype=float) / scales
    shape = np.array(shape)
    signs = np.array(np.meshgrid((-1, 1), (-1, 1), (-1, 1), indexing="ij")).reshape(3, -1).T
    while True:
        corners = (rotation @ (signs * r).T).T / scales
        half = np.abs(corners).max(axis=0)
        lo = np.clip(np.floor(c - half).astype(int), 0, shape - 1)
        hi = np.clip(np.ceil(c + half).astype(int), 0, shape - 1)
        if np.prod(hi - lo + 1) >= minarea:
            break
        r = r * 1.1
    axes = [np.arange(a, b + 1) for a, b in zip(lo, hi)]
    v = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    q = np.linalg.inv(rotation) @ (scales * (v - c)).T
    d = ((q.T / r) ** 2).sum(axis=1)
    threshold = 1.0
    while (d < threshold).sum() < minarea:
        threshold *= 1.1
    return tuple(v[d < threshold].T)


def main(spec_path, out_path, centroids_path):
    spec = json.load(open(spec_path))
    shape = tuple(spec["shape"])
    scales = np.array(spec["scales"], dtype=float)
    norm = spec["norm"]
    label = np.zeros((4,) + shape, dtype=np.float32)
    centroids = []
    for link in spec["links"]:
        centre = np.array(link["pos"][::-1], dtype=float)
        centroids.append((centre / scales).astype(int).tolist())
        cov = np.array(link["cov"][::-1], dtype=float).reshape(3, 3)
        values, vectors = np.linalg.eigh(cov)
        voxels = ellipsoid(centre, np.sqrt(values), vectors, scales, shape, 9)
        for i in range(3):
            label[(np.full(len(voxels[0]), i),) + voxels] = link["disp"][i] / scales[2 - i] / norm[i]
        label[(np.full(len(voxels[0]), 3),) + voxels] = 1
    label.tofile(out_path)
    json.dump(centroids, open(centroids_path, "w"))


if __name__ == "__main__":
    main(*sys.argv[1:])
