// Trial pods that misbehave in the ways failures.test.ts does not cover, each in its own study on
// the same operator, which must end every one of them with the right reason and keep going:
//
//   - a pod that can never be scheduled (a nodeSelector no node has)  → PendingTimeout
//   - a trial printing garbage around a metric line that breaks the grammar → BadMetricLine
//   - a trial writing a termination message far past 4 KiB (the kubelet keeps 4096 bytes, so the
//     JSON arrives cut)                                                   → BadResult
//   - a trial printing garbage and a NaN *intermediate* value, then a good result → succeeded
//
// (crash, exit 137, NaN objective and hanging past trialTimeout: test/integration/operator/failures.test.ts)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Obj } from '../cluster/testing.js';
import {
  finished, historyRecords, operatorTestEnv, scriptStudy, startOperator, STUDIES, waitForStudy,
} from '../integration/operator/harness.js';
import { record } from './record.js';

function study(name: string, script: string, extra: Obj = {}): Obj {
  const s = scriptStudy(name, { maxTrials: 2, parallelism: 2, seed: 1, budget: { maxFailedTrials: 2, ...(extra.budget ?? {}) } });
  s.spec.template.command = ['node', '-e', script];
  if (extra.nodeSelector) s.spec.template.nodeSelector = extra.nodeSelector;
  return s;
}

const RESULT = `require('node:fs').writeFileSync(process.env.KUBETUNE_RESULT_FILE, JSON.stringify({ status: 'succeeded', metrics: { loss: 0.5 } }))`;

const CASES: { name: string; expect: { state: string; reason?: string }; spec: Obj }[] = [
  {
    name: 'unschedulable', expect: { state: 'failed', reason: 'PendingTimeout' },
    spec: study('unschedulable', RESULT, { nodeSelector: { 'kubetune.io/no-such-node': 'true' }, budget: { pendingTimeout: '5s' } }),
  },
  {
    name: 'badline', expect: { state: 'failed', reason: 'BadMetricLine' },
    spec: study('badline', `console.log('\\u0000\\u00ff garbage {{ }} $(x)'); console.log('kubetune-metrics step=1 loss=0x1f'); ${RESULT}`),
  },
  {
    name: 'oversize', expect: { state: 'failed', reason: 'BadResult' },
    spec: study('oversize', `console.log('kubetune-metrics step=1 loss=0.5'); require('node:fs').writeFileSync(process.env.KUBETUNE_RESULT_FILE, JSON.stringify({ status: 'succeeded', metrics: { loss: 0.5 }, message: 'x'.repeat(100000) }))`),
  },
  {
    name: 'noisy', expect: { state: 'succeeded' },
    spec: study('noisy', `for (let i = 0; i < 200; i++) console.log('epoch ' + i + ' ' + '#'.repeat(i)); console.log('kubetune-metrics step=0 loss=nan'); console.log('kubetune-metrics step=1 loss=0.5'); ${RESULT}`),
  },
];

test('misbehaving trial pods end with their reason, and the operator keeps serving', async (t) => {
  const env = await operatorTestEnv(t, 'rel-trials');
  if (!env) return;
  const { ns, rest, kubeconfig } = env;
  const op = startOperator(t, kubeconfig, ns);
  await op.address();
  for (const k of CASES) await rest.create(STUDIES(ns), k.spec);
  const seen: Record<string, string[]> = {};
  for (const k of CASES) {
    await waitForStudy(rest, ns, k.name, 'finished', finished, 300_000);
    const history = await historyRecords(rest, ns, k.name);
    assert.equal(history.size, 2, `${k.name}: both trials recorded`);
    seen[k.name] = [...history.values()].map((r) => `${r.state}/${r.reason ?? ''}`);
    for (const r of history.values()) {
      assert.equal(r.state, k.expect.state, `${k.name}: ${JSON.stringify(r)}`);
      if (k.expect.reason !== undefined) assert.equal(r.reason, k.expect.reason, `${k.name}: ${r.message}`);
      if (r.state === 'failed') assert.ok(typeof r.message === 'string' && r.message.length > 0, `${k.name}: a failure says why`);
    }
  }
  t.diagnostic(JSON.stringify(seen));
  assert.equal(op.child.exitCode, null, 'the operator is still running');
  record({ source: 'trials', misbehavingStudies: CASES.length, outcomes: seen });
});
