/**
 * The table of `kubetune` commands. Each is declared here (name, arguments, options: what
 * `--help` shows) and implemented in its own module under commands/, imported only when the
 * command runs — so `kubetune --help` loads neither tfjs nor the Kubernetes client.
 *
 * Commands still to come (get, trials, convert) are added here when they exist.
 */
export interface OptionSpec {
  flags: string;
  description: string;
  defaultValue?: string | boolean;
}

export interface CommandSpec {
  name: string;
  args: string;
  summary: string;
  options: OptionSpec[];
  /** Loads the implementation: `(args, options) => exit code`. */
  load: () => Promise<{ default: (args: string[], options: Record<string, unknown>) => Promise<number> }>;
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    args: '<study>',
    summary: 'run a study on this machine, trials as child processes; run it again to resume',
    options: [
      { flags: '--results-dir <dir>', description: 'where trials are recorded (default ./kubetune-results/<study name>)' },
      { flags: '--max-trials <n>', description: 'override budget.maxTrials (raise it to extend a finished study)' },
      { flags: '--parallelism <n>', description: 'override budget.parallelism' },
      { flags: '--fresh', description: 'start over: move the previous results aside instead of resuming' },
      { flags: '--json', description: 'write every event as a JSON line on stdout (progress stays on stderr)' },
      { flags: '--grace <seconds>', description: 'time a stopped trial gets between SIGTERM and SIGKILL', defaultValue: '10' },
    ],
    load: () => import('./commands/run.js'),
  },
  {
    name: 'validate',
    args: '<files...>',
    summary: 'check study files: every problem with its field path and a hint (exit 1 if any)',
    options: [{ flags: '--json', description: 'print the issues as JSON' }],
    load: () => import('./commands/validate.js'),
  },
  {
    name: 'report',
    args: '<results-dir>',
    summary: 'write a self-contained HTML report of a local study (and CSV/XLSX exports of its trials)',
    options: [
      { flags: '--out <file>', description: 'where the HTML report goes (default <results-dir>/report.html)' },
      { flags: '--csv [file]', description: 'also export every trial as CSV (default <results-dir>/trials.csv)' },
      { flags: '--xlsx [file]', description: 'also export every trial as an Excel workbook (default <results-dir>/trials.xlsx)' },
      { flags: '--top <n>', description: 'rows of the best-trials table', defaultValue: '10' },
    ],
    load: () => import('./commands/report.js'),
  },
];
