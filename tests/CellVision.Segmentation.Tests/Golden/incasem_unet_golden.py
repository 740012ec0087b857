#!/usr/bin/python3
"""A plain-PyTorch transcription of incasem's semantic network (funlib's valid U-Net with constant upsampling plus a
final 3x3x3 pass), its input normalisation and its balanced, masked cross-entropy with one Adam step (spec B.1, B.2,
B.4), for the CellVision tests.

  incasem_unet_golden.py make DIR    writes, for each case of CASES, DIR/<case>.pth (the state dict under the
                                     reference module names, seeded random weights), the input and the forward output;
                                     for the trained case also the labels, mask, balancing scales, loss, gradients and
                                     the weights after one Adam step; DIR/checkpoint.pth (the reference case's state dict
                                     under model_state_dict beside an Adam state and an iteration count);
                                     DIR/normalized.bin (the 256 byte values normalised); DIR/manifest.json
  incasem_unet_golden.py check DIR   loads DIR/csharp.pth (written by CellVision) as incasem's prediction does, strictly
                                     into the transcription, and prints the largest weight difference from
                                     DIR/reference.pth and the missing and unexpected keys, as JSON
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

CUBE = [(3, 3, 3), (3, 3, 3)]

# Each case: the U-Net's arguments as funlib takes them, the number of classes and the input size (Z, Y, X).
CASES = {
    # incasem's configuration; a small valid input keeps the test quick (204 is checked with the narrow case).
    "reference": dict(in_channels=1, fmaps=32, inc=2, factors=[(2, 2, 2)] * 3, down=[CUBE] * 4, up=[CUBE] * 3,
                      classes=2, size=(100, 108, 116), seed=1),
    # incasem's topology at 204^3 with few feature maps.
    "narrow": dict(in_channels=1, fmaps=2, inc=2, factors=[(2, 2, 2)] * 3, down=[CUBE] * 4, up=[CUBE] * 3,
                   classes=2, size=(204, 204, 204), seed=2),
    # Serial-section style: no pooling along Z at the top levels, (1,3,3) kernels there, a one-convolution bottom
    # level, three classes, feature maps growing by 3; trained for one step.
    "anisotropic": dict(in_channels=1, fmaps=3, inc=3, factors=[(1, 2, 2), (1, 2, 2), (2, 2, 2)],
                        down=[[(1, 3, 3), (1, 3, 3)], [(1, 3, 3), (3, 3, 3)], CUBE, [(3, 3, 3)]],
                        up=[[(1, 3, 3), (1, 3, 3)], [(3, 3, 3)], CUBE],
                        classes=3, size=(26, 92, 100), seed=3),
}
TRAINED = "anisotropic"
LEARNING_RATE, WEIGHT_DECAY = 3e-5, 3e-5
CLIP_MIN, CLIP_MAX = 0.01, 0.99


class Pass(torch.nn.Module):
    """Valid convolutions, each followed by a ReLU (or an identity): the module funlib calls ConvPass."""

    def __init__(self, cin, cout, kernels, relu=True):
        super().__init__()
        layers = []
        for i, kernel in enumerate(kernels):
            layers.append(torch.nn.Conv3d(cout if i else cin, cout, kernel))
            layers.append(torch.nn.ReLU() if relu else torch.nn.Identity())
        self.conv_pass = torch.nn.Sequential(*layers)

    def forward(self, x):
        return self.conv_pass(x)


class Network(torch.nn.Module):
    """Holds the parameters under the reference names: unet.l_conv, unet.r_conv.0, final_conv_pass."""

    def __init__(self, c):
        super().__init__()
        maps = [c["fmaps"] * c["inc"] ** level for level in range(len(c["factors"]) + 1)]
        self.unet = torch.nn.Module()
        self.unet.l_conv = torch.nn.ModuleList(
            [Pass(c["in_channels"] if level == 0 else maps[level - 1], maps[level], c["down"][level]) for level in range(len(maps))])
        self.unet.r_conv = torch.nn.ModuleList([torch.nn.ModuleList(
            [Pass(maps[level] + maps[level + 1], maps[level], c["up"][level]) for level in range(len(maps) - 1)])])
        self.final_conv_pass = Pass(c["fmaps"], c["classes"], [(3, 3, 3)], relu=False)
        self.c = c

    def forward(self, x):
        c = self.c
        factors = c["factors"]
        skips = []
        for level, conv in enumerate(self.unet.l_conv):
            x = conv(x)
            if level < len(factors):
                assert all(s % f == 0 for s, f in zip(x.shape[2:], factors[level])), (level, x.shape)
                skips.append(x)
                x = F.max_pool3d(x, factors[level], factors[level])
        for level in reversed(range(len(factors))):
            x = F.interpolate(x, scale_factor=factors[level], mode="nearest")
            removed = [sum(k[axis] - 1 for k in c["up"][level]) for axis in range(3)]
            total = [int(np.prod([f[axis] for f in factors[level:]])) for axis in range(3)]
            # Keep (size - removed) a multiple of the total factor below this level.
            target = [(s - r) // t * t + r for s, r, t in zip(x.shape[2:], removed, total)]
            if target != list(x.shape[2:]):
                assert all(t > r for t, r in zip(target, removed)), (level, x.shape)
                x = centre(x, target)
            x = torch.cat([centre(skips[level], x.shape[2:]), x], dim=1)
            x = self.unet.r_conv[0][level](x)
        return self.final_conv_pass(x)


def centre(x, size):
    for axis, length in enumerate(size):
        start = (x.shape[axis + 2] - length) // 2
        x = x.narrow(axis + 2, start, length)
    return x


def normalise(raw):
    # gunpowder Normalize (times 1/255 in float32), then IntensityScaleShift(2, -1).
    unit = raw.astype(np.float32) * (1.0 / 255)
    return unit * 2 + -1


def balance(labels, mask, classes):
    """gunpowder BalanceLabels with num_classes, clipmin and clipmax: per-class weight (1/K)/clipped fraction."""
    scale = mask.astype(np.float32)
    inside = scale.sum()
    present, counts = np.unique(labels[scale != 0], return_counts=True)
    fractions = np.clip(counts.astype(np.float64) / inside, CLIP_MIN, CLIP_MAX)
    weights = np.zeros(classes)
    weights[present] = 1.0 / float(classes) / fractions
    scale *= weights[labels]
    return scale


def write(folder, name, array):
    np.ascontiguousarray(array, dtype=np.float32).tofile(os.path.join(folder, name))


def make(folder):
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    manifest = {}
    rng = np.random.default_rng(11)
    for name, c in CASES.items():
        torch.manual_seed(c["seed"])
        network = Network(c)
        state = network.state_dict()
        torch.save(state, os.path.join(folder, f"{name}.pth"))
        raw = rng.integers(0, 256, c["size"], dtype=np.uint8)
        image = torch.from_numpy(normalise(raw))[None, None]
        write(folder, f"{name}.input.bin", image.numpy())
        entry = dict(size=c["size"], classes=c["classes"], fmaps=c["fmaps"], inc=c["inc"], factors=c["factors"],
                     down=c["down"], up=c["up"], parameters=sum(p.numel() for p in network.parameters()))
        if name != TRAINED:
            with torch.no_grad():
                output = network(image)
            write(folder, f"{name}.output.bin", output.numpy())
        else:
            output = network(image)
            shape = tuple(output.shape[2:])
            # Mostly classes 0 and 1 in blobs, class 2 on a few voxels so that its fraction is clipped up to 0.01.
            labels = (np.add.outer(np.add.outer(np.arange(shape[0]), np.arange(shape[1])), np.arange(shape[2])) // 5 % 2).astype(np.int64)
            labels[0, 0, :3] = 2
            mask = rng.random(shape) < 0.7
            mask[0, 0, :3] = True
            scale = balance(labels, mask, c["classes"])
            target = torch.from_numpy(labels)[None]
            weights = torch.from_numpy(mask.astype(np.float32))[None]
            scaling = torch.from_numpy(scale)[None]
            loss = (F.cross_entropy(output, target, reduction="none") * weights * scaling).sum() / scaling.sum()
            optimizer = torch.optim.Adam(network.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            write(folder, f"{name}.output.bin", output.detach().numpy())
            labels.astype(np.int32).tofile(os.path.join(folder, f"{name}.labels.bin"))
            mask.astype(np.uint8).tofile(os.path.join(folder, f"{name}.mask.bin"))
            write(folder, f"{name}.scales.bin", scale)
            torch.save({n: p.grad for n, p in network.named_parameters()}, os.path.join(folder, f"{name}.gradients.pth"))
            torch.save(network.state_dict(), os.path.join(folder, f"{name}.stepped.pth"))
            entry["loss"] = float(loss)
            entry["class2_fraction"] = float((labels[mask] == 2).mean())
        entry["output"] = list(output.shape)
        manifest[name] = entry

    # A training checkpoint as incasem writes it: model and optimiser state side by side.
    torch.manual_seed(CASES["reference"]["seed"])
    network = Network(CASES["reference"])
    optimizer = torch.optim.Adam(network.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    for parameter in network.parameters():
        parameter.grad = torch.ones_like(parameter)
    optimizer.step()
    torch.manual_seed(CASES["reference"]["seed"])
    network = Network(CASES["reference"])
    torch.save({"model_state_dict": network.state_dict(), "optimizer_state_dict": optimizer.state_dict(), "iteration": 1000},
               os.path.join(folder, "checkpoint.pth"))

    write(folder, "normalized.bin", normalise(np.arange(256, dtype=np.uint8)))
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f)


def check(folder):
    network = Network(CASES["reference"])
    saved = torch.load(os.path.join(folder, "csharp.pth"))["model_state_dict"]
    result = network.load_state_dict(saved, strict=False)
    reference = torch.load(os.path.join(folder, "reference.pth"))
    difference = max(float((saved[k] - reference[k]).abs().max()) for k in reference if k in saved)
    print(json.dumps(dict(missing=result.missing_keys, unexpected=result.unexpected_keys, max_difference=difference)))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
