"""Optuna's side of `npm run bench -- strategies`: GPSampler, CmaEsSampler and NSGAIISampler on the
problems of the samplers benchmark, with the same trial budget and seeds as ours.

Run by bench/strategies.ts inside a throwaway virtualenv (Optuna 5.0 and `cmaes` from PyPI, torch
for GPSampler). Sequential ask/tell on an in-memory study, exactly as bench/samplers/optuna_runner.py
(whose `run_one` and define-by-run `suggest` this reuses):

    python bench/strategies/optuna_runner.py --trials 200 --seeds 0-19 --out /tmp/strategies.json

Samplers, each with the installed Optuna's defaults except the seed:
  gp     GPSampler(seed=s)       (needs torch)
  cmaes  CmaEsSampler(seed=s)    (needs the cmaes package)
  nsga2  NSGAIISampler(seed=s)

Writes per-seed best-so-far regrets at checkpoints (the last is the final regret) and seconds per
(problem, sampler) to --out; progress goes to stderr. With --seed-cache DIR each run is also kept
in DIR and read back instead of repeated (`cachedRuns` says how many were; their time is not in
`seconds`), so the standard 200-trial run can be built up over several sittings.
"""
import json
import sys
import warnings
from pathlib import Path

import optuna

sys.path.insert(0, str(Path(__file__).parent.parent / "samplers"))
from optuna_runner import parse_checkpoints, parse_seeds, run_arguments, run_one, run_table  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")  # GPSampler/CmaEsSampler warn about conditional params going independent

SAMPLERS = {
    "gp": lambda seed: optuna.samplers.GPSampler(seed=seed),
    "cmaes": lambda seed: optuna.samplers.CmaEsSampler(seed=seed),
    "nsga2": lambda seed: optuna.samplers.NSGAIISampler(seed=seed),
}
DESCRIPTIONS = {
    "gp": "GPSampler(seed=s)",
    "cmaes": "CmaEsSampler(seed=s)",
    "nsga2": "NSGAIISampler(seed=s)",
}


CACHE_HITS = [0]


def run_cached(cache, problem_name, sampler, problem, seed, trials, checkpoints):
    """One run's curve, read from `cache` when that exact run was made before (GPSampler takes
    minutes per run here, so a long benchmark can be built up over several sittings)."""
    if cache is None:
        return run_one(problem, SAMPLERS[sampler], seed, trials, set(checkpoints))
    key = f"optuna{optuna.__version__}-{problem_name}-{sampler}-t{trials}-c{'_'.join(map(str, checkpoints))}-s{seed}.json"
    path = Path(cache) / key
    if path.exists():
        CACHE_HITS[0] += 1
        return json.loads(path.read_text())
    curve = run_one(problem, SAMPLERS[sampler], seed, trials, set(checkpoints))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(curve))
    tmp.replace(path)  # whole or absent, if the run is killed
    return curve


def main():
    ap = run_arguments("gp,cmaes,nsga2")
    ap.add_argument(
        "--seed-cache",
        help="folder keeping each (problem, sampler, seed) run; a run found there is not repeated "
        "(Optuna's samplers are deterministic per seed: the same version, trials and checkpoints give the same curve)",
    )
    args = ap.parse_args()
    seeds = parse_seeds(args.seeds)
    checkpoints = parse_checkpoints(args.checkpoints, args.trials)
    results = run_table(
        args.problems.split(","),
        args.samplers.split(","),
        lambda name, problem, sampler: [run_cached(args.seed_cache, name, sampler, problem, s, args.trials, checkpoints) for s in seeds],
    )

    out = {
        "optuna": optuna.__version__,
        "python": sys.version.split()[0],
        "seeds": seeds,
        "trials": args.trials,
        "checkpoints": checkpoints,
        "samplers": {s: DESCRIPTIONS[s] for s in args.samplers.split(",")},
        "results": results,
        # Runs read from --seed-cache took no time in this sitting: `seconds` counts only the others.
        "cachedRuns": CACHE_HITS[0],
    }
    Path(args.out).write_text(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
