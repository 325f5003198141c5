/**
 * What a local trial executes: the template's command and args (run directly, never through a
 * shell, so parameters stay data), or this package's own trainer for a `trainer` study. Working
 * directory: the template's `workingDir`, else the study file's folder, so a study that says
 * `command: [python, train.py]` works from wherever `kubetune run` is started.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError } from '../api/issues.js';
import type { EnvVar, ResolvedSpec } from '../api/types.js';

export interface LocalCommand {
  file: string;
  args: string[];
  cwd: string;
  env: EnvVar[];
}

/** The package root (where package.json is), found from this module whether compiled or not. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the kubetune package root');
    dir = up;
  }
  return dir;
}

/**
 * How to start the built-in trainer. In a source checkout (trainer/main.ts and tsx present) the
 * source runs through tsx, so trials never use a stale build and the trainer finds the data
 * files that live beside its source; an installed package runs the compiled trainer.
 */
export function trainerEntry(root = packageRoot()): { file: string; args: string[] } {
  const source = join(root, 'trainer', 'main.ts');
  if (existsSync(source) && existsSync(join(root, 'node_modules', 'tsx'))) {
    // tsx by absolute URL: a bare `--import tsx` is resolved from the trial's working directory
    // (the study file's folder), which fails for a study kept outside this checkout.
    return { file: process.execPath, args: ['--import', import.meta.resolve('tsx'), source] };
  }
  return { file: process.execPath, args: [join(root, 'dist', 'trainer', 'main.js')] };
}

/** Checks that the study can run locally at all; issues point at the spec field to fix. */
export function checkRunnableLocally(spec: ResolvedSpec): void {
  if (spec.workload.kind === 'template' && (spec.workload.template.command?.length ?? 0) === 0) {
    throw new SpecError([{
      code: 'local_command_required', path: '/spec/template/command',
      message: 'template.command is required to run a study locally (an image entrypoint cannot be run here)',
      hint: 'e.g. command: [python, train.py]; parameters arrive as KUBETUNE_PARAM_<NAME> and in $KUBETUNE_PARAMS_FILE',
    }]);
  }
}

/**
 * The command of one trial attempt. For the trainer, its config is written into the attempt's
 * folder first (the trainer reads it with --config).
 */
export function renderLocalCommand(spec: ResolvedSpec, studyDir: string, attemptDir: string): LocalCommand {
  if (spec.workload.kind === 'trainer') {
    const configFile = join(attemptDir, 'trainer-config.json');
    writeFileSync(configFile, `${JSON.stringify(spec.workload.trainer.config, null, 2)}\n`);
    const entry = trainerEntry();
    return { file: entry.file, args: [...entry.args, '--config', configFile, '--objective', spec.objective.metric], cwd: studyDir, env: [] };
  }
  const t = spec.workload.template;
  const [file, ...leading] = t.command ?? [];
  if (file === undefined) throw new Error('checkRunnableLocally should have refused a template without command');
  return {
    file,
    args: [...leading, ...(t.args ?? [])],
    cwd: t.workingDir === undefined ? studyDir : resolve(studyDir, t.workingDir),
    env: t.env ?? [],
  };
}
