"""Compares the tensors of two safetensors files byte for byte.

Usage: compare_tensors.py A B --same NAME... --different NAME...
"""
import json
import struct
import sys


def tensors(path):
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        data = f.read()
    return {name: data[info["data_offsets"][0]:info["data_offsets"][1]]
            for name, info in header.items() if name != "__metadata__"}


a, b = tensors(sys.argv[1]), tensors(sys.argv[2])
mode = None
for arg in sys.argv[3:]:
    if arg in ("--same", "--different"):
        mode = arg
        continue
    same = a[arg] == b[arg]
    assert same == (mode == "--same"), f"{arg}: expected {mode[2:]}"
print("ok")
