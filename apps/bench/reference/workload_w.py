"""Workload W in numpy, written as CS231n assignment 2 writes it: the benchmark reference for
apps/bench/src/W.bench.ts. Never a dependency of backprop-lab: only `pnpm bench --only W` runs it.

W: a fully connected net 3072 -> 100 x 5 -> 10 with ReLU, optionally batchnorm after each hidden
affine, softmax loss with L2 reg, Adam on every parameter. One step = forward + backward + update on
one random minibatch. dx is computed for every layer, the first included, as CS231n's
affine_backward does. It must run as fast as a student's own CS231n code: two lines below are the
faster of the forms students write (relu_backward, adam's first call), each measured.

Usage:
  python3 workload_w.py time --dtypes float64,float32 --batches 50,200,1000 [--steps 15 --warmup 3]
      one JSON line per configuration: {dtype, batch, batchnorm, msPerStep, samplesPerSec}
  python3 workload_w.py rss --dtype float64 --batch 200 --batchnorm 0 [--steps 20]
      one JSON line: peak RSS of this process (MiB) after training, and the RSS before allocating
  python3 workload_w.py info
      one JSON line: numpy version, BLAS library, its core type and thread count
Shapes: N batch, D = 3072 inputs, H = 100 hidden units, C = 10 classes.
"""

import argparse
import ctypes
import glob
import json
import os
import resource
import sys
import time

import numpy as np

D, H, C, HIDDEN_LAYERS = 3072, 100, 10, 5
REG, WEIGHT_SCALE, LEARNING_RATE = 1e-3, 1e-2, 1e-3


def affine_forward(x, w, b):
    """x: (N, d_1..d_k), w: (D, M), b: (M,) -> out: (N, M)"""
    out = x.reshape(x.shape[0], -1).dot(w) + b
    return out, (x, w, b)


