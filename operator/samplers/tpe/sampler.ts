/**
 * TPE, the Tree-structured Parzen Estimator: split the finished trials into the best few ("good",
 * below the gamma quantile) and the rest ("bad"), fit a Parzen estimator l(x) to the good
 * trials' parameters and g(x) to the bad ones', then draw candidates from l and propose the one
 * maximising log l(x) - log g(x), which ranks candidates as expected improvement does.
 *
 * Papers:
 * - J. Bergstra, R. Bardenet, Y. Bengio, B. Kégl. Algorithms for Hyper-Parameter Optimization.
 *   NeurIPS 2011 (TPE, the neighbour-gap bandwidths and the EI ≡ l/g argument).
 * - J. Bergstra, D. Yamins, D. Cox. Making a Science of Model Search. ICML 2013 (the prior kernel,
 *   the magic clip, the weights ramp that favours recent observations).
 * - S. Falkner, A. Klein, F. Hutter. BOHB. ICML 2018 (multivariate kernels).
 * - S. Watanabe. Tree-Structured Parzen Estimator: Understanding Its Algorithm Components and
 *   Their Roles for Better Empirical Performance. arXiv:2304.11127, 2023.
 *
 * Semantics are those of Optuna 5.0.0's `TPESampler(multivariate=True, group=True,
 * constant_liar=True)` (with `preset: 'optuna'`, exactly those), split in three:
 * - bookkeeping, `split.ts` and `groups.ts`: which trials count (succeeded and pruned; failed ones
 *   never), the good/bad split (`defaultGamma`), where pruned and pending trials go, and which
 *   parameters are modelled jointly in a conditional space;
 * - math, `parzen.ts`, `bandwidth.ts`, `truncnorm.ts`: densities on typed arrays;
 * - this file: start-up, one model per group, candidates, argmax, and no repeats in discrete
 *   spaces (`avoidDuplicates`).
 *
 * Optuna 5.0's real defaults, read from its source: multivariate (for one objective), group off,
 * constant liar ON, 10 start-up trials, 24 candidates, gamma(n) = min(ceil(0.1 n), 25), the
 * weights ramp, prior weight 1, magic clip on, endpoints off. Its multivariate mode no longer
 * uses a Scott-rule bandwidth (the `multivariate` field of `_ParzenEstimatorParameters` is kept
 * "for historical reasons" and unused): every dimension takes the neighbour-gap sigmas. Failed
 * trials are never read; pruned ones only fill the good group after every succeeded trial.
 *
 * Deviations from Optuna's plain `TPESampler()`, and why:
 * - `group: true` (Optuna: false), in both presets. The issue asks for grouped conditional
 *   parameters; it only changes conditional spaces, where each branch's parameters are then
 *   modelled jointly.
 * - `clipByStudy: 1` (Optuna, and `preset: 'optuna'`: 0). Optuna floors kernel widths at range / min(100, n + 2) with n
 *   the estimator's own observations, and l(x) never has more than 25: its kernels stay at
 *   range/27 however long the study runs, which caps how finely TPE can exploit. We take n as
 *   the number of finished trials, so after 98 trials good kernels may narrow to range/100, the
 *   floor Optuna already gives g(x). Early kernels stay as wide as before (n is small), so the
 *   start of a study explores as much. On the benchmark problems this cuts the median final
 *   regret by 2-30x on five of six problems (docs/samplers.md has the figures).
 * Not copied: the order numpy's unstable argsort gives tied observations (ours: trial order),
 * and Optuna's use of one random stream for both its start-up and its candidates.
 *
 * Example:
 * ```ts
 * const study = new Study({ objective: { metric: 'loss', goal: 'minimize' },
 *   parameters: [{ name: 'x', type: 'float', min: -10, max: 10 }],
 *   algorithm: { name: 'tpe', seed: 1, settings: { startupTrials: 10 } } });
 * ```
 * Options and their defaults: `TpeOptions` in options.ts.
 *
 * Randomness: each suggestion draws from `ctx.rng`, derived from (study seed, trial index), so
 * the same seed and history give the same parameters.
 */
