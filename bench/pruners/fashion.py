"""The `fashion` family of `npm run bench -- pruners`, Optuna's side: the recorded Fashion-MNIST
learning curves of bench/pruners/fashion-curves.json replayed exactly as bench/pruners/fashion.ts
does (see there for the surrogate, why it replaced the nearest recorded curve, and its limits): a
trial's loss at each epoch is the inverse-distance-weighted mean, weights 1 / (dist^2 + 1e-12), of
the losses at that epoch of the k = 4 nearest recorded configurations with the same optimizer
(distance in the unit-cube encoding x = (log10 lr + 4) / 4, w = (log2 width - 4) / 6,
d = dropout / 0.6; equal distances to the lowest index; summed nearest first), clamped to the range
of those losses; a diverged epoch (null) enters the mean as the table's largest finite loss, at
least ln 10. test/unit/bench/pruner-curves.test.ts checks both agree by piping queries through
`python3 fashion.py` (JSON {"table": path | null, "curves": [...] | null, "queries": [{params, step}]}
in, {"replay": name, "answers": [{neighbours, nearest, loss}]} out).
"""
import json
import math
import sys
from pathlib import Path

from curves import unit_coordinates

FASHION_EPOCHS = 27
TABLE_PATH = Path(__file__).parent / "fashion-curves.json"


FASHION_NEIGHBOURS = 4
FASHION_EPSILON = 1e-12
FASHION_REPLAY = f"idw-k{FASHION_NEIGHBOURS}"


class FashionCurves:
    def __init__(self, configs):
        self.configs = configs
        self.points = [unit_coordinates(c["params"]) for c in configs]
        worst = math.log(10)
        bound = math.inf
        for c in configs:
            for v in c["valLoss"]:
                if v is not None:
                    worst = max(worst, v)
            last = c["valLoss"][FASHION_EPOCHS - 1]
            if last is not None:
                bound = min(bound, last)
        self.diverged_loss = worst
        self.lower_bound = bound
        self.filled = [[worst if v is None else v for v in c["valLoss"]] for c in configs]
        self._last = None

    def neighbours(self, p, k=FASHION_NEIGHBOURS):
        """[(index, squared distance)] of the k nearest with the same optimizer, nearest first, ties to the lowest index."""
        x, w, d = unit_coordinates(p)
        found = []
        for i, c in enumerate(self.configs):
            if c["params"]["optimizer"] != p["optimizer"]:
                continue
            q = self.points[i]
            dx = x - q[0]
            dw = w - q[1]
            dd = d - q[2]
            found.append((dx * dx + dw * dw + dd * dd, i))
        if not found:
            raise ValueError(f"the fashion table has no configuration with optimizer {p['optimizer']!r}")
        found.sort()
        return [(i, d2) for d2, i in found[:k]]

    def nearest(self, p):
        return self.neighbours(p, 1)[0][0]

    def curve(self, p):
        key = (p["optimizer"], p["lr"], p["width"], p["dropout"])
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        near = self.neighbours(p)
        weights = [1 / (d2 + FASHION_EPSILON) for _, d2 in near]
        curve = []
        for e in range(FASHION_EPOCHS):
            num = 0.0
            den = 0.0
            lo = math.inf
            hi = -math.inf
            for (i, _), wt in zip(near, weights):
                v = self.filled[i][e]
                num += wt * v
                den += wt
                lo = min(lo, v)
                hi = max(hi, v)
            curve.append(min(hi, max(lo, num / den)))
        self._last = (key, curve)
        return curve

    def loss_at(self, p, step):
        if not (isinstance(step, int) and 1 <= step <= FASHION_EPOCHS):
            raise ValueError(f"fashion curves have epochs 1..{FASHION_EPOCHS}, asked for {step}")
        return self.curve(p)[step - 1]


def read_table(path=TABLE_PATH):
    """The table's curves (bench/pruners/fashion.ts checks the file in depth; this reads what it wrote)."""
    try:
        doc = json.loads(Path(path).read_text())
    except (OSError, ValueError) as err:
        raise SystemExit(f"fashion curves table {path}: cannot be read ({err}); record it with: node --import tsx bench/pruners/record-fashion.ts")
    if doc.get("epochs") != FASHION_EPOCHS or not doc.get("curves"):
        raise SystemExit(f"fashion curves table {path}: needs {FASHION_EPOCHS} epochs and at least one curve")
    return doc


_loaded = None


def fashion_curves():
    global _loaded
    if _loaded is None:
        _loaded = FashionCurves(read_table()["curves"])
    return _loaded


if __name__ == "__main__":
    request = json.load(sys.stdin)
    curves = FashionCurves(request["curves"]) if request.get("curves") is not None else FashionCurves(read_table(request.get("table") or TABLE_PATH)["curves"])
    answers = [
        {"neighbours": [i for i, _ in curves.neighbours(q["params"])], "nearest": curves.nearest(q["params"]), "loss": curves.loss_at(q["params"], q["step"])}
        for q in request["queries"]
    ]
    print(json.dumps({"replay": FASHION_REPLAY, "answers": answers}))
