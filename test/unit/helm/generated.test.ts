// What the chart generates (helm/chart-gen.ts, `npm run generate:helm`) matches its sources:
// values.schema.json and values.yaml, the CRD template and crds/, the plain-manifest bundle and
// the chart. And every value in values.yaml is used by a template, and every value a template
// reads is declared (a typo there would silently read nothing).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLE_FILE, CHART_DIR, CRD_TEMPLATE, SCHEMA_FILE, crdTemplate, undeclaredValues, unusedValues, valueReferences, valuesPaths, valuesSchema } from '../../../helm/chart-gen.js';
import { renderBundle } from '../../../helm/render.js';
import { helmOrSkip } from './chart.js';

const FIX = 'run `npm run generate:helm` and commit the result';

/** Every `.Values.a.b` a template or helper reads. */
function templateReferences(): Set<string> {
  const dir = join(CHART_DIR, 'templates');
  return valueReferences(readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n'));
}

describe('generated chart files', () => {
  it('values.schema.json is generated from values.yaml', () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), valuesSchema(), `values.schema.json drifted from values.yaml: ${FIX}`);
  });

  it('the CRD template is crds/kubetune.io_tuningstudies.yaml', () => {
    assert.equal(readFileSync(CRD_TEMPLATE, 'utf8'), crdTemplate(), `the chart's CRD drifted from crds/: ${FIX}`);
  });

  it('helm/rendered/kubetune.yaml is the chart rendered with its defaults', async (t) => {
    const helm = helmOrSkip(t);
    if (!helm) return;
    assert.equal(readFileSync(BUNDLE_FILE, 'utf8'), await renderBundle(helm), `the bundle drifted from the chart: ${FIX}`);
  });
});

describe('values.yaml', () => {
  const refs = templateReferences();

  it('every value is used by a template', () => {
    assert.deepEqual(unusedValues(valuesPaths(), refs), [], 'values no template reads: remove them or use them');
  });

  it('every value a template reads is declared in values.yaml', () => {
    assert.deepEqual(undeclaredValues(valuesPaths(), refs), []);
  });

  it('the two checks catch what they must', () => {
    const schema = valuesSchema('# A.\na:\n  # B.\n  b: 1\n  # C.\n  c: 2\n# D.\nd: {}\n');
    const tpl = '{{ .Values.a.b }} {{ toYaml .Values.d }} {{ .Values.a.typo }}';
    assert.deepEqual(unusedValues(valuesPaths(schema), valueReferences(tpl)), ['a.c']);
    assert.deepEqual(undeclaredValues(valuesPaths(schema), valueReferences(tpl)), ['a.typo']);
  });

  it('each key has a description, optional keys included', () => {
    const schema = JSON.parse(valuesSchema()) as { properties: Record<string, { description?: string }> };
    for (const [k, v] of Object.entries(schema.properties)) assert.ok(v.description, k);
    assert.ok(valuesPaths().includes('image.digest') && valuesPaths().includes('priorityClassName'), 'commented-out keys are declared');
  });

  it('the generator refuses a key without a description', () => {
    assert.throws(() => valuesSchema('# About a.\na: 1\nb: 2\n'), /key b has no description/);
    assert.throws(() => valuesSchema('# About a.\n# +docs:property=x\n# x: 1\n\n# A.\na: 1\n'), /needs type=/);
  });
});
