#!/usr/bin/python3
"""Reference outputs of the seed policy's building blocks on small awkward shapes, for the CellVision tests.

  ffn_seed_primitives.py OUT_DIR

Per case <name> (shape in manifest.json): <name>.image (float32 input), <name>.edges (scipy.ndimage
generic_gradient_magnitude with sobel, float32), <name>.thresh (gaussian_filter sigma 49/6, reflect; the kernel is
longer than several lines, so the reflection repeats), <name>.marks (uint8 0/1), <name>.dt (distance_transform_edt of
1 - marks as float32; +inf where there is no mark at all), <name>.plateau (float64 image with exact ties) and
<name>.peaks (int64 flat indices, ascending, from the spec's peak_local_max with a stable sort). Also random.bin:
RandomState(42).rand(2000) and RandomState(7).rand(700) as float64.
"""
import json
import os
import sys

import numpy as np
from scipy import ndimage

from ffn_canvas_golden import peak_local_max_spec

F32 = np.float32


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(5)
    manifest = []
    for name, shape in (("tiny", (5, 7, 9)), ("flat", (1, 12, 30)), ("thin", (40, 3, 17)), ("cube", (24, 24, 24))):
        image = (rng.normal(0, 1, shape) + np.linspace(0, 3, shape[-1])).astype(F32)
        edges = ndimage.generic_gradient_magnitude(image, ndimage.sobel)
        thresh = np.zeros(shape, dtype=F32)
        ndimage.gaussian_filter(edges, 49.0 / 6.0, output=thresh, mode="reflect")
        marks = rng.uniform(0, 1, shape) < 0.04
        if name == "flat":
            marks[...] = False
        if marks.any():
            dt = ndimage.distance_transform_edt(1 - marks).astype(F32)
        else:
            dt = np.full(shape, np.inf, dtype=F32)
        plateau = np.round(rng.uniform(0, 4, shape)).astype(np.float64)
        plateau[tuple(s // 2 for s in shape)] = 9.0
        peaks = peak_local_max_spec(plateau, 3)
        flat_peaks = np.sort(np.ravel_multi_index(tuple(peaks.T), shape)).astype(np.int64) if len(peaks) else np.zeros(0, np.int64)
        for suffix, array in (("image", image), ("edges", edges), ("thresh", thresh), ("marks", marks.astype(np.uint8)),
                              ("dt", dt), ("plateau", plateau), ("peaks", flat_peaks)):
            array.tofile(os.path.join(out, f"{name}.{suffix}"))
        manifest.append(dict(name=name, shape=list(shape)))
    np.concatenate([np.random.RandomState(42).rand(2000), np.random.RandomState(7).rand(700)]).tofile(os.path.join(out, "random.bin"))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    main(sys.argv[1])
