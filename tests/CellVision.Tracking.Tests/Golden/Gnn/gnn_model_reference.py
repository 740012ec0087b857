#!/usr/bin/python3
"""The GNN tracker's edge classifier (specs/gnn-tracking-and-ctc-metrics.md §3-4), transcribed in plain PyTorch.

No torch_geometric: the GCN normalisation and the message sum are a few index_add lines. Attribute names follow the
reference's module tree (CellTrack_Model > MLP, CellTrack_GNN > PDNConv), so state-dict keys are the reference's.

  gnn_model_reference.py init SEED FH EMB OUT.pth
      torch.manual_seed(SEED), build the model (EMB 1 = with embedding, 0 = geometry only), save its state dict;
      prints the keys, one per line.
  gnn_model_reference.py step FH EMB WEIGHTS.pth GRAPH.pth OUT.pth [GRADS.pth]
      load WEIGHTS strictly, run in eval mode in the graph's precision (float32 or float64) (dropout off) on GRAPH {x1, [x2], edge_index, labels}: logits, the
      class-balanced BCE, its gradients, one Adam step (lr 1e-3, weight decay 1e-5). OUT: logits, loss,
      loss_composed, grad.<key>, new.<key>; with GRADS ({key: gradient}) also given.<key>, the Adam step from
      WEIGHTS with those gradients.
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def cosine_torch18(a, b, eps=1e-8):
    """torch 1.8's cosine_similarity: a.b / sqrt(max(|a|^2 |b|^2, eps^2)); 1.13 clamps each norm instead."""
    w12 = (a * b).sum(1)
    n12 = ((a * a).sum(1) * (b * b).sum(1)).clamp_min(eps * eps)
    return w12 / n12.sqrt()


class MLP(nn.Module):
    def __init__(self, input_dim, fc_dims, dropout_p=0.4):
        super().__init__()
        layers = []
        for dim in fc_dims:
            layers.append(nn.Linear(input_dim, dim))
            if dim != 1:
                layers += [nn.ReLU(), nn.Dropout(p=dropout_p)]
            input_dim = dim
        self.fc_layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.fc_layers(x)


def glorot_(w):
    bound = (6.0 / (w.size(-2) + w.size(-1))) ** 0.5
    with torch.no_grad():
        w.uniform_(-bound, bound)


class PDNConv(nn.Module):
    def __init__(self, in_channels, out_channels, edge_dim, hidden_channels):
        super().__init__()
        self.lin = nn.Linear(in_channels, out_channels, bias=False)
        self.mlp = nn.Sequential(nn.Linear(edge_dim, hidden_channels), nn.ReLU(),
                                 nn.Linear(hidden_channels, 1), nn.Sigmoid())
        self.bias = nn.Parameter(torch.empty(out_channels))
        glorot_(self.lin.weight)
        glorot_(self.mlp[0].weight)
        glorot_(self.mlp[2].weight)
        for b in (self.mlp[0].bias, self.mlp[2].bias, self.bias):
            nn.init.zeros_(b)

    def forward(self, x, edge_index, edge_attr):
        n = x.size(0)
        w = self.mlp(edge_attr).squeeze(-1)
        # gcn_norm: append one self-loop of weight 1 per node, degree = weighted in-degree at the target.
        loops = torch.arange(n, dtype=edge_index.dtype)
        row = torch.cat([edge_index[0], loops])
        col = torch.cat([edge_index[1], loops])
        w = torch.cat([w, torch.ones(n, dtype=w.dtype)])
        deg = torch.zeros(n, dtype=w.dtype).index_add(0, col, w)
        dis = deg.pow(-0.5)
        dis = dis.masked_fill(dis == float("inf"), 0.0)
        norm = dis[row] * w * dis[col]
        h = self.lin(x)
        out = torch.zeros_like(h).index_add(0, col, norm.view(-1, 1) * h[row])
        return out + self.bias


