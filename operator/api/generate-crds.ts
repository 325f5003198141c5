/**
 * `npm run generate:crds`: writes the CRD and the API reference rendered from schema.ts.
 * Run it after any change to the schema; test/unit/api/crd.test.ts fails until you do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_DOC_FILE, renderApiDoc } from './api-doc.js';
import { CRD_FILE, renderCrdYaml } from './crd.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
for (const [file, text] of [[CRD_FILE, renderCrdYaml()], [API_DOC_FILE, renderApiDoc()]] as const) {
  const path = join(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${file}`);
}
