#!/usr/bin/python3
"""incasem's block-wise CLAHE (spec B.8) driven through scikit-image's own `_clahe` core (Debian python3-skimage 0.19.3).

  incasem_golden.py IN.bin SHAPE(z,y,x) KERNEL BLOCK CONTEXT CLIP OUT.bin

Per write block (tiling from the origin, edge blocks shrunk): read the block grown by CONTEXT on every side, voxels
outside the volume = int(mean(write block)); map uint8 to 14 bits with
rescale_intensity(x*257, in_range='dtype', out_range=(0, 16383)) and np.round; run _clahe with a cubic KERNEL;
keep the write part as uint8(trunc(r / 16383 * 255)).
"""
import sys

import numpy as np
from skimage.exposure import rescale_intensity
from skimage.exposure._adapthist import _clahe

raw_path, shape_text, kernel, block, context, clip, out_path = sys.argv[1:8]
shape = tuple(int(v) for v in shape_text.split(","))
kernel, block, context, clip = int(kernel), int(block), int(context), float(clip)
raw = np.fromfile(raw_path, dtype=np.uint8).reshape(shape)
out = np.zeros(shape, dtype=np.uint8)
for z0 in range(0, shape[0], block):
    for y0 in range(0, shape[1], block):
        for x0 in range(0, shape[2], block):
            write = tuple(slice(s, min(s + block, n)) for s, n in zip((z0, y0, x0), shape))
            fill = int(np.mean(raw[write]))
            sizes = [w.stop - w.start for w in write]
            padded = np.full([s + 2 * context for s in sizes], fill, dtype=np.uint8)
            src = tuple(slice(max(w.start - context, 0), min(w.stop + context, n)) for w, n in zip(write, shape))
            dst = tuple(slice(s.start - (w.start - context), s.stop - (w.start - context)) for s, w in zip(src, write))
            padded[dst] = raw[src]
            u16 = padded.astype(np.uint16) * 257
            v = np.round(rescale_intensity(u16, in_range="dtype", out_range=(0, 16383))).astype(np.uint16)
            r = _clahe(v, (kernel, kernel, kernel), clip, 256)
            keep = tuple(slice(context, context + s) for s in sizes)
            out[write] = (r[keep] / 16383.0 * 255.0).astype(np.uint8)
out.tofile(out_path)
