/**
 * The kubelet's HTTPS endpoint, reduced to what the apiserver's `pods/log` proxy calls:
 * `GET /containerLogs/{namespace}/{pod}/{container}` with `follow`, `previous`, `tailLines`,
 * `limitBytes`, `sinceSeconds` and `timestamps`, plus `/healthz`. Like the real kubelet it
 * asks for a client certificate from the cluster CA (the apiserver's `--kubelet-client-*`).
 * Exec, attach and port-forward answer 501.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { ContainerSlot } from './pod-worker.js';

export interface LogSource {
  /** The container of the current pod `namespace/name`, if this kubelet runs it. */
  findContainer(namespace: string, pod: string, container: string): ContainerSlot | undefined;
}

export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

interface LogQuery {
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceMs?: number;
}

/** A CRI log line (`<time> <stream> <tag> <text>`) as kubectl shows it. */
function render(line: string, q: LogQuery): string | undefined {
  const [time, , , ...rest] = line.replace(/\n$/, '').split(' ');
  if (q.sinceMs !== undefined && Date.parse(time!) < q.sinceMs) return undefined;
  const text = rest.join(' ');
  return `${q.timestamps ? `${time} ` : ''}${text}\n`;
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function serveLogs(slot: ContainerSlot, previous: boolean, q: LogQuery, res: ServerResponse): void {
  const path = previous ? slot.logs[slot.logs.length - 2] : slot.logs[slot.logs.length - 1];
  if (!path) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(
      previous ? `previous terminated container "${slot.spec.name}" not found` : `container "${slot.spec.name}" has not started`,
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  let budget = q.limitBytes ?? Infinity;
  const send = (line: string): boolean => {
    const out = render(line, q);
    if (out === undefined) return true;
    const buf = Buffer.from(out);
    if (buf.length >= budget) {
      res.end(buf.subarray(0, budget));
      return false;
    }
    budget -= buf.length;
    res.write(buf);
    return true;
  };
  // Read, then subscribe in the same tick: the container appends synchronously (container.ts).
  let lines = readLines(path);
  if (q.tailLines !== undefined) lines = q.tailLines === 0 ? [] : lines.slice(-q.tailLines);
  for (const l of lines) if (!send(l)) return;
  const run = slot.run;
  const live = !previous && path === slot.logs[slot.logs.length - 1] && run?.running;
  if (!q.follow || !live || !run) {
    res.end();
    return;
  }
  const onLine = (l: string) => {
    if (!send(l)) cleanup();
  };
  const cleanup = () => {
    run.off('line', onLine);
    run.off('exit', onExit);
    if (!res.writableEnded) res.end();
  };
  const onExit = () => cleanup();
  run.on('line', onLine);
  run.once('exit', onExit);
  res.on('close', cleanup);
}

export function startLogServer(tls: TlsFiles, source: LogSource, port: number): Promise<Server> {
  const server = createServer(
    {
      cert: readFileSync(tls.cert),
      key: readFileSync(tls.key),
      ca: readFileSync(tls.ca),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (url.pathname === '/healthz') {
        res.end('ok');
        return;
      }
      if (parts[0] !== 'containerLogs' || parts.length !== 4 || req.method !== 'GET') {
        res.writeHead(parts[0] && ['exec', 'attach', 'portForward', 'run'].includes(parts[0]) ? 501 : 404).end();
        return;
      }
      const slot = source.findContainer(parts[1]!, parts[2]!, parts[3]!);
      if (!slot) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`container ${parts[3]} of pod ${parts[1]}/${parts[2]} not found`);
        return;
      }
      const num = (k: string) => (url.searchParams.has(k) ? Number(url.searchParams.get(k)) : undefined);
      const sinceSeconds = num('sinceSeconds');
      const sinceTime = url.searchParams.get('sinceTime');
      serveLogs(slot, url.searchParams.get('previous') === 'true', {
        follow: url.searchParams.get('follow') === 'true',
        timestamps: url.searchParams.get('timestamps') === 'true',
        tailLines: num('tailLines'),
        limitBytes: num('limitBytes'),
        sinceMs: sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : undefined,
      }, res);
    },
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
