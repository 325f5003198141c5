/**
 * The pruners benchmark's summary rows and its section of docs/benchmarks.md: per curve family,
 * each pruner's step fraction, final regret and sampled regret on both sides, then the reading of
 * where the regret goes, computed from the same rows.
 */
import { benchCommand, machineInfo, median, quantile } from '../lib/results.js';
import { fmt } from '../samplers/summary.js';
import { type CurveFamily, MAX_STEPS } from './curves.js';
import { DIAGNOSTICS, OUR_PRUNERS } from './ours.js';

export interface Spread {
  median: number;
  q1: number;
  q3: number;
}

export interface Row {
  family: CurveFamily;
  pruner: string;
  side: 'ours' | 'optuna';
  stepFraction: Spread;
  regret: Spread;
  /** Regret of the best proposed configuration had it trained to the end (pruned ones included). */
  sampledRegret: Spread;
}

export interface Run {
  steps: number;
  regret: number;
  sampledRegret: number;
}

const spread = (xs: number[]): Spread => ({ median: median(xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75) });

export function rowOf(family: CurveFamily, pruner: string, side: Row['side'], runs: readonly Run[], trials: number): Row {
  return {
    family,
    pruner,
    side,
    stepFraction: spread(runs.map((r) => r.steps / (trials * MAX_STEPS))),
    regret: spread(runs.map((r) => Math.max(0, r.regret))),
    sampledRegret: spread(runs.map((r) => Math.max(0, r.sampledRegret))),
  };
}

export function findRow(rows: readonly Row[], family: CurveFamily, pruner: string, side: Row['side']): Row | undefined {
  return rows.find((r) => r.family === family && r.pruner === pruner && r.side === side);
}

/** `asha step fraction x (median regret r, no worse than / worse than unpruned u)` for one family and side. */
export function ashaVerdict(rows: readonly Row[], family: CurveFamily, side: Row['side'] = 'ours'): string {
  const asha = findRow(rows, family, 'asha', side);
  const none = findRow(rows, family, 'none', side);
  if (asha === undefined || none === undefined) return 'n/a';
  const verdict = asha.regret.median <= none.regret.median ? 'no worse than' : 'worse than';
  return `${asha.stepFraction.median.toFixed(3)} (median regret ${fmt(asha.regret.median)}, ${verdict} unpruned ${fmt(none.regret.median)})`;
}

export interface SectionInput {
  rows: readonly Row[];
  families: readonly CurveFamily[];
  /** Spearman correlation of the loss at each of ASHA's rungs with the final loss, per family. */
  rankCorrelations: Record<string, Record<number, number>>;
  optuna: { version: string; python: string; pruners: Record<string, string> };
  args: string[];
  line: string;
  seeds: number;
  trials: number;
  standard: boolean;
  defaultSeeds: number;
  load: string;
  /** Optuna's side came from the cache of an earlier run (`--reuse-optuna`). */
  reusedOptuna: boolean;
}

const cell = (s: Spread) => `${fmt(s.median)} <sub>[${fmt(s.q1)}, ${fmt(s.q3)}]</sub>`;

