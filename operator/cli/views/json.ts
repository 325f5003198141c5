/**
 * `--json`: every event the runner records, one JSON object per line on stdout (the same records
 * as the results directory's events.jsonl), then a final `run-ended` line with the outcome.
 */
import type { ResultEvent } from '../../local/results-format.js';

export class JsonLines {
  constructor(private readonly write: (text: string) => void = (t) => process.stdout.write(t)) {}

  event(e: ResultEvent | Record<string, unknown>): void {
    this.write(`${JSON.stringify(e)}\n`);
  }
}
