#!/usr/bin/python3
"""Kiln vs PyTorch: training throughput of the Fashion-MNIST MLP.

Compiles examples/fashion_mlp.kiln with kilnc and times, in one session on the
same machine, with the same batch (128) and the same number of threads:

  kiln            the compiled training binary; samples/s comes from its own
                  --log (training time only, evaluation excluded)
  torch-stock     Debian's PyTorch as installed (netlib reference BLAS)
  torch-openblas  the same PyTorch with OpenBLAS 0.3.21 (libopenblas0-openmp,
                  unpacked from the .deb into a scratch folder and selected
                  with LD_LIBRARY_PATH; nothing on the system changes)

The PyTorch model is the same network: 784-256-128-10 MLP, ReLU, biases,
CrossEntropyLoss (mean), SGD(lr=0.05, momentum=0.9), batch 128, inputs
normalised with (x/255 - 0.2860)/0.3530 and kept in memory. One step is
zero_grad + forward + loss + backward + step. PyTorch is timed the way the
anchors (../shared/anchors) time it: warm-up steps, then equal-length timed
blocks, median of the blocks per process.

Every configuration runs as a separate process, `--runs` times, interleaved
(kiln, torch-stock, torch-openblas, rotated each round), after waiting for a
quiet machine; a Kiln run or PyTorch block disturbed by other processes
(foreign load >= --quiet-threshold cores) is repeated, up to --max-retries
times, and the load is reported. The table gives median/min/max over the
per-process values, and kiln/torch ratios of the medians.

Run with Debian's interpreter (needs `apt-get install python3-torch`):

  /usr/bin/python3 bench/bench_mlp.py                 # 2 threads, 3 runs
  /usr/bin/python3 bench/bench_mlp.py --threads 1 --runs 5 --json out.json

The anchors' common.py (data loading, thread setup, quiet-machine guard,
stats) is imported from $KILN_ANCHORS (default: ../shared/anchors relative to
the repository root), or from --anchors.
"""
import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = ("kiln", "torch-stock", "torch-openblas")
BATCH = 128  # fixed by examples/fashion_mlp.kiln
STEPS_PER_EPOCH = 60000 // BATCH  # full batches of the 60k training images
LAYERS = (784, 256, 128, 10)
# Dense FLOPs per training sample (2 per multiply-accumulate): forward, the
# weight gradients, and the input gradients of every layer but the first.
MACS = [a * b for a, b in zip(LAYERS[:-1], LAYERS[1:])]
TRAIN_FLOP_PER_SAMPLE = 2 * (2 * sum(MACS) + sum(MACS[1:]))

common = None  # the anchors' common.py, imported by import_common()


def import_common(anchors):
    """Imports the anchors' common.py (which imports torch) from `anchors`."""
    global common
    if not os.path.isfile(os.path.join(anchors, "common.py")):
        sys.exit(f"bench_mlp: no common.py in '{anchors}' (set --anchors or "
                 "KILN_ANCHORS)")
    sys.path.insert(0, anchors)
    import common as c  # noqa: E402  (path set just above)
    common = c


# ----------------------------------------------------------------------------
# Quiet-machine guard. Like the anchors' common.guarded, but it also
# subtracts the CPU time of child processes (os.times), so it works around a
# Kiln binary run as a child, and it never waits longer than --max-wait.
# ----------------------------------------------------------------------------
def _snapshot():
    wall, busy_ticks, _ = common.cpu_snapshot()
    t = os.times()
    own = t.user + t.system + t.children_user + t.children_system
    return wall, busy_ticks / os.sysconf("SC_CLK_TCK"), own


def _foreign(s0, s1):
    """Average cores used by other processes between two snapshots."""
    return max(0.0, ((s1[1] - s0[1]) - (s1[2] - s0[2])) / max(1e-6, s1[0] - s0[0]))


def guarded(fn, args, wait_first=True):
    """Runs fn() and repeats it while other processes used more than
    --quiet-threshold cores meanwhile, at most --max-retries times (the last
    try is kept, with its load recorded). Waits for a quiet machine before
    each try (before the first one only if wait_first).
    Returns (result, foreign_load, retries)."""
    retries = 0
    while True:
        if wait_first or retries:
            common.wait_quiet(args.quiet_threshold, max_wait=args.max_wait)
        s0 = _snapshot()
        res = fn()
        fl = _foreign(s0, _snapshot())
        if fl < args.quiet_threshold or retries >= args.max_retries:
            return res, fl, retries
        print(f"  [guard] foreign load {fl:.2f} cores during the run, repeating",
              flush=True)
        retries += 1


