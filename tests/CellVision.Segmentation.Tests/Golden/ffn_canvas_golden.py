#!/usr/bin/python3
"""NumPy/SciPy transcription of the flood-filling inference canvas (shared/specs/ffn-incasem-clahe.md, A.3.2-A.3.8),
driven by a deterministic stand-in network, for the CellVision tests.

  ffn_canvas_golden.py OUT_DIR SHARED_DATA_DIR

For each case it writes OUT_DIR/<name>.raw (uint8 image, C order), <name>.allowed (uint8 0/1, only when the case has
a restriction mask), the seed policy's intermediate arrays <name>.edges, <name>.thresh, <name>.dt (float32), the
canvas segmentation with its -1 markers <name>.canvas (int32), the saved labels <name>.labels (uint32, markers set to
0), <name>.json (seeds and every seed attempt: outcome, visited positions in order, id, overlaps) and
OUT_DIR/manifest.json. It also checks its own peak finder against skimage.feature.peak_local_max.

Seed policy: scipy.ndimage generic_gradient_magnitude(sobel), gaussian_filter(sigma 49/6), distance_transform_edt,
numpy RandomState(42) noise, peak_local_max(min_distance 3, threshold_abs 0, exclude_border) as spec A.3.8 describes
it; the reference sums the float32 distances and the float64 noise into a float64 image (seed.py, _find_peaks).
"""
import collections
import json
import os
import sys

import numpy as np
import skimage.feature
import tifffile
from scipy import ndimage
from scipy.special import logit

F32 = np.float32


# ----------------------------------------------------------------------------------------------------------------
# Options (A.3.1, A.3.3): probabilities become logits once, stored as float32 like the reference's proto fields.

def logit32(p):
    return float(F32(logit(float(F32(p)))))


class Options:
    def __init__(self, **kw):
        self.image_mean = kw.get("image_mean", 128.0)
        self.image_stddev = kw.get("image_stddev", 33.0)
        self.init_activation = kw.get("init_activation", 0.95)
        self.pad_value = kw.get("pad_value", 0.05)
        self.move_threshold = kw.get("move_threshold", 0.9)
        self.min_boundary_dist = kw.get("min_boundary_dist", (1, 1, 1))  # z, y, x
        self.segment_threshold = kw.get("segment_threshold", 0.6)
        self.min_segment_size = kw.get("min_segment_size", 1000)
        self.disco_seed_threshold = kw.get("disco_seed_threshold", 0.0)

    def to_json(self):
        return dict(image_mean=self.image_mean, image_stddev=self.image_stddev, init_activation=self.init_activation,
                    pad_value=self.pad_value, move_threshold=self.move_threshold,
                    min_boundary_dist=list(self.min_boundary_dist), segment_threshold=self.segment_threshold,
                    min_segment_size=self.min_segment_size, disco_seed_threshold=self.disco_seed_threshold)


def normalise(raw, options):
    # A.3.2: float32(raw) minus the mean, divided by the standard deviation, all in float32.
    return (raw.astype(F32) - F32(options.image_mean)) / F32(options.image_stddev)


# ----------------------------------------------------------------------------------------------------------------
# Seed policy PolicyPeaks (A.3.8).

def peak_local_max_spec(image, min_distance):
    """skimage peak_local_max(min_distance, threshold_abs=0, threshold_rel=0, exclude_border=True, p_norm=inf)."""
    size = 2 * min_distance + 1
    image_max = ndimage.maximum_filter(image, size=size, mode="nearest")
    out = image == image_max
    if np.all(out):
        return np.zeros((0, 3), dtype=np.int64)
    out &= image > 0
    b = min_distance
    out[:b] = False
    out[-b:] = False
    out[:, :b] = False
    out[:, -b:] = False
    out[:, :, :b] = False
    out[:, :, -b:] = False
    coords = np.transpose(np.nonzero(out))
    order = np.argsort(-image[out], kind="stable")
    coords = coords[order]
    accepted = []
    for c in coords:
        if all(np.max(np.abs(c - a)) >= min_distance for a in accepted):
            accepted.append(c)
    return np.array(accepted, dtype=np.int64).reshape(-1, 3)


