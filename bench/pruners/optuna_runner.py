"""Optuna's side of `npm run bench -- pruners`: TPESampler(seed=s) on one family of the synthetic
learning curves of bench/pruners/curves.py (`--family crossing` or `ranked`), with no pruner and
with MedianPruner, SuccessiveHalvingPruner and HyperbandPruner. Each trial reports its loss at every step 1..100 and stops when
`trial.should_prune()` says so, as a training loop would:

    python bench/pruners/optuna_runner.py --family crossing --trials 200 --seeds 0-19 --out /tmp/pruners.json

Writes, per pruner and seed, the steps trained, the final regret (best completed trial's loss at
step 100 minus the curves' lower bound) and the sampled regret (the same for the best proposed
configuration, pruned ones included, had it trained to the end).
"""
import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import optuna

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "samplers"))
from curves import CURVE_FAMILIES, CURVE_PARAMETERS, LOWER_BOUND, MAX_STEPS  # noqa: E402
from optuna_runner import parse_seeds, suggest  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")

PRUNERS = {
    "none": lambda: optuna.pruners.NopPruner(),
    "median": lambda: optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=0),
    "asha": lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=2, reduction_factor=4),
    "hyperband": lambda: optuna.pruners.HyperbandPruner(min_resource=1, max_resource=MAX_STEPS, reduction_factor=3),
}
DESCRIPTIONS = {
    "none": "NopPruner()",
    "median": "MedianPruner(n_startup_trials=5, n_warmup_steps=0)",
    "asha": "SuccessiveHalvingPruner(min_resource=2, reduction_factor=4)",
    "hyperband": f"HyperbandPruner(min_resource=1, max_resource={MAX_STEPS}, reduction_factor=3)",
}


def run_one(pruner, seed, trials, family):
    loss_at = CURVE_FAMILIES[family]
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed), pruner=PRUNERS[pruner]())
    steps = 0
    best = float("inf")
    best_sampled = float("inf")
    for _ in range(trials):
        trial = study.ask()
        params = suggest(trial, CURVE_PARAMETERS)
        pruned = False
        for step in range(1, MAX_STEPS + 1):
            value = loss_at(params, step)
            steps += 1
            trial.report(value, step)
            if step < MAX_STEPS and trial.should_prune():
                pruned = True
                break
        best_sampled = min(best_sampled, loss_at(params, MAX_STEPS))
        if pruned:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        else:
            study.tell(trial, value)
            best = min(best, value)
    return {"steps": steps, "regret": best - LOWER_BOUND, "sampledRegret": best_sampled - LOWER_BOUND}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", default="crossing", choices=sorted(CURVE_FAMILIES))
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seeds", default="0-19")
    ap.add_argument("--pruners", default="none,median,asha,hyperband")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    seeds = parse_seeds(args.seeds)
    results = {}
    for pruner in args.pruners.split(","):
        started = time.perf_counter()
        runs = [run_one(pruner, s, args.trials, args.family) for s in seeds]
        seconds = time.perf_counter() - started
        results[pruner] = {"runs": runs, "seconds": seconds}
        print(f"optuna {args.family:8} {pruner:9} {len(seeds)} seeds ({seconds:.1f} s)", file=sys.stderr, flush=True)
    out = {
        "optuna": optuna.__version__,
        "python": sys.version.split()[0],
        "family": args.family,
        "seeds": seeds,
        "trials": args.trials,
        "pruners": {p: DESCRIPTIONS[p] for p in args.pruners.split(",")},
        "results": results,
    }
    Path(args.out).write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
