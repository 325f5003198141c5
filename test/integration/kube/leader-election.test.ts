/**
 * Lease-based leader election against the real apiserver: one leader at a time, a graceful
 * hand-over on release, and a take-over once a silent leader's lease runs out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';

import { LeaderElector } from '../../../operator/kube/leader-election.js';
import { clusterOrSkip, testNamespace, waitFor } from '../../cluster/testing.js';

const fast = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 };

function candidate(kubeconfigPath: string, namespace: string, identity: string, log: string[]) {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return new LeaderElector(kc, {
    namespace, name: 'test-lease', identity, ...fast,
    onStartedLeading: () => log.push(`${identity} leads`),
    onStoppedLeading: () => log.push(`${identity} lost`),
  });
}

describe('LeaderElector (real apiserver)', () => {
  it('elects one leader, hands over on release, and takes over from a silent leader', async (t) => {
    const c = await clusterOrSkip(t);
    if (!c) return;
    const ns = await testNamespace(t, c, 'leader-election');
    const log: string[] = [];
    const a = candidate(c.kubeconfigPath, ns, 'a', log);
    const b = candidate(c.kubeconfigPath, ns, 'b', log);
    t.after(async () => {
      await a.release();
      await b.release();
    });

    a.run();
    await waitFor('a to lead', () => (a.isLeader ? true : undefined));
    b.run();
    // b keeps polling while a renews: several retry periods pass without a second leader.
    const rest = c.rest();
    t.after(() => rest.close());
    const leaseRenewals = new Set<string>();
    await waitFor('a to renew three times', async () => {
      const lease = await rest.get<{ spec: { renewTime: string; holderIdentity: string } }>(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/test-lease`);
      assert.equal(lease.spec.holderIdentity, 'a');
      leaseRenewals.add(lease.spec.renewTime);
      return leaseRenewals.size >= 3 ? true : undefined;
    });
    assert.equal(b.isLeader, false);

    await a.release();
    await waitFor('b to take over after the release', () => (b.isLeader ? true : undefined));
    assert.deepEqual(log, ['a leads', 'b leads']);

    // A third candidate sees b renewing and waits; then b goes silent (stops without releasing,
    // as a killed process would) and the lease expires in the newcomer's own observation.
    const c3 = candidate(c.kubeconfigPath, ns, 'c', log);
    t.after(() => c3.release());
    c3.run();
    b.stop(); // b's process "dies": no more renewals, no release
    await waitFor('c to take over once b is silent', () => (c3.isLeader ? true : undefined));
    const lease = await rest.get<{ spec: { holderIdentity: string; leaseTransitions: number } }>(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/test-lease`);
    assert.equal(lease.spec.holderIdentity, 'c');
    assert.equal(lease.spec.leaseTransitions, 2);
  });
});
