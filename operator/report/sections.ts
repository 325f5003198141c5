/**
 * The HTML (non-chart) parts of the report: the summary header, the best-trials table and the
 * legend of repeated configurations. Every string from the input goes through `escapeHtml`:
 * study, parameter and metric names, categorical values and failure reasons are user-written and
 * treated as hostile.
 */
import { countByState, metricNames, type RepeatGroup, type ScoredTrial } from './analysis.js';
import { escapeHtml, formatNumber, formatParam } from './format.js';
import type { ReportInput } from './model.js';

const h = escapeHtml;

export function renderHeader(input: ReportInput, best: ScoredTrial | undefined): string {
  const counts = countByState(input.trials);
  const active = counts.running + counts.pending;
  const stat = (cls: string, label: string, value: string, sub = '') =>
    `<div class="stat ${cls}"><div class="label">${h(label)}</div><div class="value">${value}</div>${sub ? `<div class="sub">${sub}</div>` : ''}</div>`;
  const share = (n: number) => (input.trials.length > 0 ? `${Math.round((100 * n) / input.trials.length)}% of trials` : '');
  const cards = [
    stat('total', 'Trials', String(input.trials.length), active > 0 ? `${active} still running or pending` : 'all finished'),
    stat('succeeded', 'Succeeded', String(counts.succeeded), share(counts.succeeded)),
    stat('pruned', 'Pruned', String(counts.pruned), share(counts.pruned)),
    stat('failed', 'Failed', String(counts.failed), share(counts.failed)),
    best
      ? stat('best', `Best ${input.objective.metric}`, h(formatNumber(best.value)), `trial ${best.index}`)
      : stat('best', `Best ${input.objective.metric}`, '—', 'no trial succeeded yet'),
  ];
  const goal = input.objective.goal === 'maximize' ? 'maximize' : 'minimize';
  return `<header class="report">
<div class="brand">kubetune · study report</div>
<h1>${h(input.study)}</h1>
<div class="meta">Objective: <b>${goal} ${h(input.objective.metric)}</b> · Algorithm: <b>${h(input.algorithm)}</b> · ${input.parameters.length} parameters · Generated ${h(input.generatedAt)}</div>
</header>
<div class="stats">${cards.join('')}</div>`;
}

/** The top `ranked` trials with every parameter and metric. */
export function renderBestTable(input: ReportInput, ranked: readonly ScoredTrial[]): string {
  if (ranked.length === 0) return '<p class="empty">No trial has succeeded yet.</p>';
  const params = input.parameters.map((p) => p.name);
  const metrics = metricNames(input).filter((m) => m !== input.objective.metric);
  const hasRepeat = ranked.some((t) => t.repeat !== undefined);
  const head = [
    '<th class="num">Rank</th>',
    '<th class="num">Trial</th>',
    `<th class="num">${h(input.objective.metric)}<span class="group">objective</span></th>`,
    ...params.map((p) => `<th>${h(p)}<span class="group">parameter</span></th>`),
    ...metrics.map((m) => `<th class="num">${h(m)}<span class="group">metric</span></th>`),
    ...(hasRepeat ? ['<th class="num">Repeat</th>'] : []),
  ].join('');
  const rows = ranked.map((t, i) => {
    const cells = [
      `<td class="num">${i + 1}</td>`,
      `<td class="num">${t.index}</td>`,
      `<td class="num value">${h(formatNumber(t.value))}</td>`,
      ...params.map((p) => `<td>${h(formatParam(t.params[p]))}</td>`),
      ...metrics.map((m) => `<td class="num">${t.metrics[m] === undefined ? '—' : h(formatNumber(t.metrics[m] as number))}</td>`),
      ...(hasRepeat ? [`<td class="num">${t.repeat ?? '—'}</td>`] : []),
    ];
    return `<tr${i === 0 ? ' class="top"' : ''}>${cells.join('')}</tr>`;
  });
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div>`;
}

/** What `C1`, `C2`, … on the spread chart stand for. */
export function renderGroupTable(input: ReportInput, groups: readonly RepeatGroup[]): string {
  const params = input.parameters.map((p) => p.name);
  const head = [
    '<th>Config</th>',
    '<th class="num">Runs</th>',
    '<th class="num">Median</th>',
    '<th class="num">Min – max</th>',
    ...params.map((p) => `<th>${h(p)}</th>`),
  ].join('');
  const rows = groups.map((g) => {
    const [min, , median, , max] = g.stats;
    return `<tr><td>C${g.rank}</td><td class="num">${g.values.length}</td><td class="num value">${h(formatNumber(median))}</td><td class="num">${h(formatNumber(min))} – ${h(formatNumber(max))}</td>${params
      .map((p) => `<td>${h(formatParam(g.params[p]))}</td>`)
      .join('')}</tr>`;
  });
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table></div>`;
}
