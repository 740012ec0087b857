#!/usr/bin/python3
"""Reference half of benchmarks/compare/semantic.sh: incasem's block-wise prediction and training steps, timed with the
plain-PyTorch transcription of funlib's U-Net that the CellVision tests use
(tests/CellVision.Segmentation.Tests/Golden/incasem_unet_golden.py), as incasem's pipeline runs them: gunpowder's
normalisation, the network, scipy.special.softmax over classes, the argmax, and zarr writes of the probability maps
and the segmentation (zarr-python, zlib level 3, chunks of half an output block), block after block in Scan's order.

  semantic.py predict --weights W.pth --raw RAW.bin --shape Z,Y,X --input-size Z,Y,X --out DIR [--threads N]
      RAW.bin is uint8, C order. Prints `reference_semantic_predict key=value ...` (blocks, seconds, output voxels/s,
      seconds inside the network, the peak resident set) and leaves DIR/prob_maps/class_c and DIR/segmentation.
  semantic.py train --weights W.pth --inputs F.bin --input-size Z,Y,X --steps N [--threads N]
      F.bin holds N + 1 steps of [float32 input block, int64 labels, uint8 mask] of the output block; the first step
      is an untimed warm-up. Adam (3e-5, weight decay 3e-5) on the balanced, masked cross-entropy.
      Prints `reference_semantic_train key=value ...`.

The weights are a CellVision SemanticUNet.Save file ({'model_state_dict': ...}) of incasem's shape.
"""
import argparse
import os
import resource
import sys
import time

import numpy as np
import scipy.special
import torch
import torch.nn.functional as F
import zarr
from numcodecs import Zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "CellVision.Segmentation.Tests", "Golden"))
import incasem_unet_golden as ref  # noqa: E402


def triple(text):
    parts = [int(p) for p in text.split(",")]
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"give three integers Z,Y,X, not {text!r}")
    return tuple(parts)


def load(weights):
    state = torch.load(weights)["model_state_dict"]
    config = dict(ref.CASES["reference"])
    config["classes"] = int(state["final_conv_pass.conv_pass.0.weight"].shape[0])
    config["fmaps"] = int(state["unet.l_conv.0.conv_pass.0.weight"].shape[0])
    network = ref.Network(config)
    network.load_state_dict(state)
    return network.eval(), config["classes"]


def starts(low, high, output):
    found, start = [], low
    while start + output < high:
        found.append(start)
        start += output
    found.append(high - output)
    return found


def predict(args):
    network, classes = load(args.weights)
    raw = np.fromfile(args.raw, dtype=np.uint8).reshape(args.shape)
    with torch.no_grad():
        output = tuple(network(torch.zeros((1, 1) + args.input_size)).shape[2:])
    context = [(i - o) // 2 for i, o in zip(args.input_size, output)]
    axes = [starts(c, s - c, o) for c, s, o in zip(context, raw.shape, output)]
    chunks = tuple(max(1, o // 2) for o in output)
    root = zarr.open_group(args.out, mode="w")
    maps = [root.create_dataset(f"prob_maps/class_{c}", shape=raw.shape, chunks=chunks, dtype="f4", compressor=Zlib(3)) for c in range(classes)]
    segmentation = root.create_dataset("segmentation", shape=raw.shape, chunks=chunks, dtype="u4", compressor=Zlib(3))
    # Warm-up: one untimed forward of the block size.
    with torch.no_grad():
        network(torch.zeros((1, 1) + args.input_size))
    clock = time.perf_counter()
    network_s = 0.0
    blocks = 0
    for z in axes[0]:
        for y in axes[1]:
            for x in axes[2]:
                block = raw[z - context[0]:z - context[0] + args.input_size[0], y - context[1]:y - context[1] + args.input_size[1],
                            x - context[2]:x - context[2] + args.input_size[2]]
                tick = time.perf_counter()
                with torch.no_grad():
                    logits = network(torch.from_numpy(ref.normalise(block))[None, None]).numpy()[0]
                network_s += time.perf_counter() - tick
                probabilities = scipy.special.softmax(logits, axis=0)
                labels = np.argmax(probabilities, axis=0).astype(np.uint32)
                where = (slice(z, z + output[0]), slice(y, y + output[1]), slice(x, x + output[2]))
                for c in range(classes):
                    maps[c][where] = probabilities[c]
                segmentation[where] = labels
                blocks += 1
    seconds = time.perf_counter() - clock
    voxels = np.prod([a[-1] + o - a[0] for a, o in zip(axes, output)])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reference_semantic_predict threads={torch.get_num_threads()} torch={torch.__version__} blocks={blocks} input={','.join(map(str, args.input_size))} "
          f"output={','.join(map(str, output))} seconds={seconds:.3f} network_s={network_s:.3f} voxels_per_s={voxels / seconds:.1f} max_rss_mib={peak:.1f}")


def train(args):
    network, classes = load(args.weights)
    network.train()
    optimizer = torch.optim.Adam(network.parameters(), lr=ref.LEARNING_RATE, weight_decay=ref.WEIGHT_DECAY)
    with torch.no_grad():
        output = tuple(network(torch.zeros((1, 1) + args.input_size)).shape[2:])
    n_in, n_out = int(np.prod(args.input_size)), int(np.prod(output))
    record = n_in * 4 + n_out * 8 + n_out
    data = np.fromfile(args.inputs, dtype=np.uint8)
    losses, clock = [], None
    for step in range(args.steps + 1):
        if step == 1:
            clock = time.perf_counter()
        chunk = data[step * record:(step + 1) * record]
        image = chunk[:n_in * 4].view(np.float32).reshape(args.input_size)
        labels = chunk[n_in * 4:n_in * 4 + n_out * 8].view(np.int64).reshape(output)
        mask = chunk[n_in * 4 + n_out * 8:].astype(bool).reshape(output)
        scale = ref.balance(labels, mask, classes)
        logits = network(torch.from_numpy(image.copy())[None, None])
        loss_map = F.cross_entropy(logits, torch.from_numpy(labels.copy())[None], reduction="none")
        weights = torch.from_numpy(scale.astype(np.float32))[None]
        loss = (loss_map * torch.from_numpy(mask.astype(np.float32))[None] * weights).sum() / weights.sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    seconds = time.perf_counter() - clock
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reference_semantic_train threads={torch.get_num_threads()} steps={args.steps} first_loss={losses[1]:.6f} last_loss={losses[-1]:.6f} "
          f"train_s={seconds:.3f} max_rss_mib={peak:.1f}")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("predict")
    p.add_argument("--weights", required=True)
    p.add_argument("--raw", required=True)
    p.add_argument("--shape", type=triple, required=True)
    p.add_argument("--input-size", type=triple, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=2)
    t = sub.add_parser("train")
    t.add_argument("--weights", required=True)
    t.add_argument("--inputs", required=True)
    t.add_argument("--input-size", type=triple, required=True)
    t.add_argument("--steps", type=int, required=True)
    t.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    predict(args) if args.verb == "predict" else train(args)


if __name__ == "__main__":
    main()
