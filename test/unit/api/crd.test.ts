import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { API_DOC_FILE, renderApiDoc } from '../../../operator/api/api-doc.js';
import { CRD_FILE, renderCrd, renderCrdYaml } from '../../../operator/api/crd.js';
import { crossFieldRules } from '../../../operator/api/cross-field.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
type Node = Record<string, unknown>;

/** Every schema node with its path. */
function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, Node>)) walk(child, `${path}.${name}`, visit);
  if (typeof node.items === 'object') walk(node.items as Node, `${path}[]`, visit);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties as Node, `${path}{}`, visit);
}

const crdSchema = () => {
  const crd = renderCrd() as { spec: { versions: { schema: { openAPIV3Schema: Node } }[] } };
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
};

describe('the generated CRD', () => {
  it('matches crds/ and docs/api.md (run `npm run generate:crds` after changing the schema)', () => {
    // assert.ok, not equal: a diff of two whole CRDs would bury the message.
    assert.ok(readFileSync(join(ROOT, CRD_FILE), 'utf8') === renderCrdYaml(), `${CRD_FILE} is out of date: run npm run generate:crds`);
    assert.ok(readFileSync(join(ROOT, API_DOC_FILE), 'utf8') === renderApiDoc(), `${API_DOC_FILE} is out of date: run npm run generate:crds`);
  });

  it('is a structural schema: every node typed, objects with properties or a value schema, no bare unions', () => {
    walk(crdSchema(), '', (node, path) => {
      const typed = typeof node.type === 'string' || node['x-kubernetes-int-or-string'] === true || node['x-kubernetes-preserve-unknown-fields'] === true;
      assert.ok(typed, `${path} has a type`);
      assert.ok(!(node.properties !== undefined && node.additionalProperties !== undefined), `${path}: properties and additionalProperties exclude each other`);
      assert.ok(typeof node.additionalProperties !== 'boolean', `${path}: no boolean additionalProperties`);
      if (node.type === 'object' && node['x-kubernetes-preserve-unknown-fields'] !== true && path !== '.metadata') {
        assert.ok(node.properties !== undefined || node.additionalProperties !== undefined, `${path} says what it holds`);
      }
      if (node.type === 'array') assert.ok(node.items !== undefined, `${path} has items`);
      if (node.anyOf !== undefined) assert.equal(node['x-kubernetes-int-or-string'], true, `${path}: anyOf only for int-or-string`);
    });
  });

  it('bounds every list, map and string of the spec and status (the CEL cost estimator needs it)', () => {
    walk(crdSchema(), '', (node, path) => {
      if (!path.startsWith('.spec') && !path.startsWith('.status')) return;
      if (node.type === 'array') assert.ok(typeof node.maxItems === 'number', `${path} has maxItems`);
      if (node.type === 'string' && node.enum === undefined && node.format === undefined) assert.ok(typeof node.maxLength === 'number', `${path} has maxLength`);
      if (node.type === 'object' && node.properties === undefined) assert.ok(typeof node.maxProperties === 'number', `${path} has maxProperties`);
    });
  });

  it('describes every field of the spec for kubectl explain', () => {
    walk((crdSchema().properties as Record<string, Node>).spec as Node, '.spec', (node, path) => {
      assert.ok(typeof node.description === 'string' && node.description.length > 0, `${path} has a description`);
    });
  });

  it('carries each cross-field rule as CEL where it applies', () => {
    const spec = (crdSchema().properties as Record<string, Node>).spec as Node;
    for (const rule of crossFieldRules) {
      let node = spec;
      for (const key of rule.at) node = (node.properties as Record<string, Node>)[key] as Node;
      const cel = node['x-kubernetes-validations'] as { rule: string }[];
      assert.ok(cel.some((c) => c.rule === rule.cel.rule), `${rule.cel.rule} on spec.${rule.at.join('.')}`);
    }
    assert.ok(JSON.stringify(spec).includes('self.parallelism <= self.maxTrials'));
  });

  it('names the resource, its short names, status subresource and printer columns', () => {
    const crd = parse(renderCrdYaml()) as {
      metadata: { name: string };
      spec: { names: { shortNames: string[] }; scope: string; versions: { subresources: unknown; additionalPrinterColumns: { name: string; jsonPath: string }[] }[] };
    };
    assert.equal(crd.metadata.name, 'tuningstudies.kubetune.io');
    assert.deepEqual(crd.spec.names.shortNames, ['ts', 'study']);
    assert.equal(crd.spec.scope, 'Namespaced');
    const version = crd.spec.versions[0]!;
    assert.deepEqual(version.subresources, { status: {} });
    assert.deepEqual(version.additionalPrinterColumns.map((c) => c.name), ['Phase', 'Done', 'Max', 'Best', 'Algorithm', 'Sampler', 'Age']);
  });
});
