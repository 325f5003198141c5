/**
 * Turns ajv's errors into our `Issue`s: a path that points at the offending field itself (for a
 * missing or unknown property, the property, not its parent), a sentence that names it, and a
 * hint where one helps (the closest known field name for a typo, the allowed values of an enum).
 */
import type { ErrorObject } from 'ajv';
import { type Issue, joinPath } from './issues.js';

function fieldName(path: string): string {
  const last = path.split('/').at(-1) ?? '';
  return last === '' ? 'the document' : /^\d+$/.test(last) ? `item ${last}` : last.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Levenshtein distance, for "did you mean" hints on unknown fields. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j] as number;
      row[j] = Math.min(here + 1, (row[j - 1] as number) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length] as number;
}

function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function typeWords(type: unknown): string {
  const names: Record<string, string> = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', object: 'an object (a mapping)', array: 'a list' };
  const list = Array.isArray(type) ? type : [type];
  return list.map((t) => names[String(t)] ?? String(t)).join(' or ');
}

export function issueFromAjv(error: ErrorObject): Issue {
  const at = error.instancePath;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      return { code: 'required', path: joinPath(at, missing), message: `${missing} is required` };
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const guess = closest(extra, known);
      return {
        code: 'unknown_field', path: joinPath(at, extra), message: `unknown field "${extra}"`,
        hint: guess !== undefined ? `did you mean "${guess}"?` : known.length > 0 ? `known fields: ${known.join(', ')}` : 'remove it',
      };
    }
    case 'type':
      return { code: 'bad_type', path: at, message: `${fieldName(at)} must be ${typeWords(p.type)}` };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const guess = typeof error.data === 'string' ? closest(error.data, allowed) : undefined;
      return {
        code: 'bad_enum', path: at, message: `${fieldName(at)} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
        ...(guess !== undefined ? { hint: `did you mean "${guess}"?` } : {}),
      };
    }
    case 'pattern':
      return { code: 'bad_format', path: at, message: `${fieldName(at)} does not match ${String(p.pattern)}`, ...(patternHint(at) ?? {}) };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { code: 'out_of_range', path: at, message: `${fieldName(at)} ${error.message ?? 'is out of range'}` };
    case 'maxLength':
    case 'maxItems':
    case 'maxProperties':
      return { code: 'too_large', path: at, message: `${fieldName(at)} ${error.message ?? 'is too large'}` };
    case 'minItems':
    case 'minLength':
      return { code: 'too_small', path: at, message: `${fieldName(at)} ${error.message ?? 'is too small'}` };
    default:
      return { code: error.keyword, path: at, message: `${fieldName(at)} ${error.message ?? 'is invalid'}` };
  }
}

function patternHint(path: string): { hint: string } | undefined {
  if (/(timeout|Timeout)$/.test(path)) return { hint: 'write a duration such as 90s, 30m or 1h30m' };
  if (path === '/metadata/name') return { hint: 'lower-case letters, digits and dashes, starting and ending with a letter or digit' };
  return undefined;
}
