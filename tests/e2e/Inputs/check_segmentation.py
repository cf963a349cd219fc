"""Checks the training log of the segmentation example (fashion_fcn).

Usage: check_segmentation.py LOG IMAGES THRESHOLD

The masks are pixel / 255 > THRESHOLD of the test IMAGES (an IDX file,
gzipped). Predicting background everywhere scores 1 - the foreground
fraction, about 68.5% on Fashion-MNIST; a model that learned anything must
beat that clearly.
"""
import gzip
import json
import sys

log_path, images_path, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])

with gzip.open(images_path, "rb") as f:
    pixels = f.read()[16:]  # after the magic number and three dimensions
foreground = sum(pixels.count(bytes([v])) for v in range(256)
                 if v / 255 > threshold)
baseline = 1 - foreground / len(pixels)

records = [json.loads(line) for line in open(log_path)]
assert len(records) == 1, records
record = records[0]
# The per-pixel loss starts at ln 2 = 0.69.
assert record["train_loss"] < 0.5, record
assert record["test_loss"] < 0.35, record
assert record["test_accuracy"] > baseline + 0.1, (record, baseline)
print(f"ok: pixel accuracy {record['test_accuracy']:.4f}, "
      f"all-background {baseline:.4f}")
