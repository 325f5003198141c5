/**
 * How reliability tests hand their counts to `test/reliability/run.mjs`: each test appends one
 * JSON line to the file named by `KUBETUNE_RELIABILITY_OUT` (set by the runner). Run any other way
 * (`npm test`, a single file), the counts only go to the test's diagnostics.
 */
import { appendFileSync } from 'node:fs';

export interface Counts {
  /** Which test produced them. */
  source: string;
  fuzzCases?: number;
  crashes?: number;
  kills?: number;
  restarts?: number;
  watchExpiries?: number;
  duplicates?: number;
  lost?: number;
  trials?: number;
  failoverMs?: number[];
  [more: string]: unknown;
}

export function record(counts: Counts): void {
  const out = process.env.KUBETUNE_RELIABILITY_OUT;
  if (out) appendFileSync(out, JSON.stringify(counts) + '\n');
}
