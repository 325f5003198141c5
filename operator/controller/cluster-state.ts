/**
 * What this operator process knows beyond its informer caches, so a reconcile that runs before
 * the caches catch up with our own writes still sees them (client-go calls these
 * "expectations"):
 *
 * - Jobs we created and the cache has not shown yet: without this, the next reconcile could plan
 *   the same trial index again (harmless — the name collides with a 409 — but wasteful);
 * - history records we wrote and the cache has not shown yet: without this, a trial whose Job we
 *   deleted right after recording it would vanish from the study for a moment.
 *
 * Both overlays drop entries as soon as the caches hold them. After a restart they are empty and
 * the caches, freshly listed, are consistent on their own.
 */
import type { V1Job } from '@kubernetes/client-node';
import type { HistoryRecord } from './history.js';

export class LocalWrites {
  private readonly jobs = new Map<string, Map<number, V1Job>>();
  private readonly records = new Map<string, Map<number, HistoryRecord>>();

  createdJob(studyKey: string, index: number, job: V1Job): void {
    let m = this.jobs.get(studyKey);
    if (m === undefined) this.jobs.set(studyKey, (m = new Map()));
    m.set(index, job);
  }

  wroteRecord(studyKey: string, record: HistoryRecord): void {
    let m = this.records.get(studyKey);
    if (m === undefined) this.records.set(studyKey, (m = new Map()));
    m.set(record.index, record);
  }

  /** Jobs created but not in the cache (`cached` holds the indices the cache has). */
  pendingJobs(studyKey: string, cached: ReadonlySet<number>, recorded: ReadonlySet<number>): V1Job[] {
    const m = this.jobs.get(studyKey);
    if (m === undefined) return [];
    for (const index of [...m.keys()]) if (cached.has(index) || recorded.has(index)) m.delete(index);
    return [...m.values()];
  }

  /** Records written but not in the cache. */
  pendingRecords(studyKey: string, cached: ReadonlyMap<number, HistoryRecord>): HistoryRecord[] {
    const m = this.records.get(studyKey);
    if (m === undefined) return [];
    for (const index of [...m.keys()]) if (cached.has(index)) m.delete(index);
    return [...m.values()];
  }

  forget(studyKey: string): void {
    this.jobs.delete(studyKey);
    this.records.delete(studyKey);
  }
}
