/**
 * Live metrics from trial logs (the `pods/log` API, served by the kubelet through the
 * apiserver): the trial contract's metric lines, parsed as they arrive.
 *
 * - Studies with early stopping follow each running trial's log, so the pruner sees every
 *   report as it happens and a pruned trial is stopped within one report of the decision.
 * - Every trial's log is read once more, whole, when it ends, so `valueFrom: best` and the
 *   learning curve in history do not depend on a stream that may have dropped.
 *
 * After an operator restart, following starts again from the beginning of the log: earlier
 * reports are read again, nothing is lost. Log volume per trial is capped (LOG_BYTES_MAX).
 */
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { CoreV1Api, type KubeConfig, Log } from '@kubernetes/client-node';
import { MetricLineError, type MetricReport, parseMetricLine } from '../api/trial-contract.js';
import type { LiveMetrics } from './observe.js';

/** Bytes of a trial's log read at most; metric lines past it are not seen. */
export const LOG_BYTES_MAX = 8 * 1024 * 1024;
const BAD_LINES_KEPT = 5;

/** Accumulates metric lines; anything else in the log is ordinary output and ignored. */
export class MetricCollector implements LiveMetrics {
  readonly reports: MetricReport[] = [];
  readonly badLines: string[] = [];

  /** Adds one log line; returns true when it was a metric report. */
  push(line: string): boolean {
    try {
      const report = parseMetricLine(line);
      if (report === undefined) return false;
      this.reports.push(report);
      return true;
    } catch (err) {
      if (err instanceof MetricLineError && this.badLines.length < BAD_LINES_KEPT) this.badLines.push(err.line.slice(0, 200));
      return false;
    }
  }
}

export function parseLog(text: string): MetricCollector {
  const c = new MetricCollector();
  for (const line of text.split('\n')) c.push(line);
  return c;
}

/** The whole log of a trial's container, parsed. */
export async function readTrialMetrics(kc: KubeConfig, namespace: string, pod: string): Promise<MetricCollector> {
  const api = kc.makeApiClient(CoreV1Api);
  const text = await api.readNamespacedPodLog({ name: pod, namespace, container: 'trial', limitBytes: LOG_BYTES_MAX });
  return parseLog(typeof text === 'string' ? text : String(text));
}

interface Followed {
  collector: MetricCollector;
  abort: () => void;
}

/**
 * Follows the logs of running trial pods, keyed by pod UID. `onReport` fires after each new
 * report (the controller enqueues the study). A stream that ends while its pod still runs is
 * followed again on the next `ensure` — from the start, into a fresh collector.
 */
export class LogFollowers {
  private readonly followed = new Map<string, Followed>();
  private readonly log: Log;

  constructor(kc: KubeConfig, private readonly onReport: (namespace: string, study: string) => void) {
    this.log = new Log(kc);
  }

  /** Metrics seen so far for a pod, if followed. */
  metrics(uid: string): LiveMetrics | undefined {
    return this.followed.get(uid)?.collector;
  }

  /** Starts following `pod` unless already followed. */
  ensure(uid: string, namespace: string, pod: string, study: string): void {
    if (this.followed.has(uid)) return;
    const collector = new MetricCollector();
    const stream = new PassThrough();
    let controller: AbortController | undefined;
    let ended = false;
    const entry: Followed = {
      collector,
      abort: () => {
        ended = true;
        controller?.abort();
        stream.destroy();
      },
    };
    this.followed.set(uid, entry);
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => {
      if (collector.push(line)) this.onReport(namespace, study);
    });
    const finish = () => {
      if (this.followed.get(uid) === entry && !ended) this.followed.delete(uid);
      ended = true;
    };
    this.log
      .log(namespace, pod, 'trial', stream, (err: unknown) => {
        void err; // a closed stream is normal (the pod ended); the next ensure() starts again if needed
        finish();
      }, { follow: true, limitBytes: LOG_BYTES_MAX })
      .then((c) => {
        controller = c;
        if (ended) c.abort();
      }, finish);
  }

  /** Stops following pods whose UID is not in `keep`. */
  retain(keep: ReadonlySet<string>): void {
    for (const [uid, f] of this.followed) {
      if (!keep.has(uid)) {
        f.abort();
        this.followed.delete(uid);
      }
    }
  }

  stopAll(): void {
    this.retain(new Set());
  }
}
