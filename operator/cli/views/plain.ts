/**
 * Progress as plain lines, for logs and pipes (stderr is not a terminal): one line per trial
 * start and end, with the best value so far after each end.
 */
import type { ResultEvent } from '../../local/results-format.js';
import type { LocalRunner } from '../../local/runner.js';
import { bestText, formatParams, trialLine } from '../messages.js';
import type { ProgressView } from './types.js';

export class PlainView implements ProgressView {
  constructor(private readonly write: (text: string) => void = (t) => process.stderr.write(t)) {}

  event(e: ResultEvent, runner: LocalRunner): void {
    if (e.type === 'trial-started') {
      const t = runner.trials.find((x) => x.index === e.index);
      this.write(`trial ${e.index} started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}  ${t ? formatParams(t.params) : ''}\n`);
    } else if (e.type === 'trial-stopping') {
      this.write(`trial ${e.index} stopping: ${e.reason}${e.message ? ` — ${e.message}` : ''}\n`);
    } else if (e.type === 'trial-finished') {
      const trials = runner.trials;
      const t = trials.find((x) => x.index === e.index);
      const done = trials.filter((x) => x.state === 'succeeded' || x.state === 'failed' || x.state === 'pruned').length;
      if (t) this.write(`${trialLine(t, runner.spec)}  [${done}/${runner.spec.budget.maxTrials}, best ${bestText(trials, runner.spec)}]\n`);
    }
  }

  note(text: string): void {
    this.write(`${text}\n`);
  }

  close(): void {}
}
