/**
 * The table of `kubetune` commands. Each is declared here (name, arguments, options: what
 * `--help` shows) and implemented in its own module under commands/, imported only when the
 * command runs — so `kubetune --help` loads neither tfjs nor the Kubernetes client.
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
  /**
   * Hand every argument after the command name, flags included, to the implementation as they
   * are (for `train`, whose flags belong to the trainer's own parser, help included).
   */
  passThrough?: boolean;
  /** Loads the implementation: `(args, options) => exit code`. */
  load: () => Promise<{ default: (args: string[], options: Record<string, unknown>) => Promise<number> }>;
}

/** How the cluster commands find the cluster and the study, as kubectl's flags do. */
const CLUSTER_OPTIONS: OptionSpec[] = [
  { flags: '-n, --namespace <ns>', description: 'namespace of the study (default: the kubeconfig context\'s, else "default")' },
  { flags: '--kubeconfig <file>', description: 'kubeconfig to use (default: KUBECONFIG, ~/.kube/config, then in-cluster)' },
  { flags: '--context <name>', description: 'kubeconfig context to use (default: the current one)' },
];

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
    args: '<results-dir|study>',
    summary: 'write a self-contained HTML report of a local study or of a study on a cluster (and CSV/XLSX exports of its trials)',
    options: [
      { flags: '--out <file>', description: 'where the HTML report goes (default <results-dir>/report.html; for a cluster study ./<study>-report.html)' },
      { flags: '--csv [file]', description: 'also export every trial as CSV (default <results-dir>/trials.csv, or ./<study>-trials.csv)' },
      { flags: '--xlsx [file]', description: 'also export every trial as an Excel workbook (default <results-dir>/trials.xlsx, or ./<study>-trials.xlsx)' },
      { flags: '--top <n>', description: 'rows of the best-trials table', defaultValue: '10' },
      ...CLUSTER_OPTIONS,
    ],
    load: () => import('./commands/report.js'),
  },
  {
    name: 'get',
    args: '[study]',
    summary: 'studies on a cluster: a table of them, or one in detail (phase, trial counts, best trial, conditions)',
    options: [
      ...CLUSTER_OPTIONS,
      { flags: '-A, --all-namespaces', description: 'list the studies of every namespace' },
      { flags: '--json', description: 'print the TuningStudy objects as JSON' },
    ],
    load: () => import('./commands/get.js'),
  },
  {
    name: 'trials',
    args: '<study>',
    summary: 'every trial of a study on a cluster (its complete history, and the trials still running)',
    options: [
      ...CLUSTER_OPTIONS,
      { flags: '--sort <key>', description: 'index, or value (best first)', defaultValue: 'index' },
      { flags: '--state <state>', description: 'only trials in this state: pending, running, succeeded, failed or pruned' },
      { flags: '--limit <n>', description: 'at most this many rows' },
      { flags: '--json', description: 'print the trials as a JSON array' },
    ],
    load: () => import('./commands/trials.js'),
  },
  {
    name: 'convert',
    args: '<format> <file>',
    summary: 'convert a Katib Experiment (format: katib) into a TuningStudy: YAML on stdout, what could not be carried on stderr',
    options: [{ flags: '--json', description: 'print {study, notes, validation} as JSON instead of YAML' }],
    load: () => import('./commands/convert.js'),
  },
  {
    name: 'train',
    args: '[trainer-args...]',
    summary: 'train a model with the built-in trainer (kubetune-trainer): same flags, parameters, result and exit codes; `kubetune train --help` lists them',
    options: [],
    passThrough: true,
    load: () => import('./commands/train.js'),
  },
  {
    name: 'operator',
    args: '',
    summary: 'run the TuningStudy controller against a cluster (in a pod, or with a kubeconfig) until SIGTERM',
    options: [
      { flags: '--kubeconfig <file>', description: 'kubeconfig to use (default: KUBECONFIG, ~/.kube/config, then in-cluster)' },
      { flags: '--namespace <ns...>', description: 'watch only these namespaces (repeat or comma-separate; env KUBETUNE_WATCH_NAMESPACES; default all)' },
      { flags: '--leader-elect [bool]', description: 'only the holder of a Lease reconciles (env KUBETUNE_LEADER_ELECT)', defaultValue: 'true' },
      { flags: '--leader-election-namespace <ns>', description: 'namespace of the Lease (default POD_NAMESPACE, the in-cluster namespace, or the one watched namespace)' },
      { flags: '--leader-election-id <name>', description: 'name of the Lease', defaultValue: 'kubetune-operator' },
      { flags: '--lease-duration <duration>', description: 'how long a silent leader keeps the Lease', defaultValue: '15s' },
      { flags: '--renew-deadline <duration>', description: 'how long the leader tries to renew before giving up', defaultValue: '10s' },
      { flags: '--retry-period <duration>', description: 'time between Lease attempts', defaultValue: '2s' },
      { flags: '--metrics-bind-address <addr>', description: 'where /metrics is served ("0" turns it off)', defaultValue: ':8080' },
      { flags: '--health-probe-bind-address <addr>', description: 'where /healthz and /readyz are served ("0" turns it off)', defaultValue: ':8081' },
      { flags: '--workers <n>', description: 'studies reconciled at once', defaultValue: '4' },
      { flags: '--log-level <level>', description: 'error, warn, info or debug (env KUBETUNE_LOG_LEVEL)' },
    ],
    load: () => import('./commands/operator.js'),
  },
];
