"""Checks the log of a full-batch run (Newton's method, line search).

Usage: check_full_batch.py LOG MAX_ITERATIONS [SAFETENSORS]

The run must reach a gradient norm below 1e-8 within MAX_ITERATIONS
iterations, from ln 2 (zero weights), with a loss that never increases and a
gradient norm that falls by at least six orders of magnitude. With
SAFETENSORS, the saved weights must be the 21 F64 numbers of the model.
"""
import json
import math
import struct
import sys

log_path, max_iterations = sys.argv[1], int(sys.argv[2])
records = [json.loads(line) for line in open(log_path)]
iterations = [r for r in records if r["type"] == "iteration"]
result = records[-1]
assert result["type"] == "result", result

assert [r["iteration"] for r in iterations] == list(range(len(iterations)))
assert abs(iterations[0]["loss"] - math.log(2)) < 1e-12, iterations[0]
losses = [r["loss"] for r in iterations]
for before, after in zip(losses, losses[1:]):
    assert after <= before, ("the loss increased", before, after)
first, last = iterations[0]["grad_norm"], iterations[-1]["grad_norm"]
assert last < 1e-8 and last < first * 1e-6, (first, last)
assert result["converged"] and result["iterations"] <= max_iterations, result
assert result["iterations"] == iterations[-1]["iteration"], result
assert result["test_accuracy"] > 0.85, result

if len(sys.argv) > 3:
    with open(sys.argv[3], "rb") as f:
        (header_size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_size))
        data = f.read()
    assert header["z.weight"]["dtype"] == "F64", header
    assert len(data) == 21 * 8, len(data)
    assert all(math.isfinite(w) for w in struct.unpack("<21d", data))
print("ok: %d iterations, loss %.12f, gradient norm %.3e" %
      (result["iterations"], result["train_loss"], result["grad_norm"]))
