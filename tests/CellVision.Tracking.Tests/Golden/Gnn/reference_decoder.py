"""NumPy transcription of cell-tracker-gnn's post-processing (spec section 5, step 4), quirks included.

Usage: reference_decoder.py INPUT.json
INPUT: {"frames": [...], "centroids": [[depth, row, col], ...], "edges": [[source, target], ...], "probs": [...]},
nodes in frame order, frames 0..T-1. Prints {"tracks": [[label, begin, end, parent], ...], "node_labels": [...]}:
the track table in the reference's own labels (node id of the track's last node) and each node's label.
"""
import json
import sys

import numpy as np

EMPTY, ENDED = -2, -1


def decode(frames, centroids, edges, probs):
    frames = np.asarray(frames, dtype=np.int64)
    centroids = np.asarray(centroids, dtype=np.int64).reshape(len(frames), -1)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    active = edges[np.asarray(probs, dtype=np.float64) > 0.5]  # strict, as sigmoid(logit) > 0.5

    frame_ids = np.unique(frames)
    n_frames = frame_ids.shape[0]
    width = max(int((frames == f).sum()) for f in frame_ids)
    traj = np.full((n_frames, width), EMPTY, dtype=np.int64)  # rows = frame numbers

    records = []  # [child (start node), parent, start frame]
    for t in frame_ids:
        nodes = np.flatnonzero(frames == t)
        if t == 0:
            traj[0, :nodes.shape[0]] = nodes
            records += [[int(i), 0, 0] for i in nodes]
        starts = []
        for i in nodes:
            out = np.flatnonzero(active[:, 0] == i)
            succ = int(active[out[0], 1]) if out.shape[0] else ENDED  # first active edge in edge order
            cols = np.flatnonzero(traj[t] == i)
            if cols.shape[0] == 0:
                free = np.flatnonzero(traj[t] == EMPTY)
                if free.shape[0] == 0:
                    traj = np.concatenate([traj, np.full((n_frames, 1), EMPTY, dtype=np.int64)], axis=1)
                    free = np.array([traj.shape[1] - 1])
                cols = free[:1]
                traj[t, cols[0]] = i
                starts.append(int(i))
            if t + 1 < n_frames:
                traj[t + 1, cols] = succ  # every column holding i (several after a merge)
        if starts:
            ended = traj[t - 1, np.flatnonzero(traj[t] == ENDED)]
            for s in starts:
                if ended.shape[0]:
                    d = ((centroids[ended] - centroids[s]) ** 2).sum(axis=-1)
                    parent = int(ended[np.argmin(d)])
                else:
                    parent = 0
                records.append([s, parent, int(t)])

    # set_all_info: follow each start down its column; the label is the last node's id.
    same_label = traj.copy()
    tracks = []
    for child, parent, start in records:
        places = np.argwhere(traj == child)
        assert places.shape[0] == 1
        row, col = places[0]
        column = traj[row:, col]
        stop = np.flatnonzero(column == ENDED)
        if stop.shape[0]:
            column = column[:stop[0]]
        end = row + column.shape[0] - 1
        label = int(column[-1])
        same_label[row:end + 1, col] = label
        tracks.append([label, start, int(end), parent])

    # clean_repetition: records with one label (a merge) fuse into the first, spanning them all.
    labels = np.array([t[0] for t in tracks])
    values, counts = np.unique(labels, return_counts=True)
    drop = set()
    for value in values[counts > 1]:
        where = np.flatnonzero(labels == value)
        first = where[0]
        tracks[first][1] = min(tracks[k][1] for k in where)
        tracks[first][2] = max(tracks[k][2] for k in where)
        drop.update(int(k) for k in where[1:])
    tracks = [t for k, t in enumerate(tracks) if k not in drop]

    node_labels = np.zeros(frames.shape[0], dtype=np.int64)
    valid = traj >= 0
    node_labels[traj[valid]] = same_label[valid]

    # Label 0 (node 0 ending in frame 0) becomes max + 1; parent fields are left as they are.
    if any(t[0] == 0 for t in tracks):
        renamed = int(same_label.max()) + 1
        for t in tracks:
            if t[0] == 0:
                t[0] = renamed
        node_labels[node_labels == 0] = renamed
    return tracks, node_labels.tolist()


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    tracks, node_labels = decode(data["frames"], data["centroids"], data["edges"], data["probs"])
    json.dump({"tracks": [[int(v) for v in t] for t in tracks], "node_labels": node_labels}, sys.stdout)


if __name__ == "__main__":
    main()
