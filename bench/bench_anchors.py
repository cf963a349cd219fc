#!/usr/bin/python3
"""Kiln against the PyTorch anchors, side by side, in one run.

The anchors' models (../shared/anchors/README.md) with their training step
(softmax cross-entropy, global-norm clipping at 5, Adam 1e-3 with coupled
weight decay 1e-4): M1 MLP (bench/m1_mlp.kiln), M2 CNN (bench/m2_cnn.kiln),
M3 ResNet-8 (bench/m3_resnet8.kiln). For every threads x batch x model it
interleaves Kiln and PyTorch with OpenBLAS (the anchors' fair reference),
--runs processes each, rotating who goes first, and prints one table:
training samples/s (medians), their ratio, Kiln's GFLOP/s as a share of this
machine's FMA peak and oneDNN f32 matmul rate (the anchors' cpp/ probes,
built and run here), and the peak RSS of each process.

Kiln: the model file with the batch size rewritten, compiled once; a run is
a pair of processes, --max-steps W and W + N, and its value is N * batch
over the difference of their training times (the epoch record's
`seconds`), so primitive creation and first-touch page faults of the first
steps count for neither side. PyTorch: the anchors' bench_train.bench_one
(warm-up steps, then timed blocks; the median block) in a child process.
Peak RSS is each process's maximum resident set as GNU time reports it; for
PyTorch that includes the interpreter and torch itself, as it does for
anyone who trains with it.

  /usr/bin/python3 bench/bench_anchors.py --threads 2 --batches 128
  /usr/bin/python3 bench/bench_anchors.py            # 2 and 1 threads, 32/128/256
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench_mlp as shared  # noqa: E402  (quiet guard, OpenBLAS, machine info)

KILN_MODELS = {"mlp": "m1_mlp.kiln", "cnn": "m2_cnn.kiln",
               "resnet8": "m3_resnet8.kiln"}
TRAIN_IMAGES = 60000
TIME = "/usr/bin/time"  # GNU time (Debian's `time` package)


def wait_child(cmd, env):
    """Runs cmd; returns (stdout, peak RSS in MiB). Raises on failure.

    Through GNU time: a child spawned from this process would report this
    process's peak RSS (torch imported) as its own, since exec records the
    replaced image's high-water mark in ru_maxrss."""
    with tempfile.NamedTemporaryFile("r") as rss:
        out = subprocess.run([TIME, "-f", "%M", "-o", rss.name, *cmd], env=env,
                             stdout=subprocess.PIPE, text=True, check=True).stdout
        return out, int(rss.read().split()[-1]) / 1024


# ----------------------------------------------------------------------------
# Kiln
# ----------------------------------------------------------------------------
def kiln_binary(args, model, batch, workdir):
    """Compiles bench/<model>.kiln with its batch size set to `batch`."""
    with open(os.path.join(HERE, KILN_MODELS[model])) as f:
        text = f.read()
    text, n = re.subn(r"((?:input|label)\s+\w+:\s*\w+\[)\d+", rf"\g<1>{batch}",
                      text)
    assert n == 2, f"{model}: expected one input and one label line"
    source = os.path.join(workdir, f"{model}_b{batch}.kiln")
    with open(source, "w") as f:
        f.write(text)
    exe = source[:-5]
    subprocess.run([args.kilnc, "train", source, "-o", exe], check=True)
    return exe


def kiln_run(exe, steps, threads, workdir):
    """Trains `steps` steps; returns (training seconds, peak RSS MiB)."""
    log = os.path.join(workdir, "kiln.jsonl")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    _, rss = wait_child([exe, "--max-steps", str(steps), "--log", log], env)
    with open(log) as f:
        records = [json.loads(line) for line in f if line.strip()]
    return sum(r["seconds"] for r in records if r["type"] == "epoch"), rss


