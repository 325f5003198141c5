/**
 * Resuming a local study: the runner is killed (SIGKILL) or stopped (Ctrl-C) mid-study and run
 * again. The resumed study must end with exactly the trials an uninterrupted run has — same
 * count, same indices, same parameters per index (random search draws from (seed, index)) — with
 * no index or parameter set doubled, and the interrupted attempts recorded as such.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { paramsKey } from '../../../operator/space/space.js';
import { parseEvents, readResults } from '../../../operator/local/results-reader.js';
import type { ResultEvent } from '../../../operator/local/results-format.js';
import { nextStderr, runCli, startCli, tempDir, waitForOutput, writeStudy } from './helpers.js';

const SPEC = { budget: { maxTrials: 6, parallelism: 2 } };
const SLOW = { BEHAVE_STEP_MS: '150' };

function events(results: string): ResultEvent[] {
  try {
    return parseEvents(readFileSync(join(results, 'events.jsonl'), 'utf8')).events;
  } catch {
    return [];
  }
}

/**
 * True once at least `n` trials finished and another is in the middle of its run: it reported
 * its first step and not yet a later one, so it is still running (two more steps of 150 ms) when
 * the signal lands — never between two of the runner's writes.
 */
const midStudy = (results: string, n: number) => () => {
  const log = events(results);
  const finished = new Set(log.filter((e) => e.type === 'trial-finished').map((e) => e.index));
  const steps = new Map<number, number>();
  for (const e of log) if (e.type === 'trial-report') steps.set(e.index, Math.max(steps.get(e.index) ?? 0, e.step));
  const midway = [...steps].some(([index, step]) => step === 1 && !finished.has(index));
  return finished.size >= n && midway;
};

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** True once `pid` is gone; a SIGKILL is delivered asynchronously, so look a few times. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

async function uninterrupted(dir: string, name: string): Promise<ReturnType<typeof readResults>> {
  const file = writeStudy(dir, name, SPEC);
  const results = join(dir, `${name}-baseline`);
  const run = await runCli(['run', file, '--results-dir', results], { BEHAVE_STEP_MS: '1' });
  assert.equal(run.code, 0, run.stderr);
  return readResults(results);
}

function assertSameTrials(resumed: ReturnType<typeof readResults>, baseline: ReturnType<typeof readResults>): void {
  assert.equal(resumed.trials.length, baseline.trials.length);
  assert.deepEqual(resumed.trials.map((t) => t.index), baseline.trials.map((t) => t.index));
  assert.deepEqual(resumed.trials.map((t) => t.params), baseline.trials.map((t) => t.params));
  assert.equal(new Set(resumed.trials.map((t) => paramsKey(t.params))).size, resumed.trials.length, 'no parameter set twice');
  assert.ok(resumed.trials.every((t) => t.state === 'succeeded'));
  assert.equal(resumed.finished?.reason, 'MaxTrials');
}

describe('resuming kubetune run', { timeout: 120_000 }, () => {
  it('after SIGKILL of the runner: same trials as an uninterrupted run, the running ones re-run under their index', async (t) => {
    const dir = tempDir(t);
    const baseline = await uninterrupted(dir, 'killed');
    const file = join(dir, 'killed.yaml');
    const results = join(dir, 'killed-results');

    const first = startCli(['run', file, '--results-dir', results], SLOW);
    await waitForOutput(first, midStudy(results, 2));
    first.child.kill('SIGKILL');
    const killed = await first.done;
    assert.equal(killed.signal, 'SIGKILL');

    const open = readResults(results).trials.filter((x) => x.state === 'running');
    assert.ok(open.length > 0, 'some trial was running when the runner died');
    const orphanPids = open.map((x) => x.pid as number);

    const second = await runCli(['run', file, '--results-dir', results], { BEHAVE_STEP_MS: '1' });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /running when the last run stopped/);
    const resumed = readResults(results);
    assertSameTrials(resumed, baseline);

    const log = events(results);
    const interrupted = log.filter((e): e is Extract<ResultEvent, { type: 'trial-interrupted' }> => e.type === 'trial-interrupted');
    assert.deepEqual(interrupted.map((e) => [e.index, e.reason]), open.map((x) => [x.index, 'RunnerDied']));
    for (const x of open) assert.equal(resumed.trials[x.index]?.attempt, 2, `trial ${x.index} ran a second attempt`);
    assert.equal(log.filter((e) => e.type === 'trial-created').length, 6, 'each trial created once');
    for (const pid of orphanPids) assert.ok(await gone(pid), `the old attempt's process ${pid} is gone`);
  });

  it('after Ctrl-C: running trials are terminated and marked, exit 130, and a re-run completes the study', async (t) => {
    const dir = tempDir(t);
    const baseline = await uninterrupted(dir, 'stopped');
    const file = join(dir, 'stopped.yaml');
    const results = join(dir, 'stopped-results');

    const first = startCli(['run', file, '--results-dir', results], SLOW);
    await waitForOutput(first, midStudy(results, 1));
    first.child.kill('SIGINT');
    const stopped = await first.done;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /run the same command again to resume/);
    const afterStop = readResults(results);
    assert.equal(afterStop.trials.filter((x) => x.state === 'running').length, 0, 'nothing is left running');
    const marked = events(results).filter((e) => e.type === 'trial-interrupted');
    assert.ok(marked.length > 0 && marked.every((e) => e.reason === 'RunnerStopped'));

    const second = await runCli(['run', file, '--results-dir', results], { BEHAVE_STEP_MS: '1' });
    assert.equal(second.code, 0, second.stderr);
    assertSameTrials(readResults(results), baseline);
  });

  it('after a second Ctrl-C: exits at once, killing trials that ignore SIGTERM, and records them as interrupted', async (t) => {
    const dir = tempDir(t);
    const file = writeStudy(dir, 'stubborn', {
      parameters: [{ name: 'mode', type: 'categorical', values: ['hang'] }, { name: 'x', type: 'float', min: 0, max: 1 }],
      budget: { maxTrials: 2, parallelism: 2 },
    });
    const results = join(dir, 'results');
    const cli = startCli(['run', file, '--results-dir', results, '--grace', '600']);
    await waitForOutput(cli, () => events(results).filter((e) => e.type === 'trial-report').length >= 2);
    const pids = readResults(results).trials.map((x) => x.pid as number);
    const notice = nextStderr(cli);
    cli.child.kill('SIGINT');
    assert.match(await notice, /stopping/);
    cli.child.kill('SIGINT');
    const run = await cli.done;
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /killed running trials/);
    const marked = events(results).filter((e) => e.type === 'trial-interrupted');
    assert.deepEqual(marked.map((e) => e.index).sort(), [0, 1]);
    for (const pid of pids) assert.ok(await gone(pid), `trial process ${pid} was killed`);
    assert.deepEqual(readResults(results).trials.map((x) => x.state), ['pending', 'pending']);
  });
});
