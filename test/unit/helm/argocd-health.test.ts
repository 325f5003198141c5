// The Argo CD health check of TuningStudies (helm/argocd/tuningstudy-health.lua, shown in
// docs/install.md) run in a real Lua VM (wasmoon: Lua 5.4 compiled to WebAssembly; Argo CD runs
// gopher-lua, Lua 5.1, and the script uses nothing newer) on statuses the operator's own
// renderStatus writes for every phase.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LuaFactory } from 'wasmoon';
import { REPO_ROOT } from '../../../helm/chart-gen.js';
import { renderInvalidStatus, renderStatus } from '../../../operator/controller/status.js';
import { compileStudy } from '../../../operator/engine/compile.js';
import type { Decision, EngineTrial } from '../../../operator/engine/types.js';
import { resolved } from '../controller/fixtures.js';

const SCRIPT = readFileSync(join(REPO_ROOT, 'helm/argocd/tuningstudy-health.lua'), 'utf8');
const lua = await new LuaFactory().createEngine();
after(() => lua.global.close());

async function health(obj: unknown): Promise<{ status: string; message: string }> {
  // JSON round trip: Argo CD hands the script the object as decoded JSON (no undefined fields).
  lua.global.set('obj', JSON.parse(JSON.stringify(obj)));
  return (await lua.doString(SCRIPT)) as { status: string; message: string };
}

const study = compileStudy(resolved());
const done = (index: number, state: EngineTrial['state'] = 'succeeded'): EngineTrial => ({ index, params: { lr: 0.01, features: ['a'] }, state, value: 0.5, reports: [], createdAt: 0, finishedAt: index + 1 });
const status = (decision: Decision, trials: EngineTrial[] = [done(0)], s = study) => renderStatus({ study: s, trials, decision, previous: undefined, generation: 2, startedAt: 0, now: 1000 });
const withStatus = (st: unknown, generation = 2) => ({ apiVersion: 'kubetune.io/v1alpha1', kind: 'TuningStudy', metadata: { name: 's', generation }, status: st });

describe('Argo CD health of a TuningStudy', () => {
  it('Progressing before the operator has written a status', async () => {
    assert.equal((await health({ metadata: { name: 's', generation: 1 } })).status, 'Progressing');
  });

  it('Progressing while trials run or wait', async () => {
    const running = await health(withStatus(status({ launch: [{ index: 1, params: {}, seed: 1 }], stop: [] })));
    assert.equal(running.status, 'Progressing');
    assert.match(running.message, /trials finished/);
    assert.equal((await health(withStatus(status({ launch: [], stop: [] }, [])))).status, 'Progressing');
  });

  it('Healthy once Completed', async () => {
    const h = await health(withStatus(status({ launch: [], stop: [], finish: { reason: 'MaxTrials', phase: 'Completed', message: 'all 20 trials ran' } })));
    assert.deepEqual(h, { status: 'Healthy', message: 'all 20 trials ran' });
  });

  it('Degraded when Failed (Stalled) or the spec is invalid', async () => {
    const failed = await health(withStatus(status({ launch: [], stop: [], finish: { reason: 'MaxFailedTrials', phase: 'Failed', message: '3 trials failed' } }, [done(0, 'failed')])));
    assert.deepEqual(failed, { status: 'Degraded', message: '3 trials failed' });
    const invalid = await health(withStatus(renderInvalidStatus([{ code: 'empty_range', path: '/spec/parameters/0/max', message: 'max must exceed min' }], undefined, 2, 1000)));
    assert.equal(invalid.status, 'Degraded');
    assert.match(invalid.message, /max must exceed min/);
  });

  it('Suspended when suspended', async () => {
    const suspended = compileStudy(resolved({ suspend: true }));
    assert.equal((await health(withStatus(status({ launch: [], stop: [] }, [done(0)], suspended)))).status, 'Suspended');
  });

  it('Progressing when the spec changed and the operator has not caught up, even if it was Completed', async () => {
    const completed = status({ launch: [], stop: [], finish: { reason: 'MaxTrials', phase: 'Completed', message: 'done' } });
    assert.equal((await health(withStatus(completed, 3))).status, 'Progressing');
  });

  it('docs/install.md shows the script as it is tested', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/install.md'), 'utf8');
    const indented = SCRIPT.trimEnd().split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n');
    assert.ok(doc.includes(indented), 'docs/install.md: the argocd-cm health.lua block differs from helm/argocd/tuningstudy-health.lua');
  });
});
