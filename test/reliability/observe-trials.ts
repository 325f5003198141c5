/** A list-watch observer of a namespace's trial Jobs and pods, for counting duplicates. */
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor, type Obj, type Rest } from '../cluster/testing.js';

/**
 * Every trial Job and pod of a namespace by UID, from a list-watch that relists on 410 (an
 * observer that silently stopped on a too-old resourceVersion would under-count duplicates).
 * Jobs: name → UIDs (from the Jobs and from their pods' controller-uid); pods: Job name → pod UIDs.
 */
export async function followTrials(rest: Rest, ns: string): Promise<{ stop(): Promise<{ jobs: Map<string, Set<string>>; pods: Map<string, Set<string>>; relists: number }> }> {
  const jobs = new Map<string, Set<string>>();
  const pods = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string | undefined, v: string | undefined) => {
    if (k === undefined || v === undefined) return;
    if (!m.has(k)) m.set(k, new Set());
    (m.get(k) as Set<string>).add(v);
  };
  const seeJob = (o: Obj) => add(jobs, o.metadata?.name, o.metadata?.uid);
  const seePod = (o: Obj) => {
    const labels = (o.metadata?.labels ?? {}) as Record<string, string>;
    const job = labels['batch.kubernetes.io/job-name'] ?? labels['job-name'];
    add(pods, job, o.metadata?.uid);
    add(jobs, job, labels['batch.kubernetes.io/controller-uid'] ?? labels['controller-uid']);
  };
  const ac = new AbortController();
  let relists = 0;
  let listed = 0;
  const follow = async (path: string, see: (o: Obj) => void): Promise<void> => {
    let rv: string | undefined;
    while (!ac.signal.aborted) {
      try {
        if (rv === undefined) {
          const list = await rest.get(path);
          for (const o of list.items as Obj[]) see(o);
          rv = list.metadata.resourceVersion as string;
          listed += 1;
        }
        await rest.watch(`${path}?resourceVersion=${rv}`, (e) => {
          if (e.type === 'ERROR') {
            rv = undefined; // 410 Gone: list again
            relists += 1;
            return;
          }
          rv = e.object.metadata.resourceVersion;
          if (e.type !== 'BOOKMARK') see(e.object);
        }, ac.signal);
      } catch {
        await sleep(200);
      }
    }
  };
  const loops = [follow(`/apis/batch/v1/namespaces/${ns}/jobs`, seeJob), follow(`/api/v1/namespaces/${ns}/pods`, seePod)];
  // Resolve once both have listed.
  await waitFor('the trial observers to list', () => (listed >= 2 ? true : undefined));
  return {
    async stop() {
      ac.abort();
      await Promise.all(loops);
      return { jobs, pods, relists };
    },
  };
}

export type Observed = Awaited<ReturnType<Awaited<ReturnType<typeof followTrials>>['stop']>>;


/** The trial Jobs of study `name` seen with more than one Job UID or more than one pod, for diagnostics. */
export function duplicatedTrials(seen: Observed, name: string): string[] {
  const out: string[] = [];
  for (const [job, uids] of seen.jobs) if (job.startsWith(`${name}-t`) && uids.size > 1) out.push(`${job}: ${uids.size} Job UIDs`);
  for (const [job, uids] of seen.pods) if (job.startsWith(`${name}-t`) && uids.size > 1) out.push(`${job}: ${uids.size} pods`);
  return out;
}

/** Extra Jobs and pods beyond one per trial of study `name` with `trials` trials. */
export function duplicatesOf(seen: Observed, name: string, trials: number): { jobs: number; duplicates: number } {
  const ours = [...seen.jobs].filter(([job]) => job.startsWith(`${name}-t`));
  const extraJobs = ours.reduce((n, [, uids]) => n + uids.size - 1, 0) + Math.max(0, ours.length - trials);
  const extraPods = [...seen.pods].filter(([job]) => job.startsWith(`${name}-t`)).reduce((n, [, uids]) => n + uids.size - 1, 0);
  return { jobs: ours.length, duplicates: extraJobs + extraPods };
}
