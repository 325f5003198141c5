/**
 * The few errors the CLI tells apart, and the one place that turns any error into an exit code
 * (style.md, "One place turns errors into exit codes"):
 *
 *   UsageError            exit 2   wrong flags or arguments; the message says what to type
 *   SpecError             exit 1   the study is invalid; every issue with its path and hint
 *   ExitError             its code a known condition with a message (e.g. the results dir is busy)
 *   anything else         exit 70  a bug: "this is a bug, please report it" and the stack
 */
import { CommanderError } from 'commander';
import { type Issue, SpecError } from '../api/issues.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class ExitError extends Error {
  constructor(message: string, readonly code: number, readonly hint?: string) {
    super(message);
    this.name = 'ExitError';
  }
}

/** A spec error about a particular file; `locate` maps a JSON pointer to `file:line`. */
export class FileSpecError extends SpecError {
  constructor(readonly file: string, issues: readonly Issue[], readonly locate: (path: string) => string = () => file) {
    super(issues);
  }
}

export const EXIT_INTERNAL = 70;

/** Renders one issue for a person: where, what, and the hint on its own line. */
export function formatIssue(issue: Issue, where: string): string {
  const head = `${where} ${issue.path || '/'}: ${issue.message}`;
  return issue.hint === undefined ? head : `${head}\n    hint: ${issue.hint}`;
}

/** Prints what went wrong to stderr and returns the exit code. */
export function reportError(err: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // commander printed it already
  if (err instanceof UsageError) {
    write(`kubetune: ${err.message}\nRun kubetune --help for usage.\n`);
    return 2;
  }
  if (err instanceof FileSpecError) {
    write(`${err.file}: ${err.issues.length} problem${err.issues.length === 1 ? '' : 's'}\n`);
    for (const issue of err.issues) write(`  ${formatIssue(issue, err.locate(issue.path))}\n`);
    return 1;
  }
  if (err instanceof SpecError) {
    for (const issue of err.issues) write(`  ${formatIssue(issue, '')}\n`);
    return 1;
  }
  if (err instanceof ExitError) {
    write(`kubetune: ${err.message}\n${err.hint === undefined ? '' : `hint: ${err.hint}\n`}`);
    return err.code;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  write(`kubetune: internal error — this is a bug, please report it with the output below.\n${stack}\n`);
  return EXIT_INTERNAL;
}
