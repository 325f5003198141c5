"""The synthetic learning curves of `npm run bench -- pruners`, Optuna's side: the same formulas as
bench/pruners/curves.ts (see there for the family); test/unit/bench/pruner-curves.test.ts checks
both agree by piping points through `python3 curves.py` (JSON [{params, step}] in, losses out).
"""
import json
import math
import sys

MAX_STEPS = 100
START = 2.5
LOWER_BOUND = 0.05

CURVE_PARAMETERS = [
    {"name": "lr", "type": "float", "min": 1e-4, "max": 1, "log": True},
    {"name": "width", "type": "int", "min": 16, "max": 1024, "log": True},
    {"name": "dropout", "type": "float", "min": 0, "max": 0.6},
    {"name": "optimizer", "type": "categorical", "values": ["adam", "sgd"]},
]


def floor_of(p):
    u = math.log10(p["lr"])
    w = math.log2(p["width"])
    d = p["dropout"]
    return LOWER_BOUND + 0.08 * (u + 2.5) ** 2 + 0.02 * (w - 8) ** 2 + 0.6 * (d - 0.2) ** 2 + (0.05 if p["optimizer"] == "sgd" else 0)


def rate_of(p):
    u = math.log10(p["lr"])
    d = p["dropout"]
    return 0.4 * 10 ** (0.15 * (u + 2.5)) * (0.6 if p["optimizer"] == "sgd" else 1) * (1 - 0.5 * d)


def loss_at(p, step):
    floor = floor_of(p)
    u = math.log10(p["lr"])
    wiggle = 0.02 * (1 - step / MAX_STEPS) * math.exp(-step / 30) * math.sin(2.1 * step + 7 * u + 3 * p["dropout"])
    return floor + (START - floor) * math.exp(-rate_of(p) * step) + wiggle


if __name__ == "__main__":
    points = json.load(sys.stdin)
    print(json.dumps([loss_at(x["params"], x["step"]) for x in points]))
