#!/usr/bin/python3
"""Reads a Zarr v2 array with zarr-python and dumps it, to check that CellVision's files open there.

  zarr_reference.py ARRAY_FOLDER OUT.json OUT.f32

OUT.json: {"shape", "chunks", "dtype", "attrs"}; OUT.f32: the whole array as float32, C order.
"""
import json
import sys

import numpy as np
import zarr


def main(folder, out_json, out_raw):
    array = zarr.open_array(folder, mode="r")
    json.dump({"shape": list(array.shape), "chunks": list(array.chunks), "dtype": array.dtype.str,
               "attrs": array.attrs.asdict()}, open(out_json, "w"))
    np.asarray(array[...], dtype=np.float32).tofile(out_raw)


if __name__ == "__main__":
    main(*sys.argv[1:])
