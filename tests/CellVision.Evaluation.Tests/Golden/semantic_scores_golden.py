"""incasem's scores (05_evaluate_metric.py with pairwise_distance_metric_thresholded.py and precision_recall.py) on
em-drosophila-vnc-sstem labels with synthetic probabilities: crop the border, multiply the probabilities by the mask,
AND the mask into the metric mask, select the voxels, then 1 - scipy dice, 1 - scipy jaccard, precision and recall.
Writes probabilities.f32, labels.u8, mask.u8, metric.u8 and expected.json into the output folder."""
import json
import sys

import numpy as np
import tifffile
from scipy.spatial.distance import dice, jaccard


def main(out, tif, border, thresholds):
    labels = np.ascontiguousarray(tifffile.imread(tif)[:, :80, :100])
    rng = np.random.default_rng(11)
    probabilities = np.clip(0.55 * (labels == 3) + 0.6 * rng.random(labels.shape), 0, 1).astype(np.float32)
    mask = (rng.random(labels.shape) < 0.9).astype(np.uint8)
    metric = (rng.random(labels.shape) < 0.8).astype(np.uint8) * 255
    # Probabilities at and a float32 step beside the thresholds, inside the crop and both masks.
    probabilities[5, 10, 10:20] = [0.5, 0.3, 0.7, 0.1, 0.49999997, 0.5000001, 0.29999998, 0.3000001, 0.69999999, 0.70000001]
    mask[5, 10, 10:20] = 1
    metric[5, 10, 10:20] = 255
    for name, array in (("probabilities.f32", probabilities), ("labels.u8", labels), ("mask.u8", mask), ("metric.u8", metric)):
        array.tofile(f"{out}/{name}")

    crop = tuple(slice(border, s - border) for s in labels.shape)
    p, l, m, mm = probabilities[crop] * mask[crop], labels[crop], mask[crop] != 0, metric[crop] != 0
    selected = np.logical_and(mm, m)
    expected = []
    for class_id in (1, 3):
        target = (l == class_id)[selected]
        for t in thresholds:
            pred = (p >= t)[selected]
            tp, fp, fn = int((target & pred).sum()), int((~target & pred).sum()), int((target & ~pred).sum())
            expected.append({"class": class_id, "threshold": t, "voxels": int(selected.sum()), "tp": tp, "fp": fp, "fn": fn,
                             "f1": None if tp + fp + fn == 0 else 1 - dice(target, pred), "jaccard": 1 - jaccard(target, pred),
                             "precision": tp / (tp + fp) if tp + fp > 0 else 0.0, "recall": tp / (tp + fn) if tp + fn > 0 else 0.0})
    with open(f"{out}/expected.json", "w") as f:
        json.dump({"shape": list(labels.shape), "cases": expected}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), [float(t) for t in sys.argv[4].split(",")])
