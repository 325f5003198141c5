"""Optuna's side of bench/strategies/gp-parity.ts: on the very histories our GP produced, what
Optuna 5.0's GP fits and proposes.

Reads the JSON written by gp-parity.ts (unit-cube X per trial, raw losses, and for each checked
trial count n our fitted kernel parameters and our proposal), and for each n:
  - fits Optuna's GPRegressor (optuna._gp.gp.fit_kernel_params, default prior and noise floor)
    on the first n points, with y standardised as GPSampler does;
  - evaluates Optuna's MAP loss (-marginal log likelihood - log prior) at its parameters and at
    ours: equal losses mean the two fits found the same optimum;
  - maximises Optuna's LogEI with its own optimiser (optim_mixed.optimize_acqf_mixed, warm-started
    from the best trial as GPSampler does) and evaluates that same LogEI at our proposal: a gap
    near 0 (or negative) means our acquisition search finds what Optuna's finds.
Only continuous unit-box coordinates are supported (the float-only benchmark problems).

Runs inside the strategies virtualenv (it needs torch):
    bench/.cache/venv-strategies/bin/python bench/strategies/gp_parity.py in.json
"""
import json
import sys

import numpy as np
import torch
from optuna._gp import acqf, gp, optim_mixed, prior
from optuna._gp.search_space import SearchSpace
from optuna.distributions import FloatDistribution


def standardized_negated(losses):
    v = -np.asarray(losses, dtype=float)
    return (v - v.mean()) / max(1e-10, v.std())


def map_loss(x, y, isl, scale, noise):
    g = gp.GPRegressor(
        torch.zeros(x.shape[1], dtype=torch.bool),
        torch.from_numpy(x),
        torch.from_numpy(y),
        torch.tensor(isl, dtype=torch.float64),
        torch.tensor(scale, dtype=torch.float64),
        torch.tensor(noise, dtype=torch.float64),
    )
    return float(-g.marginal_log_likelihood() - prior.default_log_prior(g))


def main():
    data = json.load(open(sys.argv[1]))
    x_all = np.asarray(data["X"], dtype=float)
    d = x_all.shape[1]
    space = SearchSpace({f"x{i}": FloatDistribution(0, 1) for i in range(d)})
    rows = []
    for check in data["checks"]:
        n = check["n"]
        x, y = x_all[:n], standardized_negated(data["losses"][:n])
        fitted = gp.fit_kernel_params(
            x, y, np.zeros(d, dtype=bool), prior.default_log_prior, prior.DEFAULT_MINIMUM_NOISE_VAR, False
        )
        isl = fitted.inverse_squared_lengthscales.numpy()
        loss_optuna = map_loss(x, y, isl, float(fitted.kernel_scale), float(fitted.noise_var))
        ours = check["params"]
        loss_ours = map_loss(x, y, ours["invSqLengthscales"], ours["scale"], ours["noise"])
        logei = acqf.LogEI(gpr=fitted, search_space=space, threshold=y.max())
        _, best_value = optim_mixed.optimize_acqf_mixed(
            logei, warmstart_normalized_params_array=x[np.argmax(y), None], rng=np.random.RandomState(0)
        )
        at_ours = float(logei.eval_acqf_no_grad(np.asarray([check["proposal"]], dtype=float))[0])
        rows.append(
            {
                "n": n,
                "lengthscalesOptuna": (1 / np.sqrt(isl)).tolist(),
                "lengthscalesOurs": (1 / np.sqrt(np.asarray(ours["invSqLengthscales"]))).tolist(),
                "mapLossOptuna": loss_optuna,
                "mapLossAtOurs": loss_ours,
                "logEiOptunaArgmax": float(best_value),
                "logEiAtOurProposal": at_ours,
            }
        )
    json.dump(rows, sys.stdout)


if __name__ == "__main__":
    main()
