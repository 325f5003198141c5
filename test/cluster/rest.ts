/**
 * A small JSON client for the Kubernetes API used by the harness and the cluster tests.
 *
 * The harness needs only a handful of verbs (get, create, patch, delete, status writes and
 * watches), and it must see the apiserver's answers exactly as sent — status codes, `Status`
 * bodies, `410 Gone` on watches — so it speaks HTTP itself instead of going through a typed
 * client. One keep-alive agent carries the CA and the bearer token.
 */
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';

export interface Connection {
  server: string; // https://127.0.0.1:PORT
  caPem: string;
  token: string;
}

/** A non-2xx answer; `status` is the apiserver's Status object when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
    readonly status: { message?: string; reason?: string } | undefined,
    method: string,
    path: string,
  ) {
    super(`${method} ${path}: ${code} ${status?.message ?? body.slice(0, 300)}`);
  }
}

export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: T };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export class Rest {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(readonly conn: Connection) {
    this.base = new URL(conn.server);
    this.agent = new Agent({ keepAlive: true, ca: conn.caPem, maxSockets: 32 });
  }

  private open(method: string, path: string, body?: string, contentType?: string, signal?: AbortSignal) {
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          signal,
          headers: {
            authorization: `Bearer ${this.conn.token}`,
            accept: 'application/json',
            // An explicit length: a chunked DELETE body is not read by the apiserver, and its
            // leftover bytes then break the next request on the same keep-alive socket.
            ...(body !== undefined
              ? { 'content-type': contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) }
              : {}),
          },
        },
        resolve,
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Any verb; resolves to the parsed body, throws ApiError on a non-2xx answer. */
  async request<T = Obj>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await this.open(method, path, payload, contentType);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const code = res.statusCode ?? 0;
    if (code < 200 || code >= 300) {
      let status: ApiError['status'];
      try {
        status = JSON.parse(text) as ApiError['status'];
      } catch {
        status = undefined;
      }
      throw new ApiError(code, text, status, method, path);
    }
    const type = String(res.headers['content-type'] ?? '');
    return (type.includes('json') && text ? JSON.parse(text) : text) as T;
  }

  get<T = Obj>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** GET that answers undefined for 404. */
  async find<T = Obj>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return undefined;
      throw e;
    }
  }

  create<T = Obj>(path: string, obj: unknown): Promise<T> {
    return this.request<T>('POST', path, obj);
  }

  mergePatch<T = Obj>(path: string, patch: unknown): Promise<T> {
    return this.request<T>('PATCH', path, patch, 'application/merge-patch+json');
  }

  delete<T = Obj>(path: string, options?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /**
   * Streams a watch. Resolves when the server ends the stream or `signal` aborts; events go to
   * `onEvent` in order. A `410 Gone` arrives as an ERROR event, as the apiserver sends it.
   */
  async watch<T = Obj>(path: string, onEvent: (e: WatchEvent<T>) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
    const sep = path.includes('?') ? '&' : '?';
    let res: IncomingMessage;
    try {
      res = await this.open('GET', `${path}${sep}watch=true&allowWatchBookmarks=true`, undefined, undefined, signal);
    } catch (e) {
      if (signal?.aborted) return;
      throw e;
    }
    if (res.statusCode !== 200) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw new ApiError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), undefined, 'WATCH', path);
    }
    let buf = '';
    try {
      for await (const chunk of res) {
        buf += (chunk as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) await onEvent(JSON.parse(line) as WatchEvent<T>);
        }
      }
    } catch (e) {
      if (!signal?.aborted) throw e;
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
