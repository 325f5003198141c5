import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { renderReportHtml } from '../../../operator/report/html.js';
import { HOSTILE, smallInput } from './fixtures.js';

/** The chart options the page will draw, read back from its JSON data element. */
function chartData(html: string): { charts: { id: string; option: Record<string, unknown> }[] } {
  const m = /<script type="application\/json" id="kubetune-report-data">([^]*?)<\/script>/.exec(html);
  assert.ok(m, 'the report embeds its data as JSON');
  return JSON.parse(m[1]!);
}

/** Inline scripts that the browser would run. */
function executableScripts(html: string): string[] {
  return [...html.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1]!);
}

/** The page without the bodies of its executable scripts (the chart library has its own `<img` strings). */
function markup(html: string): string {
  return html.replace(/<script>[^]*?<\/script>/g, '<script></script>');
}

describe('renderReportHtml', () => {
  it('is one self-contained file: no external script, stylesheet, font or import', () => {
    const html = renderReportHtml(smallInput());
    for (const pattern of [/src="http/i, /href="http/i, /@import/i, /<link\b/i, /<script[^>]+src=/i, /url\(\s*['"]?http/i]) {
      assert.ok(!pattern.test(html), `found ${pattern}`);
    }
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    assert.ok(html.length > 500_000, 'the chart library is inlined');
  });

  it('lets only its own scripts run: the policy lists the hash of each inline script', () => {
    const html = renderReportHtml(smallInput());
    const policy = /content="(default-src[^"]*)"/.exec(html)![1]!;
    const scripts = executableScripts(html);
    assert.equal(scripts.length, 2);
    for (const s of scripts) {
      const hash = createHash('sha256').update(s, 'utf8').digest('base64');
      assert.ok(policy.includes(`'sha256-${hash}'`), 'script hash in policy');
    }
  });

  it('escapes a hostile study, parameter, value and reason everywhere they appear', () => {
    const input = smallInput({ study: HOSTILE });
    input.parameters[1] = { name: HOSTILE, type: 'categorical', values: ['adam', HOSTILE] };
    for (const t of input.trials) {
      t.params[HOSTILE] = t.params.optimizer === 'sgd' ? HOSTILE : 'adam';
      delete t.params.optimizer;
    }
    input.trials[2]!.reason = HOSTILE;
    input.objective = { metric: `m<b>${HOSTILE}`, goal: 'maximize' };
    const html = renderReportHtml(input);
    // The one literal `</script>` per script element is the element's own end tag.
    assert.equal(html.split('</script>').length - 1, 3);
    assert.ok(!/<img/i.test(markup(html)), 'no <img> element outside the library code');
    assert.ok(!/onerror="/.test(html), 'no live onerror attribute');
    assert.ok(html.includes('<h1>&#60;/script&#62;&#60;img src=x onerror=&#34;alert(1)&#34;&#62;&#38;&#39;&#34;</h1>'));
    // Inside the JSON the hostile text survives intact once parsed.
    const parallel = chartData(html).charts.find((c) => c.id === 'chart-parallel')!;
    const axes = parallel.option.parallelAxis as { name: string; data?: string[] }[];
    const axis = axes.find((a) => a.name === HOSTILE);
    assert.ok(axis, 'the parameter keeps its name as data');
    assert.deepEqual(axis.data, ['adam', HOSTILE]);
  });

  it('draws the charts the data supports and says so when a chart has nothing to show', () => {
    const full = chartData(renderReportHtml(smallInput())).charts.map((c) => c.id);
    assert.deepEqual(full, ['chart-history', 'chart-parallel', 'chart-importance', 'chart-curves', 'chart-spread']);

    const noRepeats = smallInput();
    noRepeats.trials = noRepeats.trials.slice(0, 3);
    assert.ok(!chartData(renderReportHtml(noRepeats)).charts.some((c) => c.id === 'chart-spread'), 'no spread without repeats');

    const empty = renderReportHtml(smallInput({ trials: [] }));
    assert.deepEqual(chartData(empty).charts.map((c) => c.id), ['chart-importance']);
    assert.match(empty, /No trials yet/);
    assert.match(empty, /No trial has succeeded yet/);
    assert.match(empty, /No trial reported intermediate values/);
  });

  it('puts the summary and the best trials in the page, best first', () => {
    const html = renderReportHtml(smallInput());
    assert.match(html, /<h1>mlp-fashion<\/h1>/);
    assert.match(html, /maximize val_accuracy/);
    assert.match(html, /<div class="label">Failed<\/div><div class="value">1<\/div>/);
    const rows = [...html.matchAll(/<tr( class="top")?><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td>/g)].map((m) => Number(m[3]));
    assert.deepEqual(rows, [0, 3], 'trial 0 (0.875) ranks before trial 3 (0.869); pruned and failed trials are not ranked');
  });

  it('renders the same bytes for the same input', () => {
    assert.equal(renderReportHtml(smallInput()), renderReportHtml(smallInput()));
  });
});
