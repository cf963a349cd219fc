"""Checks the log and the saved weights of the f64 logistic regression.

Usage: check_logreg.py LOG SAFETENSORS
"""
import json
import math
import struct
import sys

log_path, weights_path = sys.argv[1], sys.argv[2]

epochs = [json.loads(line) for line in open(log_path)]
assert len(epochs) == 8, epochs
# Zero weights predict 1/2 everywhere: the first full-batch loss is ln 2.
first, last = epochs[0], epochs[-1]
assert abs(first["train_loss"] - math.log(2)) < 1e-12, first
assert last["train_loss"] < first["train_loss"] - 0.15, (first, last)
assert last["test_loss"] < first["test_loss"], (first, last)
# Zero weights call every point 0, which is right for 43% of the 400 test
# points; the generating weights (the best possible rule) get 79%.
assert last["test_accuracy"] > 0.7, last

with open(weights_path, "rb") as f:
    (header_size,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(header_size))
    data = f.read()
expected = {"z.weight": [1, 5], "z.bias": [1]}
for name, shape in expected.items():
    assert header[name]["dtype"] == "F64", header[name]
    assert header[name]["shape"] == shape, (name, header[name])
assert len(data) == 6 * 8, len(data)
weights = struct.unpack("<6d", data)
assert all(math.isfinite(w) and w != 0 for w in weights), weights
print("ok:", last)
