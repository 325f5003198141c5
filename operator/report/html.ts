/**
 * The study report as one self-contained HTML file.
 *
 * Everything the page needs is inside it: the stylesheet, Apache ECharts' minified build read
 * from node_modules, the chart options as a JSON document, and a few lines that draw them. No
 * font, script or stylesheet is fetched at view time, and a Content-Security-Policy with
 * `default-src 'none'` makes that a property of the file rather than a habit: scripts run only if
 * their SHA-256 is listed, so even a string that slipped past escaping could not execute.
 *
 * Data enters the page only as text (escaped by `escapeHtml`) or inside
 * `<script type="application/json">` (escaped by `jsonForScript`), which the browser never runs.
 *
 * `renderReportHtml` is deterministic: the same input (including `generatedAt`) gives the same
 * bytes. Its only read is the chart library's file, once per process.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { importanceObservations, rankTrials, repeatGroups } from './analysis.js';
import { historyOption, importanceOption, learningCurvesOption, parallelOption, spreadOption, type ChartOption } from './charts.js';
import { escapeHtml, jsonForScript } from './format.js';
import { pedAnovaImportance, type ImportanceOptions } from './importance.js';
import type { ReportInput } from './model.js';
import { renderBestTable, renderGroupTable, renderHeader } from './sections.js';
import { REPORT_CSS } from './style.js';

export interface ReportOptions {
  /** Rows of the best-trials table (default 10). */
  topTrials?: number;
  /** Most repeated configurations shown on the spread chart (default 20). */
  maxRepeatGroups?: number;
  /** PED-ANOVA settings (see `importance.ts`). */
  importance?: ImportanceOptions;
}

/** A chart placed on the page: where it goes, how tall, and its ECharts option. */
interface PlacedChart {
  id: string;
  height: number;
  option: ChartOption;
}

const require = createRequire(import.meta.url);
let echartsSource: string | undefined;

/** ECharts' browser build, made safe to inline (no `</script` can end the element early). */
function chartLibrary(): string {
  echartsSource ??= readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  return echartsSource;
}

/** Reads the chart options and draws each chart into its element; kept ES5 for old viewers. */
const BOOTSTRAP = `(function () {
  var data = JSON.parse(document.getElementById('kubetune-report-data').textContent);
  var charts = data.charts.map(function (c) {
    var chart = echarts.init(document.getElementById(c.id), null, { renderer: 'canvas' });
    chart.setOption(c.option);
    return chart;
  });
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  window.kubetuneCharts = charts;
})();`;

export function renderReportHtml(input: ReportInput, options: ReportOptions = {}): string {
  const ranked = rankTrials(input);
  const charts: PlacedChart[] = [];
  const chart = (id: string, height: number, option: ChartOption) => {
    charts.push({ id, height, option });
    return `<div class="chart" id="${id}" style="height:${height}px"></div>`;
  };
  const section = (title: string, note: string, body: string, wide = true) =>
    `<section class="card${wide ? ' wide' : ''}"><h2>${title}</h2><p class="note">${note}</p>${body}</section>`;
  const empty = (text: string) => `<p class="empty">${text}</p>`;
  const metric = escapeHtml(input.objective.metric);

  const parts: string[] = [];
  parts.push(
    section(
      'Optimization history',
      `${metric} of every trial in the order trials were created, with the best value so far. Pruned trials are shown at their last reported value; failed trials are dashed red lines (hover for the reason).`,
      input.trials.length > 0 ? chart('chart-history', 380, historyOption(input)) : empty('No trials yet.'),
    ),
  );
  parts.push(
    section(
      'Parallel coordinates',
      `Each line is a succeeded trial crossing every parameter's axis and ending at its ${metric}; darker is better. Drag along an axis to select a range.`,
      ranked.length > 0 && input.parameters.length > 0 ? chart('chart-parallel', 420, parallelOption(input)) : empty('No succeeded trial to draw.'),
    ),
  );

  const importance = pedAnovaImportance(input.parameters, importanceObservations(input), options.importance);
  // The importance and learning-curve cards sit side by side: one height keeps them aligned.
  const halfHeight = Math.max(340, 60 + 36 * importance.importances.length);
  const importanceNote =
    `How much each parameter mattered to reach the best ${Math.round(importance.baselineQuantile * 100)}% of ${metric}, by PED-ANOVA ` +
    `(Watanabe et al., 2023) over ${importance.trials} succeeded trials (${importance.topTrials} in the top set).` +
    (importance.note ? ` Note: ${escapeHtml(importance.note)}.` : '');
  parts.push(
    section(
      'Parameter importance',
      importanceNote,
      importance.importances.length > 0 ? chart('chart-importance', halfHeight, importanceOption(importance)) : empty('No parameters.'),
      false,
    ),
  );
  const hasCurves = input.trials.some((t) => t.intermediate.length > 0);
  parts.push(
    section(
      'Learning curves',
      `Intermediate ${metric} reported by each trial while it ran. Pruned trials are orange and end in a diamond where they were stopped; the best trial is green.`,
      hasCurves ? chart('chart-curves', halfHeight, learningCurvesOption(input)) : empty('No trial reported intermediate values.'),
      false,
    ),
  );

  const groups = repeatGroups(input).slice(0, options.maxRepeatGroups ?? 20);
  if (groups.length > 0) {
    parts.push(
      section(
        'Spread over repeated runs',
        `Configurations trained more than once (identical parameters), best median first: the box spans the middle half of the runs, whiskers the extremes, dots each run.`,
        chart('chart-spread', 360, spreadOption(input, groups)) + renderGroupTable(input, groups),
      ),
    );
  }

  const top = options.topTrials ?? 10;
  parts.push(
    section(
      `Best trials`,
      `The ${Math.min(top, ranked.length)} best of ${ranked.length} succeeded trials, ranked by ${metric} (${input.objective.goal === 'maximize' ? 'higher' : 'lower'} is better).`,
      renderBestTable(input, ranked.slice(0, top)),
    ),
  );

  const data = jsonForScript({ charts });
  const library = chartLibrary();
  const csp = [
    "default-src 'none'",
    `script-src ${sha256Source(library)} ${sha256Source(BOOTSTRAP)}`,
    // ECharts positions its tooltip and canvases with inline style attributes.
    "style-src 'unsafe-inline'",
    'img-src data:',
  ].join('; ');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kubetune">
<title>${escapeHtml(input.study)} · kubetune report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${renderHeader(input, ranked[0])}
<div class="grid">
${parts.join('\n')}
</div>
<footer>Generated by kubetune at ${escapeHtml(input.generatedAt)}. Charts by Apache ECharts, embedded in this file; it needs no network to view.</footer>
</main>
<script type="application/json" id="kubetune-report-data">${data}</script>
<script>${library}</script>
<script>${BOOTSTRAP}</script>
</body>
</html>
`;
}

function sha256Source(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}
