"""NumPy transcription of cell-tracker-gnn's metric-learning patches (spec section 1.2, 2-D).

  bin:RAW bin:SEG MIN MAX ROI_Y ROI_X PAD_Y PAD_X OUT LABEL:Y0:X0:Y1:X1 ...

Crop to the bounding box, zero the voxels of other labels, (I - min) / (max - min) inside the cell, zero-pad centred
(front = slack // 2) to PAD, then resize to ROI with F.interpolate(bilinear, align_corners=False) when PAD != ROI.
Saves the float32 patches, stacked [B, ROI_Y, ROI_X], to OUT with torch.save.
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read(spec):
    # bin:PATH:DTYPE:D,H,W, raw C-order bytes of a frame (depth 1 in 2-D)
    _, path, dtype, shape = spec.split(":")
    return np.fromfile(path, dtype=dtype).reshape([int(v) for v in shape.split(",")])[0]


def main():
    raw = read(sys.argv[1])
    seg = read(sys.argv[2])
    lo, hi = float(sys.argv[3]), float(sys.argv[4])
    roi = (int(sys.argv[5]), int(sys.argv[6]))
    pad = (int(sys.argv[7]), int(sys.argv[8]))
    patches = []
    for spec in sys.argv[10:]:
        label, y0, x0, y1, x1 = (int(v) for v in spec.split(":"))
        crop = raw[y0:y1, x0:x1].astype(np.float64)
        inside = seg[y0:y1, x0:x1] == label
        crop = np.where(inside, (crop - lo) / (hi - lo), 0.0)
        dy, dx = pad[0] - crop.shape[0], pad[1] - crop.shape[1]
        crop = np.pad(crop, ((dy // 2, dy - dy // 2), (dx // 2, dx - dx // 2)), constant_values=0)
        patch = torch.from_numpy(crop.astype(np.float32))
        if pad != roi:
            patch = F.interpolate(patch[None, None], size=roi, mode="bilinear", align_corners=False)[0, 0]
        patches.append(patch)
    torch.save(torch.stack(patches), sys.argv[9])


if __name__ == "__main__":
    main()
