"""incasem's metric mask (scripts/01_data_formatting/60_create_metric_mask.py, per block) on whole arrays with SciPy:
255 * NOT(binary_dilation(b, iterations=n_out) AND NOT binary_erosion(b, iterations=n_in)), the default cross and
border_value 0. Writes <name>.labels (uint8), <name>.out (uint8) and manifest.json into the output folder."""
import json
import sys

import numpy as np
import tifffile
from scipy.ndimage import binary_dilation, binary_erosion


IN_PLANE = np.zeros((3, 3, 3), bool)
IN_PLANE[1] = [[0, 1, 0], [1, 1, 1], [0, 1, 0]]


def metric_mask(b, n_in, n_out, structure=None):
    dil = binary_dilation(b, structure=structure, iterations=n_out)
    ero = binary_erosion(b, structure=structure, iterations=n_in)
    return (255 * np.logical_not(np.logical_and(dil, np.logical_not(ero)))).astype(np.uint8)


def main(out, tif):
    labels = tifffile.imread(tif)
    rng = np.random.default_rng(7)
    corner = np.ascontiguousarray(labels[:, :96, :128])
    interior = np.ascontiguousarray(labels[:, 400:464, 500:600])
    cases = [
        ("mito_corner_4_4", corner, 3, 4, 4),
        ("mito_corner_2_1", corner, 3, 2, 1),
        ("mito_corner_1_3", corner, 3, 1, 3),
        ("membrane_corner_2_2", corner, 1, 2, 2),
        ("any_corner_4_4", corner, None, 4, 4),
        ("mito_interior_4_4", interior, 3, 4, 4),
        ("single_plane_3_2", (rng.random((1, 40, 50)) < 0.3).astype(np.uint8), None, 3, 2),
        ("thin_y_2_3", (rng.random((6, 1, 20)) < 0.5).astype(np.uint8) * 2, 2, 2, 3),
        ("sparse_5_6", (rng.random((9, 17, 23)) < 0.02).astype(np.uint8), None, 5, 6),
        ("empty_1_1", np.zeros((5, 6, 7), np.uint8), None, 1, 1),
        ("full_1_1", np.ones((5, 6, 7), np.uint8), None, 1, 1),
        ("full_3_1", np.ones((8, 9, 10), np.uint8), None, 3, 1),
        ("sections_mito_corner_4_4", corner, 3, 4, 4),
        ("sections_membrane_interior_2_3", interior, 1, 2, 3),
    ]
    manifest = []
    for name, volume, class_id, n_in, n_out in cases:
        b = volume != 0 if class_id is None else volume == class_id
        expected = metric_mask(b, n_in, n_out, IN_PLANE if name.startswith("sections_") else None)
        np.ascontiguousarray(volume, dtype=np.uint8).tofile(f"{out}/{name}.labels")
        expected.tofile(f"{out}/{name}.out")
        manifest.append({"within_sections": name.startswith("sections_"), "name": name, "shape": list(volume.shape), "class_id": class_id, "inner": n_in, "outer": n_out,
                         "excluded": int((expected == 0).sum())})
    with open(f"{out}/manifest.json", "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
