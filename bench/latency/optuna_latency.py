"""Optuna's side of `npm run bench -- latency`: time of one `study.ask()` with n finished trials.

Run by bench/latency.ts inside the throwaway Optuna virtualenv, after our side, on the very same
histories (written by bench/latency.ts to a JSON file: for each size and repetition, the finished
trials' params and values):

    python bench/latency/optuna_latency.py --histories /tmp/h.json --out /tmp/optuna-latency.json

Measured the way a user would meet it: `TPESampler(seed=s)` with the installed version's defaults
(Optuna 5.0: multivariate, constant liar), the history added with `study.add_trials`, then for each
timed repetition `trial = study.ask()` plus the five `suggest_float` calls (the relative sample is
drawn inside ask(); the suggests only read it back). Each timed trial is then told FAIL so that the
model keeps seeing exactly n finished trials. The first `warmup` asks per history are not timed.
Timing goes in rounds (history 0 at every size, then history 1, ...), as on our side.
"""
import argparse
import json
import statistics
import sys
import time
import warnings

import optuna
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState, create_trial

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--histories", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    spec = json.load(open(args.histories))
    params = spec["parameters"]
    dists = {p["name"]: FloatDistribution(p["min"], p["max"]) for p in params}
    # Build every study first, then time in rounds (history 0 at every size, then history 1, ...),
    # as bench/latency.ts does, so bursts of other work on the machine spread over the sizes.
    studies = {}
    for size, histories in spec["histories"].items():
        for rep, history in enumerate(histories):
            study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=rep))
            study.add_trials(
                [create_trial(params=t["params"], distributions=dists, value=t["value"]) for t in history]
            )
            studies[(size, rep)] = study
    results = {size: [] for size in spec["histories"]}
    cpu = {size: [] for size in spec["histories"]}
    rounds = max(rep for _, rep in studies) + 1
    for rep in range(rounds):
        for size in spec["histories"]:
            study = studies[(size, rep)]
            for i in range(spec["warmup"] + spec["asks"]):
                cpu_started = time.process_time()
                started = time.perf_counter()
                trial = study.ask()
                for p in params:
                    trial.suggest_float(p["name"], p["min"], p["max"])
                took = (time.perf_counter() - started) * 1000
                cpu_took = (time.process_time() - cpu_started) * 1000
                study.tell(trial, state=TrialState.FAIL)
                if i >= spec["warmup"]:
                    results[size].append(took)
                    cpu[size].append(cpu_took)
    for size, samples in results.items():
        print(f"optuna tpe {size:>5} finished trials: p50 {statistics.median(samples):.2f} ms", file=sys.stderr, flush=True)
    json.dump({"optuna": optuna.__version__, "python": sys.version.split()[0], "ms": results, "cpuMs": cpu}, open(args.out, "w"))


if __name__ == "__main__":
    main()
