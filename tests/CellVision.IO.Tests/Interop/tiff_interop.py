#!/usr/bin/python3
"""tifffile / Pillow side of the CellVision TIFF interop tests (Debian python3-tifffile 2023.2, python3-pil 9.4).

  write DIR   writes TIFF files with tifffile (dtypes x byte order x zlib/predictor x pages x BigTIFF, ImageJ
              hyperstacks) and Pillow (LZW, PackBits, Deflate), each with its expected samples as DIR/<name>.bin
              (C order, little-endian) and DIR/manifest.json
  verify DIR  reads the files listed in DIR/manifest.json (written by CellVision) with tifffile, or Pillow for
              LZW/PackBits, and compares samples (and ImageJ metadata where listed); exits 1 on any mismatch
"""
import json
import os
import sys

import numpy as np
import tifffile
from PIL import Image, ImageSequence

DTYPES = ["u1", "i1", "u2", "i2", "u4", "i4", "f4"]
PIL_MODES = {"u1": "L", "u2": "I;16", "i4": "I", "f4": "F"}


def values(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return (rng.standard_normal(shape) * 100).astype(dt)
    info = np.iinfo(dt)
    return rng.integers(info.min, info.max, shape, dtype=dt, endpoint=True)


def cases():
    seed = 0
    for dtype in DTYPES:
        for order in "<>":
            for compression in ("none", "zlib", "zlib_predictor"):
                if compression == "zlib_predictor" and dtype == "f4":
                    continue
                for pages in (1, 3):
                    seed += 1
                    yield {"name": f"tifffile_{dtype}_{'be' if order == '>' else 'le'}_{compression}_{pages}p", "tool": "tifffile", "dtype": dtype,
                           "byteorder": order, "compression": compression, "pages": pages, "height": 37, "width": 53, "seed": seed}
    yield {"name": "tifffile_bigtiff_u2", "tool": "tifffile", "dtype": "u2", "byteorder": "<", "compression": "none", "pages": 4, "height": 20, "width": 30, "seed": 500, "bigtiff": True}
    yield {"name": "tifffile_bigtiff_f4_zlib_be", "tool": "tifffile", "dtype": "f4", "byteorder": ">", "compression": "zlib", "pages": 2, "height": 20, "width": 30, "seed": 501, "bigtiff": True}
    yield {"name": "tifffile_strips_u2", "tool": "tifffile", "dtype": "u2", "byteorder": "<", "compression": "zlib", "pages": 2, "height": 300, "width": 257, "seed": 502, "rowsperstrip": 7}
    yield {"name": "imagej_hyperstack_u2", "tool": "imagej", "dtype": "u2", "byteorder": "<", "compression": "none", "pages": 12, "height": 16, "width": 24, "seed": 503,
           "frames": 3, "slices": 4, "spacing": 2.5, "pixel": 0.25, "unit": "micron"}
    yield {"name": "imagej_stack_f4", "tool": "imagej", "dtype": "f4", "byteorder": "<", "compression": "none", "pages": 5, "height": 16, "width": 24, "seed": 504,
           "frames": 1, "slices": 5, "spacing": 1.5, "pixel": 0.5, "unit": "micron"}
    for dtype in PIL_MODES:
        for compression in ("tiff_lzw", "packbits", "tiff_adobe_deflate"):
            if dtype in ("i4", "f4") and compression == "packbits":
                continue
            for pages in (1, 3):
                seed += 1
                yield {"name": f"pil_{dtype}_{compression}_{pages}p", "tool": "pil", "dtype": dtype, "byteorder": "<", "compression": compression,
                       "pages": pages, "height": 41, "width": 67, "seed": seed}


def write_case(path, case, data):
    if case["tool"] == "tifffile":
        compression = {"none": None, "zlib": "zlib", "zlib_predictor": "zlib"}[case["compression"]]
        tifffile.imwrite(path, data, byteorder=case["byteorder"], compression=compression, predictor=case["compression"] == "zlib_predictor" or None,
                         bigtiff=case.get("bigtiff", False), rowsperstrip=case.get("rowsperstrip"), photometric="minisblack")
    elif case["tool"] == "imagej":
        shaped = data.reshape(case["frames"], case["slices"], case["height"], case["width"])
        tifffile.imwrite(path, shaped, imagej=True, resolution=(1 / case["pixel"], 1 / case["pixel"]),
                         metadata={"spacing": case["spacing"], "unit": case["unit"], "axes": "TZYX"})
    else:
        images = [Image.fromarray(plane, mode=PIL_MODES[case["dtype"]]) for plane in data]
        images[0].save(path, compression=case["compression"], save_all=True, append_images=images[1:])


def read_case(path, case):
    if case["compression"] in ("lzw", "packbits"):
        with Image.open(path) as image:
            return np.stack([np.array(frame) for frame in ImageSequence.Iterator(image)])
    return tifffile.imread(path).reshape(case["pages"], case["height"], case["width"])


def write(folder):
    os.makedirs(folder, exist_ok=True)
    manifest = []
    for case in cases():
        data = values(case["dtype"], (case["pages"], case["height"], case["width"]), case["seed"])
        if case["dtype"] == "u2" and case["tool"] == "pil":
            data = data.astype("<u2")
        path = os.path.join(folder, case["name"] + ".tif")
        write_case(path, case, data if case["pages"] > 1 or case["tool"] == "pil" else data[0])
        data.astype(np.dtype(case["dtype"]).newbyteorder("<")).tofile(path + ".bin")
        manifest.append(case)
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {len(manifest)} files with tifffile {tifffile.__version__}")


def verify(folder):
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    failures = 0
    for case in manifest:
        path = os.path.join(folder, case["name"] + ".tif")
        expected = np.fromfile(path + ".bin", dtype=np.dtype(case["dtype"]).newbyteorder("<")).reshape(case["pages"], case["height"], case["width"])
        problems = []
        try:
            actual = read_case(path, case)
            if actual.dtype.kind != expected.dtype.kind or actual.dtype.itemsize != expected.dtype.itemsize:
                problems.append(f"dtype {actual.dtype} != {expected.dtype}")
            elif not np.array_equal(actual, expected):
                problems.append("samples differ")
            if "imagej" in case:
                with tifffile.TiffFile(path) as tif:
                    meta = tif.imagej_metadata or {}
                    for key, value in case["imagej"].items():
                        if str(meta.get(key)) != str(value):
                            problems.append(f"imagej {key}={meta.get(key)!r}, expected {value!r}")
                    x = tif.pages[0].tags["XResolution"].value
                    if abs(x[1] / x[0] - case["pixel"]) > 1e-6:
                        problems.append(f"pixel width {x[1] / x[0]} != {case['pixel']}")
        except Exception as exception:
            problems.append(f"{type(exception).__name__}: {exception}")
        if problems:
            failures += 1
            print(f"{case['name']}: {'; '.join(problems)}")
    print(f"verified {len(manifest)} files, {failures} mismatches")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    {"write": write, "verify": verify}[sys.argv[1]](sys.argv[2])