# ----------------------------------------------------------------------------
# Kiln
# ----------------------------------------------------------------------------
def compile_kiln(args, workdir):
    exe = os.path.join(workdir, "fashion_mlp")
    cmd = [args.kilnc, "train", args.model, "-o", exe]
    print("compile:", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    return exe


def run_kiln(exe, epochs, args, workdir):
    """Runs the binary for `epochs` epochs; returns the parsed --log records."""
    log = os.path.join(workdir, "kiln_log.jsonl")
    cmd = [exe, "--epochs", str(epochs), "--seed", str(args.seed), "--log", log]
    if args.data:
        cmd += ["--data", args.data]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    with open(log) as f:
        return [json.loads(line) for line in f if line.strip()]


def kiln_epochs(exe, args, workdir):
    """Picks the epoch count: one warm-up epoch (oneDNN primitive creation,
    first touch of the buffers) plus enough epochs for >= --min-train-sec of
    timed training, at least 3. Calibrated with a 2-epoch run."""
    if args.kiln_epochs:
        return args.kiln_epochs
    rec, fl, _ = guarded(lambda: run_kiln(exe, 2, args, workdir), args)
    sps = rec[-1]["samples_per_second"]
    epoch_sec = STEPS_PER_EPOCH * BATCH / sps
    timed = min(max(3, math.ceil(args.min_train_sec / epoch_sec)),
                args.max_kiln_epochs)
    print(f"calibration: {sps:,.0f} samples/s, {epoch_sec:.2f} s/epoch, "
          f"foreign load {fl:.2f} -> {1 + timed} epochs per kiln run", flush=True)
    return 1 + timed


def measure_kiln(exe, epochs, args, workdir):
    rec, fl, retries = guarded(lambda: run_kiln(exe, epochs, args, workdir), args)
    blocks = [r["samples_per_second"] for r in rec[1:]]  # epoch 1 = warm-up
    return {"value": common.stats(blocks)["median"], "blocks": blocks,
            "warmup_epoch": rec[0]["samples_per_second"],
            "train_seconds": sum(STEPS_PER_EPOCH * BATCH / r["samples_per_second"]
                                 for r in rec[1:]),
            "final_test_accuracy": rec[-1]["test_accuracy"],
            "foreign_load": round(fl, 3), "retries": retries}


# ----------------------------------------------------------------------------
# PyTorch (runs in a child process: `bench_mlp.py --torch-worker`)
# ----------------------------------------------------------------------------
def torch_worker(args):
    """Times the PyTorch step in this process; prints one JSON line."""
    import torch
    import torch.nn as nn

    common.setup_threads(args.threads)
    torch.manual_seed(args.seed)
    data_dir = args.data or common.DATA_DIR
    if args.torch_gather:
        # like Kiln's runtime: the whole training set, a random permutation
        # per epoch, each batch gathered (copied) inside the timed step
        x_all, y_all = common.load_fmnist("train", flat=True, data_dir=data_dir)
        nb = x_all.shape[0] // BATCH
        perm = [torch.randperm(x_all.shape[0])]

        def batch(i):
            if i == 0:
                perm[0] = torch.randperm(x_all.shape[0])
            idx = perm[0][i * BATCH:(i + 1) * BATCH]
            return x_all.index_select(0, idx), y_all.index_select(0, idx)
    else:
        # the anchors' method: contiguous slices (views) of a small pool
        x_all, y_all = common.load_fmnist("train", flat=True, limit=args.pool,
                                          data_dir=data_dir)
        nb = x_all.shape[0] // BATCH
        xs = [x_all[i * BATCH:(i + 1) * BATCH] for i in range(nb)]
        ys = [y_all[i * BATCH:(i + 1) * BATCH] for i in range(nb)]

        def batch(i):
            return xs[i], ys[i]

    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(),
                          nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10)).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    it = [0]

    def step():
        x, y = batch(it[0] % nb)
        it[0] += 1
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    common.wait_quiet(args.quiet_threshold, max_wait=args.max_wait)
    t0 = common.now()
    for _ in range(args.warmup):
        step()
    steps = max(5, math.ceil(args.block_sec / ((common.now() - t0) / args.warmup)))

    def block():
        t0 = common.now()
        for _ in range(steps):
            loss = step()
        return common.now() - t0, float(loss)

    blocks, loads, retries = [], [], 0
    for _ in range(args.blocks):  # a block disturbed by others is repeated
        (dt, loss), fl, rt = guarded(block, args, wait_first=False)
        blocks.append(steps * BATCH / dt)
        loads.append(round(fl, 3))
        retries += rt
    assert math.isfinite(loss), "PyTorch loss is not finite"
    print("RESULT " + json.dumps({
        "value": common.stats(blocks)["median"], "blocks": blocks,
        "steps_per_block": steps, "final_loss": loss,
        "foreign_load": max(loads), "retries": retries,
        "env": common.env_info()}), flush=True)


