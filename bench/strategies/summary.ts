/**
 * The strategies benchmark's verdict from per-seed final regrets: medians and quartiles, ratios of
 * each of our strategies to its Optuna counterpart, and `auto` against the best Optuna sampler
 * of each problem (the one with the lowest median), whose worst value over problems is the final
 * line. Pure functions over the samplers benchmark's helpers (same flooring of solved regrets).
 */
import { type FinalRegrets, fmt, fmtRatio, regretRatio, type Spread, spread } from '../samplers/summary.js';

/** Our strategy and the Optuna sampler it is measured against. */
export const STRATEGY_PAIRS = [
  { ours: 'gp', optuna: 'gp', label: 'GP' },
  { ours: 'cmaes', optuna: 'cmaes', label: 'CMA-ES' },
  { ours: 'evolution', optuna: 'nsga2', label: 'evolution / NSGA-II' },
] as const;

export interface StrategyRow {
  problem: string;
  ours: Record<string, Spread>;
  optuna: Record<string, Spread>;
  /** Ratio per pair label (ours over Optuna's medians). */
  ratios: Record<string, number>;
  /** Which sampler `auto` ran on this problem (`auto` proposes what that sampler would). */
  autoChoice?: string;
  /** The Optuna sampler with the lowest median final regret on this problem. */
  bestOptuna?: string;
  /** `auto`'s median over `bestOptuna`'s. */
  autoRatio?: number;
}

export function summarizeStrategies(problems: readonly string[], ours: FinalRegrets, optuna: FinalRegrets, autoChoices: Record<string, string> = {}): StrategyRow[] {
  return problems.map((problem) => {
    const spreads = (side: FinalRegrets) =>
      Object.fromEntries(Object.entries(side[problem] ?? {}).filter(([, v]) => v.length > 0).map(([s, v]) => [s, spread(v)]));
    const row: StrategyRow = { problem, ours: spreads(ours), optuna: spreads(optuna), ratios: {} };
    for (const pair of STRATEGY_PAIRS) {
      const a = row.ours[pair.ours];
      const b = row.optuna[pair.optuna];
      if (a !== undefined && b !== undefined) row.ratios[pair.label] = regretRatio(a.median, b.median);
    }
    const best = Object.entries(row.optuna).sort((x, y) => x[1].median - y[1].median)[0];
    if (autoChoices[problem] !== undefined) row.autoChoice = autoChoices[problem];
    if (best !== undefined) {
      row.bestOptuna = best[0];
      const auto = row.ours.auto;
      if (auto !== undefined) row.autoRatio = regretRatio(auto.median, best[1].median);
    }
    return row;
  });
}

/** The largest `auto` ratio over problems, with its problem; undefined if auto did not run. */
export function worstAutoRatio(rows: readonly StrategyRow[]): { ratio: number; problem: string } | undefined {
  let worst: { ratio: number; problem: string } | undefined;
  for (const r of rows) if (r.autoRatio !== undefined && (worst === undefined || r.autoRatio > worst.ratio)) worst = { ratio: r.autoRatio, problem: r.problem };
  return worst;
}

const cell = (s: Spread | undefined) => (s === undefined ? '—' : `${fmt(s.median)} <sub>[${fmt(s.q1)}, ${fmt(s.q3)}]</sub>`);
const ratioCell = (r: number | undefined) => (r === undefined ? '—' : r <= 1 ? fmtRatio(r) : `**${fmtRatio(r)}**`);

/** Markdown: per problem, each pair's medians and ratio, then auto's choice and ratio. */
export function strategiesTable(rows: readonly StrategyRow[]): string {
  const head = ['problem', ...STRATEGY_PAIRS.flatMap((p) => [`${p.label}: ours`, `${p.label}: Optuna`, 'ratio']), 'auto (chose)', 'best Optuna', 'auto ratio'];
  const body = rows.map((r) => [
    r.problem,
    ...STRATEGY_PAIRS.flatMap((p) => [cell(r.ours[p.ours]), cell(r.optuna[p.optuna]), ratioCell(r.ratios[p.label])]),
    `${cell(r.ours.auto)} (${r.autoChoice ?? '?'})`,
    r.bestOptuna === undefined ? '—' : `${r.bestOptuna}: ${fmt(r.optuna[r.bestOptuna]?.median ?? NaN)}`,
    ratioCell(r.autoRatio),
  ]);
  return [head, head.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function strategiesText(rows: readonly StrategyRow[]): string {
  const lines = rows.map((r) =>
    [
      r.problem.padEnd(18),
      ...STRATEGY_PAIRS.map((p) => `${p.label} ${fmt(r.ours[p.ours]?.median ?? NaN)} vs ${fmt(r.optuna[p.optuna]?.median ?? NaN)} (x${fmtRatio(r.ratios[p.label] ?? NaN)})`),
      `auto[${r.autoChoice ?? '?'}] ${fmt(r.ours.auto?.median ?? NaN)} vs ${r.bestOptuna ?? '?'} ${fmt(r.optuna[r.bestOptuna ?? '']?.median ?? NaN)} (x${fmtRatio(r.autoRatio ?? NaN)})`,
    ].join('  '),
  );
  return ['median final regret, ours vs Optuna (ratio):', ...lines].join('\n');
}
