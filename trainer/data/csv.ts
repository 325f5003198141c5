/**
 * Reading a CSV file (header row first; `.gz` files are decompressed) into a table of strings.
 * Parsing is csv-parse's job (quoting, CRLF, ragged rows); this module only turns its failures
 * into `DatasetError`s that say which file and what went wrong.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { datasetError } from '../errors.js';

export interface Table {
  header: string[];
  rows: string[][];
}

export function readCsvFile(path: string): Table {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw datasetError(`cannot read CSV file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (path.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw datasetError(`CSV file ${path} does not decompress: ${(err as Error).message}`);
    }
  }
  return parseCsv(bytes.toString('utf8'), path);
}

export function parseCsv(text: string, name: string): Table {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (err) {
    throw datasetError(`malformed CSV ${name}: ${(err as Error).message}`);
  }
  const header = records.shift();
  if (header === undefined || records.length === 0) throw datasetError(`CSV ${name} needs a header row and at least one data row`);
  const seen = new Set<string>();
  for (const column of header) {
    if (column === '') throw datasetError(`CSV ${name} has an empty column name in its header`);
    if (seen.has(column)) throw datasetError(`CSV ${name} names column ${JSON.stringify(column)} twice`);
    seen.add(column);
  }
  return { header, rows: records };
}
