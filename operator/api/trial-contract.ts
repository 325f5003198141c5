/**
 * The trial contract (design.md §5): how any trial workload — our trainer or someone's PyTorch
 * script — receives its parameters and reports its metrics. Both runtimes (the operator on a
 * cluster, the local runner on one machine) and the trainer use this module, so the format is
 * written down exactly once.
 *
 * In:   parameters as environment variables (`KUBETUNE_PARAM_<NAME>`) and as a JSON file whose
 *       path is in `KUBETUNE_PARAMS_FILE`; the trial's identity in `KUBETUNE_STUDY`,
 *       `KUBETUNE_TRIAL_INDEX` and `KUBETUNE_SEED`.
 * Live: one metric line per report on stdout:
 *
 *           kubetune-metrics step=3 loss=0.4121 val_accuracy=0.8812
 *
 *       The prefix is exact and lower-case, `step` is a non-negative integer and comes first,
 *       then one or more `name=value` pairs separated by single spaces. Values are decimal
 *       numbers (`1`, `-0.5`, `3e-4`) or `nan`, `inf`, `+inf`, `-inf` (any case; `Infinity` is
 *       accepted too). Anything else on stdout is ordinary log output and is ignored, but a line
 *       that starts with the prefix and breaks the grammar is an error, never half-parsed.
 * Final: a JSON document (at most 4 KiB) written to the termination-message path
 *       (`KUBETUNE_RESULT_FILE`, default `/dev/termination-log`). Non-finite numbers are written
 *       as the strings "NaN", "Infinity" and "-Infinity" because JSON has no words for them.
 * Stop: SIGTERM means "pruned or cancelled": write what you have and exit promptly.
 */

export const METRIC_LINE_PREFIX = 'kubetune-metrics';

/** Environment variable names of the contract. */
export const ENV = {
  study: 'KUBETUNE_STUDY',
  trialIndex: 'KUBETUNE_TRIAL_INDEX',
  seed: 'KUBETUNE_SEED',
  paramsFile: 'KUBETUNE_PARAMS_FILE',
  resultFile: 'KUBETUNE_RESULT_FILE',
  outputDir: 'KUBETUNE_OUTPUT_DIR',
  paramPrefix: 'KUBETUNE_PARAM_',
} as const;

export const DEFAULT_RESULT_FILE = '/dev/termination-log';

/** Kubernetes truncates termination messages past 4096 bytes; we stay under it on purpose. */
export const MAX_RESULT_BYTES = 4096;

const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_.\-/]{0,62}$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Environment variable that carries parameter `name`: upper-cased, other characters as `_`. */
export function paramEnvName(name: string): string {
  return ENV.paramPrefix + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** A parameter value as an environment string: scalars as written, subsets as a JSON list. */
export function paramEnvValue(value: string | number | boolean | readonly (string | number | boolean)[]): string {
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}

/** One report of a running trial: the step (epoch, iteration) and its named values. */
export interface MetricReport {
  step: number;
  values: Record<string, number>;
}

export class MetricLineError extends Error {
  constructor(
    message: string,
    readonly line: string,
  ) {
    super(message);
    this.name = 'MetricLineError';
  }
}

/** Parses a number in the contract's grammar; returns undefined for anything else. */
export function parseMetricNumber(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') {
    return Number.POSITIVE_INFINITY;
  }
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  if (!DECIMAL.test(text)) return undefined;
  return Number(text);
}

/** Formats a number so that `parseMetricNumber` reads back exactly the same value. */
export function formatMetricNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

/** Renders one metric line (without the trailing newline). */
export function formatMetricLine(report: MetricReport): string {
  if (!Number.isInteger(report.step) || report.step < 0) {
    throw new RangeError(`step must be a non-negative integer, got ${report.step}`);
  }
  const pairs = Object.entries(report.values).map(([name, value]) => {
    if (!METRIC_NAME.test(name) || name === 'step') {
      throw new RangeError(`invalid metric name ${JSON.stringify(name)}`);
    }
    return `${name}=${formatMetricNumber(value)}`;
  });
  if (pairs.length === 0) throw new RangeError('a metric line needs at least one value');
  return `${METRIC_LINE_PREFIX} step=${report.step} ${pairs.join(' ')}`;
}

/**
 * Reads one line of a trial's stdout. Returns undefined for ordinary output, a report for a
 * metric line, and throws `MetricLineError` for a line that claims to be a metric line but is
 * not one, so a garbled report is seen rather than silently dropped.
 */
