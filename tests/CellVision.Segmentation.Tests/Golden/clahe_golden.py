#!/usr/bin/python3
"""Writes scikit-image (Debian python3-skimage 0.19.3) CLAHE outputs for the CellVision tests.

  clahe_golden.py OUT_DIR SHARED_DATA_DIR

For each case: OUT_DIR/<name>.in (C order, little-endian, input dtype), OUT_DIR/<name>.out (skimage's
equalize_adapthist result: float64, or float32 for float32 input) and OUT_DIR/manifest.json.
"""
import json
import os
import sys

import numpy as np
import skimage
import tifffile
from skimage import exposure


def synthetic(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    grids = np.meshgrid(*[np.linspace(0, 1, s) for s in shape], indexing="ij")
    blob = np.exp(-sum((g - 0.4) ** 2 for g in grids) * 6)
    noise = rng.normal(0, 0.08, shape)
    value = np.clip(0.15 + 0.7 * blob + noise, 0, 1)
    if dtype == "uint8":
        return (value * 255).astype(np.uint8)
    if dtype == "uint16":
        return (value * 40000 + 1200).astype(np.uint16)
    return value.astype(np.float32)


def cases(shared):
    yield "2d_u8_default", synthetic((37, 53), "uint8", 1), dict()
    yield "2d_u16_k8_c002_b128", synthetic((64, 80), "uint16", 2), dict(kernel_size=8, clip_limit=0.02, nbins=128)
    yield "2d_f32_k5_c003", synthetic((40, 41), "float32", 3), dict(kernel_size=5, clip_limit=0.03)
    yield "2d_u8_k4_c0", synthetic((30, 26), "uint8", 4), dict(kernel_size=4, clip_limit=0.0)
    yield "3d_u16_default_c002", synthetic((10, 33, 47), "uint16", 5), dict(clip_limit=0.02)
    yield "3d_u8_k4_c0", synthetic((9, 20, 21), "uint8", 6), dict(kernel_size=4, clip_limit=0.0)
    yield "3d_u16_k367_c001", synthetic((7, 25, 30), "uint16", 7), dict(kernel_size=(3, 6, 7), clip_limit=0.01)
    yield "3d_f32_k6_c002_b128", synthetic((8, 24, 26), "float32", 8), dict(kernel_size=6, clip_limit=0.02, nbins=128)
    yield "3d_u8_k5_c003", synthetic((12, 19, 22), "uint8", 9), dict(kernel_size=5, clip_limit=0.03)
    em = tifffile.imread(os.path.join(shared, "fib25-medulla-ts2", "derived", "raw_zyx_uint8.tif"))
    crop = np.ascontiguousarray(em[100:132, 50:114, 60:125])
    yield "em_fib25_default_c002", crop, dict(clip_limit=0.02)
    yield "em_fib25_k8_c001", crop, dict(kernel_size=8, clip_limit=0.01)


def main(out, shared):
    os.makedirs(out, exist_ok=True)
    manifest = []
    for name, image, kwargs in cases(shared):
        result = exposure.equalize_adapthist(image, **kwargs)
        image.tofile(os.path.join(out, name + ".in"))
        result.tofile(os.path.join(out, name + ".out"))
        kernel = kwargs.get("kernel_size")
        manifest.append({
            "name": name, "dtype": str(image.dtype), "shape": list(image.shape), "out_dtype": str(result.dtype),
            "kernel": None if kernel is None else ([kernel] if isinstance(kernel, int) else list(kernel)),
            "clip_limit": kwargs.get("clip_limit", 0.01), "nbins": kwargs.get("nbins", 256),
        })
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {len(manifest)} cases with scikit-image {skimage.__version__}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
