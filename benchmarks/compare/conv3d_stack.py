#!/usr/bin/python3
"""Python torch half of conv3d_stack.sh: the same 3x3x3 conv + ReLU stack, median seconds per iteration."""
import argparse
import time

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--shape", default="1,32,16,128,128")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--iterations", type=int, default=5)
parser.add_argument("--layers", type=int, default=2)
args = parser.parse_args()

torch.set_num_threads(args.threads)
shape = tuple(int(v) for v in args.shape.split(","))
torch.manual_seed(0)
layers = []
for _ in range(args.layers):
    layers += [nn.Conv3d(shape[1], shape[1], 3, padding=1), nn.ReLU()]
model = nn.Sequential(*layers)
x = torch.randn(shape)


def forward_backward():
    model(x).mean().backward()
    model.zero_grad(set_to_none=True)


def forward():
    with torch.inference_mode():
        model(x)


def median_seconds(fn, n):
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    samples.sort()
    return samples[n // 2]


forward_backward()
forward()
f = median_seconds(forward, args.iterations)
fb = median_seconds(forward_backward, args.iterations)
print(f"torch_conv3d_stack shape={args.shape} layers={args.layers} threads={torch.get_num_threads()} forward_s={f:.4f} forward_backward_s={fb:.4f}")
