// helm lint --strict (warnings count as failures) with the default values and each ci values
// file, and the schema refusing what values.yaml does not declare.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHART_DIR } from '../../../helm/chart-gen.js';
import { helm, KUBE_VERSION, template } from '../../../helm/render.js';
import { CI_VALUES, ciFile, helmOrSkip } from './chart.js';

describe('helm lint --strict', () => {
  for (const values of [undefined, ...CI_VALUES]) {
    it(`passes with ${values ?? 'the default values'}`, async (t) => {
      const bin = helmOrSkip(t);
      if (!bin) return;
      const out = await helm(bin, ['lint', '--strict', CHART_DIR, '--kube-version', KUBE_VERSION, ...(values ? ['-f', ciFile(values)] : [])]);
      assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });
  }
});

describe('values.schema.json', () => {
  it('refuses unknown keys and wrong types', async (t) => {
    const bin = helmOrSkip(t);
    if (!bin) return;
    await assert.rejects(template(bin, ['--set', 'replicas=2']), /additional properties 'replicas' not allowed|replicas/);
    await assert.rejects(template(bin, ['--set', 'crds.enabled=yes-please']), /crds\.enabled|boolean/);
    await assert.rejects(template(bin, ['--set', 'image.tagg=1']), /tagg/);
  });
});
