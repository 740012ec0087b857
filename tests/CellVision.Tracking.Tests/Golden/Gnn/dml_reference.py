"""Plain-PyTorch transcription of the metric-learning network and loss of cell-tracker-gnn (spec section 1.2).

Written from the spec: the 2-D torchvision / 3-D Hara ResNet-18 trunk (wrapped as `model`, fc = identity), the
embedder MLP([512, 128]) (`net.0`, aliased `last_linear`) with L2 normalisation, and PyTorch-metric-learning 1.3's
MultiSimilarityMiner (epsilon 0.1) and MultiSimilarityLoss (alpha 2, beta 50, base 0.5, cosine similarity, mean
over anchors).

  init SEED DIMS OUT            seeded weights -> OUT {trunk, embedder}; prints the keys
  forward IN OUT                eval-mode trunk features and embeddings of IN's input
  msloss IN OUT                 miner masks and loss of IN's embeddings and labels
  step IN OUT                   one train-mode Adam step (trunk 1e-5, embedder 1e-4, weight decay 1e-4)
  mapr IN                       prints MAP@R of IN's embeddings and labels (PML 1.3 AccuracyCalculator,
                                avg_of_avgs=True, k="max_bin_count", queries = references)
  params_read PATH OUT          loads an all_params.pth written elsewhere: prints its keys, value types and values,
                                loads the state dicts into this file's modules (strict) and writes OUT {input,
                                embedding}: the eval embedding of a fixed input
  params_write SEED DIMS OUT    writes an all_params.pth as the reference does (NumPy scalars from pandas) plus
                                OUT.check {input, embedding}
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dims, cin, cout, stride):
        super().__init__()
        conv = nn.Conv2d if dims == 2 else nn.Conv3d
        norm = nn.BatchNorm2d if dims == 2 else nn.BatchNorm3d
        shortcut = None
        if stride != 1 or cin != cout:  # built first, as the reference's _make_layer does
            shortcut = nn.Sequential(conv(cin, cout, 1, stride=stride, bias=False), norm(cout))
        self.conv1 = conv(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = norm(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv(cout, cout, 3, padding=1, bias=False)
        self.bn2 = norm(cout)
        self.downsample = shortcut

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet18(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.dims = dims
        if dims == 2:
            self.conv1 = nn.Conv2d(1, 64, 7, stride=2, padding=3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
        else:
            self.conv1 = nn.Conv3d(1, 64, (7, 7, 7), stride=(1, 2, 2), padding=(3, 3, 3), bias=False)
            self.bn1 = nn.BatchNorm3d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = (nn.MaxPool2d if dims == 2 else nn.MaxPool3d)(kernel_size=3, stride=2, padding=1)
        cin = 64
        for i, planes in enumerate([64, 128, 256, 512]):
            stride = 1 if i == 0 else 2
            setattr(self, f"layer{i + 1}", nn.Sequential(Block(dims, cin, planes, stride), Block(dims, planes, planes, 1)))
            cin = planes
        self.avgpool = nn.AdaptiveAvgPool2d(1) if dims == 2 else nn.AdaptiveAvgPool3d(1)
        self.fc = nn.Linear(512, 1000 if dims == 2 else 400)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Conv3d)):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, (nn.BatchNorm2d, nn.BatchNorm3d)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class Trunk(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.model = ResNet18(dims)
        self.model.fc = nn.Identity()

    def forward(self, x):
        return self.model(x)


class Embedder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(512, 128))
        self.last_linear = self.net[-1]

    def forward(self, x):
        return F.normalize(self.net(x), p=2, dim=1)


def build(dims):
    return Trunk(dims), Embedder()


def mine(emb, labels, eps=0.1):
    with torch.no_grad():
        e = F.normalize(emb, p=2, dim=1)
        s = e @ e.t()
        same = labels[:, None] == labels[None, :]
        eye = torch.eye(len(labels), dtype=torch.bool)
        pos, neg = same & ~eye, ~same
        inf = float("inf")
        hardest_neg = torch.where(neg, s, torch.full_like(s, -inf)).max(dim=1, keepdim=True).values
        easiest_pos = torch.where(pos, s, torch.full_like(s, inf)).min(dim=1, keepdim=True).values
        return pos & (s - eps < hardest_neg), neg & (s + eps > easiest_pos)


def lse_plus_one(x, keep):
    x = torch.where(keep, x, torch.full_like(x, float("-inf")))
    x = torch.cat([x, torch.zeros(len(x), 1, dtype=x.dtype)], dim=1)
    out = torch.logsumexp(x, dim=1)
    return torch.where(keep.any(dim=1), out, torch.zeros_like(out))


def ms_loss(emb, labels, alpha=2.0, beta=50.0, base=0.5):
    keep_pos, keep_neg = mine(emb, labels)
    if keep_pos.sum() <= 1 and keep_neg.sum() <= 1:
        return emb.sum() * 0, keep_pos, keep_neg
    e = F.normalize(emb, p=2, dim=1)
    s = e @ e.t()
    pos = lse_plus_one(alpha * (base - s), keep_pos) / alpha
    neg = lse_plus_one(beta * (s - base), keep_neg) / beta
    return (pos + neg).mean(), keep_pos, keep_neg


def map_at_r(emb, labels):
    """Written from PML 1.3's accuracy_calculator: k = largest class - 1 neighbours (self excluded), relevance mask
    of R = class size - 1 columns, lone classes dropped, mean per class then over classes."""
    import numpy as np
    emb = F.normalize(emb.double(), p=2, dim=1).numpy()
    labels = labels.numpy()
    uniq, counts = np.unique(labels, return_counts=True)
    count_of = dict(zip(uniq.tolist(), counts.tolist()))
    k = int(counts.max()) - 1
    if k < 1:
        return 0.0
    sim = emb @ emb.T
    np.fill_diagonal(sim, -np.inf)
    order = np.argsort(-sim, axis=1, kind="stable")[:, :k]
    knn = labels[order]
    keep = np.array([count_of[l] > 1 for l in labels.tolist()])
    knn, q = knn[keep], labels[keep]
    r = np.array([count_of[l] - 1 for l in q.tolist()])
    relevance = np.arange(k)[None, :] < r[:, None]
    equal = (knn == q[:, None]) & relevance
    cum = np.cumsum(equal, axis=1)
    prec = cum * equal / np.arange(1, k + 1)[None, :]
    per_sample = (prec * relevance).sum(axis=1) / relevance.sum(axis=1)
    return float(np.mean([per_sample[q == c].mean() for c in np.unique(q)]))


def fixed_input(dims):
    g = torch.Generator().manual_seed(5)
    shape = (3, 1, 12, 10) if dims == 2 else (2, 1, 6, 12, 10)
    return torch.rand(shape, generator=g)


def load(dims, data):
    trunk, embedder = build(dims)
    trunk.load_state_dict(data["trunk"])
    embedder.load_state_dict(data["embedder"])
    return trunk, embedder


def main():
    mode = sys.argv[1]
    if mode == "init":
        torch.manual_seed(int(sys.argv[2]))
        trunk, embedder = build(int(sys.argv[3]))
        torch.save({"trunk": trunk.state_dict(), "embedder": embedder.state_dict()}, sys.argv[4])
        print("\n".join(list(trunk.state_dict().keys()) + list(embedder.state_dict().keys())))
        return
    if mode == "params_read":
        params = torch.load(sys.argv[2])
        print(",".join(params.keys()))
        print(" ".join(f"{k}:{type(v).__name__}" for k, v in params.items()))
        print(params["min_cell"], params["max_cell"], params["pad_value"], params["roi"], params["model_name"],
              params["mlp_dims"], params["mlp_normalized_features"])
        dims = 3 if params["model_name"] == "resnet18_3d" else 2
        trunk, embedder = build(dims)
        trunk.load_state_dict(params["trunk_state_dict"])
        embedder.load_state_dict(params["embedder_state_dict"])
        trunk.eval()
        embedder.eval()
        x = fixed_input(dims)
        with torch.no_grad():
            torch.save({"input": x, "embedding": embedder(trunk(x))}, sys.argv[3])
        return
    if mode == "params_write":
        import numpy as np
        torch.manual_seed(int(sys.argv[2]))
        dims = int(sys.argv[3])
        trunk, embedder = build(dims)
        roi = {"row": np.int64(12), "col": np.int64(10)}
        if dims == 3:
            roi["depth"] = np.int64(6)
        params = {"min_cell": [np.float64(3.0), np.float64(5.5)], "max_cell": [np.float64(250.0), np.float64(300.25)],
                  "pad_value": 0, "roi": roi, "model_name": "resnet18_3d" if dims == 3 else "resnet18",
                  "mlp_dims": [512, 128], "mlp_normalized_features": True,
                  "trunk_state_dict": trunk.state_dict(), "embedder_state_dict": embedder.state_dict()}
        torch.save(params, sys.argv[4])
        trunk.eval()
        embedder.eval()
        x = fixed_input(dims)
        with torch.no_grad():
            torch.save({"input": x, "embedding": embedder(trunk(x))}, sys.argv[4] + ".check")
        return
    data = torch.load(sys.argv[2])
    if mode == "mapr":
        print(repr(map_at_r(data["embedding"], data["labels"])))
        return
    out = {}
    if mode == "forward":
        trunk, embedder = load(int(data["dims"]), data)
        trunk.eval()
        embedder.eval()
        with torch.no_grad():
            out["features"] = trunk(data["input"])
            out["embedding"] = embedder(out["features"])
    elif mode == "msloss":
        emb = data["embedding"].clone().requires_grad_(True)
        loss, keep_pos, keep_neg = ms_loss(emb, data["labels"])
        loss.backward()
        out.update(loss=loss.detach(), positives=keep_pos, negatives=keep_neg, gradient=emb.grad)
    elif mode == "step":
        trunk, embedder = load(int(data["dims"]), data)
        trunk.train()
        embedder.train()
        opt_t = torch.optim.Adam(trunk.parameters(), lr=1e-5, weight_decay=1e-4)
        opt_e = torch.optim.Adam(embedder.parameters(), lr=1e-4, weight_decay=1e-4)
        opt_t.zero_grad()
        opt_e.zero_grad()
        loss, _, _ = ms_loss(embedder(trunk(data["input"])), data["labels"])
        loss.backward()
        grads = {k: p.grad.clone() for k, p in trunk.named_parameters()}
        grads.update({k: p.grad.clone() for k, p in embedder.named_parameters()})
        out["gradients"] = grads
        opt_t.step()
        opt_e.step()
        out.update(loss=loss.detach(), trunk=trunk.state_dict(), embedder=embedder.state_dict())
    else:
        raise SystemExit(f"unknown mode {mode}")
    torch.save(out, sys.argv[3])


if __name__ == "__main__":
    main()
