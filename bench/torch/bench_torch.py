"""PyTorch CPU peer of `pnpm bench infer` and `pnpm bench train` (LeNet-5 and ResNet-18).

Builds the torchvision model (LeNet-5: the same nn.Sequential as Tessera's lenet5()), loads the weights Tessera wrote (safetensors with torchvision's
keys, loaded strictly), runs the job and prints one JSON line: {"ms": median, "torch": version} (and, for training,
"loss0": the first step's loss).
Inference writes the logits to the job's output file (float32, little-endian) so the suite can
check them against Tessera's. Run by bench/src/infer/torch.ts; see bench/README.md for the venv.

    python bench_torch.py job.json
"""
import json
import struct
import sys
import time

import numpy as np
import torch
import torchvision

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """The state dict of a safetensors file (header checked, no pickle)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = data[8 + n :]
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        start, end = e["data_offsets"]
        a = np.frombuffer(body[start:end], dtype=DTYPES[e["dtype"]]).reshape(e["shape"])
        out[name] = torch.from_numpy(a.copy())
    return out


def lenet5(classes):
    """Tessera's lenet5() (@tessera/models): the same layers at the same indices, so the keys match."""
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, classes),
    )


def build(name, classes):
    if name == "lenet5":
        return lenet5(classes)
    if name == "googlenet":
        return torchvision.models.googlenet(weights=None, aux_logits=False, init_weights=False, num_classes=classes)
    return getattr(torchvision.models, name)(weights=None, num_classes=classes)


def median_ms(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    m = len(times) // 2
    return times[m] if len(times) % 2 else (times[m - 1] + times[m]) / 2


def main():
    job = json.load(open(sys.argv[1]))
    torch.set_num_threads(job["threads"])
    model = build(job["model"], job["classes"])
    state = read_safetensors(job["weights"])
    model.load_state_dict(state, strict=True)
    x = torch.from_numpy(np.fromfile(job["input"], dtype=np.float32).reshape(job["shape"]))
    if job["mode"] == "infer":
        model.eval()
        with torch.inference_mode():
            result = {}

            def step():
                result["y"] = model(x)

            ms = median_ms(step, job["warmup"], job["runs"])
        result["y"].numpy().astype(np.float32).tofile(job["output"])
        out = {}
    else:
        model.train()
        y = torch.from_numpy(np.fromfile(job["labels"], dtype=np.int32).astype(np.int64))
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()

        losses = []

        def step():
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())

        ms = median_ms(step, job["warmup"], job["runs"])
        # The first step's loss (the loaded weights, before any update): the suite checks it against Tessera's.
        out = {"loss0": losses[0]}
    print(json.dumps({"ms": ms, "torch": torch.__version__, "threads": torch.get_num_threads(), **out}))


if __name__ == "__main__":
    main()