def run_torch(variant, args):
    """Runs the worker in a child process for `variant`; returns its JSON."""
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads),
               KILN_ANCHORS=args.anchors)
    if variant == "torch-openblas":
        env["LD_LIBRARY_PATH"] = ensure_openblas(args.openblas_dir)
    cmd = [sys.executable, os.path.abspath(__file__), "--torch-worker",
           "--threads", str(args.threads), "--seed", str(args.seed),
           "--warmup", str(args.warmup), "--blocks", str(args.blocks),
           "--block-sec", str(args.block_sec), "--pool", str(args.pool),
           *(["--torch-gather"] if args.torch_gather else []),
           *(["--data", args.data] if args.data else []),
           "--quiet-threshold", str(args.quiet_threshold),
           "--max-wait", str(args.max_wait), "--max-retries", str(args.max_retries),
           "--anchors", args.anchors]
    out = subprocess.run(cmd, check=True, env=env, stdout=subprocess.PIPE,
                         text=True).stdout
    for line in out.splitlines():
        if "[guard]" in line:  # the guard's messages from the worker
            print(" ", line.strip(), flush=True)
    res = json.loads(next(l for l in out.splitlines() if l.startswith("RESULT "))[7:])
    blas = res["env"]["blas_libs_loaded"]
    if variant == "torch-openblas" and "openblas" not in blas:
        sys.exit(f"bench_mlp: OpenBLAS was not loaded (BLAS libraries: {blas})")
    return res


def ensure_openblas(folder):
    """Unpacks libopenblas0-openmp into `folder` once (apt-get download +
    dpkg-deb -x, no installation); returns the library directory."""
    libdir = os.path.join(folder, "root/usr/lib/x86_64-linux-gnu/openblas-openmp")
    if not os.path.exists(os.path.join(libdir, "libblas.so.3")):
        os.makedirs(folder, exist_ok=True)
        print(f"fetching libopenblas0-openmp into {folder}", flush=True)
        subprocess.run(["apt-get", "download", "libopenblas0-openmp"],
                       cwd=folder, check=True)
        deb = next(f for f in os.listdir(folder) if f.endswith(".deb"))
        subprocess.run(["dpkg-deb", "-x", deb, "root"], cwd=folder, check=True)
    return libdir


# ----------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------
def machine_info():
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, val = line.partition(":")
            info.setdefault(key.strip(), val.strip())
    cpu = (f"{info.get('model name', '?')} (family {info.get('cpu family', '?')}, "
           f"model {info.get('model', '?')})")
    rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cpus": os.cpu_count(), "kernel": platform.release(),
            "python": sys.version.split()[0], "repo_rev": rev}


