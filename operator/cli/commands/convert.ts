/**
 * `kubetune convert katib <experiment.yaml>`: prints the TuningStudy converted from a Katib
 * Experiment on stdout (YAML, or with --json the study, notes and validation issues as one JSON
 * document) and, on stderr, everything that could not be carried, each with its Katib field path.
 *
 * Exit codes: 0 converted (notes or not), 1 nothing usable (no objective metric or no
 * parameter), 2 usage (unknown source format, unreadable file).
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import { convertKatibExperiment } from '../../convert/katib/index.js';
import { ExitError, UsageError } from '../errors.js';
import { nothingUsableText, notesText, validationText } from '../views/convert.js';

const SOURCES = ['katib'];

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ExitError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 2);
  }
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return undefined;
  const bad = docs.find((d) => d.errors.length > 0);
  if (bad !== undefined) throw new ExitError(`${file}: YAML: ${bad.errors[0]?.message.split('\n')[0] ?? 'syntax error'}`, 1);
  // A file of several documents (an Experiment beside a Namespace, say): take the Experiment.
  const all = docs.map((d) => d.toJS() as unknown);
  return all.find((d) => typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'Experiment') ?? all[0];
}

export default async function convert(args: string[], options: Record<string, unknown>): Promise<number> {
  const [source, file] = args as [string, string];
  if (!SOURCES.includes(source)) throw new UsageError(`unknown source format "${source}": one of ${SOURCES.join(', ')}`);
  const result = convertKatibExperiment(readDocument(file));
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify({ study: result.study ?? null, notes: result.notes, validation: result.validation }, null, 2)}\n`);
  } else if (result.study !== undefined) {
    process.stdout.write(`# Converted from the Katib Experiment in ${file} by \`kubetune convert katib\`.\n${stringify(result.study, { lineWidth: 0 })}`);
  }
  process.stderr.write(notesText(file, result.notes));
  if (result.study === undefined) {
    process.stderr.write(nothingUsableText(file));
    return 1;
  }
  process.stderr.write(validationText(result.validation));
  return 0;
}
