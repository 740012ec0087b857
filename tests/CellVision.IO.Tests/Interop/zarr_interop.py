#!/usr/bin/python3
"""zarr-python (Debian python3-zarr 2.13) side of the CellVision Zarr interop tests.

  write DIR   writes every dtype x order x compressor case with zarr-python into DIR, each with the expected
              values as DIR/<name>.bin (C order, little-endian) and a manifest DIR/manifest.json
  verify DIR  reads every array listed in DIR/manifest.json (written by CellVision) with zarr-python and compares
              it with DIR/<name>.bin; prints one line per mismatch and exits 1 if any
"""
import json
import os
import sys

import numcodecs
import numpy as np
import zarr

DTYPES = ["|b1", "|u1", "|i1", "<u2", "<i2", "<u4", "<i4", "<u8", "<i8", "<f2", "<f4", "<f8",
          ">u2", ">i2", ">u4", ">i4", ">u8", ">i8", ">f2", ">f4", ">f8"]
COMPRESSORS = {
    "none": None,
    "zlib": numcodecs.Zlib(level=1),
    "gzip": numcodecs.GZip(level=5),
    "zstd": numcodecs.Zstd(level=3),
    "blosc-lz4-shuffle": numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE),
    "blosc-lz4hc-noshuffle": numcodecs.Blosc(cname="lz4hc", clevel=9, shuffle=numcodecs.Blosc.NOSHUFFLE),
    "blosc-zstd-bitshuffle": numcodecs.Blosc(cname="zstd", clevel=3, shuffle=numcodecs.Blosc.BITSHUFFLE),
    "blosc-zlib-shuffle": numcodecs.Blosc(cname="zlib", clevel=4, shuffle=numcodecs.Blosc.SHUFFLE),
    "blosc-blosclz-shuffle": numcodecs.Blosc(cname="blosclz", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE),
}
SHAPE = (5, 7, 9)
CHUNKS = (2, 3, 4)


def values(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        data = rng.integers(0, 2, shape).astype(bool)
    elif dt.kind == "f":
        data = (rng.standard_normal(shape) * 1000).astype(dt)
    else:
        info = np.iinfo(dt)
        data = rng.integers(info.min, info.max, shape, dtype=dt.newbyteorder("=") if dt.itemsize > 1 else dt, endpoint=True)
    return data.astype(dt)


def cases():
    seed = 0
    for dtype in DTYPES:
        for order in ("C", "F"):
            for codec in COMPRESSORS:
                seed += 1
                yield {"name": f"{dtype[1:]}{'_be' if dtype[0] == '>' else ''}_{order}_{codec}", "dtype": dtype, "order": order,
                       "compressor": codec, "shape": list(SHAPE), "chunks": list(CHUNKS), "separator": ".", "fill_value": 0, "seed": seed}
    yield {"name": "slash_separator", "dtype": "<u2", "order": "C", "compressor": "zstd", "shape": [3, 10, 11], "chunks": [1, 4, 4], "separator": "/", "fill_value": 7, "seed": 901}
    yield {"name": "one_dimensional", "dtype": "<i4", "order": "C", "compressor": "zlib", "shape": [100], "chunks": [7], "separator": ".", "fill_value": -1, "seed": 902}
    yield {"name": "four_dimensional", "dtype": "<f4", "order": "F", "compressor": "blosc-lz4-shuffle", "shape": [2, 3, 5, 6], "chunks": [1, 2, 5, 4], "separator": "/", "fill_value": 0, "seed": 903}
    yield {"name": "zero_dimensional", "dtype": "<f8", "order": "C", "compressor": "none", "shape": [], "chunks": [], "separator": ".", "fill_value": 0, "seed": 904}
    yield {"name": "nan_fill_missing_chunks", "dtype": "<f4", "order": "C", "compressor": "zlib", "shape": [4, 6, 8], "chunks": [2, 3, 4], "separator": ".", "fill_value": "NaN", "seed": 905, "partial": True}
    yield {"name": "inf_fill_missing_chunks", "dtype": ">f8", "order": "C", "compressor": "none", "shape": [4, 6], "chunks": [3, 4], "separator": ".", "fill_value": "-Infinity", "seed": 906, "partial": True}


def fill_of(case):
    value = case["fill_value"]
    return {"NaN": np.nan, "Infinity": np.inf, "-Infinity": -np.inf}.get(value, value) if isinstance(value, str) else value


def write(folder):
    manifest = []
    for case in cases():
        path = os.path.join(folder, case["name"])
        data = values(case["dtype"], tuple(case["shape"]), case["seed"])
        array = zarr.open_array(path, mode="w", shape=tuple(case["shape"]), chunks=tuple(case["chunks"]) or True, dtype=case["dtype"],
                                compressor=COMPRESSORS[case["compressor"]], order=case["order"], fill_value=fill_of(case),
                                dimension_separator=case["separator"])
        if case.get("partial"):
            # Write only the first half along the first axis: the remaining chunks stay missing and read as fill.
            half = case["shape"][0] // 2
            array[:half] = data[:half]
            data = data.copy()
            data[half:] = fill_of(case)
        else:
            array[...] = data
        np.ascontiguousarray(data).astype(np.dtype(case["dtype"]).newbyteorder("<")).tofile(path + ".bin")
        manifest.append(case)
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {len(manifest)} arrays with zarr {zarr.__version__}, numcodecs {numcodecs.__version__}")


def verify(folder):
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    failures = 0
    for case in manifest:
        path = os.path.join(folder, case["name"])
        array = zarr.open_array(path, mode="r")
        expected = np.fromfile(path + ".bin", dtype=np.dtype(case["dtype"]).newbyteorder("<")).reshape(case["shape"])
        actual = array[...]
        problems = []
        if str(array.dtype.str) != case["dtype"] and not (case["dtype"].startswith("|") and array.dtype.itemsize == 1):
            problems.append(f"dtype {array.dtype.str} != {case['dtype']}")
        if array.order != case["order"]:
            problems.append(f"order {array.order} != {case['order']}")
        if tuple(array.chunks) != tuple(case["chunks"]) and case["shape"]:
            problems.append(f"chunks {array.chunks} != {case['chunks']}")
        if not np.array_equal(actual, expected, equal_nan=np.dtype(case["dtype"]).kind == "f"):
            problems.append("values differ")
        if problems:
            failures += 1
            print(f"{case['name']}: {'; '.join(problems)}")
    print(f"verified {len(manifest)} arrays, {failures} mismatches")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    {"write": write, "verify": verify}[sys.argv[1]](sys.argv[2])
