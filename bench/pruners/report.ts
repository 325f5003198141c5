/**
 * The pruners benchmark's summary rows and its section of docs/benchmarks.md: per curve family,
 * each pruner's step fraction, final regret and sampled regret on both sides, then the reading of
 * where the regret goes, computed from the same rows.
 */
import { benchCommand, machineInfo, median, quantile } from '../lib/results.js';
import { fmt } from '../samplers/summary.js';
import { MAX_STEPS as MAX_SYNTHETIC } from './curves.js';
import { FAMILIES, type Family } from './families.js';
import { FASHION_NEIGHBOURS } from './fashion.js';
import { diagnosticsFor, oursFor, rowNamesFor } from './ours.js';

export interface Spread {
  median: number;
  q1: number;
  q3: number;
}

export interface Row {
  family: Family;
  pruner: string;
  side: 'ours' | 'optuna';
  stepFraction: Spread;
  regret: Spread;
  /** Regret of the best proposed configuration had it trained to the end (pruned ones included). */
  sampledRegret: Spread;
  /**
   * The same runs against the side's unpruned runs with the same sampler (`unprunedRowOf`), seed by
   * seed, at equal compute: the unpruned study's regret after as many steps as this run trained,
   * and on how many seeds this run's regret was lower.
   */
  equalCompute?: { unprunedRegret: Spread; lower: number; seeds: number; unprunedPerSeed: number[] };
  /** fashion only: median number of distinct recorded configurations nearest to a study's trials. */
  cells?: number;
  /** fashion only: median number of distinct curves a study's trials replayed. */
  curves?: number;
}

export interface Run {
  steps: number;
  regret: number;
  sampledRegret: number;
  /** [steps trained so far, regret] each time a completed trial lowered the regret (absent in results from before 2026-11-26). */
  progress?: Array<[number, number]>;
  cells?: number;
  curves?: number;
}

/** The unpruned row a row is judged against: the same sampler and settings, no pruner. */
export function unprunedRowOf(pruner: string): string {
  if (pruner.endsWith('-random')) return 'none-random';
  if (pruner.endsWith('-tpe-optuna')) return 'none-tpe-optuna';
  return 'none';
}

/** A study's regret once it had trained `steps` steps: Infinity before its first completed trial. */
export function regretAfter(progress: ReadonlyArray<readonly [number, number]>, steps: number): number {
  let regret = Infinity;
  for (const [at, r] of progress) {
    if (at > steps) break;
    regret = r;
  }
  return regret;
}

function equalComputeOf(runs: readonly Run[], unpruned: readonly Run[]): Row['equalCompute'] {
  if (runs.length !== unpruned.length || runs.length === 0 || [...runs, ...unpruned].some((r) => r.progress === undefined)) return undefined;
  const theirs = runs.map((r, i) => regretAfter(unpruned[i]!.progress!, r.steps));
  return { unprunedRegret: spread(theirs), lower: runs.filter((r, i) => r.regret < theirs[i]!).length, seeds: runs.length, unprunedPerSeed: theirs };
}

const spread = (xs: number[]): Spread => ({ median: median(xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75) });

/**
 * One row's medians; `unpruned`, the same side's runs of `unprunedRowOf(pruner)` seed by seed, adds
 * the equal-compute comparison.
 */
export function rowOf(family: Family, pruner: string, side: Row['side'], runs: readonly Run[], trials: number, unpruned?: readonly Run[]): Row {
  const maxSteps = FAMILIES[family].maxSteps;
  const equalCompute = unpruned === undefined || pruner === unprunedRowOf(pruner) ? undefined : equalComputeOf(runs, unpruned);
  return {
    family,
    pruner,
    side,
    stepFraction: spread(runs.map((r) => r.steps / (trials * maxSteps))),
    regret: spread(runs.map((r) => Math.max(0, r.regret))),
    sampledRegret: spread(runs.map((r) => Math.max(0, r.sampledRegret))),
    ...(equalCompute === undefined ? {} : { equalCompute }),
    ...(runs.every((r) => r.cells !== undefined) && runs.length > 0 ? { cells: median(runs.map((r) => r.cells!)) } : {}),
    ...(runs.every((r) => r.curves !== undefined) && runs.length > 0 ? { curves: median(runs.map((r) => r.curves!)) } : {}),
  };
}