class CellTrack_GNN(nn.Module):
    def __init__(self, in_channels, hidden_channels=32, edge_channels=64, gate_channels=16, edge_hidden=128, layers=6):
        super().__init__()
        self.convs = nn.ModuleList()
        self.fcs = nn.ModuleList()
        edge_in = edge_channels + 3 * hidden_channels + 1
        for i in range(layers):
            self.convs.append(PDNConv(in_channels if i == 0 else hidden_channels, hidden_channels, edge_channels, gate_channels))
            self.fcs.append(MLP(edge_in, [edge_hidden, edge_channels], dropout_p=0.0))

    def forward(self, x, edge_index, e):
        src, trg = edge_index
        for conv, fc in zip(self.convs, self.fcs):
            x = conv(x, edge_index, e)
            xs, xt = x[src], x[trg]
            e = fc(torch.cat((e, xs, xt, (xs - xt).abs(), cosine_torch18(xs, xt)[:, None]), dim=-1))
            x = F.relu(x)
        return e


class CellTrack_Model(nn.Module):
    def __init__(self, fh, embedding=True, emb_dim=128):
        super().__init__()
        width = 32 if embedding else 16
        raw = fh + (emb_dim if embedding else 0)
        self.handcrafted_node_embedding = MLP(fh, [64, 16])
        if embedding:
            self.learned_node_embedding = MLP(emb_dim, [64, 16])
        self.learned_edge_embedding = MLP(raw + 1 + 3 * width + 1, [128, 64])
        self.message_passing = CellTrack_GNN(width)
        self.edge_classifier = MLP(64, [128, 32, 1], dropout_p=0.2)
        self.embedding = embedding

    def forward(self, x1, x2, edge_index):
        src, trg = edge_index
        x0 = torch.cat((x1, x2), dim=-1) if self.embedding else x1
        cos1 = cosine_torch18(x0[src], x0[trg])
        abs0 = (x0[src] - x0[trg]).abs()
        x = self.handcrafted_node_embedding(x1)
        if self.embedding:
            x = torch.cat((x, self.learned_node_embedding(x2)), dim=-1)
        e = torch.cat((abs0, cos1[:, None], x[src], x[trg], (x[src] - x[trg]).abs(), cosine_torch18(x[src], x[trg])[:, None]), dim=-1)
        e = self.learned_edge_embedding(e)
        e = self.message_passing(x, edge_index, e)
        return self.edge_classifier(e).squeeze(-1)


def init(seed, fh, emb, out):
    torch.manual_seed(int(seed))
    model = CellTrack_Model(int(fh), emb == "1")
    state = model.state_dict()
    torch.save(state, out)
    print("\n".join(state.keys()))
    print("parameters", sum(p.numel() for p in model.parameters()))


def step(fh, emb, weights, graph, out, given=None):
    g = torch.load(graph)
    model = CellTrack_Model(int(fh), emb == "1").to(g["x1"].dtype)
    model.load_state_dict(torch.load(weights), strict=True)
    model.eval()
    y = g["labels"]
    z = model(g["x1"], g.get("x2"), g["edge_index"])
    pos = y.sum()
    pw = (y.shape[0] - pos) / pos if pos else torch.zeros((), dtype=y.dtype)
    loss = F.binary_cross_entropy_with_logits(z.view(-1), y.view(-1), pos_weight=pw)
    composed = (pw * y * F.softplus(-z) + (1 - y) * F.softplus(z)).mean()
    assert torch.allclose(loss, composed, rtol=1e-6, atol=1e-7), (loss, composed)
    loss.backward()
    result = {"logits": z.detach(), "loss": loss.detach(), "loss_composed": composed.detach()}
    for name, p in model.named_parameters():
        result["grad." + name] = p.grad.clone()
    adam(model)
    for name, p in model.state_dict().items():
        result["new." + name] = p.clone()
    if given is not None:
        # The same step from the caller's gradients: Adam's first step, g / (|g| + 1e-8), turns the last-bit
        # differences of a near-zero float32 gradient into visible ones, so the optimiser is also checked on its own.
        model.load_state_dict(torch.load(weights), strict=True)
        grads = torch.load(given)
        for name, p in model.named_parameters():
            p.grad = grads[name].clone()
        adam(model)
        for name, p in model.state_dict().items():
            result["given." + name] = p.clone()
    torch.save(result, out)


def adam(model):
    torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5).step()


if __name__ == "__main__":
    {"init": init, "step": step}[sys.argv[1]](*sys.argv[2:])
