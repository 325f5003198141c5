/**
 * `kubetune trials <study>`: every trial of a study on a cluster — the finished ones from its
 * complete history (the sharded ConfigMaps), the running and pending ones from its status — as a
 * table, best first with `--sort value`, or as JSON (`--json`: one array, the report's trial
 * shape, on stdout).
 *
 * Exit codes: 0 shown (no trials yet too), 1 no such study or the cluster cannot be read, 2 usage.
 */
import { reportInputFromCluster } from '../../report/from-cluster.js';
import type { ReportTrial } from '../../report/model.js';
import { clusterOptions, connectCluster } from '../cluster-study.js';
import { UsageError } from '../errors.js';
import { noTrialsText, trialsTable } from '../views/cluster.js';

const STATES = ['pending', 'running', 'succeeded', 'failed', 'pruned'];
const SORTS = ['index', 'value'];

export default async function trials(args: string[], options: Record<string, unknown>): Promise<number> {
  const name = args[0] as string;
  const sort = typeof options.sort === 'string' ? options.sort : 'index';
  if (!SORTS.includes(sort)) throw new UsageError(`--sort must be one of ${SORTS.join(', ')}, got ${JSON.stringify(sort)}`);
  const state = typeof options.state === 'string' ? options.state : undefined;
  if (state !== undefined && !STATES.includes(state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}, got ${JSON.stringify(state)}`);
  let limit: number | undefined;
  if (options.limit !== undefined) {
    limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer, got ${JSON.stringify(options.limit)}`);
  }

  const cluster = connectCluster(clusterOptions(options));
  const study = await cluster.getStudy(name);
  const history = await cluster.readHistory(name, study.metadata.namespace);
  const input = reportInputFromCluster(study, history, new Date().toISOString());
  let list: ReportTrial[] = input.trials.filter((t) => state === undefined || t.state === state);
  if (sort === 'value') {
    // Trials with a value first, best first; the rest keep their index order after them.
    const sign = input.objective.goal === 'maximize' ? -1 : 1;
    list = [...list].sort((a, b) => {
      if (a.value === undefined || b.value === undefined) return (a.value === undefined ? 1 : 0) - (b.value === undefined ? 1 : 0) || a.index - b.index;
      return sign * (a.value - b.value) || a.index - b.index;
    });
  }
  if (limit !== undefined) list = list.slice(0, limit);
  if (options.json === true) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  else if (list.length === 0) process.stderr.write(noTrialsText(input.study));
  else process.stdout.write(trialsTable(list, input.objective.metric));
  return 0;
}
