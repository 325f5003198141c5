import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { OperatorMetrics, reasonLabel } from '../../../operator/controller/metrics.js';

describe('OperatorMetrics', () => {
  it('exposes every reconcile result from the start, at zero', async () => {
    const text = (await new OperatorMetrics().render()).body;
    for (const result of ['success', 'requeue_after', 'error', 'terminal_error']) {
      assert.match(text, new RegExp(`kubetune_reconcile_total\\{result="${result}"\\} 0`));
    }
  });

  it('has no label that could carry a study, a namespace or a parameter', async () => {
    const m = new OperatorMetrics();
    m.trialFinished('failed', 'OOMKilled');
    m.reconciled('success', 0.01);
    for (const metric of await m.registry.getMetricsAsJSON()) {
      for (const v of metric.values) {
        for (const label of Object.keys(v.labels)) {
          assert.ok(['result', 'state', 'reason', 'phase', 'le', 'resource'].includes(label), `${metric.name} has label ${label}`);
        }
      }
    }
  });

  it('counts finished trials by state and a bounded reason', async () => {
    const m = new OperatorMetrics();
    m.trialFinished('succeeded', undefined);
    m.trialFinished('failed', 'MetricNaN');
    m.trialFinished('failed', 'exit code 3: something a trial wrote');
    const text = (await m.render()).body;
    assert.match(text, /kubetune_trials_finished_total\{state="succeeded",reason=""\} 1/);
    assert.match(text, /kubetune_trials_finished_total\{state="failed",reason="MetricNaN"\} 1/);
    assert.match(text, /kubetune_trials_finished_total\{state="failed",reason="Other"\} 1/);
  });

  it('reads the gauges from the attached sources at scrape time', async () => {
    const m = new OperatorMetrics();
    let depth = 3;
    m.attach({ queueDepth: () => depth, activeTrials: () => ({ pending: 2, running: 5 }), studies: () => 7, isLeader: () => true });
    depth = 4;
    const text = (await m.render()).body;
    assert.match(text, /kubetune_workqueue_depth 4/);
    assert.match(text, /kubetune_trials_active\{phase="Running"\} 5/);
    assert.match(text, /kubetune_studies 7/);
    assert.match(text, /kubetune_leader 1/);
  });

  it('counts relists by watched kind and reason, from zero, and nothing outside those sets', async () => {
    const m = new OperatorMetrics();
    let text = (await m.render()).body;
    for (const resource of ['tuningstudies', 'jobs', 'pods', 'configmaps']) {
      for (const reason of ['expired', 'error']) assert.match(text, new RegExp(`kubetune_watch_relists_total\\{resource="${resource}",reason="${reason}"\\} 0`));
    }
    m.relisted('pods', 'expired');
    m.relisted('pods', 'expired');
    m.relisted('jobs', 'error');
    m.relisted('secrets', 'expired');
    m.relisted('pods', 'because' as never);
    text = (await m.render()).body;
    assert.match(text, /kubetune_watch_relists_total\{resource="pods",reason="expired"\} 2/);
    assert.match(text, /kubetune_watch_relists_total\{resource="jobs",reason="error"\} 1/);
    assert.doesNotMatch(text, /resource="secrets"|reason="because"/);
  });

  it('keeps reasons to CamelCase words', () => {
    assert.equal(reasonLabel('PendingTimeout'), 'PendingTimeout');
    assert.equal(reasonLabel('a/b'), 'Other');
    assert.equal(reasonLabel(undefined), '');
  });
});
