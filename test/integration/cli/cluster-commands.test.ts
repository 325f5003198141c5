/**
 * `kubetune get`, `kubetune trials` and `kubetune report <study>` against a study the real
 * operator ran on the test control plane (no fakes): the CLI reads the TuningStudy and its
 * history shards through a kubeconfig, as a person would after `kubectl apply`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { clusterOrSkip, testNamespace } from '../../cluster/testing.js';
import {
  applyCrd, finished, historyRecords, operatorKubeconfig, ROOT, scriptStudy, startOperator, STUDIES, waitForStudy,
} from '../operator/harness.js';

const CLI = join(ROOT, 'operator/cli/main.ts');
// Resolved here, not from the child's working directory (the report test runs it elsewhere).
const TSX = import.meta.resolve('tsx');

function kubetune(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', TSX, CLI, ...args], { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

test('get, trials and report read a study the operator ran, with its complete history', { timeout: 240_000 }, async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'cli-get');
  const rest = c.rest();
  t.after(() => rest.close());
  await applyCrd(c);
  startOperator(t, await operatorKubeconfig(t, c, rest, ns), ns);
  await rest.create(STUDIES(ns), scriptStudy('bowl', { maxTrials: 5, parallelism: 2, seed: 3 }));
  const study = await waitForStudy(rest, ns, 'bowl', 'finished', finished);
  assert.equal(study.status.phase, 'Completed', JSON.stringify(study.status));
  const history = await historyRecords(rest, ns, 'bowl');
  const at = ['--kubeconfig', c.kubeconfigPath, '-n', ns];

  const list = await kubetune(['get', ...at]);
  assert.equal(list.code, 0, list.stderr);
  const row = list.stdout.split('\n').find((l) => l.startsWith('bowl '));
  assert.ok(row !== undefined, list.stdout);
  assert.match(row, /Completed\s+5\/5\s+0\s+5\s+0\s+0\s+loss=/);

  const all = await kubetune(['get', '-A', '--kubeconfig', c.kubeconfigPath]);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^NAMESPACE\s+NAME/);
  assert.match(all.stdout, new RegExp(`^${ns}\\s+bowl\\s+Completed`, 'm'));

  const one = await kubetune(['get', 'bowl', ...at]);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /phase:\s+Completed \(MaxTrials\)/);
  assert.match(one.stdout, new RegExp(`best:\\s+trial ${study.status.bestTrial.index} `));
  const json = JSON.parse((await kubetune(['get', 'bowl', '--json', ...at])).stdout);
  assert.equal(json.status.phase, 'Completed');

  const trials = await kubetune(['trials', 'bowl', '--json', ...at]);
  assert.equal(trials.code, 0, trials.stderr);
  const rows = JSON.parse(trials.stdout) as { index: number; state: string; value: number; intermediate: [number, number][] }[];
  assert.deepEqual(rows.map((r) => r.index), [0, 1, 2, 3, 4]);
  for (const r of rows) {
    assert.equal(r.state, 'succeeded');
    assert.equal(r.value, history.get(r.index)?.value, `trial ${r.index}'s value is its history record's`);
    assert.deepEqual(r.intermediate, [[1, r.value]], 'the learning curve comes from the history');
  }
  const best = (await kubetune(['trials', 'bowl', '--sort', 'value', '--limit', '1', ...at])).stdout.split('\n');
  assert.match(best[0] ?? '', /^TRIAL\s+STATE\s+LOSS/);
  assert.match(best[1] ?? '', new RegExp(`^${study.status.bestTrial.index}\\s+succeeded`));
  assert.equal(best.filter((l) => l !== '').length, 2);

  const dir = mkdtempSync(join(tmpdir(), 'kubetune-cli-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const report = await kubetune(['report', 'bowl', '--csv', ...at], dir);
  assert.equal(report.code, 0, report.stderr);
  assert.ok(existsSync(join(dir, 'bowl-report.html')), report.stdout);
  assert.equal(readFileSync(join(dir, 'bowl-trials.csv'), 'utf8').trim().split('\n').length, 6, 'a header and five trials');
  assert.match(readFileSync(join(dir, 'bowl-report.html'), 'utf8'), new RegExp(`${ns}/bowl`));

  const missing = await kubetune(['get', 'nosuchstudy', ...at]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, new RegExp(`study ${ns}/nosuchstudy: not found`));
  const usage = await kubetune(['trials', 'bowl', '--sort', 'speed', ...at]);
  assert.equal(usage.code, 2);
});
