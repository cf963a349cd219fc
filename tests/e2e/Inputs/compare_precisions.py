"""Compares the tensors of an f32 and an f64 safetensors file of one model.

Usage: compare_precisions.py F32 F64 TOLERANCE
Every tensor must agree to TOLERANCE relative to the largest magnitude of the
f64 tensor (and at least TOLERANCE absolutely).
"""
import array
import json
import struct
import sys


def tensors(path, code):
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        data = f.read()
    return {name: array.array(code, data[i["data_offsets"][0]:i["data_offsets"][1]])
            for name, i in header.items() if name != "__metadata__"}


single, double = tensors(sys.argv[1], "f"), tensors(sys.argv[2], "d")
tolerance = float(sys.argv[3])
assert single.keys() == double.keys(), (single.keys(), double.keys())
for name in single:
    scale = max(1.0, max(abs(x) for x in double[name]))
    error = max(abs(a - b) for a, b in zip(single[name], double[name]))
    assert error <= tolerance * scale, f"{name}: {error} > {tolerance * scale}"
print("ok", len(single), "tensors")
