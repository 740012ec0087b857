#!/usr/bin/env python3
"""Golden CTC measures (TRA, DET, LNK, SEG and the AOGM error counts) for CellVision's CtcEvaluator.

Builds deterministic (seeded) perturbed result folders from the first FRAMES frames of the Fluo-N2DH-SIM+ 01 TRA
ground truth, scores each with the official py-ctcmetrics (CellTrackingChallenge/py-ctcmetrics, v1.3.2, commit
9865e6f), and writes ctc_golden.json. Every perturbation is recorded as explicit per-frame operations plus the
resulting res_track.txt lines, so the C# test rebuilds the same folders without re-running this script.

Usage (run once; needs numpy, scipy, tifffile and Pillow):
    /usr/bin/python3 make_ctc_golden.py --reference /tmp/py-ctcmetrics \
        --tra /work/shared/data/ctc-fluo-n2dh-sim-01-tra/TRA [--frames 20] [--out ctc_golden.json] [--workdir DIR]

Operations (applied in the listed order, frame by frame, to a copy of the GT TRA masks):
    erase      {frame, label}             voxels of label -> 0
    relabel    {frame, label, to}         voxels of label -> to
    disk       {frame, label, y, x, r}    background voxels with (y-cy)^2 + (x-cx)^2 <= r^2 -> label
    keep_first {frame, label, count}      keep the first `count` voxels of label in row-major order, the rest -> 0

The ground truth subset keeps the tracks with B < FRAMES and clamps E to FRAMES-1. SEG ground truth is a copy of
the TRA masks of the frames in SEG_FRAMES (man_segTTT.tif). The input TIFFs are LZW-compressed; they are read with
Pillow, and everything handed to the reference is written uncompressed, because tifffile needs imagecodecs for LZW.
py-ctcmetrics imports sklearn only for sklearn.metrics.confusion_matrix; when sklearn is missing, a stand-in with the
same definition (rows = sorted union of labels in y_true, columns the same labels in y_pred) is created in the work
folder and put on sys.path.
"""

import argparse
import json
import os
import sys
import tempfile
import warnings

import numpy as np
import tifffile
from PIL import Image

SEED = 20240611
SEG_FRAMES = [0, 6, 13, 19]
CONFUSION_SHIM = '''import numpy as np


def confusion_matrix(y_true, y_pred):
    y_true = np.asarray(y_true).ravel()
    y_pred = np.asarray(y_pred).ravel()
    labels = np.union1d(y_true, y_pred)
    n = labels.size
    rows = np.searchsorted(labels, y_true)
    cols = np.searchsorted(labels, y_pred)
    return np.bincount(rows * n + cols, minlength=n * n).reshape(n, n)
'''


def read_lzw(path):
    with Image.open(path) as image:
        return np.array(image).astype(np.uint16)


def read_tracks(path):
    tracks = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                tracks.append([int(v) for v in line.split()])
    return tracks


def write_tracks(path, tracks):
    with open(path, "w", encoding="utf-8") as f:
        for t in tracks:
            f.write(f"{t[0]} {t[1]} {t[2]} {t[3]}\n")


def apply_op(masks, op):
    m = masks[op["frame"]]
    kind = op["op"]
    if kind == "erase":
        m[m == op["label"]] = 0
    elif kind == "relabel":
        m[m == op["label"]] = op["to"]
    elif kind == "disk":
        yy, xx = np.ogrid[:m.shape[0], :m.shape[1]]
        inside = (yy - op["y"]) ** 2 + (xx - op["x"]) ** 2 <= op["r"] ** 2
        m[inside & (m == 0)] = op["label"]
    elif kind == "keep_first":
        flat = m.reshape(-1)
        where = np.flatnonzero(flat == op["label"])
        flat[where[op["count"]:]] = 0
    else:
        raise ValueError(kind)


