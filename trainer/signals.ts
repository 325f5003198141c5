/**
 * SIGTERM and SIGINT, shaped like sample-controller's signals.go: the first signal asks the run
 * to stop gracefully (the training loop checks `requested` between batches, then the partial
 * result is written); a second one exits at once with status 143.
 */
import { EXIT_TERMINATED } from './errors.js';

export class StopSignal {
  requested = false;
  signal: NodeJS.Signals | undefined;
  private readonly handler = (signal: NodeJS.Signals): void => {
    if (this.requested) {
      process.stderr.write(`kubetune-trainer: second ${signal}, exiting now\n`);
      process.exit(EXIT_TERMINATED);
    }
    this.requested = true;
    this.signal = signal;
    process.stderr.write(`kubetune-trainer: ${signal} received, stopping after the current batch (send again to exit now)\n`);
  };

  install(): this {
    process.on('SIGTERM', this.handler);
    process.on('SIGINT', this.handler);
    return this;
  }

  uninstall(): void {
    process.off('SIGTERM', this.handler);
    process.off('SIGINT', this.handler);
  }
}
