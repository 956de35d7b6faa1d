"""PyTorch (CPU, 2 threads) on bench/'s workloads, for a side-by-side run: W2 training step, W4 inference,
W5 LeNet-5 training step. Prints one JSON object of medians (steps/s, samples/s). Optional: the bench
runs it only where `import torch` works (Debian's python3-torch)."""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)


def measure(step, warmup=3, repeats=5, min_s=0.4):
    for _ in range(warmup):
        step()
    rates = []
    for _ in range(repeats):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < min_s:
            step()
            n += 1
        rates.append(n / (time.perf_counter() - t0))
    rates.sort()
    return rates[len(rates) // 2]


def mlp():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def train_step(model, x, y):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    return step


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


which = sys.argv[1:] or ["W2", "W4", "W5"]
out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
if "W2" in which:
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
    out["W2"] = measure(train_step(mlp(), x, y))
if "W4" in which:
    model, x = mlp(), torch.rand(1024, 784) * 2 - 1

    def infer():
        with torch.no_grad():
            model(x)

    out["W4"] = measure(infer) * 1024
if "W5" in which:
    x, y = torch.randn(128, 1, 28, 28), torch.randint(0, 10, (128,))
    out["W5"] = measure(train_step(lenet5(), x, y))
print(json.dumps(out))
