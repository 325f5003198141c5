/**
 * Volumes without a container runtime: each supported volume is materialised as a directory
 * under the pod's work directory, and a container's view of paths is mapped onto it.
 *
 * Supported: emptyDir, configMap, secret, downwardAPI, projected (configMap, secret,
 * downwardAPI, serviceAccountToken through the TokenRequest API) and hostPath (the host path
 * itself). Anything else fails the pod's start with a message naming the volume type.
 *
 * Path mapping (there is no mount namespace): in a container's env values, command and args,
 * every occurrence of a volumeMount's `mountPath` — whole, or followed by `/` — is replaced by the
 * directory that holds the volume (plus `subPath`). So `KUBETUNE_PARAMS_FILE=/etc/kubetune/params.json`
 * with a ConfigMap mounted at /etc/kubetune reaches the process as `<pod dir>/volumes/<name>/params.json`.
 * The termination-message path is mapped the same way (see container.ts).
 */
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Obj, Rest } from '../rest.js';
import { fieldValue, resourceValue } from './downward.js';

export interface VolumeContext {
  rest: Rest;
  pod: Obj;
  podDir: string;
  hostIp: string;
  allocatable: Record<string, string>;
}

type Files = Map<string, Buffer>;

function put(files: Files, path: string, data: string | Buffer): void {
  files.set(path, typeof data === 'string' ? Buffer.from(data) : data);
}

async function configMapFiles(ctx: VolumeContext, src: Obj, files: Files, secret: boolean): Promise<void> {
  const ns = ctx.pod.metadata.namespace;
  const name = secret ? src.secretName ?? src.name : src.name;
  const obj = await ctx.rest.find(`/api/v1/namespaces/${ns}/${secret ? 'secrets' : 'configmaps'}/${name}`);
  if (!obj) {
    if (src.optional) return;
    throw new Error(`${secret ? 'secret' : 'configmap'} "${name}" not found`);
  }
  const data: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
    data[k] = secret ? Buffer.from(v, 'base64') : Buffer.from(v);
  }
  for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, string>)) data[k] = Buffer.from(v, 'base64');
  const items = src.items as { key: string; path: string }[] | undefined;
  if (items) {
    for (const it of items) {
      const v = data[it.key];
      if (v === undefined) {
        if (src.optional) continue;
        throw new Error(`key "${it.key}" not found in ${name}`);
      }
      put(files, it.path, v);
    }
  } else {
    for (const [k, v] of Object.entries(data)) put(files, k, v);
  }
}

function downwardFiles(ctx: VolumeContext, items: Obj[] | undefined, files: Files): void {
  for (const it of items ?? []) {
    if (it.fieldRef) put(files, it.path, fieldValue(ctx.pod, it.fieldRef.fieldPath, ctx.hostIp));
    else if (it.resourceFieldRef) {
      const c = (ctx.pod.spec.containers as Obj[]).find((x) => x.name === it.resourceFieldRef.containerName);
      put(files, it.path, resourceValue(c, it.resourceFieldRef.resource, it.resourceFieldRef.divisor, ctx.allocatable));
    }
  }
}

async function tokenFile(ctx: VolumeContext, src: Obj, files: Files): Promise<void> {
  const { namespace, name, uid } = ctx.pod.metadata;
  const sa = ctx.pod.spec.serviceAccountName ?? 'default';
  const tr = await ctx.rest.create(`/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {
      audiences: src.audience ? [src.audience] : null,
      expirationSeconds: src.expirationSeconds ?? 3607,
      boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name, uid },
    },
  });
  put(files, src.path, tr.status.token);
}

/** The files one volume holds, keyed by relative path. */
async function volumeFiles(ctx: VolumeContext, vol: Obj): Promise<Files> {
  const files: Files = new Map();
  if (vol.configMap) await configMapFiles(ctx, vol.configMap, files, false);
  else if (vol.secret) await configMapFiles(ctx, vol.secret, files, true);
  else if (vol.downwardAPI) downwardFiles(ctx, vol.downwardAPI.items, files);
  else if (vol.projected) {
    for (const s of vol.projected.sources ?? []) {
      if (s.configMap) await configMapFiles(ctx, s.configMap, files, false);
      else if (s.secret) await configMapFiles(ctx, s.secret, files, true);
      else if (s.downwardAPI) downwardFiles(ctx, s.downwardAPI.items, files);
      else if (s.serviceAccountToken) await tokenFile(ctx, s.serviceAccountToken, files);
      else throw new Error(`projected volume "${vol.name}": unsupported source ${Object.keys(s).join(',')}`);
    }
  }
  return files;
}

/**
 * Materialises every volume of the pod; returns volume name → host directory (or host path for
 * hostPath volumes). Throws with a message fit for a container's `waiting.message`.
 */
export async function materialiseVolumes(ctx: VolumeContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const vol of (ctx.pod.spec.volumes ?? []) as Obj[]) {
    if (vol.hostPath) {
      out.set(vol.name, vol.hostPath.path);
      continue;
    }
    const known = ['emptyDir', 'configMap', 'secret', 'downwardAPI', 'projected'].some((k) => vol[k]);
    if (!known) {
      const type = Object.keys(vol).filter((k) => k !== 'name').join(',');
      throw new Error(`volume "${vol.name}": type ${type} is not supported by the process-kubelet`);
    }
    const dir = join(ctx.podDir, 'volumes', vol.name);
    mkdirSync(dir, { recursive: true });
    for (const [rel, data] of await volumeFiles(ctx, vol)) {
      const path = join(dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data);
      chmodSync(path, 0o644);
    }
    out.set(vol.name, dir);
  }
  return out;
}

/** Container path → host path, longest mount first. */
export type PathMap = Array<[string, string]>;

export function containerPathMap(container: Obj, volumes: Map<string, string>): PathMap {
  const map: PathMap = [];
  for (const m of (container.volumeMounts ?? []) as Obj[]) {
    const host = volumes.get(m.name);
    if (host === undefined) continue;
    map.push([m.mountPath.replace(/\/+$/, ''), m.subPath ? join(host, m.subPath) : host]);
  }
  return map.sort((a, b) => b[0].length - a[0].length);
}

/** Rewrites container paths inside `s` to host paths (see the module comment). */
export function mapPaths(s: string, map: PathMap): string {
  if (map.length === 0) return s;
  const hosts = new Map(map);
  // One pass with the longest mount first, so a replaced host path is never rewritten again.
  const alternatives = map.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  // A mount path counts where it starts a path: at the start or after = : , or a space.
  const re = new RegExp(`(^|[=:, ])(${alternatives})(?=$|/|[:, ])`, 'g');
  return s.replace(re, (_m, pre: string, from: string) => pre + hosts.get(from)!);
}