def kiln_measure(exe, threads, batch, args, workdir):
    warm = args.kiln_warmup
    per_step = kiln_run(exe, 2 * warm, threads, workdir)[0] / (2 * warm)
    steps = max(20, math.ceil(args.min_sec / per_step))
    steps = min(steps, TRAIN_IMAGES // batch - warm)

    def pair():
        t_warm, _ = kiln_run(exe, warm, threads, workdir)
        t_all, rss = kiln_run(exe, warm + steps, threads, workdir)
        return steps * batch / (t_all - t_warm), rss

    (rate, rss), load, retries = shared.guarded(pair, args)
    return {"samples_per_s": rate, "rss_mib": rss, "steps": steps,
            "foreign_load": round(load, 3), "retries": retries}


# ----------------------------------------------------------------------------
# PyTorch (a child process: bench_anchors.py --torch-worker)
# ----------------------------------------------------------------------------
def torch_worker(args):
    import bench_train  # the anchors'; imports torch and common
    common = shared.common
    x, y = common.load_fmnist("train", flat=args.model == "mlp",
                              limit=args.pool)
    res = bench_train.bench_one(args.model, args.threads[0], args.batches[0],
                                x, y, args)
    res["env"] = common.env_info()
    print("RESULT " + json.dumps(res), flush=True)


def torch_measure(model, threads, batch, args):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads),
               LD_LIBRARY_PATH=shared.ensure_openblas(args.openblas_dir))
    cmd = [sys.executable, os.path.abspath(__file__), "--torch-worker",
           "--model", model, "--threads", str(threads), "--batches", str(batch),
           "--anchors", args.anchors, "--pool", str(args.pool)]
    out, rss = wait_child(cmd, env)
    res = json.loads(next(l for l in out.splitlines()
                          if l.startswith("RESULT "))[7:])
    if "openblas" not in res["env"]["blas_libs_loaded"]:
        sys.exit("bench_anchors: PyTorch did not load OpenBLAS")
    return {"samples_per_s": res["samples_per_s"]["median"], "rss_mib": rss,
            "foreign_load": max(res["foreign_load"]),
            "retries": res["guard_retries"]}