def policy_peaks(image, excluded, forbidden, margin):
    """Returns (edges, thresh, dt, noisy-peaks-as-list, seeds) for the normalised float32 image."""
    edges = ndimage.generic_gradient_magnitude(image.astype(F32), ndimage.sobel)
    thresh = np.zeros(edges.shape, dtype=F32)
    ndimage.gaussian_filter(edges, 49.0 / 6.0, output=thresh, mode="reflect")
    filt_edges = edges > thresh
    if forbidden is not None:
        filt_edges[forbidden] = True
    if np.all(filt_edges):
        return edges, thresh, None, []
    if np.any(filt_edges):
        dt = ndimage.distance_transform_edt(1 - filt_edges).astype(F32)
    else:
        dt = np.full(image.shape, np.inf, dtype=F32)  # no edge anywhere: the distance is infinite
    dt[excluded] = -1
    dt[~np.isfinite(dt)] = -1
    noisy = dt + np.random.RandomState(42).rand(*dt.shape) * 1e-4  # float32 + float64 -> float64
    peaks = peak_local_max_spec(noisy, 3)
    library = skimage.feature.peak_local_max(noisy, min_distance=3, threshold_abs=0, threshold_rel=0)
    assert sorted(map(tuple, peaks.tolist())) == sorted(map(tuple, library.tolist())), "peak finder differs from skimage"
    seeds = sorted(tuple(int(v) for v in p) for p in peaks)
    shape = np.array(image.shape)
    seeds = [s for s in seeds if np.all(np.array(s) - margin >= 0) and np.all(np.array(s) + margin < shape)]
    return edges, thresh, dt, seeds


# ----------------------------------------------------------------------------------------------------------------
# Movement policy FaceMaxMovementPolicy (A.3.5).