function table(rows: readonly Row[], family: CurveFamily, optunaPruners: Record<string, string>): string {
  const names = [...Object.keys(OUR_PRUNERS), ...Object.keys(DIAGNOSTICS)];
  return [
    '| pruner | ours: step fraction | ours: regret | ours: sampled regret | Optuna: step fraction | Optuna: regret | Optuna: sampled regret |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...names.map((p) => {
      const a = findRow(rows, family, p, 'ours');
      const b = findRow(rows, family, p, 'optuna');
      const d = DIAGNOSTICS[p];
      const label = d === undefined
        ? `${p} (${JSON.stringify(OUR_PRUNERS[p])}; Optuna \`${optunaPruners[p] ?? '—'}\`)`
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

/** Where ASHA's regret goes in one family, in numbers from the rows. */
function reading(rows: readonly Row[], family: CurveFamily): string {
  const none = findRow(rows, family, 'none', 'ours');
  const asha = findRow(rows, family, 'asha', 'ours');
  const told = findRow(rows, family, 'asha-told-final', 'ours');
  if (none === undefined || asha === undefined || told === undefined) return '';
  const noneO = findRow(rows, family, 'none-tpe-optuna', 'ours');
  const ashaO = findRow(rows, family, 'asha-tpe-optuna', 'ours');
  const theirNone = findRow(rows, family, 'none', 'optuna');
  const theirAsha = findRow(rows, family, 'asha', 'optuna');
  const sampler = noneO === undefined || ashaO === undefined || theirNone === undefined || theirAsha === undefined ? '' :
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
function againstGoal(rows: readonly Row[], families: readonly CurveFamily[]): string {
  const meets = (family: CurveFamily, pruner: string, side: Row['side']) => {
    const r = findRow(rows, family, pruner, side);
    const none = findRow(rows, family, pruner.endsWith('-tpe-optuna') ? 'none-tpe-optuna' : 'none', side);
    return r !== undefined && none !== undefined && r.stepFraction.median <= 0.16 && r.regret.median <= none.regret.median;
  };
  const names = [...Object.keys(OUR_PRUNERS), ...Object.keys(DIAGNOSTICS)].filter((p) => !p.startsWith('none'));
  const passing = families.flatMap((f) => (['ours', 'optuna'] as const).flatMap((side) => names.filter((p) => meets(f, p, side)).map((p) => `${side} ${p} (${f})`)));
  return `**Against the goal** (step fraction ≤ 0.16 at a median regret no worse than unpruned, each side against its own unpruned run): ` +
    (passing.length === 0 ? 'no row meets it, ours or Optuna\'s, on either family.' : `met by ${passing.join(', ')}.`);
}

export function renderSection(s: SectionInput): string {
  const m = machineInfo();
  const shrunk = s.standard ? '' : ` **Reduced run**: ${s.seeds} seeds instead of ${s.defaultSeeds} (the shared 2-core machine could not fit the full run in the time available).`;
  const corr = s.families
    .map((f) => `${f}: ${Object.entries(s.rankCorrelations[f] ?? {}).map(([step, r]) => `step ${step} ${r.toFixed(2)}`).join(', ')}`)
    .join('; ');
  const tables = s.families.map((f) => `### ${f} curves\n\n${table(s.rows, f, s.optuna.pruners)}\n\n${reading(s.rows, f)}`).join('\n\n');
  return `## Pruners: early stopping on synthetic learning curves

\`${benchCommand('pruners', s.args)}\` — ${s.trials} trials × up to ${MAX_STEPS} steps × ${s.seeds} seeds per curve family, TPE (default settings, \`seed: s\`)
on both sides, sequential, on ${m.cpus} × ${m.cpuModel} (${new Date().toISOString().slice(0, 10)}, load average ${s.load}); Optuna ${s.optuna.version} (Python ${s.optuna.python})${s.reusedOptuna ? ', its side taken from the cache of the previous run with the same seeds (`--reuse-optuna`)' : ''}.${shrunk}
The curves (\`bench/pruners/curves.ts\`, the same formulas in \`curves.py\`, checked to agree) have a floor
(the same in both families, so the same optimum and lower bound) and a convergence rate. In the
**crossing** family the rate grows with the learning rate alone, so a large learning rate leads
early and ends worse: at the first rung the ranking is that of the learning rates. In the
**ranked** family better configurations train somewhat faster and a smooth perturbation of the
speed, independent of quality, makes similar configurations cross: early ranks predict final
ones up to noise, as in learning-curve benchmarks such as LCBench. Spearman correlation of the
loss at ASHA's rungs with the final loss, 1,000 uniform configurations — ${corr}. Every trial reports
its loss at each step; ours asks the pruner after each report as \`decide\` does (\`trialsToPrune\`,
operator/engine/pruning.ts), Optuna's calls \`trial.should_prune()\`.

**How to read it.** *Step fraction*: training steps run over ${s.trials} × ${MAX_STEPS} (no pruning = 1), median over
seeds. *Regret*: best final loss of the completed trials minus the lower bound (0.05), median
[quartiles]. *Sampled regret*: the same for the best configuration the sampler proposed, pruned
ones included, had it trained to the end — regret above it was lost by stopping that
configuration, regret between it and the unpruned study's was lost by the sampler learning from
pruned trials. Pruning pays when the step fraction drops and the regret does not rise. The
ASHA settings (first rung at step 2, η = 4, rungs at 2, 8, 32) are the same on both sides.

${tables}

${againstGoal(s.rows, s.families)}

${s.line}`;
}