import type { SearchSpace } from '../../space/space.js';
import type { ParamSpec, Params, ParamValue } from '../../space/types.js';
import { avoidDuplicates } from '../dedupe.js';
import { sampleUniform } from '../random.js';
import type { Rng } from '../rng.js';
import type { SampleContext, Sampler, Suggestion, TrialRecord } from '../types.js';
import { defaultGamma, defaultWeights } from './defaults.js';
import { GroupEncoding, uniformValue } from './encode.js';
import { type GroupMode, parameterGroups } from './groups.js';
import { KUBETUNE_PRESET, type TpeOptions } from './options.js';
import { ParzenEstimator, type ParzenOptions } from './parzen.js';
import { splitTrials, type TrialSplit } from './split.js';

export class TpeSampler implements Sampler {
  readonly name = 'tpe';
  readonly options: TpeOptions;

  constructor(options: Partial<TpeOptions> = {}) {
    this.options = { ...KUBETUNE_PRESET, ...options };
  }

  suggest(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext): Suggestion {
    return avoidDuplicates(space, history, ctx, (attempt) => this.propose(space, history, ctx, ctx.rng.derive('tpe', attempt)));
  }

  private propose(space: SearchSpace, history: readonly TrialRecord[], ctx: SampleContext, rng: Rng): Params {
    const o = this.options;
    const split = splitTrials(history, ctx.goal, (n) => defaultGamma(n, o.gammaFraction, o.gammaMax), o.constantLiar);
    if (split.finished < o.startupTrials) return sampleUniform(space, rng.derive('startup'));

    const mode: GroupMode = !o.multivariate ? 'independent' : o.group ? 'grouped' : 'intersection';
    const values: Record<string, ParamValue> = {};
    parameterGroups(space, split.finishedParams, split.finished, mode).forEach((group, g) => {
      Object.assign(values, this.sampleGroup(space, group, split, rng.derive('group', g)));
    });
    return space.assemble((p) => values[p.name] ?? uniformValue(space, p, rng.derive('fill', p.name)));
  }

  /** The best of `candidates` draws from l(x) for one group of parameters. */
  private sampleGroup(space: SearchSpace, group: readonly ParamSpec[], split: TrialSplit, rng: Rng): Record<string, ParamValue> {
    const o = this.options;
    const encoding = new GroupEncoding(space, group);
    const fit = (trials: readonly Params[]) => {
      const { obs, n } = observe(encoding, trials);
      const parzen: ParzenOptions = {
        priorWeight: o.priorWeight,
        magicClip: o.magicClip,
        endpoints: o.endpoints,
        clipCount: Math.max(n, Math.floor(o.clipByStudy * split.finished)),
      };
      return new ParzenEstimator(encoding.dims, obs, n, defaultWeights(n), parzen);
    };
    const below = fit(split.below);
    const above = fit(split.above);

    const m = o.candidates;
    const candidates = below.sample(rng, m);
    for (let c = 0; c < m; c++) encoding.repair(candidates, c, rng);
    const logL = below.logPdf(candidates, m);
    const logG = above.logPdf(candidates, m);
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < m; c++) {
      const score = (logL[c] as number) - (logG[c] as number);
      if (score > bestScore) (bestScore = score), (best = c);
    }
    return encoding.decode(candidates, best);
  }
}

/** Column-major coordinates of the trials that hold every parameter of the group. */
function observe(encoding: GroupEncoding, trials: readonly Params[]): { obs: Float64Array; n: number } {
  const N = trials.length;
  const D = encoding.dims.length;
  const obs = new Float64Array(D * N);
  const held = new Uint8Array(N);
  let n = 0;
  for (let i = 0; i < N; i++) if (encoding.write(trials[i] as Params, obs, N, i)) (held[i] = 1), n++;
  if (n === N) return { obs, n };
  // Some trials lack a parameter of the group (a conditional space): keep the others' columns.
  const kept = new Float64Array(D * n);
  for (let d = 0; d < D; d++) {
    for (let i = 0, j = 0; i < N; i++) if (held[i] === 1) kept[d * n + j++] = obs[d * N + i] as number;
  }
  return { obs: kept, n };
}
