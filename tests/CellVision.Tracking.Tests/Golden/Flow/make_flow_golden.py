#!/usr/bin/python3
"""Golden values for CellVision's flow U-Net, from an independent transcription of ELEPHANT's flow architecture
(specs/elephant.md §5.1, §1.2, §9) in Debian's python3-torch.

  make_flow_golden.py OUT.pth [STATE.pth]

Writes to OUT.pth: the input of ELEPHANT's flow model test (elephant-core/elephant/tests/test_models.py,
test_three_dimensional_flow, 1x2x5x5x5), the output of the transcription with every conv initialised as that test does
(manual_seed(42) before each kaiming_normal_, fan_in, bias 0), the output for an anisotropic pattern and a padded run,
and the shape of every state dict entry under ELEPHANT's key names. With STATE.pth it also saves that initialised state
dict (24 MB; made at test time, not committed). It checks the transcription against values printed in ELEPHANT's
test and exits 1 if they differ by more than rtol 1e-4.
"""
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

SLOPE = 0.1


class Residual(nn.Module):
    """(res(x) + conv2(lrelu(conv1(x)))) / 2, then lrelu; res is a bias-free 1x1x1 conv."""

    def __init__(self, cin, cout):
        super().__init__()
        self.res = nn.Conv3d(cin, cout, 1, bias=False)
        self.conv1 = nn.Conv3d(cin, cout, 3, padding=1)
        self.conv2 = nn.Conv3d(cout, cout, 3, padding=1)

    def forward(self, x):
        branch = self.conv2(F.leaky_relu(self.conv1(x), SLOPE))
        return F.leaky_relu((self.res(x) + branch) / 2, SLOPE)


def decoder_block(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1), nn.LeakyReLU(SLOPE),
                         nn.Conv3d(cout, cout, 3, padding=1), nn.LeakyReLU(SLOPE))


class FlowUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.ModuleList([Residual(2, 16), Residual(16, 32), Residual(32, 64), Residual(64, 128)])
        self.base = Residual(128, 256)
        self.decoder = nn.ModuleList([decoder_block(384, 128), decoder_block(192, 64), decoder_block(96, 32),
                                      decoder_block(48, 16)])
        self.out_conv = nn.Conv3d(16, 3, 1)

    def forward(self, x, keep_axials, pad=False):
        base = (2 ** (4 - sum(keep_axials)), 16, 16)
        org = x.shape[-3:]
        target = [math.ceil(s / b) * b for s, b in zip(org, base)]
        resized = list(org) != target
        if resized:
            x = F.interpolate(x, target, mode="trilinear", align_corners=True)
        p = [b // 2 for b in base]
        if pad:
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
        x = torch.tanh(self.out_conv(x))
        if pad:
            x = x[..., p[0]:x.shape[-3] - p[0], p[1]:x.shape[-2] - p[1], p[2]:x.shape[-1] - p[2]]
        if resized:
            x = F.interpolate(x, org, mode="trilinear", align_corners=True)
        return x


def weight_init(m):
    if isinstance(m, nn.Conv3d):
        torch.manual_seed(42)
        nn.init.kaiming_normal_(m.weight.data, mode="fan_in")
        if m.bias is not None:
            m.bias.data.zero_()


X = torch.tensor([[[[[0.1186, 0.2931, 0.8046, 0.3549, 0.3548], [0.3617, 0.1403, 0.6212, 0.4167, 0.4423], [0.0822, 0.0843, 0.7522, 0.3163, 0.7114], [0.9633, 0.5980, 0.4706, 0.6413, 0.2824], [0.0951, 0.0769, 0.7034, 0.2974, 0.0721]],
                    [[0.9956, 0.5365, 0.1665, 0.7520, 0.6726], [0.7450, 0.5169, 0.3923, 0.7558, 0.0773], [0.5676, 0.4889, 0.3975, 0.8417, 0.8471], [0.3507, 0.0794, 0.6013, 0.4954, 0.9965], [0.9416, 0.3163, 0.8404, 0.3057, 0.4073]],
                    [[0.2781, 0.6499, 0.2623, 0.8073, 0.3875], [0.7490, 0.1614, 0.7163, 0.1129, 0.8551], [0.2783, 0.4236, 0.6739, 0.5475, 0.0841], [0.8323, 0.0106, 0.4955, 0.5920, 0.3649], [0.1006, 0.9107, 0.0971, 0.4464, 0.4640]],
                    [[0.5141, 0.2878, 0.6094, 0.3405, 0.5137], [0.9176, 0.4937, 0.1001, 0.6948, 0.2177], [0.4926, 0.0801, 0.7241, 0.9975, 0.0668], [0.4955, 0.1946, 0.3624, 0.0114, 0.7565], [0.3316, 0.6063, 0.2125, 0.0629, 0.8766]],
                    [[0.1611, 0.8570, 0.6128, 0.2304, 0.5572], [0.4511, 0.8625, 0.3962, 0.9372, 0.7202], [0.4225, 0.8103, 0.5146, 0.4342, 0.4050], [0.6026, 0.6169, 0.0952, 0.3021, 0.2472], [0.5243, 0.4573, 0.5214, 0.5072, 0.5656]]],
                   [[[0.4872, 0.9581, 0.3305, 0.5007, 0.2765], [0.9324, 0.1461, 0.6846, 0.5098, 0.0013], [0.6768, 0.9638, 0.7432, 0.9380, 0.6803], [0.9240, 0.8899, 0.9291, 0.0700, 0.7288], [0.6669, 0.7255, 0.8110, 0.9446, 0.3734]],
                    [[0.3805, 0.3756, 0.6386, 0.6716, 0.8142], [0.5567, 0.4304, 0.8964, 0.6553, 0.6355], [0.1460, 0.3177, 0.9564, 0.8001, 0.5037], [0.7873, 0.8890, 0.9200, 0.9767, 0.7219], [0.0247, 0.6693, 0.1103, 0.7691, 0.4491]],
                    [[0.3493, 0.7522, 0.4513, 0.9973, 0.8848], [0.4545, 0.0806, 0.6812, 0.2347, 0.3586], [0.5125, 0.7913, 0.0310, 0.0454, 0.6903], [0.4579, 0.9778, 0.8814, 0.4267, 0.6170], [0.4164, 0.3889, 0.4754, 0.8077, 0.5869]],
                    [[0.6152, 0.7325, 0.5898, 0.6584, 0.7899], [0.7984, 0.8705, 0.5421, 0.7181, 0.9823], [0.6820, 0.1283, 0.9679, 0.3454, 0.1938], [0.0465, 0.5746, 0.9780, 0.5171, 0.6491], [0.3339, 0.2343, 0.4421, 0.1869, 0.8682]],
                    [[0.5130, 0.3768, 0.0619, 0.8489, 0.2844], [0.5386, 0.9742, 0.2941, 0.7574, 0.1055], [0.4202, 0.9958, 0.0273, 0.9545, 0.5714], [0.5397, 0.5361, 0.3217, 0.2765, 0.6029], [0.7706, 0.0840, 0.9713, 0.4732, 0.0272]]]]])

# A few output values (channel, z, y, x) as printed in ELEPHANT's test (numbers quoted from the test).
REFERENCE_SAMPLES = {
    (0, 0, 0, 0): -0.67856324, (0, 0, 0, 4): 0.11910772, (0, 2, 2, 2): -0.9858645, (0, 4, 4, 4): -0.23045184,
    (1, 0, 0, 0): 0.48885685, (1, 1, 2, 1): 0.96368194, (1, 4, 4, 4): 0.2570601,
    (2, 0, 0, 0): 0.16832109, (2, 2, 2, 2): -0.83780104, (2, 4, 4, 4): -0.2771961,
}


def main(path):
    torch.set_num_threads(1)
    model = FlowUNet().eval()
    model.apply(weight_init)
    with torch.no_grad():
        y = model(X, (True,) * 4)
        y_aniso = model(X, (True, True, True, False))
        torch.manual_seed(7)
        patch = torch.rand(1, 2, 6, 20, 18)
        y_pad = model(patch, (True, True, False, False), pad=True)
    worst = max(abs(y[0][k].item() - v) / abs(v) for k, v in REFERENCE_SAMPLES.items())
    print(f"parameters {sum(p.numel() for p in model.parameters())}, "
          f"largest relative deviation from ELEPHANT's test values {worst:.2e}")
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
