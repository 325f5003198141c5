// A CRD's CEL rules (x-kubernetes-validations) are enforced by the real apiserver, with its own
// messages — the operator's CRD relies on this for cross-field checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterOrSkip, refusal, testNamespace, waitFor } from '../../cluster/testing.js';

// Per process, so a cluster reused across runs (up.sh) never meets a CRD left by an earlier one.
const GROUP = `cel-${process.pid.toString(36)}.kubetune-test.dev`;

function crd() {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `budgets.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural: 'budgets', singular: 'budget', kind: 'Budget' },
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['objective', 'minTrials', 'maxTrials'],
                properties: {
                  objective: {
                    type: 'string',
                    'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'objective is immutable' }],
                  },
                  minTrials: { type: 'integer', minimum: 1 },
                  maxTrials: { type: 'integer', minimum: 1 },
                },
                'x-kubernetes-validations': [{ rule: 'self.minTrials <= self.maxTrials', message: 'minTrials must not exceed maxTrials' }],
              },
            },
          },
        },
      }],
    },
  };
}

test('a CRD with CEL rules rejects bad objects with the apiserver\'s own messages', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const rest = c.rest();
  t.after(async () => {
    await rest.delete(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/budgets.${GROUP}`).catch(() => undefined);
    rest.close();
  });
  const ns = await testNamespace(t, c, 'crd-cel');
  await rest.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd());
  await waitFor('CRD Established', async () => {
    const got = await rest.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/budgets.${GROUP}`);
    return (got.status?.conditions ?? []).some((x: { type: string; status: string }) => x.type === 'Established' && x.status === 'True');
  });
  const path = `/apis/${GROUP}/v1/namespaces/${ns}/budgets`;
  const budget = (name: string, min: number, max: number, objective = 'val_loss') => ({
    apiVersion: `${GROUP}/v1`, kind: 'Budget', metadata: { name }, spec: { objective, minTrials: min, maxTrials: max },
  });

  // The discovery of a just-established CRD can lag by a moment: retry a 404 only.
  await waitFor('Budget endpoint', async () => {
    try {
      return await rest.create(path, budget('good', 2, 5));
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  });

  const bad = await refusal(() => rest.create(path, budget('bad', 9, 3)));
  assert.equal(bad.code, 422);
  assert.equal(bad.status?.reason, 'Invalid');
  assert.match(bad.status!.message!, /Budget\.cel-[a-z0-9]+\.kubetune-test\.dev "bad" is invalid: spec: Invalid value: "object": minTrials must not exceed maxTrials/);

  const changed = await refusal(() => rest.mergePatch(`${path}/good`, { spec: { objective: 'accuracy' } }));
  assert.equal(changed.code, 422);
  assert.match(changed.status!.message!, /spec\.objective: Invalid value: "string": objective is immutable/);

  const kept = await rest.get(`${path}/good`);
  assert.equal(kept.spec.objective, 'val_loss');
});
