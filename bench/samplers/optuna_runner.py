"""Optuna's side of `npm run bench -- samplers`: the same problems, trial budget and seeds as ours.

Run by bench/samplers.ts inside a throwaway virtualenv with Optuna from PyPI. Sequential
ask/tell on an in-memory study, as a user of the library would write it:

    python bench/samplers/optuna_runner.py --trials 200 --seeds 0-19 --out /tmp/optuna.json

Samplers, each with the installed Optuna's defaults except the seed:
  tpe    TPESampler(seed=s)   (Optuna 5.0: multivariate for single-objective studies, constant liar,
                               10 start-up trials, 24 candidates)
  random RandomSampler(seed=s)
  qmc    QMCSampler(qmc_type="sobol", scramble=True, seed=s)

Writes per-seed best-so-far regrets at checkpoints (the last is the final regret) to --out as
JSON; progress goes to stderr, one line per problem and sampler.
"""
import argparse
import inspect
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

import optuna

sys.path.insert(0, str(Path(__file__).parent))
from problems import PROBLEMS, is_active  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")  # QMCSampler is experimental; conditional params go independent

SAMPLERS = {
    "tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
    "qmc": lambda seed: optuna.samplers.QMCSampler(qmc_type="sobol", scramble=True, seed=seed),
}


def suggest(trial, parameters):
    """Define-by-run over our parameter schema; inactive conditional parameters are never asked."""
    chosen = {}
    for p in parameters:
        if not is_active(p, chosen):
            continue
        name, kind = p["name"], p["type"]
        if kind == "float":
            chosen[name] = trial.suggest_float(name, p["min"], p["max"], log=p.get("log", False), step=p.get("step"))
        elif kind == "int":
            chosen[name] = trial.suggest_int(name, p["min"], p["max"], log=p.get("log", False), step=p.get("step", 1))
        elif kind == "categorical":
            chosen[name] = trial.suggest_categorical(name, p["values"])
        else:
            raise ValueError(f"parameter kind {kind} is not used by the benchmark problems")
    return chosen


def run_one(problem, make_sampler, seed, trials, checkpoints):
    study = optuna.create_study(direction="minimize", sampler=make_sampler(seed))
    best = float("inf")
    curve = []
    for t in range(1, trials + 1):
        trial = study.ask()
        value = problem.evaluate(suggest(trial, problem.parameters))
        study.tell(trial, value)
        best = min(best, value)
        if t in checkpoints:
            curve.append(problem.regret(best))
    return curve


def parse_seeds(text):
    lo, _, hi = text.partition("-")
    return list(range(int(lo), int(hi or lo) + 1))


def parse_checkpoints(text, trials):
    """The checkpoints at or below `trials`, always ending with `trials` (the final regret)."""
    checkpoints = [int(c) for c in text.split(",") if int(c) <= trials]
    return checkpoints if trials in checkpoints else checkpoints + [trials]


def run_table(problem_names, sampler_names, run):
    """Every (problem, sampler) over the seeds: `run(problem_name, problem, sampler)` returns one
    curve per seed. Returns {problem: {sampler: {curves, seconds}}}, printing a line per pair."""
    results = {}
    for name in problem_names:
        results[name] = {}
        for sampler in sampler_names:
            started = time.perf_counter()
            curves = run(name, PROBLEMS[name], sampler)
            seconds = time.perf_counter() - started
            print(
                f"optuna {sampler:6} {name:18} {len(curves)} seeds, median final regret "
                f"{statistics.median(c[-1] for c in curves):.3g} ({seconds:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
            results[name][sampler] = {"curves": curves, "seconds": seconds}
    return results


def tpe_defaults():
    sig = inspect.signature(optuna.samplers.TPESampler.__init__)
    return {k: repr(v.default) for k, v in sig.parameters.items() if k != "self"}


def run_arguments(samplers):
    """The arguments both Optuna runners take; `samplers` is the default --samplers list."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seeds", default="0-19")
    ap.add_argument("--samplers", default=samplers)
    ap.add_argument("--problems", default=",".join(PROBLEMS))
    ap.add_argument("--checkpoints", default="25,50,100,200")
    ap.add_argument("--out", required=True)
    return ap


def main():
    args = run_arguments("tpe,random,qmc").parse_args()
    seeds = parse_seeds(args.seeds)
    checkpoints = parse_checkpoints(args.checkpoints, args.trials)
    results = run_table(
        args.problems.split(","),
        args.samplers.split(","),
        lambda _name, problem, sampler: [run_one(problem, SAMPLERS[sampler], s, args.trials, set(checkpoints)) for s in seeds],
    )

    out = {
        "optuna": optuna.__version__,
        "python": sys.version.split()[0],
        "seeds": seeds,
        "trials": args.trials,
        "checkpoints": checkpoints,
        "samplers": {
            "tpe": "TPESampler(seed=s) with the defaults below",
            "random": "RandomSampler(seed=s)",
            "qmc": "QMCSampler(qmc_type='sobol', scramble=True, seed=s)",
        },
        "tpeDefaults": tpe_defaults(),
        "results": results,
    }
    Path(args.out).write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