export function parseMetricLine(rawLine: string): MetricReport | undefined {
  const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  if (line !== METRIC_LINE_PREFIX && !line.startsWith(METRIC_LINE_PREFIX + ' ')) return undefined;
  const fields = line.slice(METRIC_LINE_PREFIX.length + 1).split(' ');
  const first = fields.shift();
  const stepMatch = first === undefined ? null : /^step=(\d{1,15})$/.exec(first);
  if (!stepMatch) throw new MetricLineError('a metric line must start with step=<integer>', line);
  const step = Number(stepMatch[1]);
  if (fields.length === 0) throw new MetricLineError('a metric line needs at least one value', line);
  const values: Record<string, number> = {};
  for (const field of fields) {
    const eq = field.indexOf('=');
    const name = eq < 0 ? field : field.slice(0, eq);
    if (eq < 0 || !METRIC_NAME.test(name) || name === 'step') {
      throw new MetricLineError(`bad metric field ${JSON.stringify(field)}`, line);
    }
    if (Object.hasOwn(values, name)) {
      throw new MetricLineError(`metric ${JSON.stringify(name)} appears twice`, line);
    }
    const value = parseMetricNumber(field.slice(eq + 1));
    if (value === undefined) {
      throw new MetricLineError(`metric ${name} has a value that is not a number`, line);
    }
    values[name] = value;
  }
  return { step, values };
}

/** How a trial ended, in its own words. */
export type TrialResultStatus = 'succeeded' | 'failed' | 'pruned';

/** The final document a trial writes to its termination-message path. */
export interface TrialResult {
  status: TrialResultStatus;
  /** Final metrics (the objective metric among them when succeeded). */
  metrics: Record<string, number>;
  /** Last step reached, when the trial reports steps. */
  step?: number;
  /** Machine-readable reason for a failure, e.g. `InvalidParameter`, `DatasetError`. */
  reason?: string;
  /** Human-readable detail; truncated so the document stays under MAX_RESULT_BYTES. */
  message?: string;
}

function encodeNumber(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/**
 * Serialises a result, shortening `message` (and, if still needed, dropping extra metrics) so
 * the document fits in MAX_RESULT_BYTES bytes.
 */
export function formatTrialResult(result: TrialResult): string {
  const metrics: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(result.metrics)) metrics[name] = encodeNumber(value);
  const doc: Record<string, unknown> = { status: result.status, metrics };
  if (result.step !== undefined) doc.step = result.step;
  if (result.reason !== undefined) doc.reason = result.reason;
  if (result.message !== undefined) doc.message = result.message;
  let text = JSON.stringify(doc);
  while (Buffer.byteLength(text) > MAX_RESULT_BYTES && typeof doc.message === 'string' && doc.message.length > 0) {
    const over = Buffer.byteLength(text) - MAX_RESULT_BYTES;
    doc.message = doc.message.slice(0, Math.max(0, doc.message.length - over - 3)) + '...';
    if ((doc.message as string).length <= 3) doc.message = '';
    text = JSON.stringify(doc);
  }
  const names = Object.keys(metrics);
  while (Buffer.byteLength(text) > MAX_RESULT_BYTES && names.length > 0) {
    delete metrics[names.pop() as string];
    text = JSON.stringify(doc);
  }
  return text;
}

export class TrialResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrialResultError';
  }
}

function decodeNumber(name: string, raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (raw === 'NaN') return Number.NaN;
  if (raw === 'Infinity') return Number.POSITIVE_INFINITY;
  if (raw === '-Infinity') return Number.NEGATIVE_INFINITY;
  throw new TrialResultError(`metric ${JSON.stringify(name)} is not a number`);
}

/** Parses a termination-message document; throws `TrialResultError` naming what is wrong. */
export function parseTrialResult(text: string): TrialResult {
  if (Buffer.byteLength(text) > MAX_RESULT_BYTES * 4) {
    throw new TrialResultError(`result document is ${Buffer.byteLength(text)} bytes, too large`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new TrialResultError('result document is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new TrialResultError('result document must be a JSON object');
  }
  const record = doc as Record<string, unknown>;
  const status = record.status;
  if (status !== 'succeeded' && status !== 'failed' && status !== 'pruned') {
    throw new TrialResultError('result status must be one of succeeded, failed, pruned');
  }
  const rawMetrics = record.metrics ?? {};
  if (typeof rawMetrics !== 'object' || rawMetrics === null || Array.isArray(rawMetrics)) {
    throw new TrialResultError('result metrics must be an object');
  }
  const metrics: Record<string, number> = {};
  for (const [name, raw] of Object.entries(rawMetrics)) {
    if (!METRIC_NAME.test(name)) throw new TrialResultError(`invalid metric name ${JSON.stringify(name)}`);
    metrics[name] = decodeNumber(name, raw);
  }
  const result: TrialResult = { status, metrics };
  if (record.step !== undefined) {
    if (typeof record.step !== 'number' || !Number.isInteger(record.step) || record.step < 0) {
      throw new TrialResultError('result step must be a non-negative integer');
    }
    result.step = record.step;
  }
  for (const key of ['reason', 'message'] as const) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new TrialResultError(`result ${key} must be a string`);
    result[key] = value;
  }
  return result;
}