export function findRow(rows: readonly Row[], family: Family, pruner: string, side: Row['side']): Row | undefined {
  return rows.find((r) => r.family === family && r.pruner === pruner && r.side === side);
}

/** `asha step fraction x (median regret r, no worse than / worse than unpruned u)` for one family and side. */
export function ashaVerdict(rows: readonly Row[], family: Family, side: Row['side'] = 'ours'): string {
  const asha = findRow(rows, family, 'asha', side);
  const none = findRow(rows, family, 'none', side);
  if (asha === undefined || none === undefined) return 'n/a';
  const verdict = asha.regret.median <= none.regret.median ? 'no worse than' : 'worse than';
  return `${asha.stepFraction.median.toFixed(3)} (median regret ${fmt(asha.regret.median)}, ${verdict} unpruned ${fmt(none.regret.median)})`;
}

export interface SectionInput {
  rows: readonly Row[];
  families: readonly Family[];
  /** Spearman correlation of the loss at each of ASHA's rungs with the final loss, per family. */
  rankCorrelations: Record<string, Record<number, number>>;
  /** The same over the best quarter of those configurations by final loss. */
  bestQuarterCorrelations: Record<string, Record<number, number>>;
  /** Optuna's version and, per family, its pruners as constructed. */
  optuna: { version: string; python: string; pruners: Partial<Record<Family, Record<string, string>>> };
  args: string[];
  line: string;
  seeds: number;
  trials: number;
  standard: boolean;
  defaultSeeds: number;
  load: string;
  /** The families whose Optuna side came from the cache of an earlier run (`--reuse-optuna`). */
  reusedOptuna: readonly Family[];
  /** The fashion table's provenance, when the fashion family ran. */
  fashion?: { configs: number; epochs: number; command: string; date: string; data: string; totalCpuSeconds: number; diverged: number; divergedLoss: number; lowerBound: number; replay: string };
}

const cell = (s: Spread) => `${fmt(s.median)} <sub>[${fmt(s.q1)}, ${fmt(s.q3)}]</sub>`;

function table(rows: readonly Row[], family: Family, optunaPruners: Record<string, string>): string {
  const names = rowNamesFor(family);
  const ours = oursFor(family);
  const diagnostics = diagnosticsFor(family);
  return [
    '| pruner | ours: step fraction | ours: regret | ours: sampled regret | Optuna: step fraction | Optuna: regret | Optuna: sampled regret |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...names.map((p) => {
      const a = findRow(rows, family, p, 'ours');
      const b = findRow(rows, family, p, 'optuna');
      const d = diagnostics[p];
      const label = d === undefined
        ? `${p} (${JSON.stringify(ours[p])}; Optuna \`${optunaPruners[p] ?? '—'}\`)`
        : d.sampler !== undefined
          ? `${p} (${d.rule} as above, ${d.sampler} sampler; Optuna \`${optunaPruners[p] ?? '—'}\`)`
        : d.toldFinal
          ? `${p} (diagnostic: asha as above, the sampler told each pruned trial's final loss)`
          : d.tpe !== undefined
            ? `${p} (diagnostic: ${d.rule} as above, TPE with \`preset: 'optuna'\`)`
            : `${p} (diagnostic: asha, first rung at step ${d.settings.minResource})`;
      const f = (r: Row | undefined, get: (r: Row) => string) => (r === undefined ? '—' : get(r));
      return `| ${label} | ${f(a, (r) => r.stepFraction.median.toFixed(3))} | ${f(a, (r) => cell(r.regret))} | ${f(a, (r) => cell(r.sampledRegret))} | ${f(b, (r) => r.stepFraction.median.toFixed(3))} | ${f(b, (r) => cell(r.regret))} | ${f(b, (r) => cell(r.sampledRegret))} |`;
    }),
  ].join('\n');
}