def scored_move_offsets(deltas, logits, threshold):
    center = np.array(logits.shape) // 2
    window = [slice(c - d, c + d + 1) for c, d in zip(center, deltas)]
    found = []
    for axis, delta in enumerate(deltas):
        if delta == 0:
            continue
        for offset in (-delta, delta):
            selection = list(window)
            selection[axis] = center[axis] + offset
            face = logits[tuple(selection)]
            at = np.unravel_index(face.argmax(), face.shape)
            score = face[at]
            if score < threshold:
                continue
            relative = [int(at[0]) - face.shape[0] // 2, int(at[1]) - face.shape[1] // 2]
            relative.insert(axis, int(offset))
            item = (score, tuple(relative))
            if item not in found:
                found.append(item)
    return found


class FaceMaxQueue:
    def __init__(self, canvas, deltas, score_threshold):
        self.canvas = canvas
        self.deltas = np.array(deltas)
        self.score_threshold = score_threshold
        self.reset((0, 0, 0))

    def reset(self, start):
        self.queue = collections.deque()
        self.done = set()
        self.start = np.array(start)

    def quantize(self, pos):
        return tuple(((np.array(pos) - self.start + self.deltas // 2) // np.maximum(self.deltas, 1)).tolist())

    def append(self, item):
        self.queue.append(item)

    def __iter__(self):
        return self

    def __next__(self):
        while self.queue:
            _, coord = self.queue.popleft()
            coord = tuple(coord)
            if self.quantize(coord) in self.done:
                continue
            if self.canvas.is_valid_pos(coord):
                return coord
        raise StopIteration()

    def update(self, logits, pos):
        self.done.add(self.quantize(pos))
        moves = sorted(scored_move_offsets(self.deltas, logits, self.score_threshold), reverse=True)
        for score, relative in moves:
            self.queue.append((score, [relative[i] + pos[i] for i in range(3)]))


# ----------------------------------------------------------------------------------------------------------------
# Canvas (A.3.3, A.3.4, A.3.6, A.3.7).

class Canvas:
    def __init__(self, image, network, options, forbidden=None):
        self.image = image
        self.network = network
        self.options = options
        self.shape = image.shape
        self.fov = np.array(network.fov)
        self.margin = self.fov // 2
        self.init_activation = logit32(options.init_activation)
        self.pad_value = logit32(options.pad_value)
        self.move_threshold = logit32(options.move_threshold)
        self.segment_threshold = logit32(options.segment_threshold)
        self.disco = float(F32(options.disco_seed_threshold))
        self.seed = np.full(self.shape, np.nan, dtype=F32)
        self.segmentation = np.zeros(self.shape, dtype=np.int32)
        self.forbidden = forbidden
        self.origins = {}
        self.overlaps = {}
        self.max_id = 0
        # The runner builds the movement policy with the float64 logit of the float32 move threshold.
        self.policy = FaceMaxQueue(self, network.deltas, logit(float(F32(options.move_threshold))))

    def restrictor_allows(self, pos):
        return self.forbidden is None or not self.forbidden[pos]

    def is_valid_pos(self, pos, ignore_move_threshold=False):
        if not ignore_move_threshold and self.seed[pos] < self.move_threshold:
            return False
        p = np.array(pos)
        if np.any(p - self.margin < 0) or np.any(p + self.margin >= self.shape):
            return False
        return not self.segmentation[pos] > 0

    def update_at(self, pos):
        start = np.array(pos) - self.fov // 2
        window = tuple(slice(s, s + f) for s, f in zip(start, self.fov))
        seed_in = np.array(self.seed[window])
        seed_in[np.isnan(seed_in)] = F32(self.pad_value)
        logits = self.network(self.image[window], seed_in)
        if self.disco >= 0:
            old = self.seed[window]
            if np.mean(logits >= self.move_threshold) > self.disco:
                with np.errstate(invalid="ignore"):
                    keep = (old < 0.0) & (logits > old)
                logits[keep] = old[keep]
        self.seed[window] = logits
        return logits

    def segment_at(self, start, visited):
        self.seed[...] = np.nan
        self.seed[start] = self.init_activation
        self.policy.reset(start)
        self.min_pos = np.array(start)
        self.max_pos = np.array(start)
        self.policy.append((self.policy.score_threshold * 2, start))
        iterations = 0
        for pos in self.policy:
            if self.seed[start] < self.move_threshold:
                break
            if not self.restrictor_allows(pos):
                continue
            logits = self.update_at(pos)
            self.min_pos = np.minimum(self.min_pos, pos)
            self.max_pos = np.maximum(self.max_pos, pos)
            iterations += 1
            visited.append([int(v) for v in pos])
            self.policy.update(logits, pos)
        return iterations

    def segment_all(self, seeds):
        attempts = []
        mbd = np.array(self.options.min_boundary_dist)
        for pos in seeds:
            record = dict(seed=list(pos), steps=[])
            attempts.append(record)
            if not (self.is_valid_pos(pos, ignore_move_threshold=True) and self.restrictor_allows(pos)):
                record["outcome"] = "invalid"
                continue
            low = np.array(pos) - mbd
            high = np.array(pos) + mbd + 1
            if np.any(self.segmentation[tuple(slice(s, e) for s, e in zip(low, high))] > 0):
                self.segmentation[pos] = -1
                record["outcome"] = "near-segment"
                continue
            iterations = self.segment_at(pos, record["steps"])
            if iterations <= 0:
                record["outcome"] = "no-steps"
                continue
            if self.seed[pos] < self.move_threshold:
                if self.segmentation[pos] == 0:
                    self.segmentation[pos] = -1
                record["outcome"] = "weak-seed"
                continue
            half = self.fov // 2
            box = tuple(slice(max(s, 0), e + 1) for s, e in zip(self.min_pos - half, self.max_pos + half))
            mask = self.seed[box] >= self.segment_threshold
            ids, counts = np.unique(self.segmentation[box][mask], return_counts=True)
            overlaps = [[int(i), int(c)] for i, c in zip(ids, counts) if i > 0]
            mask &= self.segmentation[box] <= 0
            size = int(np.sum(mask))
            record["size"] = size
            if size < self.options.min_segment_size:
                if self.segmentation[pos] == 0:
                    self.segmentation[pos] = -1
                record["outcome"] = "too-small"
                continue
            self.max_id += 1
            while self.max_id in self.origins:
                self.max_id += 1
            self.segmentation[box][mask] = self.max_id
            self.overlaps[self.max_id] = overlaps
            self.origins[self.max_id] = (pos, iterations)
            record.update(outcome="accepted", id=self.max_id, overlaps=overlaps)
        return attempts


# ----------------------------------------------------------------------------------------------------------------
# The stand-in network (CellVision.Segmentation.Tests/FloodFill/StandInNetwork.cs computes the same in float32).

class StandIn:
    """A bright-region flood: a 3x3x3 image mean mapped to a capped logit, flooded 6-connected from the object."""

    def __init__(self, fov, deltas, level, gain, cap, decay):
        self.fov = tuple(fov)
        self.deltas = tuple(deltas)
        self.level, self.gain, self.cap, self.decay = F32(level), F32(gain), F32(cap), F32(decay)

    def params(self):
        return dict(fov=list(self.fov), deltas=list(self.deltas), level=float(self.level), gain=float(self.gain),
                    cap=float(self.cap), decay=float(self.decay))

    def __call__(self, image, seed):
        z, y, x = image.shape
        padded = np.pad(image, 1, mode="edge")
        total = np.zeros(image.shape, dtype=F32)
        for dz in range(3):
            for dy in range(3):
                for dx in range(3):
                    total = total + padded[dz:dz + z, dy:dy + y, dx:dx + x]
        mean = total * F32(1.0 / 27.0)
        bound = np.minimum(np.maximum((mean - self.level) * self.gain, -self.cap), self.cap)
        bright = bound >= 0
        labels, _ = ndimage.label(bright)  # 6-connected
        anchors = np.unique(labels[bright & (seed >= 0)])
        anchored = np.isin(labels, anchors[anchors > 0])
        inside = np.where(seed >= 0, np.minimum(bound, seed - self.decay), bound)
        return np.where(anchored, inside, np.where(bright, seed, bound)).astype(F32)


# ----------------------------------------------------------------------------------------------------------------

def synthetic_cells(shape, cells, seed):
    """Voronoi cells with bright interiors, dark membranes, a few dark organelles and noise (uint8)."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 1, (cells, 3)) * np.array(shape)
    grid = np.stack(np.meshgrid(*[np.arange(s) for s in shape], indexing="ij"), axis=-1).astype(np.float64)
    d = np.sqrt(((grid[..., None, :] - centres) ** 2).sum(-1))
    d.sort(axis=-1)
    membrane = np.exp(-((d[..., 1] - d[..., 0]) / 1.5) ** 2)
    value = 165 - 95 * membrane + rng.normal(0, 9, shape)
    for c in rng.uniform(0, 1, (cells // 3, 3)) * np.array(shape):
        r = np.sqrt(((grid - c) ** 2).sum(-1))
        value -= 60 * (r < 3.5)
    return np.clip(value, 0, 255).astype(np.uint8)


def cases(shared):
    em = tifffile.imread(os.path.join(shared, "fib25-medulla-ts2", "derived", "raw_zyx_uint8.tif"))
    cube = StandIn((33, 33, 33), (8, 8, 8), level=-0.15, gain=6.0, cap=5.0, decay=0.03)
    yield "fib25", np.ascontiguousarray(em[80:180, 60:160, 100:200]), cube, Options(), None
    cells = synthetic_cells((60, 68, 76), 14, 3)
    yield "cells", cells, cube, Options(min_boundary_dist=(2, 1, 0), segment_threshold=0.5, min_segment_size=400), None
    flat = StandIn((25, 29, 33), (6, 7, 8), level=0.0, gain=5.0, cap=4.0, decay=0.02)
    allowed = np.ones(cells.shape, dtype=bool)
    allowed[:, :, 58:] = False
    allowed[40:, :20, :] = False
    yield "cells-anisotropic-masked", cells, flat, Options(
        init_activation=0.97, pad_value=0.1, move_threshold=0.85, segment_threshold=0.55, min_segment_size=300,
        disco_seed_threshold=0.02, image_mean=120.0, image_stddev=40.0), allowed
    yield "cells-initial-activation-below-move-threshold", cells, cube, Options(init_activation=0.85), None
    yield "cells-no-disconnection-bias", synthetic_cells((52, 56, 60), 9, 11), cube, Options(
        disco_seed_threshold=-1.0, min_segment_size=200, min_boundary_dist=(0, 0, 0)), None


# ----------------------------------------------------------------------------------------------------------------
# Volumes larger than one canvas (CellVision's rule, not the reference's): subvolumes of one size that overlap by a
# fixed number of voxels, the last one on each axis aligned with the volume's end, processed in Z, Y, X order. Each
# canvas starts from the labels already written in its region (so new objects never overwrite them and seeds avoid
# them) and numbers new objects above the largest id written so far; its labels are written back over its region.

def subvolume_starts(length, size, overlap):
    size = min(size, length)
    return list(range(0, length - size, size - overlap)) + [length - size], size


def segment_in_subvolumes(raw, network, options, size, overlap):
    labels = np.zeros(raw.shape, dtype=np.uint32)
    axes = [subvolume_starts(n, s, o) for n, s, o in zip(raw.shape, size, overlap)]
    max_id = 0
    subvolumes = []
    for z in axes[0][0]:
        for y in axes[1][0]:
            for x in axes[2][0]:
                corner = np.array([z, y, x])
                region = tuple(slice(c, c + a[1]) for c, a in zip(corner, axes))
                image = normalise(raw[region], options)
                canvas = Canvas(image, network, options)
                canvas.segmentation[...] = labels[region].astype(np.int32)
                canvas.max_id = max_id
                _, _, _, seeds = policy_peaks(image, canvas.segmentation > 0, None, canvas.margin)
                attempts = canvas.segment_all(seeds)
                labels[region] = np.maximum(canvas.segmentation, 0).astype(np.uint32)
                max_id = max(max_id, canvas.max_id)
                for a in attempts:
                    a["seed"] = (np.array(a["seed"]) + corner).tolist()
                    a["steps"] = [(np.array(p) + corner).tolist() for p in a["steps"]]
                subvolumes.append(dict(corner=corner.tolist(), attempts=attempts))
    return labels, subvolumes


def write_subvolume_case(out, shared):
    em = tifffile.imread(os.path.join(shared, "fib25-medulla-ts2", "derived", "raw_zyx_uint8.tif"))
    raw = np.ascontiguousarray(em[100:172, 40:136, 120:216])
    network = StandIn((33, 33, 33), (8, 8, 8), level=-0.15, gain=6.0, cap=5.0, decay=0.03)
    options = Options(min_segment_size=500)
    size, overlap = (72, 60, 60), (32, 32, 32)
    labels, subvolumes = segment_in_subvolumes(raw, network, options, size, overlap)
    raw.tofile(os.path.join(out, "subvolumes.raw"))
    labels.tofile(os.path.join(out, "subvolumes.labels"))
    with open(os.path.join(out, "subvolumes.json"), "w") as f:
        json.dump(dict(shape=list(raw.shape), size=list(size), overlap=list(overlap), options=options.to_json(),
                       network=network.params(), subvolumes=subvolumes), f)


def main(out, shared):
    os.makedirs(out, exist_ok=True)
    manifest = []
    for name, raw, network, options, allowed in cases(shared):
        image = normalise(raw, options)
        canvas = Canvas(image, network, options, None if allowed is None else ~allowed)
        excluded = canvas.segmentation > 0
        if allowed is not None:
            excluded |= ~allowed
        edges, thresh, dt, seeds = policy_peaks(image, excluded, canvas.forbidden, canvas.margin)
        attempts = canvas.segment_all(seeds)
        raw.tofile(os.path.join(out, name + ".raw"))
        if allowed is not None:
            allowed.astype(np.uint8).tofile(os.path.join(out, name + ".allowed"))
        edges.tofile(os.path.join(out, name + ".edges"))
        thresh.tofile(os.path.join(out, name + ".thresh"))
        dt.tofile(os.path.join(out, name + ".dt"))
        canvas.segmentation.tofile(os.path.join(out, name + ".canvas"))
        np.maximum(canvas.segmentation, 0).astype(np.uint32).tofile(os.path.join(out, name + ".labels"))
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(dict(seeds=[list(s) for s in seeds], attempts=attempts), f)
        outcomes = collections.Counter(a["outcome"] for a in attempts)
        manifest.append(dict(name=name, shape=list(raw.shape), masked=allowed is not None, options=options.to_json(),
                             network=network.params(), outcomes=outcomes,
                             logits=dict(init=logit32(options.init_activation), pad=logit32(options.pad_value),
                                         move=logit32(options.move_threshold),
                                         segment=logit32(options.segment_threshold))))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    write_subvolume_case(out, shared)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
