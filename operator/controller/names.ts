/**
 * Names, labels and annotations the operator puts on what it creates. Job names are a pure
 * function of the study and the trial index, so creating a trial twice (after a restart at the
 * wrong instant) meets `409 AlreadyExists` instead of making a duplicate.
 */
import { API_GROUP } from '../api/schema.js';

export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  study: `${API_GROUP}/study`,
  trial: `${API_GROUP}/trial`,
  history: `${API_GROUP}/history`,
} as const;

export const ANNOTATIONS = {
  params: `${API_GROUP}/params`,
  seed: `${API_GROUP}/seed`,
  trainerConfig: `${API_GROUP}/trainer-config`,
} as const;

export const MANAGER = 'kubetune';

/** `<study>-t<index>`: at most 52 + 2 + 7 characters, inside the 63 a Job name may have. */
export function trialJobName(study: string, index: number): string {
  return `${study}-t${index}`;
}

/** Trial index of a Job we created, read from its label; undefined for anything else. */
export function trialIndexOf(labels: Record<string, string> | undefined): number | undefined {
  const raw = labels?.[LABELS.trial];
  if (raw === undefined || !/^\d{1,7}$/.test(raw)) return undefined;
  return Number(raw);
}

/** Labels every object of a study carries: selects its Jobs, pods and history shards. */
export function studyLabels(study: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGER, [LABELS.study]: study };
}

/** `<study>-history-<shard>`: the ConfigMaps that keep the complete trial history. */
export function historyShardName(study: string, shard: number): string {
  return `${study}-history-${shard}`;
}
