#!/usr/bin/python3
"""Writes the golden files the CellVision.Torch tests compare against.

Run with Debian's interpreter, which sees python3-torch:
    /usr/bin/python3 tests/CellVision.Torch.Tests/Golden/make_golden.py

Every value in the .pth files below is produced here by PyTorch; nothing is typed by hand.
  ops.pth        per-op inputs, outputs and input gradients (case "<name>/in<i>", "<name>/out", "<name>/gout", "<name>/grad<i>")
  layers.pth     layer parameters right after construction under a fixed seed, plus forward/backward results
  optim.pth      parameters after a few optimiser steps from a seeded model
  rng.pth        random streams after torch.manual_seed
  sequential_state.pth        torch.save(model.state_dict()) of a Sequential, with _metadata
  state_dict_list.pth         torch.save([sd1, sd2])
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)


def randn(*shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(tuple(shape), generator=g)


def positive(*shape, seed):
    return randn(*shape, seed=seed).abs() + 0.5


def long_tensor(values):
    return torch.tensor(values, dtype=torch.int64)


# name -> (function, inputs); float inputs receive gradients unless listed in NO_GRAD.
def cases():
    a = randn(3, 4, seed=1)
    b = randn(3, 4, seed=2)
    vol = randn(2, 4, 5, 6, 7, seed=3)
    img = randn(2, 4, 9, 10, seed=4)
    c = {}
    c["add"] = (lambda x, y: torch.add(x, y, alpha=0.5), [a, b])
    c["sub"] = (lambda x, y: torch.sub(x, y, alpha=2.0), [a, b])
    c["mul"] = (lambda x, y: x * y, [a, b])
    c["div"] = (lambda x, y: x / y, [a, positive(3, 4, seed=5)])
    c["add_scalar"] = (lambda x: x + 1.5, [a])
    c["sub_scalar"] = (lambda x: x - 1.5, [a])
    c["rsub_scalar"] = (lambda x: 2.0 - x, [a])
    c["mul_scalar"] = (lambda x: x * -3.0, [a])
    c["div_scalar"] = (lambda x: x / 4.0, [a])
    c["rdiv_scalar"] = (lambda x: 2.0 / x, [positive(3, 4, seed=6)])
    c["neg"] = (lambda x: -x, [a])
    c["broadcast_add"] = (lambda x, y: x + y, [randn(3, 1, 5, seed=7), randn(4, 1, seed=8)])
    c["pow_scalar"] = (lambda x: x.pow(1.7), [positive(3, 4, seed=9)])
    c["pow_tensor"] = (lambda x, y: x.pow(y), [positive(3, 4, seed=10), randn(3, 4, seed=11)])
    c["exp"] = (torch.exp, [a])
    c["log"] = (torch.log, [positive(3, 4, seed=12)])
    c["sqrt"] = (torch.sqrt, [positive(3, 4, seed=13)])
    c["abs"] = (torch.abs, [a])
    c["sigmoid"] = (torch.sigmoid, [a])
    c["tanh"] = (torch.tanh, [a])
    c["relu"] = (torch.relu, [a])
    c["leaky_relu"] = (lambda x: F.leaky_relu(x, 0.2), [a])
    c["softmax"] = (lambda x: torch.softmax(x, 1), [a])
    c["log_softmax"] = (lambda x: torch.log_softmax(x, 0), [a])
    c["matmul"] = (torch.matmul, [randn(2, 3, 4, seed=14), randn(4, 5, seed=15)])
    c["where"] = (lambda x, y: torch.where(x > 0, x, y), [a, b])
    c["clamp"] = (lambda x: x.clamp(-0.5, 0.5), [a])
    c["clamp_min"] = (lambda x: x.clamp(min=0.1), [a])
    c["sum_all"] = (lambda x: x.sum(), [vol])
    c["sum_dims"] = (lambda x: x.sum(dim=(1, 3)), [vol])
    c["mean_all"] = (lambda x: x.mean(), [vol])
    c["mean_keepdim"] = (lambda x: x.mean(dim=(2,), keepdim=True), [vol])
    c["max_all"] = (lambda x: x.max(), [a])
    c["min_all"] = (lambda x: x.min(), [a])
    c["max_dim"] = (lambda x: x.max(dim=1).values, [a])
    c["max_dim_indices"] = (lambda x: x.max(dim=1, keepdim=True).indices, [a])
    c["min_dim"] = (lambda x: x.min(dim=0).values, [a])
    c["argmax_all"] = (lambda x: x.argmax(), [a])
    c["argmax_dim"] = (lambda x: x.argmax(dim=1, keepdim=True), [vol])
    c["norm"] = (lambda x: x.norm(), [a])
    c["lt"] = (lambda x, y: x < y, [a, b])
    c["ge_scalar"] = (lambda x: x >= 0.1, [a])
    c["eq"] = (torch.eq, [a, a.clamp(-0.5, 0.5)])
    c["ne_scalar"] = (lambda x: x.clamp(-0.5, 0.5) != 0.5, [a])
    c["reshape"] = (lambda x: x.reshape(4, -1), [a])
    c["view"] = (lambda x: x.view(2, 6), [a])
    c["squeeze"] = (lambda x: x.squeeze(1), [randn(3, 1, 4, seed=40)])
    c["le"] = (lambda x, y: x <= y, [a, b])
    c["gt_scalar"] = (lambda x: x > -0.2, [a])
    c["to_float64"] = (lambda x: x.to(torch.float64) * 3.0, [a])
    c["permute"] = (lambda x: x.permute(0, 4, 1, 3, 2), [vol])
    c["transpose"] = (lambda x: x.transpose(0, 1), [a])
    c["narrow"] = (lambda x: x.narrow(2, 1, 3), [vol])
    c["select"] = (lambda x: x.select(1, 2), [vol])
    c["unsqueeze"] = (lambda x: x.unsqueeze(1), [a])
    c["expand"] = (lambda x: x.expand(3, 2, 4), [randn(3, 1, 4, seed=16)])
    c["index_select"] = (lambda x, i: x.index_select(1, i), [a, long_tensor([3, 0, 0, 2])])
    c["cat"] = (lambda x, y: torch.cat([x, y], 1), [a, b])
    c["stack"] = (lambda x, y: torch.stack([x, y], 2), [a, b])
    c["flip"] = (lambda x: x.flip(2, 4), [vol])
    c["pad_constant"] = (lambda x: F.pad(x, (1, 2, 0, 1, 2, 0), value=0.25), [vol])
    c["pad_replicate"] = (lambda x: F.pad(x, (1, 2, 0, 1, 2, 0), mode="replicate"), [vol])
    c["pad_reflect"] = (lambda x: F.pad(x, (1, 2, 0, 1, 2, 0), mode="reflect"), [vol])
    c["gather"] = (lambda x, i: x.gather(1, i), [a, long_tensor([[0, 1], [3, 3], [2, 0]])])
    c["scatter_add"] = (lambda x, i, s: x.scatter_add(1, i, s), [a, long_tensor([[0, 1], [3, 3], [2, 0]]), randn(3, 2, seed=17)])
    c["index_add"] = (lambda x, i, s: x.index_add(0, i, s, alpha=2.0), [a, long_tensor([2, 0, 2]), randn(3, 4, seed=18)])
    grid = torch.rand(2, 3, 4, 5, 3, generator=torch.Generator().manual_seed(19)) * 2.4 - 1.2
    c["grid_sample_3d"] = (lambda x, g: F.grid_sample(x, g, mode="bilinear", padding_mode="zeros", align_corners=False), [vol, grid])
    c["grid_sample_3d_border_aligned"] = (lambda x, g: F.grid_sample(x, g, mode="bilinear", padding_mode="border", align_corners=True), [vol, grid])
    c["grid_sample_3d_nearest"] = (lambda x, g: F.grid_sample(x, g, mode="nearest", padding_mode="reflection", align_corners=False), [vol, grid])
    c["interpolate_nearest"] = (lambda x: F.interpolate(x, size=(8, 3, 14), mode="nearest"), [vol])
    c["interpolate_trilinear"] = (lambda x: F.interpolate(x, size=(8, 9, 10), mode="trilinear", align_corners=False), [vol])
    c["interpolate_trilinear_aligned"] = (lambda x: F.interpolate(x, scale_factor=(2.0, 1.5, 0.5), mode="trilinear", align_corners=True), [vol])
    c["interpolate_bilinear"] = (lambda x: F.interpolate(x, scale_factor=(2.0, 2.0), mode="bilinear", align_corners=False), [img])
    c["conv2d"] = (lambda x, w, bias: F.conv2d(x, w, bias, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2), [img, randn(6, 2, 3, 3, seed=20), randn(6, seed=21)])
    c["conv3d"] = (lambda x, w, bias: F.conv3d(x, w, bias, stride=(1, 2, 1), padding=1, dilation=(2, 1, 1), groups=2), [vol, randn(6, 2, 3, 3, 3, seed=22), randn(6, seed=23)])
    c["conv3d_nobias"] = (lambda x, w: F.conv3d(x, w, padding=(0, 1, 2)), [vol, randn(3, 4, 1, 3, 5, seed=24)])
    c["conv_transpose3d"] = (lambda x, w, bias: F.conv_transpose3d(x, w, bias, stride=2, padding=1, output_padding=1), [vol, randn(4, 3, 3, 3, 3, seed=25), randn(3, seed=26)])
    c["max_pool2d"] = (lambda x: F.max_pool2d(x, 3, stride=2, padding=1), [img])
    c["max_pool3d"] = (lambda x: F.max_pool3d(x, (2, 2, 3), ceil_mode=True), [vol])
    c["avg_pool3d"] = (lambda x: F.avg_pool3d(x, 2, stride=1, padding=1, count_include_pad=False), [vol])
    c["group_norm"] = (lambda x, w, bias: F.group_norm(x, 2, w, bias, eps=1e-4), [vol, randn(4, seed=27), randn(4, seed=28)])
    c["batch_norm_train"] = (lambda x, w, bias: F.batch_norm(x, torch.zeros(4), torch.ones(4), w, bias, training=True, momentum=0.2, eps=1e-5), [vol, randn(4, seed=29), randn(4, seed=30)])
    c["batch_norm_eval"] = (lambda x: F.batch_norm(x, torch.full((4,), 0.1), torch.full((4,), 2.0), training=False), [vol])
    c["instance_norm"] = (lambda x, w, bias: F.instance_norm(x, weight=w, bias=bias), [vol, randn(4, seed=31), randn(4, seed=32)])
    c["linear"] = (F.linear, [randn(2, 3, 5, seed=33), randn(4, 5, seed=34), randn(4, seed=35)])
    logits = randn(4, 3, 5, 6, seed=36)
    target = torch.randint(0, 3, (4, 5, 6), generator=torch.Generator().manual_seed(37))
    target[0, 0, :3] = -100
    weights = torch.tensor([0.2, 1.0, 3.0])
    c["nll_loss"] = (lambda x, t, w: F.nll_loss(torch.log_softmax(x, 1), t, weight=w), [logits, target, weights])
    c["nll_loss_sum_ignore"] = (lambda x, t: F.nll_loss(torch.log_softmax(x, 1), t, ignore_index=2, reduction="sum"), [logits, target.clamp(min=0)])
    c["nll_loss_none"] = (lambda x, t: F.nll_loss(torch.log_softmax(x, 1), t, reduction="none"), [logits, target])
    c["cross_entropy"] = (lambda x, t, w: F.cross_entropy(x, t, weight=w), [logits, target, weights])
    c["cross_entropy_smoothing"] = (lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), [logits, target.clamp(min=0)])
    bce_target = torch.rand(4, 3, 5, 6, generator=torch.Generator().manual_seed(38))
    c["bce_with_logits"] = (lambda x, t: F.binary_cross_entropy_with_logits(x, t), [logits, bce_target])
    c["bce_with_logits_pos_weight"] = (lambda x, t, p: F.binary_cross_entropy_with_logits(x.permute(0, 2, 3, 1), t.permute(0, 2, 3, 1), pos_weight=p, reduction="sum"), [logits, bce_target, torch.tensor([1.0, 2.0, 5.0])])
    c["l1_loss"] = (F.l1_loss, [a, b])
    c["mse_loss"] = (lambda x, y: F.mse_loss(x, y, reduction="sum"), [a, b])
    c["smooth_l1_loss"] = (lambda x, y: F.smooth_l1_loss(x, y, beta=0.5), [a, b])
    return c


# Inputs that never carry gradients (targets, indices, weights of losses and grids we do not differentiate).
NO_GRAD = {
    "nll_loss": {1, 2}, "nll_loss_sum_ignore": {1}, "nll_loss_none": {1}, "cross_entropy": {1, 2},
    "cross_entropy_smoothing": {1}, "bce_with_logits": {1}, "bce_with_logits_pos_weight": {1, 2},
}


def make_ops():
    out = {}
    for name, (fn, inputs) in cases().items():
        inputs = [t.clone() for t in inputs]
        for i, t in enumerate(inputs):
            out[f"{name}/in{i}"] = t.clone()
            if t.is_floating_point() and i not in NO_GRAD.get(name, set()):
                t.requires_grad_(True)
        result = fn(*inputs)
        out[f"{name}/out"] = result.detach().clone()
        if result.is_floating_point() and result.requires_grad:
            gout = randn(*result.shape, seed=1000)
            out[f"{name}/gout"] = gout
            result.backward(gout)
            for i, t in enumerate(inputs):
                if t.requires_grad:
                    out[f"{name}/grad{i}"] = t.grad.clone()
    return out


def make_rng():
    out = {}
    torch.manual_seed(42)
    out["randn_after_42"] = torch.randn(5, 7)
    torch.manual_seed(42)
    out["rand_after_42"] = torch.rand(3, 11)
    torch.manual_seed(42)
    w = torch.empty(8, 4, 3, 3, 3)
    nn.init.kaiming_normal_(w)
    out["kaiming_normal_after_42"] = w
    torch.manual_seed(42)
    w = torch.empty(8, 4, 3, 3, 3)
    nn.init.kaiming_uniform_(w, a=0.1, mode="fan_out", nonlinearity="leaky_relu")
    out["kaiming_uniform_fan_out_after_42"] = w
    torch.manual_seed(42)
    w = torch.empty(6, 10)
    nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain("relu"))
    out["xavier_uniform_relu_after_42"] = w
    torch.manual_seed(42)
    w = torch.empty(6, 10)
    nn.init.xavier_normal_(w)
    out["xavier_normal_after_42"] = w
    torch.manual_seed(3)
    out["dropout_after_3"] = F.dropout(torch.ones(4, 50), p=0.3, training=True)
    return out


def layer_models():
    torch.manual_seed(11)
    return {
        "conv3d": nn.Conv3d(2, 4, 3, padding=1),
        "conv3d_groups_nobias": nn.Conv3d(4, 6, (1, 3, 3), stride=(1, 2, 2), groups=2, bias=False),
        "conv2d": nn.Conv2d(3, 5, 3, dilation=2),
        "conv_transpose3d": nn.ConvTranspose3d(4, 2, 2, stride=2),
        "linear": nn.Linear(7, 3),
        "group_norm": nn.GroupNorm(2, 4),
        "batch_norm3d": nn.BatchNorm3d(4),
        "instance_norm3d": nn.InstanceNorm3d(4, affine=True),
        "sequential": nn.Sequential(nn.Conv3d(1, 4, 3, padding=1), nn.ReLU(), nn.Dropout(0.0), nn.Conv3d(4, 2, 1), nn.LeakyReLU(0.1), nn.Tanh()),
    }


LAYER_INPUT_SHAPES = {
    "conv3d": (2, 2, 4, 5, 6), "conv3d_groups_nobias": (1, 4, 3, 8, 8), "conv2d": (2, 3, 9, 9),
    "conv_transpose3d": (1, 4, 2, 3, 3), "linear": (5, 7), "group_norm": (2, 4, 3, 3, 3),
    "batch_norm3d": (3, 4, 2, 3, 3), "instance_norm3d": (2, 4, 3, 3, 3), "sequential": (2, 1, 4, 5, 6),
}


def make_layers():
    out = {}
    for name, model in layer_models().items():
        for key, value in model.state_dict().items():
            out[f"{name}/init/{key}"] = value.clone()
        model.train()
        x = randn(*LAYER_INPUT_SHAPES[name], seed=500)
        x.requires_grad_(True)
        y = model(x)
        out[f"{name}/input"] = x.detach().clone()
        out[f"{name}/output"] = y.detach().clone()
        y.pow(2).sum().backward()
        out[f"{name}/input_grad"] = x.grad.clone()
        for key, p in model.named_parameters():
            out[f"{name}/grad/{key}"] = p.grad.clone()
        for key, value in model.state_dict().items():
            out[f"{name}/after/{key}"] = value.clone()
    return out


def optim_model():
    torch.manual_seed(5)
    return nn.Sequential(nn.Conv3d(1, 3, 3, padding=1), nn.ReLU(), nn.Conv3d(3, 1, 1))


OPTIMISERS = {
    "adam": lambda p: torch.optim.Adam(p, lr=1e-2),
    "adam_wd_amsgrad": lambda p: torch.optim.Adam(p, lr=5e-3, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True),
    "adamw": lambda p: torch.optim.AdamW(p, lr=1e-2),
    "sgd": lambda p: torch.optim.SGD(p, lr=0.05),
    "sgd_momentum_nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
}


def make_optim():
    out = {}
    x = randn(2, 1, 4, 5, 6, seed=600)
    y = randn(2, 1, 4, 5, 6, seed=601)
    out["x"] = x
    out["y"] = y
    for name, make in OPTIMISERS.items():
        model = optim_model()
        opt = make(model.parameters())
        for step in range(6):
            if step == 3:
                for group in opt.param_groups:
                    group["lr"] *= 0.5
            opt.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            if name == "adam":
                out[f"{name}/total_norm_step{step}"] = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
            if name == "sgd":
                torch.nn.utils.clip_grad_value_(model.parameters(), 0.01)
            opt.step()
            out[f"{name}/loss_step{step}"] = loss.detach().clone()
        for key, value in model.state_dict().items():
            out[f"{name}/final/{key}"] = value.clone()
    return out


def save(obj, name):
    path = os.path.join(HERE, name)
    torch.save(obj, path)
    print(f"wrote {path}")


def main():
    save(make_ops(), "ops.pth")
    save(make_rng(), "rng.pth")
    save(make_layers(), "layers.pth")
    save(make_optim(), "optim.pth")
    torch.manual_seed(9)
    seq = nn.Sequential(nn.Conv3d(1, 2, 3), nn.ReLU(), nn.BatchNorm3d(2), nn.Conv3d(2, 1, 1, bias=False))
    save(seq.state_dict(), "sequential_state.pth")
    save([nn.Linear(3, 2).state_dict(), {"w": torch.arange(6, dtype=torch.float64).reshape(2, 3)[:, 1:], "h": torch.tensor([1.5, -2.0], dtype=torch.float16), "b": torch.tensor([1.0, 3.0], dtype=torch.bfloat16), "i": torch.tensor([7, -9], dtype=torch.int32), "m": torch.tensor([True, False])}], "state_dict_list.pth")
    print(f"torch {torch.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
