/**
 * Apache ECharts options for each chart of the report, built from the report input and the facts
 * of `analysis.ts`.
 *
 * Options are plain JSON — no functions — because they travel into the page as a JSON document
 * (see `html.ts`); tooltips therefore use ECharts' string templates (`{a}`, `{b}`, `{c}`), whose
 * values ECharts HTML-escapes itself. Animation is off so a report renders the same way every
 * time and a screenshot taken right after `setOption` shows the final picture.
 *
 * Owns: what each chart shows and how it looks. Does not own: page layout, text around charts.
 */
import type { Goal } from '../samplers/types.js';
import type { ParamSpec, ParamValue } from '../space/types.js';
import { bestSoFar, bestTrial, isScored, rankTrials, type RepeatGroup } from './analysis.js';
import { formatNumber, formatParam } from './format.js';
import type { ImportanceResult } from './importance.js';
import type { ReportInput, ReportTrial } from './model.js';

/** An ECharts option object (kept loose: ECharts' own types would tie us to its import graph). */
export type ChartOption = Record<string, unknown>;

export const COLORS = {
  succeeded: '#3a6fd8',
  pruned: '#e8912d',
  failed: '#d64545',
  running: '#8a94a6',
  best: '#139a6a',
  text: '#1f2937',
  muted: '#6b7280',
  grid: '#e5e7eb',
} as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Settings every chart shares. */
function base(option: ChartOption): ChartOption {
  return {
    animation: false,
    textStyle: { fontFamily: FONT, color: COLORS.text },
    tooltip: { trigger: 'item', confine: true },
    ...option,
  };
}

const axisName = (name: string, gap: number) => ({
  name,
  nameLocation: 'middle',
  nameGap: gap,
  nameTextStyle: { fontSize: 13, fontWeight: 'bold', color: COLORS.text },
});

const splitLine = { lineStyle: { color: COLORS.grid } };

/** Why a trial ended as it did, for a tooltip: reason and message, whichever are known. */
function why(t: ReportTrial): string {
  return [t.reason, t.message].filter((s) => s !== undefined && s !== '').join(': ');
}

/** Objective value per trial, the best-so-far line, pruned trials as points, failed ones as rules. */
export function historyOption(input: ReportInput): ChartOption {
  const trials = [...input.trials].sort((a, b) => a.index - b.index);
  const point = (t: ReportTrial, label: string) => ({ value: [t.index, t.value], name: `Trial ${t.index}: ${label}` });
  const scored = trials.filter(isScored).map((t) => point(t, formatNumber(t.value)));
  const pruned = trials
    .filter((t) => t.state === 'pruned' && typeof t.value === 'number' && Number.isFinite(t.value))
    .map((t) => point(t, `pruned at ${formatNumber(t.value as number)}${why(t) && t.reason !== 'Pruned' ? ` (${why(t)})` : ''}`));
  // Failed trials (and pruned ones with no value) have nothing to plot on the value axis: they
  // are drawn as vertical rules at their trial index, so gaps in the history are explained.
  const failed = trials
    .filter((t) => t.state === 'failed' || (t.state === 'pruned' && !(typeof t.value === 'number' && Number.isFinite(t.value))))
    .map((t) => ({ xAxis: t.index, name: `Trial ${t.index}: ${t.state}${why(t) ? ` (${why(t)})` : ''}` }));
  const maxIndex = trials.at(-1)?.index ?? 0;
  // The legend lists only what is on the chart: no "Failed" entry for a study without failures.
  const present: [string, boolean][] = [['Succeeded', scored.length > 0], ['Pruned', pruned.length > 0], ['Failed', failed.length > 0], ['Best so far', scored.length > 0]];
  return base({
    legend: { top: 0, itemGap: 20, data: present.filter(([, shown]) => shown).map(([name]) => name) },
    grid: { left: 70, right: 30, top: 40, bottom: 50 },
    xAxis: { type: 'value', min: 0, max: Math.max(1, maxIndex), minInterval: 1, splitLine, ...axisName('Trial', 30) },
    yAxis: { type: 'value', scale: true, splitLine, ...axisName(input.objective.metric, 52) },
    series: [
      { name: 'Succeeded', type: 'scatter', symbolSize: 8, itemStyle: { color: COLORS.succeeded, opacity: 0.8 }, data: scored, tooltip: { formatter: '{b}' } },
      { name: 'Pruned', type: 'scatter', symbol: 'diamond', symbolSize: 9, itemStyle: { color: COLORS.pruned, opacity: 0.85 }, data: pruned, tooltip: { formatter: '{b}' } },
      {
        name: 'Failed',
        type: 'scatter',
        data: [],
        itemStyle: { color: COLORS.failed },
        markLine: {
          symbol: 'none',
          silent: false,
          label: { show: false },
          lineStyle: { color: COLORS.failed, type: 'dashed', width: 1, opacity: 0.55 },
          tooltip: { formatter: '{b}' },
          data: failed,
        },
      },
      {
        name: 'Best so far',
        type: 'line',
        step: 'end',
        showSymbol: false,
        lineStyle: { color: COLORS.best, width: 2.5 },
        itemStyle: { color: COLORS.best },
        data: bestSoFar(input),
        tooltip: { show: false },
        z: 3,
      },
    ],
  });
}

