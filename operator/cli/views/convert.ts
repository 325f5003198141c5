/**
 * Wording of `kubetune convert`: the notes on stderr. The converted study itself is machine
 * output and goes to stdout untouched (commands/convert.ts).
 */
import type { Issue } from '../../api/issues.js';
import type { ConvertNote } from '../../convert/notes.js';

export function notesText(file: string, notes: readonly ConvertNote[]): string {
  if (notes.length === 0) return `${file}: everything carried over\n`;
  const lines = [`${file}: ${notes.length} thing${notes.length === 1 ? '' : 's'} not carried over as written:`];
  for (const n of notes) lines.push(`  ${n.path}: ${n.message}`);
  return `${lines.join('\n')}\n`;
}

export function validationText(issues: readonly Issue[]): string {
  if (issues.length === 0) return '';
  const lines = ['the converted study does not validate yet (fix these in the output, then `kubetune validate` it):'];
  for (const i of issues) lines.push(`  ${i.path || '/'}: ${i.message}${i.hint === undefined ? '' : ` (${i.hint})`}`);
  return `${lines.join('\n')}\n`;
}

export function nothingUsableText(file: string): string {
  return `${file}: nothing usable to convert (a TuningStudy needs an objective metric and at least one parameter)\n`;
}
