/** A progress view: how `kubetune run` shows a study as it runs (on stderr). */
import type { LocalRunner } from '../../local/runner.js';
import type { ResultEvent } from '../../local/results-format.js';

export interface ProgressView {
  /** Called after each event the runner records. */
  event(e: ResultEvent, runner: LocalRunner): void;
  /** A line for the person watching (start, resume, stop notices). */
  note(text: string): void;
  /** Removes live elements (the bar) before the final summary. */
  close(): void;
}