/** One axis per parameter plus the objective; each succeeded trial is a line coloured by its value. */
export function parallelOption(input: ReportInput): ChartOption {
  // Worst first, so the best trials are drawn last, on top.
  const ranked = rankTrials(input).reverse();
  const params = input.parameters;
  const axes: ChartOption[] = params.map((p, dim) => parallelAxisFor(p, dim, ranked));
  const values = ranked.map((t) => t.value);
  const lo = values.length > 0 ? Math.min(...values) : 0;
  const hi = values.length > 0 ? Math.max(...values) : 1;
  axes.push({ dim: params.length, name: input.objective.metric, type: 'value', scale: true, nameTextStyle: { color: COLORS.best, fontWeight: 'bold', fontSize: 13 } });
  const data = ranked.map((t) => ({
    name: `Trial ${t.index}`,
    value: [...params.map((p) => parallelValue(p, t.params[p.name])), t.value],
  }));
  return base({
    tooltip: { trigger: 'item', formatter: '{b}' },
    parallel: {
      left: 50,
      right: 160,
      top: 50,
      bottom: 40,
      parallelAxisDefault: {
        nameLocation: 'end',
        nameGap: 16,
        nameTextStyle: { fontSize: 13, fontWeight: 'bold', color: COLORS.text },
        axisLabel: { color: COLORS.muted, hideOverlap: true },
        axisLine: { lineStyle: { color: '#9ca3af' } },
      },
    },
    parallelAxis: axes,
    visualMap: {
      type: 'continuous',
      dimension: params.length,
      min: lo,
      max: hi === lo ? lo + 1 : hi,
      precision: 3,
      calculable: true,
      right: 16,
      top: 'middle',
      itemHeight: 180,
      text: goalText(input.objective.goal),
      textStyle: { color: COLORS.muted },
      inRange: { color: colourScale(input.objective.goal) },
    },
    series: [{ type: 'parallel', smooth: false, lineStyle: { width: 1.6, opacity: 0.65 }, emphasis: { lineStyle: { width: 3, opacity: 1 } }, data }],
  });
}

function parallelAxisFor(p: ParamSpec, dim: number, trials: readonly ReportTrial[]): ChartOption {
  switch (p.type) {
    case 'float':
    case 'int':
      if (p.log === true && p.min > 0) {
        // A log axis labels powers of ten; a bound within 0.2 decades of one would crowd that
        // label, any other bound is worth showing (32 and 512 on an axis that only labels 100).
        const clear = (x: number) => {
          const d = Math.abs(Math.log10(x) - Math.round(Math.log10(x)));
          return d < 1e-9 || d > 0.2;
        };
        return { dim, name: p.name, type: 'log', min: p.min, max: p.max, axisLabel: { showMinLabel: clear(p.min), showMaxLabel: clear(p.max) } };
      }
      return { dim, name: p.name, type: 'value', min: p.min, max: p.max };
    case 'categorical':
      return { dim, name: p.name, type: 'category', data: p.values.map((v) => formatParam(v)) };
    case 'subset': {
      const seen = [...new Set(trials.flatMap((t) => (t.params[p.name] === undefined ? [] : [formatParam(t.params[p.name])])))].sort();
      return { dim, name: p.name, type: 'category', data: seen };
    }
  }
}

function parallelValue(p: ParamSpec, v: ParamValue | undefined): number | string | null {
  if (v === undefined) return null; // inactive conditional parameter: no point on this axis
  return p.type === 'float' || p.type === 'int' ? (v as number) : formatParam(v);
}

/** Dark for good values, light for bad ones, whichever way the objective goes. */
function colourScale(goal: Goal): string[] {
  const lightToDark = ['#dbe7fb', '#8fb1ee', '#3a6fd8', '#1c3f8f'];
  return goal === 'maximize' ? lightToDark : [...lightToDark].reverse();
}

function goalText(goal: Goal): [string, string] {
  return goal === 'maximize' ? ['better', 'worse'] : ['worse', 'better'];
}

