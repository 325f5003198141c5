/**
 * A container's environment and argv, as the kubelet would build them: image env, then
 * `envFrom`, then `env` in order with `$(VAR)` expansion and downward-API / ConfigMap / Secret
 * references, then container paths mapped to host paths (volumes.ts).
 */
import type { Obj, Rest } from '../rest.js';
import { expand, fieldValue, resourceValue } from './downward.js';
import { containerArgv, type ImageEntry } from './images.js';
import { ConfigError } from './errors.js';
import { mapPaths, type PathMap } from './volumes.js';

export interface EnvContext {
  rest: Rest;
  pod: Obj;
  container: Obj;
  image: ImageEntry;
  hostIp: string;
  allocatable: Record<string, string>;
  /** PATH, HOME, KUBERNETES_SERVICE_HOST/PORT...: what every container gets. */
  base: Record<string, string>;
  paths: PathMap;
}

export { ConfigError } from './errors.js';

async function keyRef(ctx: EnvContext, ref: Obj, secret: boolean): Promise<string | undefined> {
  const ns = ctx.pod.metadata.namespace;
  const obj = await ctx.rest.find(`/api/v1/namespaces/${ns}/${secret ? 'secrets' : 'configmaps'}/${ref.name}`);
  const raw = obj?.data?.[ref.key] as string | undefined;
  if (raw === undefined) {
    if (ref.optional) return undefined;
    throw new ConfigError(obj ? `couldn't find key ${ref.key} in ${secret ? 'Secret' : 'ConfigMap'} ${ns}/${ref.name}` : `${secret ? 'secret' : 'configmap'} "${ref.name}" not found`);
  }
  return secret ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

export async function containerEnv(ctx: EnvContext): Promise<Record<string, string>> {
  const { pod, container } = ctx;
  const vars: Record<string, string> = { ...ctx.base, HOSTNAME: pod.metadata.name, ...(ctx.image.env ?? {}) };
  for (const src of (container.envFrom ?? []) as Obj[]) {
    const ref = src.configMapRef ?? src.secretRef;
    const secret = Boolean(src.secretRef);
    const obj = await ctx.rest.find(`/api/v1/namespaces/${pod.metadata.namespace}/${secret ? 'secrets' : 'configmaps'}/${ref.name}`);
    if (!obj) {
      if (ref.optional) continue;
      throw new ConfigError(`${secret ? 'secret' : 'configmap'} "${ref.name}" not found`);
    }
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
      vars[(src.prefix ?? '') + k] = secret ? Buffer.from(v, 'base64').toString('utf8') : v;
    }
  }
  for (const e of (container.env ?? []) as Obj[]) {
    let value: string | undefined;
    if (e.valueFrom?.fieldRef) value = fieldValue(pod, e.valueFrom.fieldRef.fieldPath, ctx.hostIp);
    else if (e.valueFrom?.resourceFieldRef) {
      const r = e.valueFrom.resourceFieldRef;
      const c = r.containerName ? (pod.spec.containers as Obj[]).find((x) => x.name === r.containerName) : container;
      value = resourceValue(c, r.resource, r.divisor, ctx.allocatable);
    } else if (e.valueFrom?.configMapKeyRef) value = await keyRef(ctx, e.valueFrom.configMapKeyRef, false);
    else if (e.valueFrom?.secretKeyRef) value = await keyRef(ctx, e.valueFrom.secretKeyRef, true);
    else value = expand(e.value ?? '', vars);
    if (value !== undefined) vars[e.name] = value;
  }
  for (const k of Object.keys(vars)) vars[k] = mapPaths(vars[k]!, ctx.paths);
  return vars;
}

/** The argv to run, `$(VAR)`-expanded and path-mapped; throws ConfigError when there is none. */
export function resolveArgv(ctx: EnvContext, env: Record<string, string>): string[] {
  // Only what the pod spec says is in the container's view of the filesystem: its command and
  // args get $(VAR) expansion and volume paths mapped. The image table's entrypoint and cmd are
  // host paths already (the repository's trainer, say) and must stay untouched — a repository
  // checked out under /tmp would otherwise be "mapped" into a pod's /tmp emptyDir.
  const fromPod = (a: string) => mapPaths(expand(a, env), ctx.paths);
  const argv = containerArgv(ctx.image, ctx.container.command?.map(fromPod), ctx.container.args?.map(fromPod));
  if (!argv) {
    throw new ConfigError(
      `image ${ctx.container.image} has no entry in the process-kubelet's image table and the container gives no command`,
    );
  }
  return argv;
}
