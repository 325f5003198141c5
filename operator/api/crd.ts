/**
 * Renders the TuningStudy CustomResourceDefinition from schema.ts (and the CEL rules of
 * cross-field.ts). Pure: returns objects and text; `generate-crds.ts` writes them to `crds/` and
 * a test fails when the committed file differs from what this renders (generated code is never
 * edited by hand).
 *
 * The CRD schema must be *structural* (every node typed, no bare unions, no
 * `additionalProperties` beside `properties`), so the ajv-flavoured schema is translated:
 * multi-type scalars become `x-kubernetes-preserve-unknown-fields` (or int-or-string),
 * `additionalProperties: false` is dropped (the apiserver prunes unknown fields instead), and
 * draft-2020 `exclusiveMinimum: n` becomes OpenAPI 3.0's `minimum: n, exclusiveMinimum: true`.
 */
import { stringify } from 'yaml';
import { crossFieldRules } from './cross-field.js';
import {
  API_GROUP, API_VERSION, KIND, MAX_STUDY_NAME, PLURAL, SHORT_NAMES, SINGULAR, specSchema, statusSchema, STUDY_NAME_PATTERN,
} from './schema.js';
import type { CelRule, SchemaNode } from './schema-builders.js';

export const CRD_FILE = `crds/${API_GROUP}_${PLURAL}.yaml`;

/** Keywords copied as they are when present. */
const COPIED = [
  'description', 'enum', 'default', 'minimum', 'maximum', 'pattern', 'format', 'maxLength', 'minLength',
  'maxItems', 'minItems', 'maxProperties', 'required', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-validations',
];
/** Value checks that make no sense on a preserve-unknown-fields node with no type. */
const TYPED_ONLY = new Set(['enum', 'pattern', 'format', 'maxLength', 'minLength', 'maxItems', 'minItems', 'minimum', 'maximum']);

/** Translates one schema node (and its children) into structural OpenAPI v3. */
export function toStructural(node: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  const multiType = Array.isArray(node.type);
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  if (multiType && intOrString) {
    out['x-kubernetes-int-or-string'] = true;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  } else if (multiType) {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  } else if (node.type !== undefined) {
    out.type = node.type;
  }
  for (const key of COPIED) {
    if (node[key] === undefined) continue;
    if (multiType && !intOrString && TYPED_ONLY.has(key)) continue;
    out[key] = structuredClone(node[key]);
  }
  if (typeof node.exclusiveMinimum === 'number') {
    out.minimum = node.exclusiveMinimum;
    out.exclusiveMinimum = true;
  }
  if (node.properties !== undefined) {
    const props: Record<string, SchemaNode> = {};
    for (const [name, child] of Object.entries(node.properties as Record<string, SchemaNode>)) props[name] = toStructural(child);
    out.properties = props;
  }
  if (node.items !== undefined && !multiType) out.items = toStructural(node.items as SchemaNode);
  if (typeof node.additionalProperties === 'object' && node.additionalProperties !== null) {
    out.additionalProperties = toStructural(node.additionalProperties as SchemaNode);
  }
  return out;
}

/** Attaches each cross-field rule's CEL to the node it is written for (paths from spec). */
function withCelRules(spec: SchemaNode): SchemaNode {
  for (const { at, cel } of crossFieldRules) {
    let node = spec;
    for (const key of at) node = (node.properties as Record<string, SchemaNode>)[key] as SchemaNode;
    const rules = (node['x-kubernetes-validations'] as CelRule[] | undefined) ?? [];
    node['x-kubernetes-validations'] = [...rules, cel];
  }
  return spec;
}

/** The CRD as an object. */
export function renderCrd(): Record<string, unknown> {
  const openAPIV3Schema: SchemaNode = {
    type: 'object',
    description: 'A hyperparameter-tuning study: runs trials with parameters proposed by a sampler and records the best.',
    properties: {
      apiVersion: { type: 'string', description: 'API version of the object.' },
      kind: { type: 'string', description: 'Kind of the object.' },
      metadata: {
        type: 'object',
        properties: { name: { type: 'string', maxLength: MAX_STUDY_NAME, pattern: STUDY_NAME_PATTERN } },
      },
      spec: withCelRules(toStructural(specSchema)),
      status: toStructural(statusSchema),
    },
    required: ['spec'],
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${PLURAL}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      names: { kind: KIND, listKind: `${KIND}List`, plural: PLURAL, singular: SINGULAR, shortNames: SHORT_NAMES, categories: ['kubetune'] },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
            { name: 'Done', type: 'integer', jsonPath: '.status.counts.finished', description: 'Trials finished' },
            { name: 'Max', type: 'integer', jsonPath: '.spec.budget.maxTrials', description: 'Trials in the budget' },
            { name: 'Best', type: 'number', jsonPath: '.status.bestTrial.value', description: 'Best objective value' },
            { name: 'Algorithm', type: 'string', jsonPath: '.spec.algorithm.name', priority: 1 },
            { name: 'Sampler', type: 'string', jsonPath: '.status.sampler', priority: 1, description: 'The sampler proposing trials (for auto, its choice)' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: { openAPIV3Schema },
        },
      ],
    },
  };
}

/** The CRD file's text, with a header that says where it comes from. */
export function renderCrdYaml(): string {
  return `# Generated by \`npm run generate:crds\` from operator/api/schema.ts. Do not edit by hand.\n${stringify(renderCrd(), { lineWidth: 0 })}`;
}
