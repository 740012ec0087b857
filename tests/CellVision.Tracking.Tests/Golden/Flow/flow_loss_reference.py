#!/usr/bin/python3
"""ELEPHANT's flow loss (specs/elephant.md §5.4), transcribed independently in Debian's python3-torch.

  flow_loss_reference.py IN.pth OUT.pth

IN.pth: {"prediction": (N,3,D,H,W) float32, "labels": (N,4,D,H,W) float32 (dx, dy, dz, mask),
         "frames": (N,2,D,H,W) float32 (I_t, I_t+1), "dim_weights": (3,) float64 (x, y, z), "warp_norm": (3,) float64}
OUT.pth: {"loss": (), "instance": (), "ssim": (), "smooth": (), "grad": d loss / d prediction}
"""
import sys

import torch
import torch.nn.functional as F


def gauss1d(size, sigma):
    g = torch.tensor([float(torch.exp(torch.tensor(-((i - size // 2) ** 2) / (2 * sigma ** 2), dtype=torch.float64)))
                      for i in range(size)], dtype=torch.float64)
    return g / g.sum()


def ssim_window():
    """3x7x7 window: g_z(z) * g_y(y) * g_z(z) * g_x(x), normalised (ELEPHANT squares the z factor)."""
    gz, gy = gauss1d(3, 1.5), gauss1d(7, 1.5)
    w = gz[:, None, None] ** 2 * gy[None, :, None] * gy[None, None, :]
    return (w / w.sum()).float()[None, None]


def ssim3d(a, b):
    w = ssim_window()
    pad = (1, 3, 3)
    m1, m2 = F.conv3d(a, w, padding=pad), F.conv3d(b, w, padding=pad)
    v1 = F.conv3d(a * a, w, padding=pad) - m1 * m1
    v2 = F.conv3d(b * b, w, padding=pad) - m2 * m2
    v12 = F.conv3d(a * b, w, padding=pad) - m1 * m2
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    s = (2 * m1 * m2 + c1) * (2 * v12 + c2) / ((m1 * m1 + m2 * m2 + c1) * (v1 + v2 + c2))
    return s[(m1 != 0) & (m2 != 0)].mean()


def smoothing_kernel(channels):
    z = torch.arange(3, dtype=torch.float64) - 1
    y = torch.arange(5, dtype=torch.float64) - 2
    g = torch.exp(-z[:, None, None] ** 2 / 2 - y[None, :, None] ** 2 / 128 - y[None, None, :] ** 2 / 128)
    return (g / g.sum()).float()[None, None].repeat(channels, 1, 1, 1, 1)


def main(inp, out):
    data = torch.load(inp)
    pred = data["prediction"].clone().requires_grad_(True)
    labels, frames = data["labels"], data["frames"]
    w = data["dim_weights"].double()
    w = (w / w.sum()).tolist()
    norm = data["warp_norm"].double().tolist()
    n, _, d, h, wd = pred.shape

    mask = labels[:, 3] > 0
    instance = sum(w[k] * (pred[:, k] - labels[:, k]).abs()[mask].mean() for k in range(3))

    # Flow in grid_sample's normalised coordinates, as ELEPHANT scales it: norm / (size / 2).
    scale = torch.tensor([norm[0] / (wd / 2), norm[1] / (h / 2), norm[2] / (d / 2)], dtype=torch.float32)
    flow = pred.permute(0, 2, 3, 4, 1) * scale
    zz, yy, xx = torch.meshgrid(torch.linspace(-1, 1, d), torch.linspace(-1, 1, h), torch.linspace(-1, 1, wd),
                                indexing="ij")
    grid = torch.stack((xx, yy, zz), dim=-1)[None]
    warp = F.grid_sample(frames[:, 1:2], grid - flow, mode="bilinear", padding_mode="zeros", align_corners=True)
    ssim = 1 - ssim3d(frames[:, 0:1], warp)

    k = smoothing_kernel(3)
    coarse = F.conv3d(pred, k, stride=2, padding=(1, 2, 2), groups=3)
    up = F.interpolate(coarse, size=(d, h, wd), mode="nearest")
    smooth = (pred - F.conv3d(up, k, padding=(1, 2, 2), groups=3)).abs().mean()

    loss = (1 * instance + 0.01 * ssim + 0.01 * smooth) / 1.02
    loss.backward()
    torch.save({"loss": loss.detach(), "instance": instance.detach(), "ssim": ssim.detach(), "smooth": smooth.detach(),
                "grad": pred.grad}, out)


if __name__ == "__main__":
    main(*sys.argv[1:])