/**
 * The rows that prune, against the unpruned study with the same sampler stopped at the same
 * number of steps: what a user with a fixed compute budget gains or loses by turning pruning on.
 */
function equalComputeTable(rows: readonly Row[], family: Family): string {
  const names = rowNamesFor(family).filter((p) => p !== unprunedRowOf(p));
  const side = (r: Row | undefined) => {
    const e = r?.equalCompute;
    return r === undefined || e === undefined ? ['—', '—', '—', '—'] : [r.stepFraction.median.toFixed(3), cell(r.regret), cell(e.unprunedRegret), `${e.lower} of ${e.seeds}`];
  };
  const body = names
    .map((p) => [p, findRow(rows, family, p, 'ours'), findRow(rows, family, p, 'optuna')] as const)
    .filter(([, a, b]) => a?.equalCompute !== undefined || b?.equalCompute !== undefined)
    .map(([p, a, b]) => `| ${p} (against ${unprunedRowOf(p)}) | ${[...side(a), ...side(b)].join(' | ')} |`);
  if (body.length === 0) return '';
  return [
    '| pruner | ours: step fraction | ours: regret | ours: unpruned at the same steps | ours: lower regret on | Optuna: step fraction | Optuna: regret | Optuna: unpruned at the same steps | Optuna: lower regret on |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...body,
  ].join('\n');
}

/** The equal-compute reading of ASHA with TPE and with the random sampler, in numbers from the rows. */
function equalComputeReading(rows: readonly Row[], family: Family): string {
  const says = (pruner: string) => {
    const parts = (['ours', 'optuna'] as const).flatMap((side) => {
      const e = findRow(rows, family, pruner, side)?.equalCompute;
      return e === undefined ? [] : [`${e.lower} of ${e.seeds} seeds (${side === 'ours' ? 'ours' : 'Optuna\'s'})`];
    });
    return parts.length === 0 ? undefined : parts.join(' and ');
  };
  const tpe = says('asha');
  const random = says('asha-random');
  if (tpe === undefined && random === undefined) return '';
  return `At equal compute (the unpruned study with the same sampler, stopped after as many steps as the pruned one trained), ASHA has the lower regret` +
    `${tpe === undefined ? '' : ` with TPE on ${tpe}`}${tpe !== undefined && random !== undefined ? ';' : ''}${random === undefined ? '' : ` with the random sampler on ${random}`}.`;
}

