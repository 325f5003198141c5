/**
 * Katib `spec.trialTemplate` → TuningStudy `spec.template` (+ `budget.trialTimeout`).
 *
 * Only an inline `trialSpec` is read (a template in a ConfigMap is not fetched). From a
 * `batch/v1` Job, or the first primary replica of a Kubeflow training job (TFJob, PyTorchJob…,
 * as one process: distributed training has no counterpart), the primary container gives image,
 * command, args, workingDir, env (plain values) and resources; the pod gives nodeSelector,
 * tolerations and priorityClassName; the Job's activeDeadlineSeconds becomes trialTimeout.
 *
 * Parameters: Katib substitutes `${trialParameters.x}` into the trial's text; we hand parameters
 * over as `KUBETUNE_PARAM_<NAME>` variables and a JSON file. In command and args the reference
 * becomes `$(KUBETUNE_PARAM_<NAME>)`, which Kubernetes expands in a trial Job — but `kubetune run`
 * runs commands without a shell or expansion, so locally the script must read the variable.
 * Every other field, and every reference elsewhere, is a note.
 */
import type { EnvVar, TemplateSpec, Toleration } from '../../api/types.js';
import { ENV, paramEnvName } from '../../api/trial-contract.js';
import { isRecord, type Notes, seg } from '../notes.js';

export interface ConvertedTemplate {
  template?: TemplateSpec;
  trialTimeout?: string;
}

const REFERENCE = /\$\{trialParameters\.([^}]+)\}/g;
/** Katib's trial metadata references and what carries the same meaning here, if anything. */
const METADATA: Record<string, string | undefined> = {
  '${trialSpec.Name}': undefined,
  '${trialSpec.Namespace}': undefined,
  '${trialSpec.Kind}': undefined,
  '${trialSpec.APIVersion}': undefined,
};

const CARRIED_CONTAINER = new Set(['name', 'image', 'command', 'args', 'workingDir', 'env', 'resources']);
const CARRIED_POD = new Set(['containers', 'nodeSelector', 'tolerations', 'priorityClassName', 'restartPolicy']);
const PRIMARY_REPLICAS = ['Master', 'Chief', 'Launcher', 'Worker'];

export function convertTrialTemplate(raw: unknown, parameterNames: ReadonlySet<string>, notes: Notes, path = '/spec/trialTemplate'): ConvertedTemplate {
  if (!isRecord(raw)) {
    notes.add(path, 'no trialTemplate: add spec.template (your command) or spec.trainer (the built-in trainer)');
    return {};
  }
  if (raw.configMap !== undefined) notes.add(`${path}/configMap`, 'a trial template in a ConfigMap is not read: paste its trialSpec inline and convert again');
  for (const key of ['successCondition', 'failureCondition']) {
    if (raw[key] !== undefined) notes.add(`${path}/${key}`, `${key} dropped: a trial succeeds when its Job succeeds and it reported the objective metric`);
  }
  if (raw.retain !== undefined) notes.add(`${path}/retain`, 'retain dropped: finished trial Jobs are kept until the study is deleted (or the operator\'s TTL)');
  const references = readTrialParameters(raw.trialParameters, parameterNames, notes, `${path}/trialParameters`);
  if (!isRecord(raw.trialSpec)) {
    if (raw.configMap === undefined) notes.add(`${path}/trialSpec`, 'no trialSpec: add spec.template (your command) or spec.trainer');
    return {};
  }
  const found = findPodTemplate(raw.trialSpec, notes, `${path}/trialSpec`);
  if (found === undefined) return {};
  const { pod, podPath, timeout } = found;
  const template = convertPod(pod, typeof raw.primaryContainerName === 'string' ? raw.primaryContainerName : undefined, references, notes, podPath);
  return { ...(template === undefined ? {} : { template }), ...(timeout === undefined ? {} : { trialTimeout: timeout }) };
}

