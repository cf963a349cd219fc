"""Writes a small, deliberately broken Fashion-MNIST-style data folder.

Usage: make_idx.py DIR {bad-magic|truncated|count-mismatch}
"""
import gzip
import os
import struct
import sys

folder, kind = sys.argv[1], sys.argv[2]


def write(name, magic, dims, payload):
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims)
    with gzip.open(os.path.join(folder, name), "wb") as f:
        f.write(header + payload)


images, labels = 256, 256
image_magic = 0x00000803
image_bytes = bytes(images * 28 * 28)
if kind == "bad-magic":
    image_magic = 0x12345678
elif kind == "truncated":
    image_bytes = image_bytes[:1000]
elif kind == "count-mismatch":
    labels = 300
for split in ("train", "t10k"):
    write(f"{split}-images-idx3-ubyte.gz", image_magic, [images, 28, 28], image_bytes)
    write(f"{split}-labels-idx1-ubyte.gz", 0x00000801, [labels], bytes(labels))
