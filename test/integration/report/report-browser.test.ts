/**
 * Opens the HTML report in a real browser — Debian's headless Chromium, driven by playwright-core —
 * and checks what a reader would see: every chart drawn, no console error, no network request.
 * Writes the full-page screenshot shown in the README (docs/img/report.png).
 *
 * Skips, saying why, when no Chromium is installed (`apt-get install chromium`; `.ci/run` does it).
 * KUBETUNE_CHROMIUM points at another binary.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';

import { renderReportHtml } from '../../../operator/report/html.js';
import type { ReportInput } from '../../../operator/report/model.js';
import { syntheticStudy } from './synthetic-study.js';

const CHROMIUM = process.env.KUBETUNE_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../../docs/img/report.png', import.meta.url));
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set KUBETUNE_CHROMIUM)`;
if (skip) console.log(`# SKIP report browser test: ${skip}`);

const HOSTILE = `</script><img src="http://example.invalid/x.png" onerror="alert(1)"><!--`;

/** The little of the page's DOM the checks touch (the repo's type-check has no DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface ChartLike {
  getDom(): { id: string; querySelectorAll(selector: string): ArrayLike<CanvasLike> };
  getOption(): { series?: unknown[] };
}
interface PageGlobals {
  kubetuneCharts?: ChartLike[];
  document: { querySelectorAll(selector: string): { length: number } };
}

interface Loaded {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

describe('HTML report in headless Chromium', { timeout: 180_000 }, () => {
  let browser: Browser;
  let dir: string;

  before(async () => {
    if (skip) return; // each test says why it is skipped
    dir = mkdtempSync(join(tmpdir(), 'kubetune-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    if (skip) return;
    await browser.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the report to a file, opens it over file:// and waits for the charts. */
  async function open(input: ReportInput, name: string): Promise<Loaded> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderReportHtml(input));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const loaded: Loaded = { page, consoleErrors: [], requests: [], dialogs: [] };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') loaded.consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => loaded.consoleErrors.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      loaded.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!/^(file|data|about|blob):/.test(r.url())) loaded.requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForFunction(() => {
      const g = globalThis as unknown as PageGlobals;
      return g.kubetuneCharts !== undefined && g.kubetuneCharts.length === g.document.querySelectorAll('.chart').length;
    });
    return loaded;
  }

  /** Per chart element: its id, the series ECharts holds, and how many canvas pixels are drawn. */
  async function drawnCharts(page: Page): Promise<{ id: string; series: number; inked: number }[]> {
    return page.evaluate(() => {
      const charts = (globalThis as unknown as PageGlobals).kubetuneCharts ?? [];
      return charts.map((c) => {
        let inked = 0;
        for (const canvas of Array.from(c.getDom().querySelectorAll('canvas'))) {
          const ctx = canvas.getContext('2d');
          if (!ctx) continue;
          const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
          for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) inked++;
        }
        return { id: c.getDom().id, series: c.getOption().series?.length ?? 0, inked };
      });
    });
  }

  it('draws every chart of a realistic study with no console error and no network request', { skip }, async () => {
    const { page, consoleErrors, requests } = await open(syntheticStudy(), 'study');
    const charts = await drawnCharts(page);
    assert.deepEqual(
      charts.map((c) => c.id),
      ['chart-history', 'chart-parallel', 'chart-importance', 'chart-curves', 'chart-spread'],
    );
    for (const c of charts) {
      assert.ok(c.series > 0, `${c.id} has no series`);
      // A blank canvas has no pixel with alpha > 0; axes alone are a few thousand, data adds more.
      assert.ok(c.inked > 5000, `${c.id} looks blank (${c.inked} drawn pixels)`);
    }
    const tableRows = await page.locator('section.card table').first().locator('tbody tr').count();
    assert.ok(tableRows > 0, 'the tables have rows');
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, []);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  it('shows hostile names as text: nothing runs, nothing is fetched, no element is injected', { skip }, async () => {
    const input = syntheticStudy(16, 1);
    input.study = HOSTILE;
    input.objective = { ...input.objective };
    const renamed = input.parameters.map((p) => (p.name === 'optimizer' ? { ...p, name: HOSTILE } : p));
    const optimizer = renamed.find((p) => p.name === HOSTILE);
    if (optimizer?.type === 'categorical') optimizer.values = ['adam', HOSTILE, 'rmsprop'];
    input.parameters = renamed;
    input.trials = input.trials.map((t) => {
      const { optimizer: opt, ...rest } = t.params;
      return { ...t, params: { ...rest, [HOSTILE]: opt === 'sgd' ? HOSTILE : (opt as string) }, ...(t.reason ? { reason: HOSTILE } : {}) };
    });
    const { page, consoleErrors, requests, dialogs } = await open(input, 'hostile');
    assert.equal(await page.title(), `${HOSTILE} · kubetune report`);
    assert.equal(await page.locator('h1').textContent(), HOSTILE);
    assert.equal(await page.locator('img').count(), 0, 'no element was injected');
    const charts = await drawnCharts(page);
    for (const c of charts) assert.ok(c.series > 0 && c.inked > 0, `${c.id} did not draw`);
    // A pruned trial's tooltip carries its (hostile) reason: ECharts must show it as text.
    const tooltip = await page.evaluate(`(() => {
      const history = window.kubetuneCharts[0];
      history.dispatchAction({ type: 'showTip', seriesIndex: 1, dataIndex: 0 });
      // The innermost element holding the text is the tooltip (its ancestors hold it too).
      const tip = Array.from(document.querySelectorAll('div')).filter((d) => d.textContent.includes('pruned at')).pop();
      return tip ? { text: tip.textContent, images: tip.querySelectorAll('img').length, inTable: tip.closest('table') !== null } : null;
    })()`);
    assert.ok(tooltip !== null, 'the tooltip opened');
    const { text, images, inTable } = tooltip as { text: string; images: number; inTable: boolean };
    assert.equal(inTable, false);
    assert.match(text, /^Trial \d+: pruned at /);
    assert.ok(text.includes(HOSTILE), `tooltip shows the reason as text: ${text}`);
    assert.equal(images, 0);
    assert.equal(await page.locator('img').count(), 0, 'still no element injected');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(requests, []);
    await page.close();
  });
});
