/**
 * The trainer's side of the trial contract (operator/api/trial-contract.ts): metric lines on
 * stdout, the final result document on the termination-message path. Human-readable logging
 * goes to stderr so stdout carries nothing a parser could mistake for a metric line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TrialResult } from '../../operator/api/trial-contract.js';
import { DEFAULT_RESULT_FILE, formatMetricLine, formatTrialResult } from '../../operator/api/trial-contract.js';

export interface ReporterOptions {
  /** Where the result goes (KUBETUNE_RESULT_FILE or a flag); default /dev/termination-log. */
  resultFile?: string;
  /** Used for the fallback result file when the termination path cannot be written. */
  outputDir?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

export class Reporter {
  private readonly resultFile: string;
  private readonly outputDir: string | undefined;
  private readonly out: (text: string) => void;
  private readonly err: (text: string) => void;
  private written: TrialResult | undefined;

  constructor(options: ReporterOptions = {}) {
    this.resultFile = options.resultFile ?? DEFAULT_RESULT_FILE;
    this.outputDir = options.outputDir;
    this.out = options.stdout ?? ((t) => process.stdout.write(t));
    this.err = options.stderr ?? ((t) => process.stderr.write(t));
  }

  log(message: string): void {
    this.err(`kubetune-trainer: ${message}\n`);
  }

  /** One metric line per report: `kubetune-metrics step=<n> name=value ...`. */
  metrics(step: number, values: Record<string, number>): void {
    this.out(formatMetricLine({ step, values }) + '\n');
  }

  /** The result already written, if any: a run writes exactly one. */
  get result(): TrialResult | undefined {
    return this.written;
  }

  /**
   * Writes the final document once (later calls are ignored, so a SIGTERM racing the normal
   * end cannot overwrite a success with a partial result). When the termination path is not
   * writable — a local run without /dev/termination-log — the document goes to
   * `<outputDir>/termination-log`, and the choice is logged; it is always echoed to stderr.
   */
  finish(result: TrialResult): void {
    if (this.written !== undefined) return;
    this.written = result;
    const text = formatTrialResult(result);
    this.log(`result ${text}`);
    try {
      writeFileSync(this.resultFile, text);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      if (this.outputDir === undefined) {
        this.log(`cannot write the result to ${this.resultFile} (${code}); set KUBETUNE_RESULT_FILE or KUBETUNE_OUTPUT_DIR to keep it`);
        return;
      }
      const fallback = join(this.outputDir, 'termination-log');
      try {
        mkdirSync(dirname(fallback), { recursive: true });
        writeFileSync(fallback, text);
        this.log(`cannot write the result to ${this.resultFile} (${code}); wrote it to ${fallback}`);
      } catch (err2) {
        this.log(`cannot write the result to ${this.resultFile} (${code}) nor to ${fallback} (${(err2 as Error).message})`);
      }
    }
  }
}
