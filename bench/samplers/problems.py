"""The samplers benchmark's test problems, read from problems.json (shared with problems.ts).

Pure Python (math only) so that test/unit/bench/problems.test.ts can run it with any python3 to
check that both languages compute the same values:

    python3 bench/samplers/problems.py < points.json   # [{"problem": name, "params": {...}}, ...]
"""
import json
import math
import sys
from pathlib import Path

_FILE = json.loads((Path(__file__).parent / "problems.json").read_text())
_H6 = _FILE["constants"]["hartmann6"]


def _xs(params, n, prefix="x"):
    return [params[f"{prefix}{i + 1}"] for i in range(n)]


def branin(x1, x2):
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(x):
    total = 0.0
    for i in range(4):
        inner = sum(_H6["A"][i][j] * (x[j] - _H6["P"][i][j]) ** 2 for j in range(6))
        total += _H6["alpha"][i] * math.exp(-inner)
    return -total


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2 for i in range(len(x) - 1))


def ackley(x):
    n = len(x)
    squares = sum(v * v for v in x) / n
    cosines = sum(math.cos(2 * math.pi * v) for v in x) / n
    return -20 * math.exp(-0.2 * math.sqrt(squares)) - math.exp(cosines) + 20 + math.e


def styblinski_tang(x):
    return 0.5 * sum(v**4 - 16 * v**2 + 5 * v for v in x)


def mixed_conditional(p):
    model = p["model"]
    if model == "branin":
        branch = branin(p["x1"], p["x2"])
    elif model == "sphere":
        branch = 0.5 + sum((z - 1) ** 2 for z in _xs(p, 3, "z"))
    elif model == "ladder":
        branch = 2 + abs(p["k"] - 36) / 10
    else:
        raise ValueError(f"unknown model {model}")
    return branch + 0.02 * (math.log2(p["units"]) - 5) ** 2 + 0.5 * (math.log10(p["lr"]) + 2.5) ** 2


_FORMULAS = {
    "branin": lambda p, n: branin(p["x1"], p["x2"]),
    "hartmann6": lambda p, n: hartmann6(_xs(p, 6)),
    "rosenbrock": lambda p, n: rosenbrock(_xs(p, n)),
    "ackley": lambda p, n: ackley(_xs(p, n)),
    "styblinskiTang": lambda p, n: styblinski_tang(_xs(p, n)),
    "mixedConditional": lambda p, n: mixed_conditional(p),
}


class Problem:
    def __init__(self, spec):
        self.name = spec["name"]
        self.f_star = spec["fStar"]
        self.parameters = spec["parameters"]
        self._formula = _FORMULAS[spec["function"]]

    def evaluate(self, params):
        return self._formula(params, len(self.parameters))

    def regret(self, best):
        return max(0.0, best - self.f_star)


PROBLEMS = {spec["name"]: Problem(spec) for spec in _FILE["problems"]}


def is_active(param, chosen):
    """Same rule as SearchSpace.isActive: every parent present and holding a listed value."""
    for parent, expected in (param.get("when") or {}).items():
        wanted = expected if isinstance(expected, list) else [expected]
        if parent not in chosen or chosen[parent] not in wanted:
            return False
    return True


if __name__ == "__main__":
    points = json.load(sys.stdin)
    json.dump([PROBLEMS[p["problem"]].evaluate(p["params"]) for p in points], sys.stdout)
