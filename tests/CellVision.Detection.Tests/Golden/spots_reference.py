#!/usr/bin/python3
"""ELEPHANT's centre-probability post-processing (specs/elephant.md §4.3), transcribed independently with
scikit-image's label/regionprops and NumPy.

  spots_reference.py SPEC.json OUT.json

SPEC.json: {"shape": [d, h, w], "probability": "path of float32 C-order raw", "scales": [sz, sy, sx],
            "origin": [z, y, x], "c_ratio": c, "p_thresh": p, "r_min": r, "r_max": r}
OUT.json: [{"pos": [x, y, z], "cov": [9, row-major xyz], "quality": q}, ...] in label order.
"""
import json
import math
import sys

import numpy as np
from skimage.measure import label, regionprops


def main(spec_path, out_path):
    spec = json.load(open(spec_path))
    prob = np.fromfile(spec["probability"], dtype=np.float32).reshape(spec["shape"])
    scales = np.array(spec["scales"], dtype=float)
    origin = np.array(spec["origin"], dtype=float)
    c_ratio, r_min, r_max = spec["c_ratio"], spec["r_min"], spec["r_max"]
    labels = label(spec["p_thresh"] < prob, connectivity=3)
    min_area = 4 / 3 * math.pi * (r_min * c_ratio) ** 3 / np.prod(scales)
    spots = []
    for region in regionprops(labels, intensity_image=prob):
        if region.area < min_area:
            continue
        pos = (origin + np.array(region.centroid)) * scales
        lo, hi = np.array(region.bbox[:3]), np.array(region.bbox[3:])
        extent = hi - lo
        c_scales = scales * (extent + 1.0) / extent
        coords = (region.coords - lo) * c_scales
        centred = coords - coords.mean(axis=0)
        cov = centred.T @ centred / len(coords)
        if not cov.any():
            continue
        values, vectors = np.linalg.eigh(cov)
        if (values < 0).any():
            continue
        radii = 2 * np.sqrt(values) / c_ratio
        radii = np.array([radii[i] if radii[i] > 0 else max(r_min, scales[i]) for i in range(3)])
        if (radii < r_min).any():
            continue
        radii = np.minimum(r_max, radii)
        full = vectors @ np.diag(radii ** 2) @ vectors.T
        spots.append({"pos": pos[::-1].tolist(), "cov": full.flatten()[::-1].tolist(),
                      "quality": float(np.mean(prob[tuple(region.coords.T)], dtype=np.float64))})
    json.dump(spots, open(out_path, "w"))


if __name__ == "__main__":
    main(*sys.argv[1:])
