/**
 * The list-watch cache against the real apiserver: paginated lists, live events and deletes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

import { Informer } from '../../../operator/kube/informer.js';
import { clusterOrSkip, testNamespace, waitFor } from '../../cluster/testing.js';

type ConfigMap = KubernetesObject & { data?: Record<string, string> };

function kubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

const configMap = (ns: string, name: string, value: string): ConfigMap => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { value },
});

describe('Informer (real apiserver)', () => {
  it('lists in pages, then follows adds, updates and deletes', async (t) => {
    const c = await clusterOrSkip(t);
    if (!c) return;
    const ns = await testNamespace(t, c, 'informer-events');
    const rest = c.rest();
    t.after(() => rest.close());
    for (let i = 0; i < 7; i++) await rest.create(`/api/v1/namespaces/${ns}/configmaps`, configMap(ns, `cm-${i}`, String(i)));

    const seen: string[] = [];
    const informer = new Informer<ConfigMap>(kubeConfig(c.kubeconfigPath), { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespace: ns, pageSize: 3 }, {
      add: (o) => seen.push(`add ${o.metadata!.name}`),
      update: (_, o) => seen.push(`update ${o.metadata!.name}=${o.data?.value}`),
      delete: (o) => seen.push(`delete ${o.metadata!.name}`),
    });
    t.after(() => informer.stop());
    await informer.start();
    // kube-root-ca.crt is published into every namespace; count only ours.
    assert.equal(informer.list().filter((o) => o.metadata!.name!.startsWith('cm-')).length, 7);
    assert.ok(informer.requests.list >= 3, `7+ objects in pages of 3 need 3+ list requests, made ${informer.requests.list}`);
    assert.equal(informer.get(`${ns}/cm-4`)?.data?.value, '4');
    assert.equal(informer.get(`${ns}/cm-4`)?.kind, 'ConfigMap', 'list items get their kind back');

    seen.length = 0;
    await rest.create(`/api/v1/namespaces/${ns}/configmaps`, configMap(ns, 'late', 'x'));
    await rest.mergePatch(`/api/v1/namespaces/${ns}/configmaps/cm-1`, { data: { value: 'changed' } });
    await rest.delete(`/api/v1/namespaces/${ns}/configmaps/cm-2`);
    await waitFor('three watch events', () => (seen.length >= 3 ? seen : undefined));
    assert.deepEqual(seen, ['add late', 'update cm-1=changed', 'delete cm-2']);
    assert.equal(informer.get(`${ns}/cm-2`), undefined);
  });
});
