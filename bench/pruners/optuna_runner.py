"""Optuna's side of `npm run bench -- pruners`: TPESampler(seed=s) on one family of learning
curves — the synthetic ones of bench/pruners/curves.py (`--family crossing` or `ranked`, 100 steps)
or the recorded Fashion-MNIST ones of fashion.py (`--family fashion`, 27 epochs) — with no pruner
and with MedianPruner, SuccessiveHalvingPruner and HyperbandPruner, their resources set per family
as bench/pruners/families.ts sets ours; and RandomSampler(seed=s) with no pruner and with
SuccessiveHalvingPruner (`none-random`, `asha-random`) (`FAMILIES` below must match it). Each trial reports its
loss at every step 1..max and stops when `trial.should_prune()` says so, as a training loop would:

    python bench/pruners/optuna_runner.py --family crossing --trials 200 --seeds 0-19 --out /tmp/pruners.json

Writes, per pruner and seed, the steps trained, the final regret (best completed trial's loss at
the last step minus the family's lower bound) and the sampled regret (the same for the best proposed
configuration, pruned ones included, had it trained to the end), the progress (the steps trained
each time a completed trial lowered the regret, and the regret then); on fashion also how many distinct
curves the study's trials replayed (`curves`) and how many distinct recorded configurations were
nearest to them (`cells`: what the nearest-cell replay before 2026-11-25 would have replayed them from).
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
from fashion import FASHION_EPOCHS, FASHION_REPLAY, fashion_curves, read_table  # noqa: E402
from optuna_runner import parse_seeds, suggest  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")

SYNTHETIC = {"max_steps": MAX_STEPS, "asha": (2, 4), "hyperband": (1, 3)}
# Per family: steps per trial, ASHA's (min_resource, reduction_factor), Hyperband's (min_resource, reduction_factor).
FAMILIES = {
    "crossing": {**SYNTHETIC, "loss_at": CURVE_FAMILIES["crossing"], "lower_bound": lambda: LOWER_BOUND},
    "ranked": {**SYNTHETIC, "loss_at": CURVE_FAMILIES["ranked"], "lower_bound": lambda: LOWER_BOUND},
    "fashion": {
        "max_steps": FASHION_EPOCHS, "asha": (1, 3), "hyperband": (1, 3),
        "loss_at": lambda p, step: fashion_curves().loss_at(p, step), "lower_bound": lambda: fashion_curves().lower_bound,
    },
}


def pruner_specs(family):
    """Per row: (description, pruner constructor, sampler constructor of the seed) with the family's resources."""
    f = FAMILIES[family]
    a_min, a_eta = f["asha"]
    h_min, h_eta = f["hyperband"]
    m = f["max_steps"]
    tpe = lambda seed: optuna.samplers.TPESampler(seed=seed)  # noqa: E731
    random = lambda seed: optuna.samplers.RandomSampler(seed=seed)  # noqa: E731
    asha = f"SuccessiveHalvingPruner(min_resource={a_min}, reduction_factor={a_eta})"
    return {
        "none": ("NopPruner()", lambda: optuna.pruners.NopPruner(), tpe),
        "median": ("MedianPruner(n_startup_trials=5, n_warmup_steps=0)", lambda: optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=0), tpe),
        "asha": (asha, lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=a_min, reduction_factor=a_eta), tpe),
        "hyperband": (f"HyperbandPruner(min_resource={h_min}, max_resource={m}, reduction_factor={h_eta})", lambda: optuna.pruners.HyperbandPruner(min_resource=h_min, max_resource=m, reduction_factor=h_eta), tpe),
        "none-random": ("RandomSampler(seed=s), NopPruner()", lambda: optuna.pruners.NopPruner(), random),
        "asha-random": (f"RandomSampler(seed=s), {asha}", lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=a_min, reduction_factor=a_eta), random),
    }


def run_one(pruner, seed, trials, family):
    f = FAMILIES[family]
    loss_at = f["loss_at"]
    max_steps = f["max_steps"]
    lower_bound = f["lower_bound"]()
    # A fixed study name: HyperbandPruner assigns trials to brackets by a hash of the study name and
    # the trial number, and the default name is a random UUID, which made its rows differ run to run.
    _, make_pruner, make_sampler = pruner_specs(family)[pruner]
    study = optuna.create_study(
        study_name=f"pruners-{family}-{pruner}-{seed}", direction="minimize",
        sampler=make_sampler(seed), pruner=make_pruner(),
    )
    steps = 0
    best = float("inf")
    best_sampled = float("inf")
    progress = []
    cells = set()
    curves = set()
    for _ in range(trials):
        trial = study.ask()
        params = suggest(trial, CURVE_PARAMETERS)
        if family == "fashion":
            cells.add(fashion_curves().nearest(params))
            curves.add(tuple(fashion_curves().curve(params)))
        pruned = False
        for step in range(1, max_steps + 1):
            value = loss_at(params, step)
            steps += 1
            trial.report(value, step)
            if step < max_steps and trial.should_prune():
                pruned = True
                break
        best_sampled = min(best_sampled, loss_at(params, max_steps))
        if pruned:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        else:
            study.tell(trial, value)
            if value < best:
                progress.append([steps, value - lower_bound])
            best = min(best, value)
    out = {"steps": steps, "regret": best - lower_bound, "sampledRegret": best_sampled - lower_bound, "progress": progress}
    if family == "fashion":
        out["cells"] = len(cells)
        out["curves"] = len(curves)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", default="crossing", choices=sorted(FAMILIES))
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seeds", default="0-19")
    ap.add_argument("--pruners", default="none,median,asha,hyperband,none-random,asha-random")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    seeds = parse_seeds(args.seeds)
    results = {}
    for pruner in args.pruners.split(","):
        started = time.perf_counter()
        runs = [run_one(pruner, s, args.trials, args.family) for s in seeds]
        seconds = time.perf_counter() - started
        results[pruner] = {"runs": runs, "seconds": seconds}
        print(f"optuna {args.family:8} {pruner:11} {len(seeds)} seeds ({seconds:.1f} s)", file=sys.stderr, flush=True)
    out = {
        "optuna": optuna.__version__,
        "python": sys.version.split()[0],
        "family": args.family,
        "seeds": seeds,
        "trials": args.trials,
        "pruners": {p: pruner_specs(args.family)[p][0] for p in args.pruners.split(",")},
        "results": results,
    }
    if args.family == "fashion":
        out["table"] = read_table()["date"]
        out["replay"] = FASHION_REPLAY
    Path(args.out).write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
