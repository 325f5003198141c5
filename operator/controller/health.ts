/**
 * The operator's HTTP endpoints, as controller-runtime serves them:
 *
 *   /healthz   200 while the process is alive and not shutting down (liveness: a hung event
 *              loop does not answer at all, which is what the probe detects)
 *   /readyz    200 once every informer has synced — leader or standby alike, so a standby
 *              replica is Ready and a rollout can proceed; 503 before that and while draining
 *   /metrics   Prometheus text (metrics.ts)
 *
 * Metrics and probes may be served on one address or two (`--metrics-bind-address`,
 * `--health-probe-bind-address`); an address of `0` turns that server off. Nothing here reads
 * the request body or any query, so the servers have nothing for a caller to inject into.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthSources {
  alive(): boolean;
  ready(): { ok: boolean; detail: string };
  metrics?(): Promise<{ contentType: string; body: string }>;
}

/** `:8080`, `127.0.0.1:8080`, `[::1]:8080` or `8080` → host and port; `0` → off. */
export function parseBindAddress(address: string): { host: string | undefined; port: number } | undefined {
  if (address === '0' || address === '') return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address) ?? /^()()(\d+)$/.exec(address);
  if (m === null) throw new Error(`bind address "${address}" is not [host]:port`);
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bind address "${address}": port out of range`);
  const host = m[1] || m[2] || undefined;
  return { host, port };
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

export type Endpoint = 'healthz' | 'readyz' | 'metrics';

function handler(sources: HealthSources, endpoints: ReadonlySet<Endpoint>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    if (path === '/healthz' && endpoints.has('healthz')) {
      return sources.alive() ? send(res, 200, 'ok\n') : send(res, 503, 'shutting down\n');
    }
    if (path === '/readyz' && endpoints.has('readyz')) {
      const r = sources.ready();
      return send(res, r.ok ? 200 : 503, `${r.detail}\n`);
    }
    if (path === '/metrics' && endpoints.has('metrics') && sources.metrics !== undefined) {
      sources.metrics().then(
        (m) => send(res, 200, m.body, m.contentType),
        (err: unknown) => send(res, 500, `metrics: ${String(err)}\n`),
      );
      return;
    }
    send(res, 404, 'not found\n');
  };
}

export interface Served {
  endpoints: Endpoint[];
  /** `host:port` actually bound (port 0 picks a free one). */
  address: string;
  close(): Promise<void>;
}

/** Starts one server answering `endpoints` at `address`; resolves once it listens. */
export async function serve(address: { host: string | undefined; port: number }, endpoints: Endpoint[], sources: HealthSources): Promise<Served> {
  const server: Server = createServer(handler(sources, new Set(endpoints)));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    endpoints,
    address: `${host}:${bound.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/**
 * The metrics and probe servers for two bind addresses: one server when they are equal (also for `:0`, a random port), none
 * for an address of `0`.
 */
export async function serveEndpoints(metricsAddress: string, probeAddress: string, sources: HealthSources): Promise<Served[]> {
  const metrics = parseBindAddress(metricsAddress);
  const probes = parseBindAddress(probeAddress);
  const out: Served[] = [];
  try {
    if (metrics !== undefined && probes !== undefined && metricsAddress === probeAddress) {
      out.push(await serve(metrics, ['healthz', 'readyz', 'metrics'], sources));
      return out;
    }
    if (metrics !== undefined) out.push(await serve(metrics, ['metrics'], sources));
    if (probes !== undefined) out.push(await serve(probes, ['healthz', 'readyz'], sources));
    return out;
  } catch (err) {
    await Promise.all(out.map((s) => s.close()));
    throw err;
  }
}
