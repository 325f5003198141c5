/**
 * `npm run generate:helm`: writes what the chart derives from other sources (helm/chart-gen.ts):
 * the CRD template, values.schema.json, and the plain-manifest bundle helm/rendered/kubetune.yaml
 * (the chart rendered with its default values into the kubetune-system namespace, for
 * `kubectl apply -f`). The bundle needs helm: `${KUBETUNE_CACHE:-~/.cache/kubetune}/bin/helm`
 * (built by test/cluster/build.sh), or `helm` on PATH, or $HELM.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BUNDLE_FILE, CRD_TEMPLATE, SCHEMA_FILE, crdTemplate, valuesSchema } from './chart-gen.js';
import { findHelm, renderBundle } from './render.js';

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}

write(CRD_TEMPLATE, crdTemplate());
write(SCHEMA_FILE, valuesSchema());
const helm = findHelm();
if (helm === undefined) {
  console.error('helm not found: the bundle was not rendered (build it with test/cluster/build.sh or set HELM)');
  process.exitCode = 1;
} else {
  write(BUNDLE_FILE, await renderBundle(helm));
}
