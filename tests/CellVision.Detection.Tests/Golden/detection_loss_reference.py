#!/usr/bin/python3
"""ELEPHANT's detection loss (specs/elephant.md §3.2), transcribed independently in Debian's python3-torch.

  detection_loss_reference.py IN.pth OUT.pth

IN.pth: {"logits": (N,3,D,H,W) float32, "labels": (N,D,H,W) int64 stored labels 0-6,
         "class_weights": (3,) float32, "false_weight": () float64}
OUT.pth: {"loss": () float32, "grad": d loss / d logits, with log-probabilities = log_softmax(logits, 1)}
"""
import math
import sys

import torch
import torch.nn.functional as F


def gaussian_kernel():
    z = torch.arange(3, dtype=torch.float64) - 1
    y = torch.arange(5, dtype=torch.float64) - 2
    g = torch.exp(-z[:, None, None] ** 2 / 2 - y[None, :, None] ** 2 / 128 - y[None, None, :] ** 2 / 128)
    return (g / g.sum()).float()[None, None]


def dice(p, target_class, in_set):
    g = (target_class == 2).float() * in_set
    num = 2 * (p * g).sum()
    den = torch.clamp((p * p * in_set).sum() + (g * g).sum(), min=1e-6)
    return 1 - num / den


def main(inp, out):
    data = torch.load(inp)
    logits = data["logits"].clone().requires_grad_(True)
    labels = data["labels"].long()
    w = data["class_weights"].float()
    fw = float(data["false_weight"])
    kernel = gaussian_kernel()
    logp_all = F.log_softmax(logits, dim=1)
    terms = []
    last_dice = torch.tensor(0.0)
    for i in range(logits.shape[0]):
        target = labels[i] - 1
        lw = (target >= 0) & (target <= 2)
        hw = target >= 3
        n_lw, n_hw = int(lw.sum()), int(hw.sum())
        if n_lw + n_hw == 0:
            continue
        logp = logp_all[i:i + 1]
        cls = torch.where(target >= 0, target % 3, torch.zeros_like(target))
        total = n_lw + fw * n_hw
        nll = torch.tensor(0.0)
        if n_lw:
            t = torch.where(lw, cls, torch.full_like(cls, -100))[None]
            nll = nll + n_lw * F.nll_loss(logp, t, weight=w) / total
        if n_hw:
            t = torch.where(hw, cls, torch.full_like(cls, -100))[None]
            nll = nll + fw * n_hw * F.nll_loss(logp, t, weight=w) / total
        p = logp[0, 2].exp()
        if ((target == 2) | (target == 5)).any():
            d = (n_lw * dice(p, cls, lw.float()) + fw * n_hw * dice(p, cls, hw.float())) / total
            last_dice = d.detach()
        else:
            d = last_dice
        p5 = p[None, None]
        coarse = F.conv3d(p5, kernel, stride=2, padding=(1, 2, 2))
        up = F.interpolate(coarse, size=p.shape, mode="nearest")
        smooth = (p5 - F.conv3d(up, kernel, padding=(1, 2, 2))).abs().mean()
        terms.append((nll, d, smooth))
    n = len(terms)
    loss = (sum(t[0] for t in terms) / n + 5 * sum(t[1] for t in terms) / n + sum(t[2] for t in terms) / n) / 7
    loss.backward()
    torch.save({"loss": loss.detach(), "grad": logits.grad}, out)


if __name__ == "__main__":
    main(*sys.argv[1:])
