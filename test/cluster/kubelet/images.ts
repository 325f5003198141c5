/**
 * The process-kubelet's "image registry": a small table from image references to local entry
 * points, since there is no container runtime here (design.md §6 — the one allowed fake).
 *
 * Kubernetes semantics are kept: a container's `command` replaces the image's entrypoint and its
 * `args` replace the image's default arguments. An image that matches no entry has neither, so
 * its container must give a `command`, which then runs as given (found on PATH, no shell).
 */
import { fileURLToPath } from 'node:url';

export interface ImageEntry {
  /** The image's ENTRYPOINT, as a local command. */
  entrypoint?: string[];
  /** The image's CMD: default arguments when the container gives no `args`. */
  cmd?: string[];
  /** Environment the image would bake in; the pod's own env wins. */
  env?: Record<string, string>;
  /** The image's WORKDIR, a local directory. */
  workingDir?: string;
}

/** `pattern` matches an image reference; `*` stands for any run of characters. */
export interface ImageRule {
  pattern: string;
  entry: ImageEntry;
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The defaults: our trainer image runs the repository's trainer through tsx with this node, and
 * `node:*` images run this node. Extend with `KUBETUNE_IMAGE_TABLE` (a JSON array of ImageRule,
 * tried before these) or the `images` option of the kubelet.
 */
export function defaultImageRules(): ImageRule[] {
  const fromEnv = process.env.KUBETUNE_IMAGE_TABLE ? (JSON.parse(process.env.KUBETUNE_IMAGE_TABLE) as ImageRule[]) : [];
  return [
    ...fromEnv,
    {
      pattern: 'ghcr.io/kubetune/trainer:*',
      entry: { entrypoint: [process.execPath, '--import', 'tsx', `${REPO_ROOT}trainer/main.ts`], workingDir: REPO_ROOT },
    },
    { pattern: 'node:*', entry: { cmd: [process.execPath] } },
  ];
}

function matches(pattern: string, image: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(image);
}

export function lookupImage(rules: readonly ImageRule[], image: string): ImageEntry {
  return rules.find((r) => matches(r.pattern, image))?.entry ?? {};
}

/**
 * The argv a container runs: Kubernetes' command/args rules over the image entry. Undefined when
 * there is nothing to run (no command and an unknown image).
 */
export function containerArgv(entry: ImageEntry, command: string[] | undefined, args: string[] | undefined): string[] | undefined {
  const argv = command && command.length > 0 ? [...command, ...(args ?? [])] : [...(entry.entrypoint ?? []), ...(args ?? entry.cmd ?? [])];
  if (argv.length === 0) return undefined;
  // A `node` image's `node` means this machine's node binary, whichever PATH the pod has.
  if (argv[0] === 'node') argv[0] = process.execPath;
  return argv;
}
