/**
 * Reads a study file (YAML or JSON) and validates it. YAML syntax errors and validation issues
 * both come back as a `FileSpecError` whose issues can be located as `file:line`, so a person can
 * jump from the message to the field.
 */
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { Issue } from '../api/issues.js';
import type { ResolvedSpec } from '../api/types.js';
import { validateStudy } from '../api/validate.js';
import { ExitError, FileSpecError } from './errors.js';

export interface LoadedStudy {
  file: string;
  text: string;
  resolved: ResolvedSpec;
}

export interface CheckedFile {
  file: string;
  text: string;
  issues: Issue[];
  resolved?: ResolvedSpec;
  locate: (path: string) => string;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ExitError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, code === 'ENOENT' ? 2 : 1);
  }
}

/** Parses and validates without throwing for spec problems. */
export function checkStudyFile(file: string): CheckedFile {
  const text = readText(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locateOffset = (offset: number) => `${file}:${lines.linePos(offset).line}`;
  const locate = (pointer: string): string => {
    const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    for (let n = keys.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
      if (isNode(node) && node.range) return locateOffset(node.range[0]);
    }
    return file;
  };
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({ code: 'yaml_syntax', path: '', message: `YAML: ${e.message.split('\n')[0] ?? e.message}` }));
    const first = doc.errors[0]?.pos[0] ?? 0;
    return { file, text, issues, locate: () => locateOffset(first) };
  }
  const { issues, resolved } = validateStudy(doc.toJS());
  return resolved === undefined ? { file, text, issues, locate } : { file, text, issues, resolved, locate };
}

/** Parses and validates; throws a `FileSpecError` with every issue. */
export function loadStudyFile(file: string): LoadedStudy {
  const checked = checkStudyFile(file);
  if (checked.resolved === undefined) throw new FileSpecError(file, checked.issues, checked.locate);
  return { file, text: checked.text, resolved: checked.resolved };
}
