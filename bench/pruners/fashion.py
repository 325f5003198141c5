"""The `fashion` family of `npm run bench -- pruners`, Optuna's side: the recorded Fashion-MNIST
learning curves of bench/pruners/fashion-curves.json replayed exactly as bench/pruners/fashion.ts
does (see there for the surrogate and its limits): a trial's curve is that of the nearest recorded
configuration with the same optimizer, distance in the unit-cube encoding
x = (log10 lr + 4) / 4, w = (log2 width - 4) / 6, d = dropout / 0.6, ties to the lowest index; a
diverged epoch (null) is replayed as the table's largest finite loss, at least ln 10.
test/unit/bench/pruner-curves.test.ts checks both agree by piping queries through
`python3 fashion.py` (JSON {"table": path | null, "curves": [...] | null, "queries": [{params, step}]}
in, [{nearest, loss}] out).
"""
import json
import math
import sys
from pathlib import Path

FASHION_EPOCHS = 27
TABLE_PATH = Path(__file__).parent / "fashion-curves.json"


def encode(p):
    return ((math.log10(p["lr"]) + 4) / 4, (math.log2(p["width"]) - 4) / 6, p["dropout"] / 0.6)


class FashionCurves:
    def __init__(self, configs):
        self.configs = configs
        self.points = [encode(c["params"]) for c in configs]
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

    def nearest(self, p):
        x, w, d = encode(p)
        best = -1
        best_distance = math.inf
        for i, c in enumerate(self.configs):
            if c["params"]["optimizer"] != p["optimizer"]:
                continue
            q = self.points[i]
            dx = x - q[0]
            dw = w - q[1]
            dd = d - q[2]
            distance = dx * dx + dw * dw + dd * dd
            if distance < best_distance:
                best_distance = distance
                best = i
        if best < 0:
            raise ValueError(f"the fashion table has no configuration with optimizer {p['optimizer']!r}")
        return best

    def loss_at(self, p, step):
        if not (isinstance(step, int) and 1 <= step <= FASHION_EPOCHS):
            raise ValueError(f"fashion curves have epochs 1..{FASHION_EPOCHS}, asked for {step}")
        v = self.configs[self.nearest(p)]["valLoss"][step - 1]
        return self.diverged_loss if v is None else v


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
    print(json.dumps([{"nearest": curves.nearest(q["params"]), "loss": curves.loss_at(q["params"], q["step"])} for q in request["queries"]]))
