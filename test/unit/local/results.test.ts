import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { foldEvents, parseEvents, readResults } from '../../../operator/local/results-reader.js';
import { EVENTS_FILE, type ResultEvent } from '../../../operator/local/results-format.js';
import { ResultsDirBusyError, ResultsWriter } from '../../../operator/local/results-writer.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const fp = { searchHash: 'h', sections: {} };
const created = (index: number, s: number): ResultEvent => ({ type: 'trial-created', time: at(s), index, params: { x: index }, seed: 100 + index });
const started = (index: number, attempt: number, s: number): ResultEvent => ({ type: 'trial-started', time: at(s), index, attempt, pid: 1000 + index, command: ['node'] });
const report = (index: number, attempt: number, step: number, loss: number | string): ResultEvent => ({ type: 'trial-report', time: at(step), index, attempt, step, values: { loss } });
const finished = (index: number, attempt: number, s: number, value: number | string): ResultEvent => ({
  type: 'trial-finished', time: at(s), index, attempt, state: 'succeeded', value, metrics: { loss: value }, exitCode: 0, signal: null,
});

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubetune-results-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('the results event log', () => {
  it('folds into trials with their latest attempt, reports and outcome', () => {
    const record = foldEvents([
      { type: 'session-started', time: at(0), formatVersion: 1, study: 's', fingerprint: fp, budget: { maxTrials: 2, parallelism: 2 }, pid: 1 },
      created(0, 0), created(1, 0), started(0, 1, 1), started(1, 1, 1),
      report(0, 1, 2, 0.5), report(1, 1, 2, 'NaN'), finished(0, 1, 3, 0.5),
    ]);
    assert.equal(record.study, 's');
    const [t0, t1] = record.trials;
    assert.deepEqual([t0?.state, t0?.value, t0?.attempt, t0?.seed], ['succeeded', 0.5, 1, 100]);
    assert.equal(t1?.state, 'running');
    assert.ok(Number.isNaN(t1?.reports[0]?.values.loss), 'NaN survives the round trip');
    assert.equal(t1?.pid, 1001);
  });

  it('puts an interrupted attempt back to pending, and keeps only the new attempt\'s reports', () => {
    const record = foldEvents([
      created(0, 0), started(0, 1, 1), report(0, 1, 2, 9),
      { type: 'trial-interrupted', time: at(3), index: 0, attempt: 1, reason: 'RunnerDied' },
      { type: 'trial-finished', time: at(4), index: 0, attempt: 1, state: 'failed', metrics: {}, exitCode: 1, signal: null }, // late, stale: ignored
    ]);
    assert.deepEqual([record.trials[0]?.state, record.trials[0]?.reports.length, record.trials[0]?.startedAt], ['pending', 0, undefined]);
    assert.equal(record.trials[0]?.queuedAt, Date.parse(at(3)), 'waits anew from the interruption');
    const resumed = foldEvents([created(0, 0), started(0, 1, 1), { type: 'trial-interrupted', time: at(3), index: 0, attempt: 1, reason: 'RunnerDied' }, started(0, 2, 5), report(0, 2, 6, 0.1), finished(0, 2, 7, 0.1)]);
    assert.deepEqual([resumed.trials[0]?.state, resumed.trials[0]?.attempt, resumed.trials[0]?.reports.length], ['succeeded', 2, 1]);
  });

  it('skips a torn last line instead of failing', () => {
    const text = `${JSON.stringify(created(0, 0))}\n${JSON.stringify(started(0, 1, 1))}\n{"type":"trial-fin`;
    const { events, skippedLines } = parseEvents(text);
    assert.equal(events.length, 2);
    assert.equal(skippedLines, 1);
  });

  it('is written so that a reader sees every event, a torn tail is closed off, and the lock keeps out a second live runner', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, EVENTS_FILE), `${JSON.stringify(created(0, 0))}\n{"torn`);
    const writer = ResultsWriter.open(dir);
    writer.append(created(1, 1));
    writer.close();
    const record = readResults(dir);
    assert.deepEqual(record.trials.map((x) => x.index), [0, 1]);
    assert.equal(record.skippedLines, 1);
    assert.ok(readFileSync(join(dir, EVENTS_FILE), 'utf8').endsWith('\n'));
  });

  it('refuses a directory locked by a live runner', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'runner.lock'), `${process.ppid}\n`); // a live process that is not us
    assert.throws(() => ResultsWriter.open(dir), ResultsDirBusyError);
  });

  it('takes over the lock of a runner that died', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'runner.lock'), '2147483646\n'); // no such process
    const writer = ResultsWriter.open(dir);
    writer.close();
  });
});
