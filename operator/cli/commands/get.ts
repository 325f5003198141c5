/**
 * `kubetune get [study]`: studies on a cluster. Without a name, a table of the namespace's (or,
 * with -A, every namespace's) TuningStudies — phase, trial counts, best value, age; with a name,
 * that study in detail from its status. `--json` prints the objects as the apiserver returned
 * them (one object, or a list) on stdout instead.
 *
 * Exit codes: 0 shown (an empty list too), 1 no such study or the cluster cannot be read, 2 usage.
 */
import { clusterOptions, connectCluster } from '../cluster-study.js';
import { UsageError } from '../errors.js';
import { noStudiesText, studiesTable, studyDetail } from '../views/cluster.js';

export default async function get(args: string[], options: Record<string, unknown>): Promise<number> {
  const name = args[0];
  const all = options.allNamespaces === true;
  if (all && name !== undefined) throw new UsageError('name a study or use --all-namespaces, not both');
  const cluster = connectCluster(clusterOptions(options));
  const now = Date.now();
  if (name !== undefined) {
    const study = await cluster.getStudy(name);
    process.stdout.write(options.json === true ? `${JSON.stringify(study, null, 2)}\n` : studyDetail(study, now));
    return 0;
  }
  const namespace = all ? null : cluster.namespace;
  const studies = (await cluster.listStudies(namespace)).sort((a, b) =>
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: studies }, null, 2)}\n`);
  } else if (studies.length === 0) {
    process.stderr.write(noStudiesText(namespace));
  } else {
    process.stdout.write(studiesTable(studies, now, all));
  }
  return 0;
}
