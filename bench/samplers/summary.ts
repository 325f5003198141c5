/**
 * Turns per-seed regrets into the samplers benchmark's verdict: medians and quartiles per problem
 * and sampler, our-over-Optuna ratios, the markdown table of docs/benchmarks.md, and the worst
 * TPE ratio that the final line reports. Pure functions, so the 0/0 rule is unit-tested.
 */
import { median, quantile } from '../lib/results.js';

/** Our sampler and the Optuna sampler it is measured against. */
export const PAIRS = [
  { ours: 'tpe', optuna: 'tpe', label: 'TPE' },
  { ours: 'random', optuna: 'random', label: 'random' },
  { ours: 'sobol', optuna: 'qmc', label: 'Sobol / QMC' },
] as const;

/**
 * Regrets at or below this count as "found the optimum": a ratio of two such medians is 1, and
 * a solved median on Optuna's side against an unsolved one on ours gives a large, finite ratio.
 */
export const SOLVED_REGRET = 1e-9;

export interface Spread {
  median: number;
  q1: number;
  q3: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), q1: quantile(values, 0.25), q3: quantile(values, 0.75) };
}

/** Ours over theirs, both floored at `SOLVED_REGRET` (so 0/0 is 1, and never a division by 0). */
export function regretRatio(ours: number, theirs: number): number {
  return Math.max(ours, SOLVED_REGRET) / Math.max(theirs, SOLVED_REGRET);
}

export interface PairSummary {
  label: string;
  ours: string;
  optuna: string;
  /** Absent when one side did not run (e.g. our TPE not registered). */
  oursRegret?: Spread;
  optunaRegret?: Spread;
  ratio?: number;
}

export interface ProblemSummary {
  problem: string;
  pairs: PairSummary[];
}

/** Final regrets per seed: `[problem][sampler] -> regrets in seed order`. */
export type FinalRegrets = Record<string, Record<string, number[]>>;

export function summarize(problems: readonly string[], ours: FinalRegrets, optuna: FinalRegrets): ProblemSummary[] {
  return problems.map((problem) => ({
    problem,
    pairs: PAIRS.map((pair) => {
      const a = ours[problem]?.[pair.ours];
      const b = optuna[problem]?.[pair.optuna];
      const summary: PairSummary = { label: pair.label, ours: pair.ours, optuna: pair.optuna };
      if (a !== undefined && a.length > 0) summary.oursRegret = spread(a);
      if (b !== undefined && b.length > 0) summary.optunaRegret = spread(b);
      if (summary.oursRegret && summary.optunaRegret) summary.ratio = regretRatio(summary.oursRegret.median, summary.optunaRegret.median);
      return summary;
    }),
  }));
}

/** The largest ratio of the pair `label` over problems, with the problem; undefined if none ran. */
export function worstRatio(summaries: readonly ProblemSummary[], label = 'TPE'): { ratio: number; problem: string } | undefined {
  let worst: { ratio: number; problem: string } | undefined;
  for (const s of summaries) {
    const ratio = s.pairs.find((p) => p.label === label)?.ratio;
    if (ratio !== undefined && (worst === undefined || ratio > worst.ratio)) worst = { ratio, problem: s.problem };
  }
  return worst;
}

/** Three significant digits; exponent form for the very small and very large. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-3 || a >= 1e5 ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
}

/** Ratios with two decimals (so 1.0003 reads 1.00, not a bare 1), exponent form past 1000. */
export function fmtRatio(r: number): string {
  return !Number.isFinite(r) || r >= 1000 || r < 0.01 ? fmt(r) : r.toFixed(2);
}

function cell(s: Spread | undefined): string {
  return s === undefined ? '—' : `${fmt(s.median)} <sub>[${fmt(s.q1)}, ${fmt(s.q3)}]</sub>`;
}

function ratioCell(r: number | undefined): string {
  if (r === undefined) return '—';
  return r <= 1 ? fmtRatio(r) : `**${fmtRatio(r)}**`;
}

/** One row per problem; for each pair: our median [quartiles], Optuna's, and the ratio. */
export function markdownTable(summaries: readonly ProblemSummary[]): string {
  const head = ['problem', ...PAIRS.flatMap((p) => [`${p.label}: ours`, `${p.label}: Optuna`, 'ratio'])];
  const rows = summaries.map((s) => [s.problem, ...s.pairs.flatMap((p) => [cell(p.oursRegret), cell(p.optunaRegret), ratioCell(p.ratio)])]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** A plain-text table for the terminal. */
export function textTable(summaries: readonly ProblemSummary[]): string {
  const lines = summaries.map((s) =>
    [s.problem.padEnd(18), ...s.pairs.map((p) => `${p.label} ${fmt(p.oursRegret?.median ?? NaN)} vs ${fmt(p.optunaRegret?.median ?? NaN)} (x${fmtRatio(p.ratio ?? NaN)})`.padEnd(36))].join(' '),
  );
  return ['median final regret, ours vs Optuna (ratio):', ...lines].join('\n');
}

/** Best-so-far curves: `[problem][sampler] -> per seed, regret at each checkpoint`. */
export type Curves = Record<string, Record<string, number[][]>>;

/** The final regret of every run: the last checkpoint of each curve. */
export function finalsOf(curves: Curves): FinalRegrets {
  const out: FinalRegrets = {};
  for (const [problem, bySampler] of Object.entries(curves)) {
    out[problem] = {};
    for (const [sampler, runs] of Object.entries(bySampler)) out[problem]![sampler] = runs.map((c) => c[c.length - 1] as number);
  }
  return out;
}

/**
 * Median best-so-far regret of one pair at each checkpoint, ours / Optuna's per cell: shows when a
 * gap opens (during the random start-up, or once the model takes over).
 */
export function checkpointTable(problems: readonly string[], checkpoints: readonly number[], ours: Curves, optuna: Curves, pair: (typeof PAIRS)[number] = PAIRS[0]): string {
  const at = (curves: number[][] | undefined, i: number) => (curves === undefined ? '—' : fmt(median(curves.map((c) => c[i] as number))));
  const head = ['problem', ...checkpoints.map((c) => `${c} trials`)];
  const rows = problems.map((p) => [p, ...checkpoints.map((_, i) => `${at(ours[p]?.[pair.ours], i)} / ${at(optuna[p]?.[pair.optuna], i)}`)]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
