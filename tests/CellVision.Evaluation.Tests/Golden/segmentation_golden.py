#!/usr/bin/env python3
"""Golden variation of information and adapted Rand error for CellVision's SegmentationEvaluator.

Writes, into OUT, one pair of raw label arrays per case (NAME.gt, NAME.seg: C order, little-endian, the dtype named
in the manifest) and manifest.json with the scores of scikit-image 0.19.3:

    variation_of_information(gt, seg, ignore_labels=voi_ignore)  -> [split, merge]
    adapted_rand_error(gt, seg, ignore_labels=rand_ignore)       -> [error, precision, recall] (scikit-image's order)

Cases whose labels scikit-image cannot index (negative or very large values: it builds a scipy.sparse matrix with the
labels as row and column numbers) are scored on the same partition relabelled 0..n-1 by np.unique; both measures
depend only on the partition and on which true voxels are ignored, and the ignored labels are mapped with it.
Cases with a "files" entry read the whole FIB-25 volumes, which the test reads itself. Floats are written as repr
strings ("NaN" where scikit-image returns nan).

Usage: /usr/bin/python3 segmentation_golden.py OUT SHARED_DATA   (SHARED_DATA holds fib25-medulla-ts2)
"""

import json
import os
import sys
import warnings

import numpy as np
import tifffile
from skimage.metrics import adapted_rand_error, variation_of_information

warnings.simplefilter("ignore")  # 0/0 in the degenerate cases is the expected nan

OUT, SHARED = sys.argv[1], sys.argv[2]
FIB = os.path.join(SHARED, "fib25-medulla-ts2")
rng = np.random.default_rng(20240607)
manifest = []


def text(value):
    value = float(value)
    return "NaN" if np.isnan(value) else repr(value)


def as_int64(value):
    value = int(value)
    return value - (1 << 64) if value >= 1 << 63 else value


def compact(gt, seg, ignore):
    """The same partitions with labels 0..n-1, and the ignored true labels mapped alike (absent ones dropped)."""
    truth_values, truth = np.unique(gt, return_inverse=True)
    _, test = np.unique(seg, return_inverse=True)
    mapped = tuple(int(np.searchsorted(truth_values, v)) for v in ignore if v in truth_values)
    return truth.reshape(gt.shape), test.reshape(seg.shape), mapped


def score(gt, seg, voi_ignore, rand_ignore, relabel):
    if relabel:
        g, s, vi = compact(gt, seg, voi_ignore)
        _, _, ri = compact(gt, seg, rand_ignore)
    else:
        g, s, vi, ri = gt, seg, tuple(voi_ignore), tuple(rand_ignore)
    voi = variation_of_information(g, s, ignore_labels=vi)
    rand = adapted_rand_error(g, s, ignore_labels=ri)
    return [text(v) for v in voi], [text(v) for v in rand]


def case(name, gt, seg, voi_ignore=(), rand_ignore=(0,), relabel=False):
    assert gt.shape == seg.shape
    gt.astype(gt.dtype.newbyteorder("<")).tofile(os.path.join(OUT, name + ".gt"))
    seg.astype(seg.dtype.newbyteorder("<")).tofile(os.path.join(OUT, name + ".seg"))
    voi, rand = score(gt, seg, voi_ignore, rand_ignore, relabel)
    manifest.append(dict(name=name, shape=list(gt.shape), gt_dtype=str(gt.dtype), seg_dtype=str(seg.dtype),
                         voi_ignore=[as_int64(v) for v in voi_ignore], rand_ignore=[as_int64(v) for v in rand_ignore],
                         voi=voi, rand=rand))