# ----------------------------------------------------------------------------
# The machine's ceilings: the anchors' cpp/ probes
# ----------------------------------------------------------------------------
def ceilings(args, threads, workdir):
    cpp = os.path.join(args.anchors, "cpp")
    fma, mm = os.path.join(workdir, "fma_peak"), os.path.join(workdir, "dnnl_matmul")
    if not os.path.exists(fma):
        flags = ["-O2", "-std=c++17", "-fopenmp", "-I", cpp]
        subprocess.run(["g++", *flags, "-mavx512f", "-mfma",
                        os.path.join(cpp, "fma_peak.cpp"), "-o", fma], check=True)
        subprocess.run(["g++", *flags, os.path.join(cpp, "dnnl_matmul.cpp"),
                        "-o", mm, "-ldnnl"], check=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run([fma], env=env, capture_output=True, text=True).stdout
    peak = max(float(m.group(1)) for m in re.finditer(
        rf"threads={threads} .*?median=([\d.]+)", out))
    out = subprocess.run([mm], env=env, capture_output=True, text=True).stdout
    matmul = max(float(m.group(1)) for m in re.finditer(
        rf"n=1024 B=\w+\s+threads={threads} .*?median=([\d.]+)", out))
    return {"fma_gflops": peak, "matmul_gflops": matmul}


# ----------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------
def print_table(rows):
    head = ("model", "thr", "batch", "kiln/s", "torch/s", "ratio", "GFLOP/s",
            "%FMA", "%mm", "kiln MiB", "torch MiB", "RSS ratio")
    print("\n" + " ".join(f"{h:>9s}" for h in head))
    for r in rows:
        k, t = r["kiln"], r["torch"]
        cells = (r["model"], r["threads"], r["batch"], f"{k:,.0f}", f"{t:,.0f}",
                 f"{k / t:.2f}x", f"{r['gflops']:.0f}",
                 f"{100 * r['gflops'] / r['fma_gflops']:.0f}%",
                 f"{100 * r['gflops'] / r['matmul_gflops']:.0f}%",
                 f"{r['kiln_rss']:.0f}", f"{r['torch_rss']:.0f}",
                 f"{r['kiln_rss'] / r['torch_rss']:.2f}")
        print(" ".join(f"{str(c):>9s}" for c in cells))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kilnc", default=os.path.join(REPO, "build/bin/kilnc"))
    ap.add_argument("--anchors", default=os.environ.get(
        "KILN_ANCHORS", os.path.join(REPO, "..", "shared", "anchors")))
    ap.add_argument("--openblas-dir", default="/tmp/kiln-bench/openblas")
    ap.add_argument("--models", nargs="+", default=list(KILN_MODELS),
                    choices=list(KILN_MODELS))
    ap.add_argument("--threads", nargs="+", type=int, default=[2, 1])
    ap.add_argument("--batches", nargs="+", type=int, default=[32, 128, 256])
    ap.add_argument("--runs", type=int, default=3, help="processes per side")
    ap.add_argument("--min-sec", type=float, default=3.0,
                    help="timed Kiln training per run")
    ap.add_argument("--kiln-warmup", type=int, default=10,
                    help="Kiln steps not timed")
    # The anchors' bench_train.py settings for the PyTorch side.
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--block-sec", type=float, default=1.5)
    ap.add_argument("--min-steps", type=int, default=5)
    ap.add_argument("--pool", type=int, default=4096)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quiet-threshold", type=float, default=0.15)
    ap.add_argument("--max-wait", type=float, default=120.0)
    ap.add_argument("--max-retries", type=int, default=3)
    ap.add_argument("--json", default=None, help="write all results here")
    ap.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--model", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.anchors = os.path.abspath(args.anchors)
    if not os.access(TIME, os.X_OK):
        sys.exit(f"bench_anchors: {TIME} not found (apt-get install time)")
    shared.import_common(args.anchors)
    if args.torch_worker:
        return torch_worker(args)

    import flops  # the anchors' FLOP counts; imports torch
    train_flop = {m: flops.count(m)["train_mflop"] * 1e6 for m in args.models}
    rows = []
    with tempfile.TemporaryDirectory(prefix="kiln-anchors-") as workdir:
        for threads in args.threads:
            peaks = ceilings(args, threads, workdir)
            print(f"{threads} thread(s): FMA peak {peaks['fma_gflops']:.0f}, "
                  f"oneDNN matmul {peaks['matmul_gflops']:.0f} GFLOP/s", flush=True)
            for batch in args.batches:
                for model in args.models:
                    exe = kiln_binary(args, model, batch, workdir)
                    runs = {"kiln": [], "torch": []}
                    for i in range(args.runs):
                        order = ["kiln", "torch"][::1 if i % 2 == 0 else -1]
                        for side in order:
                            res = (kiln_measure(exe, threads, batch, args, workdir)
                                   if side == "kiln" else
                                   torch_measure(model, threads, batch, args))
                            runs[side].append(res)
                            print(f"{model} thr={threads} bs={batch} {side:5s} "
                                  f"{res['samples_per_s']:9,.0f} samples/s "
                                  f"{res['rss_mib']:6.0f} MiB "
                                  f"fload {res['foreign_load']:.2f}", flush=True)
                    med = {s: shared.common.stats([r["samples_per_s"] for r in v])
                           ["median"] for s, v in runs.items()}
                    rows.append({
                        "model": model, "threads": threads, "batch": batch,
                        "kiln": med["kiln"], "torch": med["torch"],
                        "gflops": med["kiln"] * train_flop[model] / 1e9,
                        "kiln_rss": max(r["rss_mib"] for r in runs["kiln"]),
                        "torch_rss": max(r["rss_mib"] for r in runs["torch"]),
                        **peaks, "runs": runs})
    print_table(rows)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": shared.machine_info(), "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
