#!/usr/bin/python3
"""A plain-PyTorch transcription of google/ffn's ConvStack3DFFNModel and one training step (spec A.1, A.4.5, A.4.7),
for the CellVision tests.

  ffn_model_golden.py make DIR    writes DIR/tf.npz (the reference's TensorFlow variable layout, random values),
                                  DIR/python.pth (the same weights under CellVision's names), inputs, the forward
                                  output, the weights after one clipped SGD step and after two clipped steps of TensorFlow's
                                  momentum and Adam optimisers (written from their update formulas), and DIR/manifest.json
  ffn_model_golden.py check DIR   loads DIR/csharp.pth (written by CellVision) and prints the largest difference of each
                                  tensor from DIR/python.pth, as JSON
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

DEPTH, FEATURES = 3, 6
FOV = (7, 9, 11)
DELTAS = (2, 2, 3)
BATCH = 2
LEARNING_RATE, CLIP = 0.1, 0.01
ADAM_LEARNING_RATE, MOMENTUM = 1e-3, 0.9


def names():
    for i in range(DEPTH):
        yield f"conv{i}_a"
        yield f"conv{i}_b"
    yield "conv_lom"


def tf_variables(rng):
    """Random kernels in TensorFlow's [kd, kh, kw, in, out] layout and biases."""
    variables = {}
    for name in names():
        size = 1 if name == "conv_lom" else 3
        inputs = 2 if name == "conv0_a" else FEATURES
        outputs = 1 if name == "conv_lom" else FEATURES
        bound = np.sqrt(6.0 / (size ** 3 * (inputs + outputs)))
        variables[f"seed_update/{name}/weights"] = rng.uniform(-bound, bound, (size, size, size, inputs, outputs)).astype(np.float32)
        variables[f"seed_update/{name}/biases"] = rng.uniform(-0.1, 0.1, (outputs,)).astype(np.float32)
    return variables


def state_dict(variables):
    state = {}
    for name in names():
        state[f"{name}.weight"] = torch.from_numpy(np.ascontiguousarray(variables[f"seed_update/{name}/weights"].transpose(4, 3, 0, 1, 2)))
        state[f"{name}.bias"] = torch.from_numpy(variables[f"seed_update/{name}/biases"])
    state["field_of_view"] = torch.tensor(FOV, dtype=torch.int64)
    state["deltas"] = torch.tensor(DELTAS, dtype=torch.int64)
    return state


def forward(params, image, seed, depth=DEPTH):
    """x = [image, seed]; conv0_a, relu, conv0_b; residual modules; relu; conv_lom; seed + update."""
    net = torch.cat([image, seed], dim=1)
    net = F.conv3d(net, params["conv0_a.weight"], params["conv0_a.bias"], padding=1)
    net = F.conv3d(F.relu(net), params["conv0_b.weight"], params["conv0_b.bias"], padding=1)
    for i in range(1, depth):
        x_in = net
        net = F.relu(net)
        net = F.relu(F.conv3d(net, params[f"conv{i}_a.weight"], params[f"conv{i}_a.bias"], padding=1))
        net = F.conv3d(net, params[f"conv{i}_b.weight"], params[f"conv{i}_b.bias"], padding=1)
        net = net + x_in
    update = F.conv3d(F.relu(net), params["conv_lom.weight"], params["conv_lom.bias"])
    return seed + update


def make(folder):
    rng = np.random.default_rng(7)
    variables = tf_variables(rng)
    np.savez(os.path.join(folder, "tf.npz"), **variables)
    state = state_dict(variables)
    torch.save(state, os.path.join(folder, "python.pth"))

    image = rng.normal(0, 1, (BATCH, 1) + FOV).astype(np.float32)
    seed = rng.normal(0, 2, (BATCH, 1) + FOV).astype(np.float32)
    target = np.where(rng.uniform(size=(BATCH, 1) + FOV) < 0.4, 0.95, 0.05).astype(np.float32)
    for name, array in (("image", image), ("seed", seed), ("target", target)):
        array.tofile(os.path.join(folder, f"{name}.bin"))

    params = {k: v.clone().requires_grad_(k.endswith(("weight", "bias"))) for k, v in state.items()}
    output = forward(params, torch.from_numpy(image), torch.from_numpy(seed))
    output.detach().numpy().astype(np.float32).tofile(os.path.join(folder, "forward.bin"))
    loss = F.binary_cross_entropy_with_logits(output, torch.from_numpy(target))
    loss.backward()
    clipped = 0
    with torch.no_grad():
        for name in names():
            for suffix in ("weight", "bias"):
                p = params[f"{name}.{suffix}"]
                clipped += int((p.grad.abs() > CLIP).sum())
                p.grad.clamp_(-CLIP, CLIP)
                p -= LEARNING_RATE * p.grad
    stepped = {k: v.detach().numpy() for k, v in params.items() if k.endswith(("weight", "bias"))}
    for key, value in stepped.items():
        value.astype(np.float32).tofile(os.path.join(folder, f"stepped.{key}.bin"))
    for kind, rate in (("momentum", LEARNING_RATE), ("adam", ADAM_LEARNING_RATE)):
        after = tf_optimizer_steps(state, image, seed, target, kind, rate, steps=2)
        for key, value in after.items():
            value.astype(np.float32).tofile(os.path.join(folder, f"{kind}.{key}.bin"))
    manifest = {
        "adam_learning_rate": ADAM_LEARNING_RATE,
        "depth": DEPTH, "features": FEATURES, "fov": FOV, "deltas": DELTAS, "batch": BATCH,
        "learning_rate": LEARNING_RATE, "clip": CLIP, "loss": float(loss), "clipped_entries": clipped,
        "parameters": sorted(stepped),
    }
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f)


def tf_optimizer_steps(state, image, seed, target, kind, rate, steps):
    """Clipped steps on the same batch with tf.train.MomentumOptimizer (accum = m·accum + g; w -= lr·accum) or
    tf.train.AdamOptimizer (lr_t = lr·sqrt(1-b2^t)/(1-b1^t); w -= lr_t·m/(sqrt(v)+eps))."""
    params = {k: v.clone().requires_grad_(k.endswith(("weight", "bias"))) for k, v in state.items()}
    trained = [k for k in params if k.endswith(("weight", "bias"))]
    slots = {k: (torch.zeros_like(params[k]), torch.zeros_like(params[k])) for k in trained}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        for k in trained:
            params[k].grad = None
        output = forward(params, torch.from_numpy(image), torch.from_numpy(seed))
        F.binary_cross_entropy_with_logits(output, torch.from_numpy(target)).backward()
        with torch.no_grad():
            for k in trained:
                g = params[k].grad.clamp(-CLIP, CLIP)
                m, v = slots[k]
                if kind == "momentum":
                    m.mul_(MOMENTUM).add_(g)
                    params[k] -= rate * m
                else:
                    m.mul_(beta1).add_((1 - beta1) * g)
                    v.mul_(beta2).add_((1 - beta2) * g * g)
                    lr_t = rate * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
                    params[k] -= lr_t * m / (v.sqrt() + eps)
    return {k: params[k].detach().numpy() for k in trained}


def check(folder):
    ours = torch.load(os.path.join(folder, "csharp.pth"))
    theirs = torch.load(os.path.join(folder, "python.pth"))
    result = {"missing": sorted(set(theirs) - set(ours)), "unexpected": sorted(set(ours) - set(theirs)), "max_difference": 0.0}
    for key in set(ours) & set(theirs):
        difference = (ours[key].double() - theirs[key].double()).abs().max().item()
        result["max_difference"] = max(result["max_difference"], difference)
    print(json.dumps(result))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