/** `trialParameters[].name` → what it becomes in a command: `$(KUBETUNE_PARAM_…)` or nothing. */
function readTrialParameters(raw: unknown, parameterNames: ReadonlySet<string>, notes: Notes, path: string): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (!Array.isArray(raw)) return out;
  raw.forEach((tp, i) => {
    if (!isRecord(tp) || typeof tp.name !== 'string') return;
    const ref = typeof tp.reference === 'string' ? tp.reference : tp.name;
    if (parameterNames.has(ref)) {
      out.set(tp.name, `$(${paramEnvName(ref)})`);
    } else if (ref in METADATA) {
      out.set(tp.name, undefined);
      notes.add(`${path}/${i}/reference`, `${ref} has no counterpart (trials know ${ENV.study} and ${ENV.trialIndex}); references to ${tp.name} are left as written`);
    } else {
      out.set(tp.name, undefined);
      notes.add(`${path}/${i}/reference`, `${JSON.stringify(ref)} is not a converted parameter; references to ${tp.name} are left as written`);
    }
  });
  return out;
}

interface PodTemplate {
  pod: Record<string, unknown>;
  podPath: string;
  timeout?: string;
}

function findPodTemplate(trialSpec: Record<string, unknown>, notes: Notes, path: string): PodTemplate | undefined {
  const spec = isRecord(trialSpec.spec) ? trialSpec.spec : {};
  const kind = trialSpec.kind;
  if (kind === 'Job') {
    let timeout: string | undefined;
    for (const [key, value] of Object.entries(spec)) {
      if (key === 'template') continue;
      if (key === 'activeDeadlineSeconds' && typeof value === 'number' && value > 0) timeout = `${value}s`;
      else if (key === 'backoffLimit' && value === 0) continue;
      else notes.add(`${path}/spec/${seg(key)}`, key === 'backoffLimit' ? 'backoffLimit dropped: a trial Job runs once (backoffLimit 0); a failure is an outcome' : `Job field ${key} dropped`);
    }
    const template = isRecord(spec.template) ? spec.template : {};
    noteMetadata(template, notes, `${path}/spec/template`);
    if (!isRecord(template.spec)) {
      notes.add(`${path}/spec/template/spec`, 'the Job has no pod spec');
      return undefined;
    }
    return { pod: template.spec, podPath: `${path}/spec/template/spec`, ...(timeout === undefined ? {} : { timeout }) };
  }
  // Kubeflow training operators: tfReplicaSpecs, pytorchReplicaSpecs, mpiReplicaSpecs, …
  const replicasKey = Object.keys(spec).find((k) => k.endsWith('ReplicaSpecs'));
  const replicas = replicasKey === undefined ? undefined : spec[replicasKey];
  if (replicasKey !== undefined && isRecord(replicas)) {
    const role = PRIMARY_REPLICAS.find((r) => isRecord(replicas[r])) ?? Object.keys(replicas)[0];
    const replica = role === undefined ? undefined : replicas[role];
    const template = isRecord(replica) && isRecord(replica.template) ? replica.template : undefined;
    if (template === undefined || !isRecord(template.spec)) {
      notes.add(`${path}/spec/${replicasKey}`, 'no replica with a pod template');
      return undefined;
    }
    const at = `${path}/spec/${replicasKey}/${seg(role as string)}/template`;
    notes.add(`${path}/kind`, `${String(kind)}: distributed training has no counterpart; each trial runs the ${role} replica's container as one process`);
    noteMetadata(template, notes, at);
    return { pod: template.spec, podPath: `${at}/spec` };
  }
  notes.add(`${path}/kind`, `trialSpec kind ${JSON.stringify(kind)} is not a Job or a Kubeflow training job; no template`);
  return undefined;
}

function noteMetadata(template: Record<string, unknown>, notes: Notes, path: string): void {
  if (isRecord(template.metadata) && Object.keys(template.metadata).length > 0) {
    notes.add(`${path}/metadata`, 'pod labels and annotations dropped (trial pods carry kubetune\'s own)');
  }
}

