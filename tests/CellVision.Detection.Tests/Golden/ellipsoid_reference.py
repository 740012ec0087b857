#!/usr/bin/python3
"""ELEPHANT's ellipsoid rasterisation as transcribed in labels_reference.py, for a list of cases.

  ellipsoid_reference.py CASES.json OUT.json

CASES.json: {"cases": [{"centre": [z, y, x], "radii": [3], "rotation": [9, row-major, columns are axes],
             "scales": [sz, sy, sx], "shape": [d, h, w], "minimum": n}]}
Writes {"voxels": [[linear indices, ascending], ...]}.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labels_reference import ellipsoid  # noqa: E402


def main(cases_path, out_path):
    cases = json.load(open(cases_path))["cases"]
    voxels = []
    for case in cases:
        shape = tuple(case["shape"])
        inside = ellipsoid(np.array(case["centre"], dtype=float), case["radii"],
                           np.array(case["rotation"], dtype=float).reshape(3, 3),
                           np.array(case["scales"], dtype=float), shape, case["minimum"])
        voxels.append(sorted(int(i) for i in np.ravel_multi_index(inside, shape)))
    json.dump({"voxels": voxels}, open(out_path, "w"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
