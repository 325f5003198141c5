/**
 * `renderTrialJob`: the Job that runs one trial (pure; no I/O). Choices, and why:
 *
 * - `backoffLimit: 0`: a failed trial is seen at once; whether to retry is the engine's call,
 *   not six silent Job retries (Katib's weak point).
 * - Parameters reach the container as data, never through a shell: one `KUBETUNE_PARAM_<NAME>`
 *   variable each, and a JSON file projected by the downward API from the pod's
 *   `kubetune.io/params` annotation (no extra ConfigMap per trial).
 * - The result comes back as the termination message (`/dev/termination-log`), so the operator
 *   reads it from pod status without a sidecar.
 * - Pod Security "restricted" by default: non-root, no privilege escalation, all capabilities
 *   dropped, RuntimeDefault seccomp, read-only root filesystem (with writable emptyDirs for
 *   output and /tmp), and no service-account token.
 * - `activeDeadlineSeconds` backs up the engine's own trial timeout in case the operator is
 *   down when a trial should be stopped.
 */
import type { V1Job, V1Container, V1EnvVar, V1PodSpec } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, DEFAULT_TRAINER_IMAGE, KIND } from '../api/schema.js';
import { DEFAULT_RESULT_FILE, ENV, paramEnvName, paramEnvValue } from '../api/trial-contract.js';
import type { ResolvedSpec } from '../api/types.js';
import type { TrialPlan } from '../engine/types.js';
import { ANNOTATIONS, LABELS, studyLabels, trialJobName } from './names.js';

export const PARAMS_DIR = '/etc/kubetune';
export const PARAMS_FILE = `${PARAMS_DIR}/params.json`;
export const TRAINER_CONFIG_FILE = `${PARAMS_DIR}/trainer-config.json`;
export const OUTPUT_DIR = '/var/kubetune/output';
/** Extra time past `trialTimeout` before Kubernetes itself ends a trial the operator missed. */
export const DEADLINE_GRACE_SECONDS = 60;
/** The non-root user trial containers run as unless the image says otherwise. */
export const TRIAL_UID = 65532;

export interface StudyRef {
  name: string;
  namespace: string;
  uid: string;
}

function quantities(map: Record<string, string | number> | undefined): Record<string, string> | undefined {
  if (map === undefined) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)]));
}

function container(spec: ResolvedSpec, plan: TrialPlan, study: StudyRef): V1Container {
  const env: V1EnvVar[] = [];
  const workload = spec.workload;
  if (workload.kind === 'template') for (const e of workload.template.env ?? []) env.push({ name: e.name, value: e.value ?? '' });
  env.push(
    { name: ENV.study, value: study.name },
    { name: ENV.trialIndex, value: String(plan.index) },
    { name: ENV.seed, value: String(plan.seed) },
    { name: ENV.paramsFile, value: PARAMS_FILE },
    { name: ENV.resultFile, value: DEFAULT_RESULT_FILE },
    { name: ENV.outputDir, value: OUTPUT_DIR },
  );
  for (const [name, value] of Object.entries(plan.params)) env.push({ name: paramEnvName(name), value: paramEnvValue(value) });

  const settings = workload.kind === 'trainer' ? workload.trainer : workload.template;
  const c: V1Container = {
    name: 'trial',
    image: workload.kind === 'trainer' ? (workload.trainer.image ?? DEFAULT_TRAINER_IMAGE) : workload.template.image,
    env,
    terminationMessagePath: DEFAULT_RESULT_FILE,
    terminationMessagePolicy: 'File',
    volumeMounts: [
      { name: 'kubetune-params', mountPath: PARAMS_DIR, readOnly: true },
      { name: 'kubetune-output', mountPath: OUTPUT_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ],
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    },
  };
  if (workload.kind === 'trainer') {
    c.args = ['--config', TRAINER_CONFIG_FILE, '--objective', spec.objective.metric];
  } else {
    if (workload.template.command !== undefined) c.command = workload.template.command;
    if (workload.template.args !== undefined) c.args = workload.template.args;
    if (workload.template.workingDir !== undefined) c.workingDir = workload.template.workingDir;
  }
  const requests = quantities(settings.resources?.requests);
  const limits = quantities(settings.resources?.limits);
  if (requests !== undefined || limits !== undefined) c.resources = { ...(requests && { requests }), ...(limits && { limits }) };
  return c;
}

export function renderTrialJob(spec: ResolvedSpec, plan: TrialPlan, study: StudyRef): V1Job {
  const settings = spec.workload.kind === 'trainer' ? spec.workload.trainer : spec.workload.template;
  // The user's labels and annotations first, ours over them (validation refuses our keys anyway).
  const labels = { ...settings.labels, ...studyLabels(study.name), [LABELS.trial]: String(plan.index) };
  const annotations: Record<string, string> = {
    ...settings.annotations,
    [ANNOTATIONS.params]: JSON.stringify(plan.params),
    [ANNOTATIONS.seed]: String(plan.seed),
  };
  const items = [{ path: 'params.json', fieldRef: { fieldPath: `metadata.annotations['${ANNOTATIONS.params}']` } }];
  if (spec.workload.kind === 'trainer') {
    annotations[ANNOTATIONS.trainerConfig] = JSON.stringify(spec.workload.trainer.config);
    items.push({ path: 'trainer-config.json', fieldRef: { fieldPath: `metadata.annotations['${ANNOTATIONS.trainerConfig}']` } });
  }
  const podSpec: V1PodSpec = {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: TRIAL_UID, runAsGroup: TRIAL_UID, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container(spec, plan, study)],
    volumes: [
      { name: 'kubetune-params', downwardAPI: { items } },
      { name: 'kubetune-output', emptyDir: {} },
      { name: 'tmp', emptyDir: {} },
    ],
  };
  if (settings.nodeSelector !== undefined) podSpec.nodeSelector = settings.nodeSelector;
  if (settings.tolerations !== undefined) podSpec.tolerations = settings.tolerations;
  if (settings.priorityClassName !== undefined) podSpec.priorityClassName = settings.priorityClassName;

  const job: V1Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: trialJobName(study.name, plan.index),
      namespace: study.namespace,
      labels,
      annotations,
      ownerReferences: [{ apiVersion: `${API_GROUP}/${API_VERSION}`, kind: KIND, name: study.name, uid: study.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      backoffLimit: 0,
      completions: 1,
      parallelism: 1,
      template: { metadata: { labels, annotations }, spec: podSpec },
    },
  };
  if (spec.budget.trialTimeoutMs !== undefined) {
    job.spec!.activeDeadlineSeconds = Math.ceil(spec.budget.trialTimeoutMs / 1000) + DEADLINE_GRACE_SECONDS;
  }
  return job;
}
