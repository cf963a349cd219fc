"""Checks the step records of a scheduled run against the recipe.

Usage: check_schedule.py step LOG   (Inputs/mlp_schedule.kiln, --log-every 1)
       check_schedule.py plateau LOG (Inputs/mlp_plateau.kiln, --log-every 1)
"""
import json
import math
import sys

kind, log_path = sys.argv[1], sys.argv[2]
records = [json.loads(line) for line in open(log_path)]
steps = [r for r in records if r["type"] == "step"]
epochs = [r for r in records if r["type"] == "epoch"]
assert len(epochs) == 3, epochs
per_epoch = len(steps) // 3
assert per_epoch * 3 == len(steps) and per_epoch > 50, len(steps)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-6)


for r in steps:
    assert r["grad_norm"] > 0 and math.isfinite(r["grad_norm"]), r
    t = r["step"] - 1  # completed steps before this one
    epoch = r["epoch"] - 1
    if kind == "step":
        warm = 0.2 + 0.8 * min(t / 50, 1.0)
        expected = 0.1 * 0.5**epoch * warm
    else:
        # The first epoch sets the best loss; every later one is a plateau
        # and halves the rate from the next epoch on.
        expected = 0.05 * 0.5**max(epoch - 1, 0)
    assert close(r["lr"], expected), (r, expected)
if kind == "plateau":
    assert [e["lr_scale"] for e in epochs] == [1.0, 0.5, 0.25], epochs
    assert all("val_loss" in e for e in epochs), epochs
print("ok", len(steps), "steps")
