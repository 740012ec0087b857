#!/usr/bin/python3
"""Golden values for CellVision's detection U-Net, from an independent transcription of ELEPHANT's architecture
(specs/elephant.md §1.1-1.2) in Debian's python3-torch.

  make_unet_golden.py OUT.pth [STATE.pth]

Writes to OUT.pth: the input of ELEPHANT's own model test (elephant-core/elephant/tests/test_models.py, 1x1x5x5x5), the output of
the transcription with every conv initialised as that test does (manual_seed(42) before each kaiming_normal_, fan_in,
bias 0), the output for an anisotropic pattern and a padded run, and the shape of every state dict entry under
ELEPHANT's key names. With STATE.pth it also saves that initialised state dict itself (23 MB; made at test time, not
committed). It also checks the transcription against the expected values printed in ELEPHANT's test and exits 1 if
they differ by more than rtol 1e-4.

The tests run it on the machine under test and compare with that: the padded run's wider convolutions go to oneDNN, whose
float32 sums depend on the CPU (AVX2 and AVX-512 kernels differ by up to 5e-5). The committed unet.pth serves the state
dict shapes.
"""
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def block(cin, cout):
    groups = min(32, cout)
    return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1), nn.ReLU(), nn.GroupNorm(groups, cout),
                         nn.Conv3d(cout, cout, 3, padding=1), nn.ReLU(), nn.GroupNorm(groups, cout))


class DetectionUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.ModuleList([block(1, 16), block(16, 32), block(32, 64), block(64, 128)])
        self.base = block(128, 256)
        self.decoder = nn.ModuleList([block(384, 128), block(192, 64), block(96, 32), block(48, 16)])
        self.out_conv = nn.Conv3d(16, 3, 1)

    def forward(self, x, keep_axials, pad=False):
        z_poolings = 4 - sum(keep_axials)
        base = (2 ** z_poolings, 16, 16)
        org = x.shape[-3:]
        target = [math.ceil(s / b) * b for s, b in zip(org, base)]
        resized = list(org) != target
        if resized:
            x = F.interpolate(x, target, mode="trilinear", align_corners=True)
        if pad:
            p = [b // 2 for b in base]
            x = F.pad(x, (p[2], p[2], p[1], p[1], p[0], p[0]), mode="replicate")
        skips = []
        for level in range(4):
            x = self.encoder[level](x)
            skips.append(x)
            x = F.max_pool3d(x, (1, 2, 2) if keep_axials[level] else (2, 2, 2))
        x = self.base(x)
        for level in range(4):
            x = F.interpolate(x, scale_factor=(1, 2, 2) if keep_axials[3 - level] else (2, 2, 2), mode="nearest")
            x = self.decoder[level](torch.cat((skips[3 - level], x), dim=1))
        x = F.log_softmax(self.out_conv(x), dim=1)
        if pad:
            p = [b // 2 for b in base]
            x = x[..., p[0]:x.shape[-3] - p[0], p[1]:x.shape[-2] - p[1], p[2]:x.shape[-1] - p[2]]
        if resized:
            x = F.interpolate(x, org, mode="trilinear", align_corners=True)
        return x


def weight_init(m):
    if isinstance(m, nn.Conv3d):
        torch.manual_seed(42)
        nn.init.kaiming_normal_(m.weight.data, mode="fan_in")
        m.bias.data.zero_()


X = torch.tensor([[[[[0.0213, 0.1214, 0.5833, 0.4821, 0.9276], [0.1276, 0.1708, 0.8123, 0.7659, 0.6194], [0.6735, 0.5342, 0.3016, 0.1573, 0.4630], [0.7540, 0.5064, 0.1403, 0.6465, 0.6818], [0.1920, 0.0685, 0.8489, 0.1659, 0.0420]],
                    [[0.8294, 0.1707, 0.2999, 0.7442, 0.3222], [0.3553, 0.5667, 0.7530, 0.1452, 0.9759], [0.9214, 0.8777, 0.7721, 0.6300, 0.4785], [0.0869, 0.6856, 0.2463, 0.7662, 0.2288], [0.8264, 0.8035, 0.2603, 0.4886, 0.8670]],
                    [[0.8854, 0.7353, 0.4443, 0.3498, 0.4592], [0.9509, 0.0367, 0.9297, 0.0967, 0.1051], [0.7824, 0.8415, 0.1543, 0.3896, 0.4633], [0.9893, 0.5569, 0.9794, 0.9304, 0.6912], [0.5967, 0.5523, 0.0221, 0.8204, 0.3253]],
                    [[0.1614, 0.7406, 0.3958, 0.6050, 0.7746], [0.4516, 0.6159, 0.6993, 0.0285, 0.9561], [0.2412, 0.8015, 0.9938, 0.3466, 0.2625], [0.4958, 0.7861, 0.9308, 0.5967, 0.7743], [0.3409, 0.4553, 0.8547, 0.6212, 0.9174]],
                    [[0.0640, 0.4244, 0.1806, 0.6024, 0.3920], [0.6016, 0.6889, 0.3446, 0.3780, 0.2883], [0.2582, 0.6657, 0.6541, 0.6908, 0.8935], [0.5897, 0.7156, 0.6651, 0.7115, 0.3478], [0.5155, 0.8412, 0.1721, 0.4139, 0.8159]]]]])

# First voxel row of each class, and a few more values, as printed in ELEPHANT's test (numbers quoted from the test).
REFERENCE_SAMPLES = {
    (0, 0, 0, 0): -0.89785796, (0, 0, 0, 4): -0.7427523, (0, 1, 3, 0): -6.3837156, (0, 4, 4, 4): -1.0225295,
    (1, 0, 0, 0): -3.296192, (1, 2, 2, 4): -1.604029, (1, 4, 4, 4): -1.5285733,
    (2, 0, 0, 0): -0.58782434, (2, 2, 2, 2): -7.4619145, (2, 4, 4, 4): -0.85926974,
}


def main(path):
    torch.set_num_threads(1)
    model = DetectionUNet().eval()
    model.apply(weight_init)
    with torch.no_grad():
        y = model(X, (True,) * 4)
        y_aniso = model(X, (True, True, True, False))
        torch.manual_seed(7)
        patch = torch.rand(1, 1, 6, 20, 18)
        y_pad = model(patch, (True, True, False, False), pad=True)
    worst = max(abs(y[0][k].item() - v) / abs(v) for k, v in REFERENCE_SAMPLES.items())
    print(f"parameters {sum(p.numel() for p in model.parameters())}, largest relative deviation from ELEPHANT's test values {worst:.2e}")
    out = {"x": X, "y_all_keep": y, "y_three_keep": y_aniso, "patch": patch, "y_patch_padded": y_pad}
    for key, value in model.state_dict().items():
        out["shape/" + key] = torch.tensor(list(value.shape), dtype=torch.int64)
    torch.save(out, path)
    if len(sys.argv) > 2:
        torch.save(model.state_dict(), sys.argv[2])
    if worst > 1e-4:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])
