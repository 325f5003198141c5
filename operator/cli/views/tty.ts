/**
 * The live terminal view: a progress bar (cli-progress) of finished trials over the budget, with
 * the running trials and the best value so far beside it; finished trials scroll above the bar.
 */
import cliProgress from 'cli-progress';
import type { ResultEvent } from '../../local/results-format.js';
import type { LocalRunner } from '../../local/runner.js';
import { bestText, trialLine } from '../messages.js';
import type { ProgressView } from './types.js';

export class TtyView implements ProgressView {
  private readonly bars: cliProgress.MultiBar;
  private bar: cliProgress.SingleBar | undefined;
  private closed = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.bars = new cliProgress.MultiBar(
      {
        stream,
        format: ' {bar} {value}/{total} trials | running: {running} | best: {best} | {duration_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        barsize: 24,
        fps: 5,
        // Ctrl-C is ours to handle (stop trials first); the bar must not react to it.
        gracefulExit: false,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  event(e: ResultEvent, runner: LocalRunner): void {
    if (e.type === 'trial-report') return; // the bar shows trials, not steps
    const trials = runner.trials;
    const done = trials.filter((t) => t.state === 'succeeded' || t.state === 'failed' || t.state === 'pruned').length;
    const payload = { running: runner.runningIndices.map((i) => `#${i}`).join(' ') || '-', best: bestText(trials, runner.spec) };
    if (this.bar === undefined) this.bar = this.bars.create(runner.spec.budget.maxTrials, done, payload);
    this.bar.setTotal(Math.max(runner.spec.budget.maxTrials, trials.length));
    this.bar.update(done, payload);
    if (e.type === 'trial-finished') {
      const t = trials.find((x) => x.index === e.index);
      if (t) this.bars.log(`${trialLine(t, runner.spec)}\n`);
    } else if (e.type === 'trial-stopping') {
      this.bars.log(`trial ${e.index} stopping: ${e.reason}\n`);
    }
  }

  note(text: string): void {
    this.bars.log(`${text}\n`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.bars.update(); // flush lines logged since the last redraw; stop() would drop them
    this.bars.stop();
  }
}
