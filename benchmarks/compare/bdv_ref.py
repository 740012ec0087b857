#!/usr/bin/python3
"""h5py half of bdv.sh: 8x64x64 region reads at 200 positions and whole-view reads of the ELEPHANT sample."""
import sys
import time

import h5py
import numpy as np

path = sys.argv[1]
positions = []
state = 12345
for _ in range(200):
    state = (state * 1103515245 + 12345) % 2147483648
    t = state % 5
    state = (state * 1103515245 + 12345) % 2147483648
    y = state % 193
    state = (state * 1103515245 + 12345) % 2147483648
    x = state % 193
    positions.append((t, y, x))

with h5py.File(path, "r") as f:
    cells = [f[f"t{t:05d}/s00/0/cells"] for t in range(5)]
    for t, y, x in positions[:10]:
        cells[t][0:8, y:y + 64, x:x + 64].view(np.uint16)
    start = time.perf_counter()
    checksum = 0
    for t, y, x in positions:
        region = cells[t][0:8, y:y + 64, x:x + 64].view(np.uint16)
        checksum += int(region[4, 32, 32])
    regions = time.perf_counter() - start
    start = time.perf_counter()
    for t in range(5):
        view = cells[t][...].view(np.uint16)
        checksum += int(view[4, 128, 128])
    whole = time.perf_counter() - start
print(f"h5py bdv: regions_per_s {len(positions) / regions:.0f} views_per_s {5 / whole:.1f} checksum {checksum}")
