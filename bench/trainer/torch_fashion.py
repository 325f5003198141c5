"""PyTorch side of `npm run bench -- trainer`: the same models as kubetune-trainer, trained the
same way on Fashion-MNIST, timed per epoch. Prints one JSON document on stdout.

Matches the trainer on purpose: pixels / 255; Glorot-uniform weights and zero biases (PyTorch's
default init differs); Adam with lr 1e-3, betas (0.9, 0.999), eps 1e-8; batch 128 with the last
partial batch kept; a fresh shuffle every epoch; the training pass alone is timed.
"""
import argparse
import gzip
import json
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def build(model):
    if model == "mlp":
        net = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    else:
        # kubetune-trainer --model cnn with conv_blocks=2 filters=32 kernel_size=3 padding=same
        # pooling=max pool_size=2 dense_units=128.
        net = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
        )
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    d = args.data_dir
    x = read_idx(f"{d}/train-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = read_idx(f"{d}/train-labels-idx1-ubyte.gz").astype(np.int64)
    xt = read_idx(f"{d}/t10k-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    yt = read_idx(f"{d}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    if args.limit > 0:
        x, y, xt, yt = x[: args.limit], y[: args.limit], xt[: args.limit], yt[: args.limit]
    x = torch.from_numpy(x).unsqueeze(1)
    y = torch.from_numpy(y)
    xt = torch.from_numpy(xt).unsqueeze(1)
    yt = torch.from_numpy(yt)
    net = build(args.model)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    epoch_seconds = []
    epoch_cpu_seconds = []
    n = x.shape[0]
    for _ in range(args.epochs):
        net.train()
        start = time.perf_counter()
        cpu_start = time.process_time()
        order = torch.from_numpy(rng.permutation(n))
        for s in range(0, n, 128):
            idx = order[s : s + 128]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
        epoch_seconds.append(time.perf_counter() - start)
        epoch_cpu_seconds.append(time.process_time() - cpu_start)
    net.eval()
    with torch.no_grad():
        correct = sum(int((net(xt[s : s + 1000]).argmax(1) == yt[s : s + 1000]).sum()) for s in range(0, xt.shape[0], 1000))
    print(json.dumps({
        "epochSeconds": epoch_seconds,
        "epochCpuSeconds": epoch_cpu_seconds,
        "testAccuracy": correct / xt.shape[0],
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "examples": n,
    }))


if __name__ == "__main__":
    main()