/** Horizontal bars, most important parameter on top, in percent. */
export function importanceOption(result: ImportanceResult): ChartOption {
  const items = result.importances;
  return base({
    tooltip: { trigger: 'item', formatter: '{b}: {c}%' },
    grid: { left: 20, right: 60, top: 10, bottom: 46, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, splitLine, axisLabel: { formatter: '{value}%' }, ...axisName('Share of importance (PED-ANOVA)', 30) },
    yAxis: { type: 'category', inverse: true, data: items.map((i) => i.name), axisLabel: { fontSize: 12, color: COLORS.text } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 28,
        itemStyle: { color: COLORS.succeeded, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', formatter: '{c}%', color: COLORS.text },
        data: items.map((i) => ({ name: i.name, value: Math.round(i.importance * 1000) / 10 })),
      },
    ],
  });
}

/** Intermediate values per trial; pruned curves in orange ending in a marker, the best in green. */
export function learningCurvesOption(input: ReportInput): ChartOption {
  const best = bestTrial(input);
  const groups: Record<string, { color: string; width: number; opacity: number }> = {
    Completed: { color: COLORS.succeeded, width: 1.2, opacity: 0.45 },
    Pruned: { color: COLORS.pruned, width: 1.2, opacity: 0.7 },
    Failed: { color: COLORS.failed, width: 1.2, opacity: 0.6 },
    Running: { color: COLORS.running, width: 1.2, opacity: 0.6 },
    'Best trial': { color: COLORS.best, width: 3, opacity: 1 },
  };
  const groupOf = (t: ReportTrial) =>
    t.index === best?.index ? 'Best trial' : t.state === 'succeeded' ? 'Completed' : t.state === 'pruned' ? 'Pruned' : t.state === 'failed' ? 'Failed' : 'Running';
  const curves = [...input.trials].sort((a, b) => a.index - b.index).filter((t) => t.intermediate.length > 0);
  // The best curve goes last so it is drawn over the others.
  curves.sort((a, b) => Number(a.index === best?.index) - Number(b.index === best?.index));
  const series = curves.map((t) => {
    const group = groupOf(t);
    const style = groups[group] as { color: string; width: number; opacity: number };
    const last = t.intermediate.length - 1;
    const endMarker = group === 'Pruned' ? { symbol: 'diamond', symbolSize: 9 } : group === 'Failed' ? { symbol: 'triangle', symbolSize: 8 } : {};
    return {
      name: group,
      type: 'line',
      symbol: 'none',
      showSymbol: true,
      lineStyle: { color: style.color, width: style.width, opacity: style.opacity },
      itemStyle: { color: style.color },
      emphasis: { focus: 'series', lineStyle: { width: 3, opacity: 1 } },
      tooltip: { formatter: '{b}<br/>step, value: {c}' },
      z: group === 'Best trial' ? 4 : group === 'Completed' ? 2 : 3,
      data: t.intermediate.map(([step, value], i) => ({
        value: [step, value],
        name: `Trial ${t.index} (${t.state}${why(t) && t.state !== 'succeeded' ? `: ${why(t)}` : ''})`,
        ...(i === last ? endMarker : {}),
      })),
    };
  });
  const present = Object.keys(groups).filter((g) => curves.some((t) => groupOf(t) === g));
  return base({
    legend: { top: 0, itemGap: 20, data: present.map((name) => ({ name, itemStyle: { color: groups[name]?.color } })) },
    grid: { left: 70, right: 30, top: 40, bottom: 50 },
    xAxis: { type: 'value', minInterval: 1, splitLine, ...axisName('Step', 30) },
    yAxis: { type: 'value', scale: true, splitLine, ...axisName(input.objective.metric, 52) },
    series,
  });
}

/** Box per repeated configuration (best median first), the individual runs as points over it. */
export function spreadOption(input: ReportInput, groups: readonly RepeatGroup[]): ChartOption {
  const labels = groups.map((g) => `C${g.rank}`);
  return base({
    legend: { top: 0, itemGap: 20 },
    grid: { left: 70, right: 30, top: 40, bottom: 50 },
    xAxis: { type: 'category', data: labels, ...axisName('Configuration (see the table below)', 30) },
    yAxis: { type: 'value', scale: true, splitLine, ...axisName(input.objective.metric, 52) },
    series: [
      {
        name: 'Spread over repeats',
        type: 'boxplot',
        itemStyle: { color: '#dbe7fb', borderColor: COLORS.succeeded, borderWidth: 1.5 },
        data: groups.map((g) => ({ name: `C${g.rank} (${g.values.length} runs)`, value: g.stats })),
      },
      {
        name: 'Single run',
        type: 'scatter',
        symbolSize: 7,
        itemStyle: { color: COLORS.text, opacity: 0.6 },
        tooltip: { formatter: '{b}' },
        data: groups.flatMap((g, i) =>
          g.trials.filter(isScored).map((t) => ({ value: [i, t.value], name: `C${g.rank}, trial ${t.index}: ${formatNumber(t.value)}` })),
        ),
      },
    ],
  });
}