def print_table(results, threads):
    print(f"\ntraining samples/s, batch {BATCH}, {threads} thread(s); "
          "median [min-max] over runs (one process each)")
    print(f"{'variant':16s} {'runs':>4s} {'median':>10s} {'min':>10s} {'max':>10s}"
          f" {'GFLOP/s':>8s} {'max fload':>9s} {'retries':>7s}")
    for v, runs in results.items():
        if not runs:
            continue
        s = common.stats([r["value"] for r in runs])
        print(f"{v:16s} {s['n']:4d} {s['median']:10,.0f} {s['min']:10,.0f} "
              f"{s['max']:10,.0f} {s['median'] * TRAIN_FLOP_PER_SAMPLE / 1e9:8.1f} "
              f"{max(r['foreign_load'] for r in runs):9.2f} "
              f"{sum(r['retries'] for r in runs):7d}")
    ratios = {}
    if results.get("kiln"):
        k = common.stats([r["value"] for r in results["kiln"]])["median"]
        for v in VARIANTS[1:]:
            if results.get(v):
                t = common.stats([r["value"] for r in results[v]])["median"]
                ratios[f"kiln/{v}"] = k / t
                print(f"ratio kiln/{v}: {k / t:.2f}x (medians)")
    return ratios


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kilnc", default=os.path.join(REPO, "build/bin/kilnc"))
    ap.add_argument("--model", default=os.path.join(REPO, "examples/fashion_mlp.kiln"))
    ap.add_argument("--anchors", default=os.environ.get(
        "KILN_ANCHORS", os.path.join(REPO, "..", "shared", "anchors")))
    ap.add_argument("--openblas-dir", default=os.path.join(
        tempfile.gettempdir(), "kiln-bench", "openblas"),
        help="scratch folder for the unpacked libopenblas0-openmp .deb")
    ap.add_argument("--data", default=None,
                    help="Fashion-MNIST folder (default: the binary's and the "
                    "anchors' default, /usr/share/datasets/fashion-mnist)")
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3, help="processes per variant")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kiln-epochs", type=int, default=0,
                    help="epochs per kiln run incl. 1 warm-up epoch (0: calibrate)")
    ap.add_argument("--min-train-sec", type=float, default=3.0,
                    help="timed kiln training per run when calibrating")
    ap.add_argument("--max-kiln-epochs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=20, help="torch warm-up steps")
    ap.add_argument("--blocks", type=int, default=5, help="torch timed blocks")
    ap.add_argument("--block-sec", type=float, default=1.0)
    ap.add_argument("--pool", type=int, default=4096,
                    help="training images in the torch batch pool")
    ap.add_argument("--torch-gather", action="store_true",
                    help="torch gathers shuffled batches from the full training "
                    "set inside the step, as Kiln's runtime does (default: "
                    "slices of a --pool image pool, as the anchors do)")
    ap.add_argument("--quiet-threshold", type=float, default=0.15,
                    help="max foreign CPU load (cores) tolerated during a run")
    ap.add_argument("--max-wait", type=float, default=120.0,
                    help="longest wait (s) for a quiet machine before going on")
    ap.add_argument("--max-retries", type=int, default=3)
    ap.add_argument("--json", default=None, help="write all results here")
    ap.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.anchors = os.path.abspath(args.anchors)
    import_common(args.anchors)

    if args.torch_worker:
        torch_worker(args)
        return

    t_start = time.time()
    results = {v: [] for v in args.variants}
    with tempfile.TemporaryDirectory(prefix="kiln-bench-") as workdir:
        exe = epochs = None
        if "kiln" in args.variants:
            exe = compile_kiln(args, workdir)
            epochs = kiln_epochs(exe, args, workdir)
        if "torch-openblas" in args.variants:
            ensure_openblas(args.openblas_dir)
        order = list(args.variants)
        for r in range(args.runs):
            for v in order:
                if v == "kiln":
                    res = measure_kiln(exe, epochs, args, workdir)
                else:
                    res = run_torch(v, args)
                results[v].append(res)
                print(f"run {r + 1}/{args.runs} {v:15s} {res['value']:10,.0f} samples/s"
                      f"  blocks {', '.join(f'{b:,.0f}' for b in res['blocks'])}"
                      f"  fload {res['foreign_load']:.2f}", flush=True)
            order = order[1:] + order[:1]  # rotate, so no variant always runs first

    ratios = print_table(results, args.threads)
    print(f"total wall time {time.time() - t_start:.0f} s")
    if args.json:
        out = {"machine": machine_info(), "args": vars(args), "batch": BATCH,
               "train_flop_per_sample": TRAIN_FLOP_PER_SAMPLE,
               "kiln_epochs_per_run": epochs, "results": results,
               "summary": {v: common.stats([r["value"] for r in rs])
                           for v, rs in results.items() if rs},
               "ratios": ratios}
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
        print("wrote", args.json)


if __name__ == "__main__":
    main()
