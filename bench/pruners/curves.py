"""The synthetic learning curves of `npm run bench -- pruners`, Optuna's side: the same formulas as
bench/pruners/curves.ts (see there for the two families, `crossing` and `ranked`); test/unit/bench/pruner-curves.test.ts checks
both agree by piping points through `python3 curves.py` (JSON [{params, step, family?}] in, losses out).
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


def wiggle(p, step):
    u = math.log10(p["lr"])
    return 0.02 * (1 - step / MAX_STEPS) * math.exp(-step / 30) * math.sin(2.1 * step + 7 * u + 3 * p["dropout"])


def loss_at(p, step):
    """Crossing family."""
    floor = floor_of(p)
    return floor + (START - floor) * math.exp(-rate_of(p) * step) + wiggle(p, step)


def unit_coordinates(p):
    """lr, width and dropout on the unit cube of CURVE_PARAMETERS (log scales for lr and width)."""
    return ((math.log10(p["lr"]) + 4) / 4, (math.log2(p["width"]) - 4) / 6, p["dropout"] / 0.6)


def speed_noise_of(p):
    x, w, d = unit_coordinates(p)
    o = 1 if p["optimizer"] == "sgd" else 0
    return (math.sin(5.1 * x + 1.3 + 2.0 * o) + math.sin(4.3 * w + 7.9 * d + 0.4) + math.sin(6.7 * d + 3.1 * x + 2.2)) / math.sqrt(1.5)


def ranked_rate_of(p):
    return 0.25 * math.exp(0.5 * speed_noise_of(p) - 2 * (floor_of(p) - LOWER_BOUND))


def ranked_loss_at(p, step):
    """Ranked family: early rank predicts final rank, up to noise (see curves.ts)."""
    floor = floor_of(p)
    return floor + (START - floor) * math.exp(-ranked_rate_of(p) * step) + wiggle(p, step)


CURVE_FAMILIES = {"crossing": loss_at, "ranked": ranked_loss_at}


if __name__ == "__main__":
    points = json.load(sys.stdin)
    print(json.dumps([CURVE_FAMILIES[x.get("family", "crossing")](x["params"], x["step"]) for x in points]))
