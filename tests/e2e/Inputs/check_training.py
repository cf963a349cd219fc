"""Checks a training log and the saved weights of the example MLP.

Usage: check_training.py LOG SAFETENSORS
"""
import json
import struct
import sys

log_path, weights_path = sys.argv[1], sys.argv[2]

records = [json.loads(line) for line in open(log_path)]
assert len(records) == 1, records
record = records[0]
for key in ("epoch", "train_loss", "test_loss", "test_accuracy", "seconds",
            "samples_per_second"):
    assert key in record, f"log lacks {key}: {record}"
# Chance is 10% and the first losses are ln(10) = 2.30.
assert record["train_loss"] < 1.0, record
assert record["test_loss"] < 0.8, record
assert record["test_accuracy"] > 0.75, record

with open(weights_path, "rb") as f:
    (header_size,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(header_size))
expected = {
    "fc1.weight": [256, 784], "fc1.bias": [256],
    "fc2.weight": [128, 256], "fc2.bias": [128],
    "fc3.weight": [10, 128], "fc3.bias": [10],
}
for name, shape in expected.items():
    assert header[name]["dtype"] == "F32", header[name]
    assert header[name]["shape"] == shape, (name, header[name])
print("ok:", record)
