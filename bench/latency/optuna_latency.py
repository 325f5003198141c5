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
"""
import argparse
import json
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
    results = {}
    for size, histories in spec["histories"].items():
        samples = []
        for rep, history in enumerate(histories):
            study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=rep))
            study.add_trials(
                [create_trial(params=t["params"], distributions=dists, value=t["value"]) for t in history]
            )
            for i in range(spec["warmup"] + spec["asks"]):
                started = time.perf_counter()
                trial = study.ask()
                for p in params:
                    trial.suggest_float(p["name"], p["min"], p["max"])
                took = (time.perf_counter() - started) * 1000
                study.tell(trial, state=TrialState.FAIL)
                if i >= spec["warmup"]:
                    samples.append(took)
        samples.sort()
        print(f"optuna tpe {size:>5} finished trials: p50 {samples[len(samples) // 2]:.2f} ms", file=sys.stderr, flush=True)
        results[size] = samples
    json.dump({"optuna": optuna.__version__, "python": sys.version.split()[0], "ms": results}, open(args.out, "w"))


if __name__ == "__main__":
    main()