def blobs(shape, count, dtype, zero=True):
    """Piecewise-constant labels (runs along X), so the runs the evaluator folds are exercised as well as single voxels."""
    labels = rng.integers(0 if zero else 1, count + 1, size=shape[:-1] + (shape[-1] // 4 + 1,))
    return np.repeat(labels, 4, axis=-1)[..., : shape[-1]].astype(dtype)


# Random pairs: few and many labels, with and without 0, every integer type, both default and custom ignores.
case("few_labels_u8", blobs((12, 20, 30), 3, np.uint8), blobs((12, 20, 30), 5, np.uint8))
case("few_labels_u8_ignore_none", blobs((12, 20, 30), 3, np.uint8), blobs((12, 20, 30), 5, np.uint8), (), ())
case("few_labels_u8_ignore_0_both", blobs((12, 20, 30), 3, np.uint8), blobs((12, 20, 30), 5, np.uint8), (0,), (0,))
case("voxelwise_u16_u32", rng.integers(1, 300, (10, 16, 16)).astype(np.uint16), rng.integers(0, 5000, (10, 16, 16)).astype(np.uint32))
case("many_labels_no_zero_u16", blobs((16, 32, 40), 900, np.uint16, zero=False), blobs((16, 32, 40), 60, np.uint16))
case("ignore_two_labels_i32", blobs((8, 24, 24), 6, np.int32), blobs((8, 24, 24), 9, np.int32), (0, 3), (3, 5))
case("ignore_absent_label_u8", blobs((8, 24, 24), 6, np.uint8, zero=False), blobs((8, 24, 24), 9, np.uint8), (77,), (77,))
# uint64 labels from 2^63 up are named by their two's complement, as the evaluator compares labels as int64.
wide_gt = (blobs((8, 20, 28), 40, np.uint64) * np.uint64(1 << 58)) + np.uint64(7)
wide_seg = blobs((8, 20, 28), 25, np.int64) * np.int64(-(1 << 33))
case("wide_u64_i64_relabelled", wide_gt, wide_seg, (7,), (7 + 35 * (1 << 58),), relabel=True)
case("negative_i16_u8_relabelled", blobs((6, 16, 20), 8, np.int16) - np.int16(4), blobs((6, 16, 20), 3, np.uint8), (-4,), (0,), relabel=True)

# Degenerate inputs: all zero, identical, everything ignored, a single segment, singletons.
zeros = np.zeros((5, 6, 7), np.uint8)
case("all_zero", zeros, zeros.copy())
case("all_zero_ignore_none", zeros, zeros.copy(), (), ())
case("all_ignored_voi", zeros, np.ones_like(zeros), (0,), (0,))
same = blobs((10, 20, 24), 30, np.uint16)
case("identical", same, same.copy())
case("one_segment", blobs((6, 10, 12), 8, np.uint8, zero=False), np.ones((6, 10, 12), np.uint8))
case("singletons", np.arange(1, 61, dtype=np.uint16).reshape(3, 4, 5), rng.permutation(60).astype(np.uint32).reshape(3, 4, 5))

# FIB-25: crops of the neuron bodies against a shifted, a merged and a split version of themselves, and FFN's result.
bodies = tifffile.imread(os.path.join(FIB, "derived", "gt_bodies_zyx_uint16.tif"))
ffn = tifffile.imread(os.path.join(FIB, "ffn-reference-result", "ffn_seg_zyx_uint32.tif"))
crop = np.s_[60:124, 90:170, 40:136]
gt = np.ascontiguousarray(bodies[crop])
shifted = gt.copy()
shifted[:, 1:, 2:] = gt[:, :-1, :-2]
case("fib25_crop_shifted", gt, shifted)
merged = (gt // 2).astype(np.uint16)
case("fib25_crop_merged_pairs", gt, merged)
split = gt.astype(np.uint32) * 4 + (np.arange(gt.shape[0]) // 16).astype(np.uint32)[:, None, None]
case("fib25_crop_split_in_z", gt, split)
noisy = gt.copy()
flip = rng.random(gt.shape) < 1e-3
noisy[flip] = rng.integers(1, 527, int(flip.sum()))
case("fib25_crop_noise", gt, noisy)
case("fib25_crop_ffn", gt, np.ascontiguousarray(ffn[crop]))
case("fib25_crop_ffn_as_truth_ignore_0", np.ascontiguousarray(ffn[crop]), gt, (0,), (0,))

# The whole volume, FFN's published segmentation against the bodies (the test reads both TIFFs).
voi, rand = score(bodies, ffn, (), (0,), False)
manifest.append(dict(name="fib25_whole_ffn", shape=list(bodies.shape), files=["derived/gt_bodies_zyx_uint16.tif", "ffn-reference-result/ffn_seg_zyx_uint32.tif"],
                     voi_ignore=[], rand_ignore=[0], voi=voi, rand=rand))

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