/** Where ASHA's regret goes in one family, in numbers from the rows. */
function reading(rows: readonly Row[], family: Family): string {
  const none = findRow(rows, family, 'none', 'ours');
  const asha = findRow(rows, family, 'asha', 'ours');
  const told = findRow(rows, family, 'asha-told-final', 'ours');
  if (none === undefined || asha === undefined || told === undefined) return '';
  const noneO = findRow(rows, family, 'none-tpe-optuna', 'ours');
  const ashaO = findRow(rows, family, 'asha-tpe-optuna', 'ours');
  const theirNone = findRow(rows, family, 'none', 'optuna');
  const theirAsha = findRow(rows, family, 'asha', 'optuna');
  // The reading of the sampler's share was made on the synthetic curves; on the recorded ones only the numbers are given.
  const sampler = family === 'fashion' || noneO === undefined || ashaO === undefined || theirNone === undefined || theirAsha === undefined ? '' :
    ` With Optuna's kernel-width floor (\`preset: 'optuna'\`) our TPE's unpruned regret is ${fmt(noneO.regret.median)} and our ASHA runs ${ashaO.stepFraction.median.toFixed(3)} of the steps ` +
    `(Optuna: ${fmt(theirNone.regret.median)} and ${theirAsha.stepFraction.median.toFixed(3)}): our default TPE exploits more finely, which lowers the unpruned bar and, since late proposals ` +
    `then beat the rung history more often, promotes more of them.`;
  return `On the ${family} curves our ASHA ends with a median regret of ${fmt(asha.regret.median)} against ${fmt(none.regret.median)} unpruned. ` +
    `Had every configuration it proposed trained to the end, the best would have had ${fmt(asha.sampledRegret.median)}: ` +
    `the rest, from ${fmt(asha.sampledRegret.median)} to ${fmt(asha.regret.median)}, is the rungs stopping the best proposal. ` +
    `The sampler's share is the gap from ${fmt(none.regret.median)} to ${fmt(asha.sampledRegret.median)}: ranking the stopped trials by the rung they reached and their value there ` +
    `(Optuna's rule, and ours) teaches TPE what the first rung saw. Told the final losses of the trials ASHA stops, TPE sees what the unpruned study sees and proposes the same ` +
    `configurations (sampled regret ${fmt(told.sampledRegret.median)}), yet ASHA alone still stops the best of them at a rung: regret ${fmt(told.regret.median)} at a step fraction of ${told.stepFraction.median.toFixed(3)}.${sampler}`;
}

/** The issue's goal (step fraction <= 0.16 at a median regret no worse than unpruned), row by row. */
function againstGoal(rows: readonly Row[], families: readonly Family[]): string {
  const meets = (family: Family, pruner: string, side: Row['side']) => {
    const r = findRow(rows, family, pruner, side);
    const none = findRow(rows, family, unprunedRowOf(pruner), side);
    return r !== undefined && none !== undefined && r.stepFraction.median <= 0.16 && r.regret.median <= none.regret.median;
  };
  const names = (f: Family) => rowNamesFor(f).filter((p) => !p.startsWith('none'));
  const passing = families.flatMap((f) => (['ours', 'optuna'] as const).flatMap((side) => names(f).filter((p) => meets(f, p, side)).map((p) => `${side} ${p} (${f})`)));
  return `**Against the goal** (step fraction ≤ 0.16 at a median regret no worse than unpruned, each side against its own unpruned run): ` +
    (passing.length === 0 ? `no row meets it, ours or Optuna's, on ${families.length === 2 ? 'either family' : families.length === 1 ? 'this family' : 'any family'}.` : `met by ${passing.join(', ')}.`);
}

/** `pruners (fashion-mnist curves): asha step fraction x (median regret r, unpruned u)`, ours. */
export function fashionLine(rows: readonly Row[]): string {
  const asha = findRow(rows, 'fashion', 'asha', 'ours');
  const none = findRow(rows, 'fashion', 'none', 'ours');
  const text = asha === undefined || none === undefined ? 'n/a' : `${asha.stepFraction.median.toFixed(3)} (median regret ${fmt(asha.regret.median)}, unpruned ${fmt(none.regret.median)})`;
  return `pruners (fashion-mnist curves): asha step fraction ${text}`;
}

const correlationText = (c: Record<number, number> | undefined) => Object.entries(c ?? {}).map(([step, r]) => `step ${step} ${r.toFixed(2)}`).join(', ');

/**
 * Fashion only: how many distinct curves the unpruned studies replayed, and how many distinct
 * recorded configurations were nearest to their trials (what the nearest-cell replay would have
 * replayed them from, and why it was replaced).
 */
