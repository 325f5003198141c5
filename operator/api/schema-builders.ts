/**
 * Small builders for the TuningStudy JSON Schema (schema.ts). They exist so that every node of
 * the schema carries a description (for `kubectl explain`) and a bound (maxLength, maxItems,
 * maxProperties: the apiserver's CEL cost estimator needs them), without repeating the shape at
 * every field.
 *
 * The schema is written for ajv (draft 2020-12 keywords plus the `x-kubernetes-*` annotations);
 * crd.ts turns it into a structural CRD schema. Two conventions bridge the two worlds:
 * - a node whose `type` is a list (a scalar of several JSON types) becomes
 *   `x-kubernetes-preserve-unknown-fields` in the CRD, or `anyOf: [integer, string]` when it is
 *   marked `x-kubernetes-int-or-string`;
 * - `additionalProperties: false` is kept for ajv only (the apiserver prunes unknown fields).
 */

/** A JSON Schema node as we write it: a plain object. */
export type SchemaNode = Record<string, unknown>;

/** A CEL rule for the CRD; the same rule is checked in TypeScript by cross-field.ts. */
export interface CelRule {
  rule: string;
  message: string;
  fieldPath?: string;
  reason?: string;
}

export function str(description: string, extra: SchemaNode = {}): SchemaNode {
  return { type: 'string', description, maxLength: 256, ...extra };
}

export function int(description: string, extra: SchemaNode = {}): SchemaNode {
  return { type: 'integer', description, ...extra };
}

export function num(description: string, extra: SchemaNode = {}): SchemaNode {
  return { type: 'number', description, ...extra };
}

export function bool(description: string, extra: SchemaNode = {}): SchemaNode {
  return { type: 'boolean', description, ...extra };
}

export function enumOf(description: string, values: readonly string[], extra: SchemaNode = {}): SchemaNode {
  return { type: 'string', description, enum: [...values], ...extra };
}

/** A closed object: unknown keys are an error for ajv (and pruned by the apiserver). */
export function obj(description: string, properties: Record<string, SchemaNode>, required: string[] = [], extra: SchemaNode = {}): SchemaNode {
  const node: SchemaNode = { type: 'object', description, properties, additionalProperties: false, ...extra };
  if (required.length > 0) node.required = required;
  return node;
}

export function list(description: string, items: SchemaNode, maxItems: number, extra: SchemaNode = {}): SchemaNode {
  return { type: 'array', description, items, maxItems, ...extra };
}

/** A map from string keys to `values`. */
export function map(description: string, values: SchemaNode, maxProperties: number, extra: SchemaNode = {}): SchemaNode {
  return { type: 'object', description, additionalProperties: values, maxProperties, ...extra };
}

/** A free-form object (kept as is by the apiserver; checked elsewhere, e.g. by the trainer). */
export function freeform(description: string, maxProperties = 64): SchemaNode {
  return { type: 'object', description, maxProperties, 'x-kubernetes-preserve-unknown-fields': true };
}

/** A string, a finite number or a boolean: a parameter value. */
export function scalar(description: string): SchemaNode {
  return { type: ['string', 'number', 'boolean'], description, maxLength: 256 };
}

/** A Go-style duration, e.g. `90s`, `30m`, `1h30m`. */
export function duration(description: string): SchemaNode {
  return str(`${description} A duration such as 90s, 30m or 1h30m.`, { maxLength: 32, pattern: DURATION_PATTERN });
}

/** A Kubernetes resource quantity, e.g. `1`, `500m`, `4Gi`. */
export function quantity(description: string): SchemaNode {
  return {
    type: ['integer', 'string'],
    'x-kubernetes-int-or-string': true,
    description,
    maxLength: 64,
    pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  };
}

export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
