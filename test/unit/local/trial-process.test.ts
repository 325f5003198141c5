import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TrialProcess } from '../../../operator/local/trial-process.js';

function setup(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'kubetune-proc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, stdoutLog: join(dir, 'out.log'), stderrLog: join(dir, 'err.log'), resultFile: join(dir, 'result.json') };
}

const node = (dir: string, script: string) => {
  const file = join(dir, 'trial.mjs');
  writeFileSync(file, script);
  return { file: process.execPath, args: [file] };
};

describe('TrialProcess', () => {
  it('reads metric lines live, copies output to the logs and reads the result document at exit', async (t) => {
    const p = setup(t);
    const seen: number[] = [];
    const proc = new TrialProcess({
      ...node(p.dir, `
        console.log('hello');
        console.log('kubetune-metrics step=1 loss=0.5');
        console.error('warning');
        process.stdout.write('kubetune-metrics step=2 loss=0.25');  // no newline at the end
        require;
      `.replace('require;', `import { writeFileSync } from 'node:fs'; writeFileSync(process.env.RESULT, JSON.stringify({ status: 'succeeded', metrics: { loss: 0.25 } }));`)),
      cwd: p.dir, env: { ...process.env, RESULT: p.resultFile } as Record<string, string>,
      stdoutLog: p.stdoutLog, stderrLog: p.stderrLog, resultFile: p.resultFile,
      onReport: (r) => seen.push(r.step),
    });
    const end = await proc.ended;
    assert.deepEqual([end.exitCode, end.signal], [0, null]);
    assert.deepEqual(end.reports.map((r) => r.values.loss), [0.5, 0.25]);
    assert.deepEqual(seen, [1, 2]);
    assert.deepEqual(end.result, { status: 'succeeded', metrics: { loss: 0.25 } });
    assert.match(readFileSync(p.stdoutLog, 'utf8'), /hello/);
    assert.match(readFileSync(p.stderrLog, 'utf8'), /warning/);
  });

  it('reports a command that cannot be started', async (t) => {
    const p = setup(t);
    const proc = new TrialProcess({ file: join(p.dir, 'no-such-command'), args: [], cwd: p.dir, env: {}, stdoutLog: p.stdoutLog, stderrLog: p.stderrLog, resultFile: p.resultFile });
    const end = await proc.ended;
    assert.match(end.spawnError ?? '', /ENOENT/);
  });

  it('terminates with SIGTERM, then SIGKILL after the grace period for a trial that ignores it', async (t) => {
    const p = setup(t);
    const proc = new TrialProcess({
      ...node(p.dir, `process.on('SIGTERM', () => {}); console.log('kubetune-metrics step=1 loss=1'); setInterval(() => {}, 1000);`),
      cwd: p.dir, env: { ...process.env } as Record<string, string>, stdoutLog: p.stdoutLog, stderrLog: p.stderrLog, resultFile: p.resultFile,
      onReport: () => proc.terminate(100),
    });
    const end = await proc.ended;
    assert.equal(end.signal, 'SIGKILL');
  });

  it('collects malformed metric lines instead of half-parsing them', async (t) => {
    const p = setup(t);
    const proc = new TrialProcess({
      ...node(p.dir, `console.log('kubetune-metrics step=1 loss=abc'); console.log('kubetune-metrics step=2 loss=1');`),
      cwd: p.dir, env: { ...process.env } as Record<string, string>, stdoutLog: p.stdoutLog, stderrLog: p.stderrLog, resultFile: p.resultFile,
    });
    const end = await proc.ended;
    assert.deepEqual(end.badMetricLines, ['kubetune-metrics step=1 loss=abc']);
    assert.equal(end.reports.length, 1);
  });
});