function curvesText(rows: readonly Row[], configs: number, trials: number): string {
  const ours = findRow(rows, 'fashion', 'none', 'ours');
  const theirs = findRow(rows, 'fashion', 'none', 'optuna');
  if (ours?.curves === undefined || ours.cells === undefined) return '';
  const both = (get: (r: Row) => number | undefined) => `${get(ours)} (ours)${theirs === undefined || get(theirs) === undefined ? '' : ` and ${get(theirs)} (Optuna's)`}`;
  return `Unpruned, a study's ${trials} trials replayed a median of ${both((r) => r.curves)} distinct curves (two trials share a curve only at the same point). `
    + `Their nearest recorded configurations were a median of ${both((r) => r.cells)} of the ${configs}. The nearest-curve replay this family used before 2026-11-25 `
    + 'would have given those trials no more distinct curves than that (a trial in the cell of an earlier one reported exactly its values), '
    + 'and ASHA on both sides ranks such a tie as promoted (value ≤ the rung\'s cutoff), never as worse, which inflated every pruner\'s step fraction; the weighted mean removes those ties.';
}

function fashionIntro(s: SectionInput): string {
  const t = s.fashion;
  if (t === undefined) return '';
  const f = FAMILIES.fashion;
  return `The **fashion** family replays real learning curves (\`bench/pruners/fashion.ts\`, twin \`fashion.py\`, checked to agree): our trainer
(wasm backend, one thread) trained ${t.configs} configurations of the same search space, Owen-scrambled Sobol points, for ${t.epochs} epochs each
as an MLP with one hidden ReLU layer of \`width\` units, batch 128, on ${t.data}, and recorded the validation cross-entropy after every epoch
(\`${t.command}\`, ${t.date.slice(0, 10)}, ${(t.totalCpuSeconds / 60).toFixed(0)} CPU-minutes; the table is \`bench/pruners/fashion-curves.json\`).
A trial's curve is a surrogate (\`${t.replay}\`): at each epoch, the inverse-distance-weighted mean (weights 1 / (distance² + 10⁻¹²)) of the losses of the
${FASHION_NEIGHBOURS} nearest recorded configurations with the same optimizer (unit-cube distance, log-scaled lr and width), so a recorded point replays its own curve;
${t.diverged} of the ${t.configs} runs diverged (loss NaN or infinite); a diverged epoch enters the mean as ${fmt(t.divergedLoss)}, the table's worst finite loss (at least ln 10).
One step is one epoch: ${s.trials} × ${f.maxSteps} epochs per study, ASHA from epoch ${f.asha.minResource} with η = ${f.asha.reductionFactor}
(rungs ${f.rungs.join(', ')}) and Hyperband from ${f.hyperband.minResource} to ${f.maxSteps} with η = ${f.hyperband.reductionFactor}, on both sides. Regret is against the
table's best epoch-${f.maxSteps} loss, ${fmt(t.lowerBound)}: a weighted mean never goes below its neighbours' smallest loss, so this bounds every replayed
final loss, and only the best recorded point itself reaches it. Spearman correlation of the loss at ASHA's rungs with the
final loss over the ${t.configs} recorded configurations: ${correlationText(s.rankCorrelations.fashion)}; over the best quarter of them by final loss: ${correlationText(s.bestQuarterCorrelations.fashion)}. The surrogate smooths: between recorded points
a curve is a blend of ${FASHION_NEIGHBOURS} real ones (one run and one seed each), with their noise averaged down, so small regrets say how close a sampler got to the best
recorded point rather than to a real optimum; see fashion.ts.
${curvesText(s.rows, t.configs, s.trials)}`;
}

export function renderSection(s: SectionInput): string {
  const m = machineInfo();
  const shrunk = s.standard ? '' : ` **Reduced run**: ${s.seeds} seeds instead of ${s.defaultSeeds} (the shared 2-core machine could not fit the full run in the time available).`;
  const synthetic = s.families.filter((f) => f !== 'fashion');
  const corr = synthetic.map((f) => `${f}: ${correlationText(s.rankCorrelations[f])} (best quarter by final loss: ${correlationText(s.bestQuarterCorrelations[f])})`).join('; ');
  const tables = s.families.map((f) => {
    const equal = equalComputeTable(s.rows, f);
    const atEqualCompute = equal === '' ? '' : `\n\nAt equal compute:\n\n${equal}\n\n${equalComputeReading(s.rows, f)}`;
    return `### ${f} curves\n\n${table(s.rows, f, s.optuna.pruners[f] ?? {})}\n\n${reading(s.rows, f)}${atEqualCompute}`;
  }).join('\n\n');
  const reused = s.reusedOptuna.length === 0 ? '' : `, its side on ${s.reusedOptuna.join(' and ')} taken from the cache of the previous run with the same seeds (\`--reuse-optuna\`)`;
  const fashionLast = s.families.includes('fashion') ? `\n${fashionLine(s.rows)}` : '';
  return `## Pruners: early stopping on synthetic and recorded learning curves

\`${benchCommand('pruners', s.args)}\` — ${s.trials} trials × up to ${MAX_SYNTHETIC} steps (${FAMILIES.fashion.maxSteps} epochs on the fashion curves) × ${s.seeds} seeds per curve family, TPE (default settings, \`seed: s\`; the random sampler on the \`-random\` rows)
on both sides, sequential, on ${m.cpus} × ${m.cpuModel} (${new Date().toISOString().slice(0, 10)}, load average ${s.load}); Optuna ${s.optuna.version} (Python ${s.optuna.python})${reused}.${shrunk}
The synthetic curves (\`bench/pruners/curves.ts\`, the same formulas in \`curves.py\`, checked to agree) have a floor
(the same in both families, so the same optimum and lower bound) and a convergence rate. In the
**crossing** family the rate grows with the learning rate alone, so a large learning rate leads
early and ends worse: at the first rung the ranking is that of the learning rates. In the
**ranked** family better configurations train somewhat faster and a smooth perturbation of the
speed, independent of quality, makes similar configurations cross: early ranks predict final
ones up to noise, as in learning-curve benchmarks such as LCBench. Spearman correlation of the
loss at ASHA's rungs with the final loss, 1,000 uniform configurations — ${corr}. Every trial reports
its loss at each step; ours asks the pruner after each report as \`decide\` does (\`trialsToPrune\`,
operator/engine/pruning.ts), Optuna's calls \`trial.should_prune()\`. Optuna's studies are named
\`pruners-<family>-<pruner>-<seed>\`: \`HyperbandPruner\` assigns trials to brackets by a hash of the study
name, and until 2026-11-25 the name was Optuna's random default, so a Hyperband row from before then is one draw of that assignment.
${s.fashion === undefined ? '' : `\n${fashionIntro(s)}\n`}
**How to read it.** *Step fraction*: training steps run over ${s.trials} × ${MAX_SYNTHETIC} (${s.trials} × ${FAMILIES.fashion.maxSteps} on the fashion curves; no pruning = 1), median over
seeds. *Regret*: best final loss of the completed trials minus the lower bound (0.05 for the synthetic curves), median
[quartiles]. *Sampled regret*: the same for the best configuration the sampler proposed, pruned
ones included, had it trained to the end — regret above it was lost by stopping that
configuration, regret between it and the unpruned study's was lost by the sampler learning from
pruned trials. Pruning pays when the step fraction drops and the regret does not rise. *At equal
compute*: each pruned study against the unpruned study with the same sampler and seed, stopped after as many steps as the pruned one
trained (the first trials of a longer study are those of a shorter one: a sampler's proposal depends only on the trials before it) —
the regret of each, median [quartiles], and on how many seeds the pruned study's was lower. The \`-random\` rows run the random
sampler (Optuna's \`RandomSampler(seed=s)\`) instead of TPE, the setting ASHA and Hyperband were published with. The
ASHA settings (first rung at step 2, η = 4, rungs at 2, 8, 32 on the synthetic curves) are the same on both sides.

${tables}

${againstGoal(s.rows, s.families)}

${s.line}${fashionLast}`;
}
