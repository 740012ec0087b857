#!/usr/bin/python3
"""ELEPHANT's per-slice rotation augmentation (specs/elephant.md §3.1): scikit-image's
transform.rotate(resize=True, preserve_range=True) with order=1 on float32 intensities and order=0 on uint8 labels.

  rotate_reference.py SPEC.json OUT_FOLDER

SPEC.json: {"shape": [rows, cols], "image": "float32 C-order raw", "labels": "uint8 C-order raw", "angles": [...]}
OUT_FOLDER/shapes.json: [[rows, cols], ...] per angle; OUT_FOLDER/{i}.f32 and {i}.u8 the rotated slices.
"""
import json
import os
import sys

# On AVX-512 CPUs numpy's float64 sin and cos are its own SIMD code (SVML), up to an ulp away from the C library's, which
# numpy uses on other CPUs and CellVision everywhere. A source position that is exactly half-way between two pixels (the
# output diagonal at 45 degrees maps onto the input's centre column 6.5) then rounds to either neighbour depending on the
# CPU. Keep numpy off those kernels so that the reference is the same on every machine; it must be set before the import.
# (CPUs without AVX-512 get a warning that there is nothing to disable.)
os.environ["NPY_DISABLE_CPU_FEATURES"] = "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"

import numpy as np  # noqa: E402
from skimage.transform import rotate  # noqa: E402


def main(spec_path, out_folder):
    spec = json.load(open(spec_path))
    image = np.fromfile(spec["image"], dtype=np.float32).reshape(spec["shape"])
    labels = np.fromfile(spec["labels"], dtype=np.uint8).reshape(spec["shape"])
    shapes = []
    for i, angle in enumerate(spec["angles"]):
        rotated = rotate(image, angle, resize=True, preserve_range=True, order=1)
        rotated_labels = rotate(labels, angle, resize=True, preserve_range=True, order=0)
        assert rotated.dtype == np.float32 and rotated.shape == rotated_labels.shape
        shapes.append(list(rotated.shape))
        rotated.astype(np.float32).tofile(os.path.join(out_folder, f"{i}.f32"))
        rotated_labels.astype(np.uint8).tofile(os.path.join(out_folder, f"{i}.u8"))
    json.dump(shapes, open(os.path.join(out_folder, "shapes.json"), "w"))


if __name__ == "__main__":
    main(*sys.argv[1:])