function convertPod(pod: Record<string, unknown>, primary: string | undefined, refs: Map<string, string | undefined>, notes: Notes, path: string): TemplateSpec | undefined {
  const containers = Array.isArray(pod.containers) ? pod.containers.filter(isRecord) : [];
  let index = primary === undefined ? (containers.length === 1 ? 0 : -1) : containers.findIndex((c) => c.name === primary);
  if (index < 0 && containers.length > 0) {
    notes.add(`${path}/containers`, primary === undefined
      ? `several containers and no primaryContainerName; the first (${String(containers[0]?.name)}) is used`
      : `no container named ${primary}; the first is used`);
    index = 0;
  }
  const c = containers[index];
  if (c === undefined) {
    notes.add(`${path}/containers`, 'no container');
    return undefined;
  }
  containers.forEach((other, i) => {
    if (i !== index) notes.add(`${path}/containers/${i}`, `container ${String(other.name)} dropped: a trial pod runs one container`);
  });
  const at = `${path}/containers/${index}`;
  const template: TemplateSpec = {};
  if (typeof c.image === 'string') template.image = c.image;
  const command = substituteAll(c.command, refs, notes, `${at}/command`);
  if (command !== undefined) template.command = command;
  const args = substituteAll(c.args, refs, notes, `${at}/args`);
  if (args !== undefined) template.args = args;
  if (typeof c.workingDir === 'string') template.workingDir = c.workingDir;
  const env = convertEnv(c.env, notes, `${at}/env`);
  if (env.length > 0) template.env = env;
  if (isRecord(c.resources)) {
    const { requests, limits, ...rest } = c.resources;
    template.resources = { ...(isRecord(requests) ? { requests: requests as Record<string, string> } : {}), ...(isRecord(limits) ? { limits: limits as Record<string, string> } : {}) };
    for (const key of Object.keys(rest)) notes.add(`${at}/resources/${seg(key)}`, `resources.${key} dropped`);
  }
  for (const key of Object.keys(c)) if (!CARRIED_CONTAINER.has(key)) notes.add(`${at}/${seg(key)}`, `container field ${key} dropped`);
  if (isRecord(pod.nodeSelector)) template.nodeSelector = pod.nodeSelector as Record<string, string>;
  if (Array.isArray(pod.tolerations)) template.tolerations = pod.tolerations as Toleration[];
  if (typeof pod.priorityClassName === 'string') template.priorityClassName = pod.priorityClassName;
  for (const key of Object.keys(pod)) if (!CARRIED_POD.has(key)) notes.add(`${path}/${seg(key)}`, `pod field ${key} dropped`);
  return template;
}

function convertEnv(raw: unknown, notes: Notes, path: string): EnvVar[] {
  const out: EnvVar[] = [];
  if (!Array.isArray(raw)) return out;
  raw.forEach((e, i) => {
    if (!isRecord(e) || typeof e.name !== 'string') return;
    if (e.valueFrom !== undefined) {
      notes.add(`${path}/${i}/valueFrom`, `env ${e.name}: valueFrom (secrets, config maps, field refs) dropped`);
      return;
    }
    const value = typeof e.value === 'string' ? e.value : '';
    // Kubernetes expands $(VAR) in env values only for variables defined earlier in the list,
    // and the trial's own variables come after the template's: a reference here cannot work.
    if (REFERENCE.test(value)) notes.add(`${path}/${i}/value`, `env ${e.name}: \${trialParameters…} in an env value cannot be carried; read ${ENV.paramPrefix}<NAME> instead`);
    REFERENCE.lastIndex = 0;
    out.push({ name: e.name, value });
  });
  return out;
}

function substituteAll(raw: unknown, refs: Map<string, string | undefined>, notes: Notes, path: string): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.map((item, i) => {
    const text = String(item);
    return text.replace(REFERENCE, (whole, name: string) => {
      const to = refs.get(name);
      if (to !== undefined) return to;
      if (!refs.has(name)) notes.add(`${path}/${i}`, `\${trialParameters.${name}} names no trialParameter; left as written`);
      return whole;
    });
  });
}

/** Whether any converted command or arg still needs Kubernetes' `$(VAR)` expansion. */
export function usesExpansion(template: TemplateSpec | undefined): boolean {
  return [...(template?.command ?? []), ...(template?.args ?? [])].some((s) => s.includes(`$(${ENV.paramPrefix}`));
}