class Case:
    """A result under construction: masks, the operations applied, and the parent of every label."""

    def __init__(self, gt_masks, gt_tracks):
        self.masks = [m.copy() for m in gt_masks]
        self.ops = []
        self.parent = {t[0]: t[3] for t in gt_tracks}
        self.next_label = max(t[0] for t in gt_tracks) + 1

    def new_label(self):
        label = self.next_label
        self.next_label += 1
        return label

    def op(self, **op):
        self.ops.append(op)
        apply_op(self.masks, op)

    def span(self, label):
        frames = [t for t, m in enumerate(self.masks) if np.any(m == label)]
        return (frames[0], frames[-1]) if frames else None

    def reparent_children(self, old, new):
        for child, parent in list(self.parent.items()):
            if parent == old:
                self.parent[child] = new

    def tracks(self, allow_gaps=False):
        present = {}
        for t, m in enumerate(self.masks):
            for label in np.unique(m):
                if label:
                    present.setdefault(int(label), []).append(t)
        tracks = []
        for label in sorted(present):
            frames = present[label]
            if not allow_gaps:
                assert frames == list(range(frames[0], frames[-1] + 1)), (label, frames)
            parent = self.parent.get(label, 0)
            if parent not in present or present[parent][-1] >= frames[0]:
                parent = 0
            tracks.append([label, frames[0], frames[-1], parent])
        return tracks

    # ----- perturbations -----

    def alive(self, frame):
        return [int(v) for v in np.unique(self.masks[frame]) if v]

    def drop(self, rng, count):
        for _ in range(count):
            frame = int(rng.integers(len(self.masks)))
            label = int(rng.choice(self.alive(frame)))
            begin, end = self.span(label)
            self.op(op="erase", frame=frame, label=label)
            if begin < frame < end:
                # Bridge the hole as a tracker would: the rest of the track gets a new label whose parent is the
                # first part (a gap-closing parent link), or no parent at all (a lost track).
                rest = self.new_label()
                for t in range(frame + 1, end + 1):
                    self.op(op="relabel", frame=t, label=label, to=rest)
                self.reparent_children(label, rest)
                self.parent[rest] = label if rng.random() < 0.5 else 0

    def split(self, rng, count):
        candidates = [label for label in sorted(set(np.concatenate([np.unique(m) for m in self.masks]))) if label]
        rng.shuffle(candidates)
        done = 0
        for label in candidates:
            begin, end = self.span(int(label))
            if end - begin < 2:
                continue
            frame = int(rng.integers(begin + 1, end + 1))
            rest = self.new_label()
            for t in range(frame, end + 1):
                self.op(op="relabel", frame=t, label=int(label), to=rest)
            self.reparent_children(int(label), rest)
            self.parent[rest] = int(label)
            done += 1
            if done == count:
                break

    def rewire_parents(self, rng, count):
        tracks = self.tracks()
        children = [t for t in tracks if t[3] != 0]
        rng.shuffle(children)
        for child in children[:count]:
            others = [t[0] for t in tracks if t[2] < child[1] and t[0] != child[3]]
            if others and rng.random() < 0.6:
                self.parent[child[0]] = int(rng.choice(others))
            else:
                self.parent[child[0]] = 0

    def extra(self, rng, count, radius=7):
        height, width = self.masks[0].shape
        yy, xx = np.ogrid[:height, :width]
        made = 0
        while made < count:
            length = int(rng.integers(1, 4))
            first = int(rng.integers(len(self.masks) - length + 1))
            y = int(rng.integers(radius, height - radius))
            x = int(rng.integers(radius, width - radius))
            inside = (yy - y) ** 2 + (xx - x) ** 2 <= radius ** 2
            if any(np.any(self.masks[t][inside]) for t in range(first, first + length)):
                continue
            label = self.new_label()
            self.parent[label] = 0
            for t in range(first, first + length):
                self.op(op="disk", frame=t, label=label, y=y, x=x, r=radius)
            made += 1

    def merge(self, rng, count):
        made = 0
        while made < count:
            frame = int(rng.integers(len(self.masks)))
            alive = self.alive(frame)
            if len(alive) < 2:
                continue
            keep, gone = (int(v) for v in rng.choice(alive, 2, replace=False))
            keep_span, gone_span = self.span(keep), self.span(gone)
            last = min(keep_span[1], gone_span[1], frame + int(rng.integers(0, 4)))
            for t in range(frame, last + 1):
                self.op(op="relabel", frame=t, label=gone, to=keep)
            if last < gone_span[1]:
                rest = self.new_label()
                for t in range(last + 1, gone_span[1] + 1):
                    self.op(op="relabel", frame=t, label=gone, to=rest)
                self.reparent_children(gone, rest)
                self.parent[rest] = 0
            made += 1

    def halve(self, rng, count):
        made = 0
        while made < count:
            frame = int(rng.integers(len(self.masks)))
            label = int(rng.choice(self.alive(frame)))
            size = int(np.count_nonzero(self.masks[frame] == label))
            if size % 2:
                continue
            # Exactly half is not a match (the test is strict); one voxel more is.
            self.op(op="keep_first", frame=frame, label=label, count=size // 2 + made % 2)
            made += 1

    def continue_daughter(self, rng, count):
        # The result keeps the mother's label in one daughter: a GT parent link becomes a track link (EC).
        tracks = {t[0]: t for t in self.tracks()}
        daughters = [t for t in tracks.values() if t[3] in tracks and tracks[t[3]][2] + 1 == t[1]]
        rng.shuffle(daughters)
        taken = set()
        for daughter in daughters:
            mother = daughter[3]
            if mother in taken:
                continue
            taken.add(mother)
            for t in range(daughter[1], daughter[2] + 1):
                self.op(op="relabel", frame=t, label=daughter[0], to=mother)
            self.reparent_children(daughter[0], mother)
            if len(taken) == count:
                break

    def gap(self, rng):
        while True:
            frame = int(rng.integers(1, len(self.masks) - 1))
            label = int(rng.choice(self.alive(frame)))
            begin, end = self.span(label)
            if begin < frame < end:
                self.op(op="erase", frame=frame, label=label)
                return


def make_cases(gt_masks, gt_tracks):
    rng = np.random.default_rng(SEED)
    cases = {}

    def case(name, build, expect_valid=True):
        c = Case(gt_masks, gt_tracks)
        build(c)
        cases[name] = (c, c.tracks(allow_gaps=not expect_valid), expect_valid)

    case("identity", lambda c: None)
    case("dropped", lambda c: c.drop(rng, 12))
    case("split", lambda c: c.split(rng, 6))
    case("parents", lambda c: c.rewire_parents(rng, 8))
    case("extra", lambda c: c.extra(rng, 10))
    case("merged", lambda c: c.merge(rng, 4))
    case("half", lambda c: c.halve(rng, 6))

    def combined(c):
        c.drop(rng, 6)
        c.split(rng, 3)
        c.rewire_parents(rng, 3)
        c.extra(rng, 5)
        c.merge(rng, 2)
        c.halve(rng, 2)

    case("combined", combined)
    case("continued", lambda c: c.continue_daughter(rng, 3))
    case("gap", lambda c: c.gap(rng), expect_valid=False)
    return cases


def ensure_confusion_matrix(workdir):
    try:
        import sklearn.metrics  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        package = os.path.join(workdir, "shim", "sklearn")
        os.makedirs(package, exist_ok=True)
        with open(os.path.join(package, "__init__.py"), "w", encoding="utf-8"):
            pass
        with open(os.path.join(package, "metrics.py"), "w", encoding="utf-8") as f:
            f.write(CONFUSION_SHIM)
        sys.path.insert(0, os.path.join(workdir, "shim"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, help="checkout of CellTrackingChallenge/py-ctcmetrics")
    parser.add_argument("--tra", required=True, help="the TRA folder of Fluo-N2DH-SIM+ 01")
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "ctc_golden.json"))
    parser.add_argument("--workdir", default=None, help="keep the generated folders here (default: a temp folder)")
    args = parser.parse_args()

    workdir = args.workdir or tempfile.mkdtemp(prefix="ctc_golden_")
    os.makedirs(workdir, exist_ok=True)
    ensure_confusion_matrix(workdir)
    sys.path.insert(0, os.path.abspath(args.reference))
    from ctc_metrics.scripts.evaluate import evaluate_sequence  # pylint: disable=import-outside-toplevel

    frames = args.frames
    gt_masks = [read_lzw(os.path.join(args.tra, f"man_track{t:03d}.tif")) for t in range(frames)]
    gt_tracks = [[l, b, min(e, frames - 1), p] for l, b, e, p in read_tracks(os.path.join(args.tra, "man_track.txt"))
                 if b < frames]
    gt = os.path.join(workdir, "01_GT")
    os.makedirs(os.path.join(gt, "TRA"), exist_ok=True)
    os.makedirs(os.path.join(gt, "SEG"), exist_ok=True)
    for t, m in enumerate(gt_masks):
        tifffile.imwrite(os.path.join(gt, "TRA", f"man_track{t:03d}.tif"), m)
    for t in SEG_FRAMES:
        tifffile.imwrite(os.path.join(gt, "SEG", f"man_seg{t:03d}.tif"), gt_masks[t])
    write_tracks(os.path.join(gt, "TRA", "man_track.txt"), gt_tracks)

    metrics = ["Valid", "DET", "SEG", "TRA", "LNK"]
    out_cases = []
    for name, (case, tracks, expect_valid) in make_cases(gt_masks, gt_tracks).items():
        res = os.path.join(workdir, name + "_RES")
        os.makedirs(res, exist_ok=True)
        for t, m in enumerate(case.masks):
            tifffile.imwrite(os.path.join(res, f"mask{t:03d}.tif"), m)
        write_tracks(os.path.join(res, "res_track.txt"), tracks)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results = evaluate_sequence(res, gt, metrics=metrics, threads=1)
        valid = bool(results.get("Valid"))
        assert valid == expect_valid, (name, results)
        entry = {"name": name, "valid": valid, "ops": case.ops, "res_track": tracks}
        if valid:
            entry["expected"] = {
                key: float(results[key]) for key in
                ("TRA", "DET", "LNK", "SEG", "OP_CTB", "OP_CSB", "AOGM", "AOGM_0",
                 "AOGM_NS", "AOGM_FN", "AOGM_FP", "AOGM_ED", "AOGM_EA", "AOGM_EC")
            }
        out_cases.append(entry)
        print(name, json.dumps(entry.get("expected", {"valid": False})))

    golden = {
        "reference": "CellTrackingChallenge/py-ctcmetrics v1.3.2 (9865e6f), ctc_metrics.scripts.evaluate.evaluate_sequence",
        "data": "ctc-fluo-n2dh-sim-01-tra/TRA",
        "frames": frames,
        "seed": SEED,
        "seg_frames": SEG_FRAMES,
        "gt_track": gt_tracks,
        "cases": out_cases,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print("wrote", args.out, "work folder", workdir)


if __name__ == "__main__":
    main()