def affine_backward(dout, cache):
    """dout: (N, M) -> dx: (N, d_1..d_k), dw: (D, M), db: (M,)"""
    x, w, b = cache
    dx = dout.dot(w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T.dot(dout)
    db = np.sum(dout, axis=0)
    return dx, dw, db


def relu_forward(x):
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    # Not `dx = dout.copy(); dx[x <= 0] = 0`: the boolean-mask store took 0.43 ms of a 6.5 ms float32
    # step at batch 200 (five layers), this product 0.09 ms. Same values (a cleared entry may be -0.0).
    return dout * (cache > 0)


def batchnorm_forward(x, gamma, beta, bn_param):
    """Train mode. x: (N, D) -> out: (N, D); updates bn_param's running statistics."""
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, Dx = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(Dx, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(Dx, dtype=x.dtype))
    sample_mean = x.mean(axis=0)
    sample_var = x.var(axis=0)
    x_hat = (x - sample_mean) / np.sqrt(sample_var + eps)
    out = gamma * x_hat + beta
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * sample_mean
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * sample_var
    return out, (x_hat, sample_var, gamma, eps)


def batchnorm_backward_alt(dout, cache):
    """The simplified form: dout (N, D) -> dx (N, D), dgamma (D,), dbeta (D,)"""
    x_hat, var, gamma, eps = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx = (1 / N) * gamma / np.sqrt(var + eps) * (N * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


def softmax_loss(x, y):
    shifted = x - np.max(x, axis=1, keepdims=True)
    Z = np.sum(np.exp(shifted), axis=1, keepdims=True)
    log_probs = shifted - np.log(Z)
    probs = np.exp(log_probs)
    N = x.shape[0]
    loss = -np.sum(log_probs[np.arange(N), y]) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx


def adam(w, dw, config):
    config.setdefault("learning_rate", LEARNING_RATE)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    # Not config.setdefault("m", np.zeros_like(w)): its argument is built (and filled) on every call.
    if "m" not in config:
        config["m"], config["v"], config["t"] = np.zeros_like(w), np.zeros_like(w), 0
    config["t"] += 1
    b1, b2 = config["beta1"], config["beta2"]
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    mt = config["m"] / (1 - b1 ** config["t"])
    config["v"] = b2 * config["v"] + (1 - b2) * (dw**2)
    vt = config["v"] / (1 - b2 ** config["t"])
    next_w = w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
    return next_w, config


class FullyConnectedNet:
    def __init__(self, batchnorm, dtype, seed=0):
        rng = np.random.RandomState(seed)
        dims = [D] + [H] * HIDDEN_LAYERS + [C]
        self.num_layers = HIDDEN_LAYERS + 1
        self.batchnorm = batchnorm
        self.params = {}
        for l in range(1, self.num_layers + 1):
            self.params[f"W{l}"] = WEIGHT_SCALE * rng.randn(dims[l - 1], dims[l])
            self.params[f"b{l}"] = np.zeros(dims[l])
            if batchnorm and l < self.num_layers:
                self.params[f"gamma{l}"] = np.ones(dims[l])
                self.params[f"beta{l}"] = np.zeros(dims[l])
        self.bn_params = [{"mode": "train"} for _ in range(HIDDEN_LAYERS)] if batchnorm else []
        for k, v in self.params.items():
            self.params[k] = v.astype(dtype)

    def loss(self, X, y):
        caches = []
        h = X
        for l in range(1, self.num_layers):
            a, fc_cache = affine_forward(h, self.params[f"W{l}"], self.params[f"b{l}"])
            bn_cache = None
            if self.batchnorm:
                a, bn_cache = batchnorm_forward(
                    a, self.params[f"gamma{l}"], self.params[f"beta{l}"], self.bn_params[l - 1]
                )
            h, relu_cache = relu_forward(a)
            caches.append((fc_cache, bn_cache, relu_cache))
        L = self.num_layers
        scores, out_cache = affine_forward(h, self.params[f"W{L}"], self.params[f"b{L}"])

        loss, dscores = softmax_loss(scores, y)
        grads = {}
        dh, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(dscores, out_cache)
        for l in range(L - 1, 0, -1):
            fc_cache, bn_cache, relu_cache = caches[l - 1]
            da = relu_backward(dh, relu_cache)
            if self.batchnorm:
                da, grads[f"gamma{l}"], grads[f"beta{l}"] = batchnorm_backward_alt(da, bn_cache)
            dh, grads[f"W{l}"], grads[f"b{l}"] = affine_backward(da, fc_cache)
        for l in range(1, L + 1):
            W = self.params[f"W{l}"]
            loss += 0.5 * REG * np.sum(W * W)
            grads[f"W{l}"] += REG * W
        return loss, grads


def make_trainer(dtype, batch, batchnorm, seed=0):
    rng = np.random.RandomState(seed + 1)
    X = rng.randn(batch, D).astype(dtype)
    y = rng.randint(C, size=batch)
    model = FullyConnectedNet(batchnorm, dtype, seed)
    configs = {name: {} for name in model.params}

    def step():
        loss, grads = model.loss(X, y)
        for name, w in model.params.items():
            model.params[name], configs[name] = adam(w, grads[name], configs[name])
        return loss

    return step


def time_config(dtype, batch, batchnorm, steps, warmup):
    step = make_trainer(dtype, batch, batchnorm)
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    ms = times[len(times) // 2]
    return {
        "dtype": dtype,
        "batch": batch,
        "batchnorm": bool(batchnorm),
        "msPerStep": ms,
        "samplesPerSec": batch / ms * 1e3,
    }


def status_mib(field):
    """A memory field of /proc/self/status in MiB (Linux). VmHWM is this process image's peak RSS:
    unlike getrusage's ru_maxrss, it does not inherit the peak of the process that forked us."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def blas_info():
    info = {"numpy": np.__version__, "python": sys.version.split()[0]}
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        info["blas"] = f'{blas.get("name")} {blas.get("version")}'
    except Exception as error:  # older numpy: no mode="dicts"
        info["blas"] = f"unknown ({error})"
    # The OpenBLAS numpy ships: ask it which kernel (core type) it picked and how many threads it runs.
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*.so*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas_", "64_"), ("openblas_", ""), ("scipy_openblas_", "")):
            try:
                corename = getattr(lib, f"{prefix}get_corename{suffix}")
                threads = getattr(lib, f"{prefix}get_num_threads{suffix}")
                config_fn = getattr(lib, f"{prefix}get_config{suffix}")
            except AttributeError:
                continue
            corename.restype = ctypes.c_char_p
            config_fn.restype = ctypes.c_char_p
            info["blasCore"] = corename().decode()
            info["blasThreads"] = int(threads())
            info["blasConfig"] = config_fn().decode().strip()
            break
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    info["OPENBLAS_L2_SIZE"] = os.environ.get("OPENBLAS_L2_SIZE")
    info["cpus"] = os.cpu_count()
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("mode", choices=["time", "rss", "info"])
    parser.add_argument("--dtypes", default="float64,float32")
    parser.add_argument("--batches", default="50,200,1000")
    parser.add_argument("--batchnorm", default="both", choices=["both", "0", "1"])
    parser.add_argument("--dtype", default="float64")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--steps", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    if args.mode == "info":
        print(json.dumps(blas_info()), flush=True)
    elif args.mode == "time":
        norms = [False, True] if args.batchnorm == "both" else [args.batchnorm == "1"]
        for dtype in args.dtypes.split(","):
            for batch in (int(b) for b in args.batches.split(",")):
                for batchnorm in norms:
                    row = time_config(dtype, batch, batchnorm, args.steps, args.warmup)
                    print(json.dumps(row), flush=True)
    else:
        baseline = status_mib("VmRSS")
        step = make_trainer(args.dtype, args.batch, args.batchnorm == "1")
        for _ in range(args.steps):
            step()
        peak = status_mib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        row = {"dtype": args.dtype, "batch": args.batch, "batchnorm": args.batchnorm == "1"}
        print(json.dumps({**row, "peakRssMiB": peak, "baselineRssMiB": baseline}), flush=True)


if __name__ == "__main__":
    main()
