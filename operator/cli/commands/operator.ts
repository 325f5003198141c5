/**
 * `kubetune operator`: runs the TuningStudy controller (controller/manager.ts) until stopped.
 *
 * Reads, plans, runs: flags (with environment fallbacks, for a Deployment's env) become
 * `ManagerOptions`; the kubeconfig is `--kubeconfig`, else client-node's default chain
 * (KUBECONFIG, ~/.kube/config, then the in-cluster ServiceAccount). Logs are JSON lines on
 * stderr (winston), each reconcile's lines carrying `study` and, for trial events, `trial`.
 *
 * Signals, as sample-controller's pkg/signals: the first SIGTERM or SIGINT drains (in-flight
 * reconciles finish, watches stop, the lease is released) and exits 0; a second exits at once.
 * A lost lease exits 1, so the Deployment restarts the pod as a standby.
 */
import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import winston from 'winston';
import { parseDuration } from '../../api/duration.js';
import { serveEndpoints } from '../../controller/health.js';
import { Manager, type LeaderElectionSettings } from '../../controller/manager.js';
import { OperatorMetrics } from '../../controller/metrics.js';
import { UsageError } from '../errors.js';

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';
const LOG_LEVELS = ['error', 'warn', 'info', 'debug'];

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function bool(v: unknown, flag: string): boolean {
  if (v === true || v === undefined) return true;
  if (v === false) return false;
  const s = String(v).toLowerCase();
  if (['true', '1', 'yes'].includes(s)) return true;
  if (['false', '0', 'no'].includes(s)) return false;
  throw new UsageError(`${flag} takes true or false, not "${String(v)}"`);
}

function ms(v: unknown, flag: string): number | undefined {
  const s = str(v);
  if (s === undefined) return undefined;
  const parsed = /^\d+(\.\d+)?$/.test(s) ? Number(s) * 1000 : parseDuration(s);
  if (parsed === undefined || !(parsed > 0)) throw new UsageError(`${flag}: "${s}" is not a duration such as 15s`);
  return parsed;
}

/** `--namespace a b`, `--namespace a,b` or KUBETUNE_WATCH_NAMESPACES=a,b; empty: all. */
export function watchedNamespaces(option: unknown, env = process.env): string[] {
  const raw = Array.isArray(option) ? option.map(String) : typeof option === 'string' ? [option] : (env.KUBETUNE_WATCH_NAMESPACES ?? '').split(',');
  const out = raw.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  for (const ns of out) if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns)) throw new UsageError(`--namespace: "${ns}" is not a namespace name`);
  return [...new Set(out)];
}

/** Where the Lease lives: the flag, POD_NAMESPACE, the in-cluster namespace, or the one watched namespace. */
function leaseNamespace(option: unknown, watched: string[]): string {
  const fromFile = existsSync(SA_NAMESPACE_FILE) ? readFileSync(SA_NAMESPACE_FILE, 'utf8').trim() : undefined;
  const ns = str(option) ?? str(process.env.POD_NAMESPACE) ?? str(fromFile) ?? (watched.length === 1 ? watched[0] : undefined);
  if (ns === undefined) throw new UsageError('leader election needs a namespace for its Lease: pass --leader-election-namespace (or --leader-elect=false)');
  return ns;
}

export function makeLogger(level: string): winston.Logger {
  if (!LOG_LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    defaultMeta: { component: 'kubetune-operator' },
    transports: [new winston.transports.Stream({ stream: process.stderr })],
  });
}

export default async function operator(_args: string[], options: Record<string, unknown>): Promise<number> {
  const log = makeLogger(str(options.logLevel) ?? str(process.env.KUBETUNE_LOG_LEVEL) ?? 'info');
  const namespaces = watchedNamespaces(options.namespace);
  const workers = Number(str(options.workers) ?? '4');
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError('--workers must be an integer from 1 to 64');

  const kc = new KubeConfig();
  const kubeconfig = str(options.kubeconfig);
  if (kubeconfig !== undefined) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  if (kc.getCurrentCluster() === null) throw new UsageError('no cluster to talk to: pass --kubeconfig, set KUBECONFIG, or run in a pod');

  let leaderElection: LeaderElectionSettings | undefined;
  if (bool(options.leaderElect ?? process.env.KUBETUNE_LEADER_ELECT, '--leader-elect')) {
    leaderElection = {
      namespace: leaseNamespace(options.leaderElectionNamespace, namespaces),
      name: str(options.leaderElectionId) ?? 'kubetune-operator',
      ...(ms(options.leaseDuration, '--lease-duration') !== undefined && { leaseDurationMs: ms(options.leaseDuration, '--lease-duration') }),
      ...(ms(options.renewDeadline, '--renew-deadline') !== undefined && { renewDeadlineMs: ms(options.renewDeadline, '--renew-deadline') }),
      ...(ms(options.retryPeriod, '--retry-period') !== undefined && { retryPeriodMs: ms(options.retryPeriod, '--retry-period') }),
    };
  }

  const metrics = new OperatorMetrics({ processMetrics: true });
  let manager: Manager;
  try {
    manager = new Manager({ kc, namespaces, workers, leaderElection, log, metrics });
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message); // lease timings that contradict each other
    throw err;
  }
  const servers = await serveEndpoints(str(options.metricsBindAddress) ?? ':8080', str(options.healthProbeBindAddress) ?? ':8081', {
    alive: () => !manager.isStopping,
    ready: () => manager.readiness(),
    metrics: () => metrics.render(),
  });
  for (const s of servers) log.info('serving', { endpoints: s.endpoints, address: s.address });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn(`second ${signal}: exiting now`);
      process.exit(1);
    }
    log.info(`${signal}: draining (send it again to exit at once)`);
    void manager.shutdown();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  manager.start().catch((err: unknown) => {
    log.error('could not start', { err: String(err) });
    void manager.shutdown();
  });
  const stopped = await manager.done;
  await Promise.all(servers.map((s) => s.close()));
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  await new Promise<void>((resolve) => log.on('finish', resolve).end());
  // Idle keep-alive sockets of the API client must not hold the process after a clean stop.
  setTimeout(() => process.exit(stopped.code), 2_000).unref();
  return stopped.code;
}
