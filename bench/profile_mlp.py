#!/usr/bin/python3
"""Where a Kiln training step of the Fashion-MNIST MLP spends its time.

Samples the compiled binary with `perf record -e cpu-clock` (a software
timer event, so it also works in VMs without hardware counters) and splits
the samples into components: oneDNN matmul (JIT kernels + libdnnl), the
OpenMP runtime (libgomp, mostly its spin-wait loop), Kiln's generated code
(`train_step`/`model`), the runtime's batch gathering and shuffling, libc
memcpy/memset/malloc/free, libm, the kernel and gzip data loading.

Only training steps are counted: each sample count is the difference between
a one-epoch run (468 steps) and a one-step run (`--max-steps 1`), which share
the data loading, oneDNN primitive creation and one test-set evaluation, so
the difference is exactly 467 training steps. Both runs are repeated
`--runs` times; a run disturbed by other processes is repeated.

The "main thread" column approximates wall time (on a quiet machine the main
thread is always running); "all threads" is CPU time, which includes the
OpenMP worker threads spinning while the main thread runs serial code.

  /usr/bin/python3 bench/profile_mlp.py                # 2 threads
  /usr/bin/python3 bench/profile_mlp.py --threads 1

Needs `perf` (Debian: linux-perf) and perf_event_paranoid <= 2 (or root).
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEPS_PER_EPOCH = 60000 // 128

MALLOC = re.compile(r"^(malloc|free|cfree|_int_malloc|_int_free|"
                    r"malloc_consolidate|unlink_chunk|tcache|__libc_malloc|"
                    r"__libc_free|_int_memalign|_mid_memalign|aligned_alloc|"
                    r"posix_memalign|__posix_memalign|sysmalloc)")


def component(dso, sym, exe_name):
    """Maps one perf (dso, symbol) pair to a reporting component."""
    if dso.startswith("[JIT]") or dso.startswith("libdnnl"):
        return "oneDNN matmul (JIT kernels + libdnnl)"
    if dso.startswith("libgomp"):
        return "OpenMP runtime (libgomp spin-wait, fork/join)"
    if dso == exe_name:
        if sym in ("train_step", "model"):
            return "generated code (train_step / model)"
        if "gatherBatch" in sym or "epochPermutation" in sym:
            return "runtime: batch gather + shuffle"
        if "kiln_rt_matmul" in sym or "dnnl" in sym or "Rb_tree" in sym:
            return "runtime: kiln_rt_matmul wrapper"
        return "runtime: other (training loop, loading, eval)"
    if dso.startswith("libc."):
        if MALLOC.match(sym):
            return "libc malloc/free"
        if "memmove" in sym or "memcpy" in sym:
            return "libc memcpy"
        if "memset" in sym:
            return "libc memset"
        return "libc other"
    if dso.startswith("libm."):
        return "libm (expf, logf)"
    if dso.startswith("libz."):
        return "zlib (data loading)"
    if dso.startswith("[kernel"):
        return "kernel"
    return "other: " + dso


def foreign_load(t0, b0, o0):
    """Cores used by other processes since (t0, busy0, own0)."""
    t1, b1, o1 = snapshot()
    return max(0.0, ((b1 - b0) - (o1 - o0)) / max(1e-6, t1 - t0))


def snapshot():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / os.sysconf("SC_CLK_TCK")
    t = os.times()
    return time.perf_counter(), busy, t.children_user + t.children_system


def wait_quiet(threshold, max_wait):
    start = time.perf_counter()
    while time.perf_counter() - start < max_wait:
        s = snapshot()
        time.sleep(1.0)
        if foreign_load(*s) < threshold:
            return
    print("  [guard] machine still busy, going on", flush=True)


def record(exe, extra, args, workdir):
    """One guarded perf run; returns ({(thread, dso, sym): samples}, log)."""
    data = os.path.join(workdir, "perf.data")
    log = os.path.join(workdir, "log.jsonl")
    # DWARF call graphs (1 KiB of stack per sample) are enough to find the
    # caller of a libc leaf such as memcpy; nothing else needs them.
    cmd = ["perf", "record", "-q", "-e", "cpu-clock", "-c", str(args.period_us * 1000),
           "--call-graph", "dwarf,1024", "-o", data,
           exe, "--epochs", "1", "--log", log] + extra
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    for attempt in range(args.max_retries + 1):
        wait_quiet(args.quiet_threshold, args.max_wait)
        s = snapshot()
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
        fl = foreign_load(*s)
        if fl < args.quiet_threshold:
            break
        print(f"  [guard] foreign load {fl:.2f} cores, repeating", flush=True)
    else:
        return None  # never quiet: a disturbed profile is dominated by spinning
    rep = subprocess.run(["perf", "report", "-i", data, "--stdio", "-n", "-g", "none",
                          "--sort", "pid,dso,sym", "-F", "sample,pid,dso,sym"],
                         check=True, capture_output=True, text=True).stdout
    counts = collections.Counter()
    rows = []
    for line in rep.splitlines():
        # "   1234  5678:fashion_mlp  libgomp.so.1.0.0  [.] 0x1f622"
        m = re.match(r"\s*(\d+)\s+(\d+):\S+\s+(.+?)\s+\[[.k]\]\s+(.*)$", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), m.group(3).strip(),
                         m.group(4).strip()))
    main_tid = min(r[1] for r in rows)  # the main thread is created first
    for n, tid, dso, sym in rows:
        if dso.startswith("[JIT]"):  # "[JIT] tid N": per process, no symbols
            dso, sym = "[JIT]", "oneDNN jitted kernels"
        counts[("main" if tid == main_tid else "worker", dso, sym)] += n
    with open(log) as f:
        rec = json.loads(f.readline())
    return counts, libc_callers(data), rec


LIBC_LEAF = re.compile(r"(memcpy|memmove|memset|malloc|free|_int_)")
CALLERS = ("kiln::gatherBatch", "train_step", "model")


def libc_callers(data):
    """Counts libc memcpy/memset/malloc/free samples by their caller in the
    binary (gatherBatch, train_step, model or other), from the call graphs."""
    out = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso"],
                         check=True, capture_output=True, text=True).stdout
    counts = collections.Counter()
    for sample in out.split("\n\n"):
        # frame lines: "<ip> <symbol> (<dso or 'inlined'>)"
        frames = [l.split(None, 1)[1].rsplit(" (", 1)
                  for l in sample.strip().splitlines() if len(l.split(None, 1)) > 1]
        frames = [(f[0], f[1].rstrip(")") if len(f) > 1 else "") for f in frames]
        if not frames or not LIBC_LEAF.search(frames[0][0]) or not (
                "libc.so" in frames[0][1] or frames[0][1] == "inlined"):
            continue
        caller = next((f[0] for f in frames[1:] if f[0] in CALLERS), "other")
        counts[(libc_component(frames[0][0]), caller)] += 1
    return counts


def libc_component(sym):
    if MALLOC.match(sym) or re.search(r"malloc|free|memalign", sym):
        return "libc malloc/free"
    if "memmove" in sym or "memcpy" in sym:
        return "libc memcpy"
    return "libc memset"


def matmul_times(exe, args, steps=200):
    """Per-matmul execution times of training steps from ONEDNN_VERBOSE=1
    (oneDNN times each primitive execution itself). The 8 matmuls of a step
    are printed in program order; the first 10 steps are skipped."""
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), ONEDNN_VERBOSE="1")
    wait_quiet(args.quiet_threshold, args.max_wait)
    out = subprocess.run([exe, "--epochs", "1", "--max-steps", str(steps)],
                         check=True, env=env, capture_output=True, text=True).stdout
    execs = [l.split(",") for l in out.splitlines()
             if l.startswith("onednn_verbose,exec,cpu,matmul")]
    per_step = 8  # 3 forward, 3 weight gradients, 2 input gradients
    table = collections.defaultdict(list)
    for i, e in enumerate(execs[10 * per_step: steps * per_step]):
        # fields: ..., memory descriptors (layouts), attrs, aux, problem, time
        layouts = " ".join(d.split("::")[1].split(":")[1] for d in e[6].split())
        table[(i % per_step, e[-2], layouts)].append(float(e[-1]))
    print(f"\noneDNN matmuls of one training step ({args.threads} thread(s), "
          f"ONEDNN_VERBOSE, median of {steps - 10} steps):")
    print(f"  {'#':>2s} {'m x k : k x n':24s} {'src/wei/dst':12s} {'us':>7s} {'GFLOP/s':>8s}")
    total = 0.0
    for (pos, prob, lay), ts in sorted(table.items()):
        (m, k), (_, n) = [tuple(map(int, d.split("x"))) for d in prob.split(":")[:2]]
        t = sorted(ts)[len(ts) // 2] * 1000.0
        total += t
        print(f"  {pos:2d} {prob:24s} {lay:12s} {t:7.1f} {2 * m * n * k / t / 1e3:8.1f}")
    print(f"  sum {total:.1f} us/step")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kilnc", default=os.path.join(REPO, "build/bin/kilnc"))
    ap.add_argument("--model", default=os.path.join(REPO, "examples/fashion_mlp.kiln"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=8,
                    help="pairs of (1-epoch, 1-step) runs")
    ap.add_argument("--period-us", type=int, default=1000,
                    help="sampling period in us of CPU time per thread; shorter "
                    "periods slow the binary down (timer interrupts in a VM)")
    ap.add_argument("--quiet-threshold", type=float, default=0.15)
    ap.add_argument("--max-wait", type=float, default=120.0)
    ap.add_argument("--max-retries", type=int, default=3)
    ap.add_argument("--top", type=int, default=12, help="hottest symbols to list")
    ap.add_argument("--no-matmul-times", action="store_true",
                    help="skip the per-matmul timing run (ONEDNN_VERBOSE)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="kiln-prof-") as workdir:
        exe = os.path.join(workdir, "fashion_mlp")
        subprocess.run([args.kilnc, "train", args.model, "-o", exe], check=True)
        full, base = collections.Counter(), collections.Counter()
        full_callers, base_callers = collections.Counter(), collections.Counter()
        sps = []
        for r in range(args.runs):  # interleave full and base runs
            f = record(exe, [], args, workdir)
            b = f and record(exe, ["--max-steps", "1"], args, workdir)
            if not b:
                print(f"run {r + 1}/{args.runs}: machine busy, pair dropped", flush=True)
                continue
            full.update(f[0])
            full_callers.update(f[1])
            base.update(b[0])
            base_callers.update(b[1])
            sps.append(f[2]["samples_per_second"])
            print(f"run {r + 1}/{args.runs}: {sps[-1]:,.0f} samples/s (under perf)",
                  flush=True)
        if not args.no_matmul_times:
            matmul_times(exe, args)
    if not sps:
        sys.exit("profile_mlp: no undisturbed run")

    steps = len(sps) * (STEPS_PER_EPOCH - 1)
    us = args.period_us / steps  # microseconds per step that one sample stands for
    exe_name = "fashion_mlp"
    by_comp = collections.defaultdict(lambda: [0, 0])  # [main, all]
    by_sym = collections.Counter()
    for key in set(full) | set(base):
        d = full[key] - base[key]
        thread, dso, sym = key
        comp = component(dso, sym, exe_name)
        by_comp[comp][1] += d
        if thread == "main":
            by_comp[comp][0] += d
        by_sym[(dso, sym)] += d
    tot_main = sum(v[0] for v in by_comp.values())
    tot_all = sum(v[1] for v in by_comp.values())
    wall_us = 1e6 * 128 / sorted(sps)[len(sps) // 2]
    print(f"\n{args.threads} thread(s), {len(sps)} undisturbed runs; training steps only "
          f"(1-epoch run minus 1-step run); median under perf "
          f"{sorted(sps)[len(sps) // 2]:,.0f} samples/s = {wall_us:.0f} us/step wall")
    print(f"{'component':48s} {'main us/step':>12s} {'%':>6s} "
          f"{'all us/step':>12s} {'%':>6s}")
    for comp, (m, a) in sorted(by_comp.items(), key=lambda kv: -kv[1][1]):
        print(f"{comp:48s} {m * us:12.1f} {100 * m / tot_main:6.1f} "
              f"{a * us:12.1f} {100 * a / tot_all:6.1f}")
    print(f"{'total':48s} {tot_main * us:12.1f} {'':6s} {tot_all * us:12.1f}")
    print("\nlibc calls by caller (all threads, us/step; from call graphs):")
    for key in sorted(set(full_callers) | set(base_callers)):
        d = full_callers[key] - base_callers[key]
        print(f"  {key[0]:18s} from {key[1]:20s} {d * us:8.1f}")
    print("\nhottest symbols (all threads, us/step):")
    for (dso, sym), d in by_sym.most_common(args.top):
        print(f"  {d * us:8.1f}  {dso:24s} {sym}")


if __name__ == "__main__":
    sys.exit(main())
