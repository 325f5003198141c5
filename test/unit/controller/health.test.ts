import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseBindAddress, serveEndpoints } from '../../../operator/controller/health.js';

describe('parseBindAddress', () => {
  it('reads controller-runtime style addresses; 0 turns a server off', () => {
    assert.deepEqual(parseBindAddress(':8080'), { host: undefined, port: 8080 });
    assert.deepEqual(parseBindAddress('127.0.0.1:9'), { host: '127.0.0.1', port: 9 });
    assert.deepEqual(parseBindAddress('[::1]:8081'), { host: '::1', port: 8081 });
    assert.deepEqual(parseBindAddress('8081'), { host: undefined, port: 8081 });
    assert.equal(parseBindAddress('0'), undefined);
    assert.throws(() => parseBindAddress('localhost'), /not \[host\]:port/);
    assert.throws(() => parseBindAddress(':70000'), /out of range/);
  });
});

describe('serveEndpoints', () => {
  it('answers /healthz, /readyz (503 until ready) and /metrics on one address', async () => {
    let ready = false;
    const servers = await serveEndpoints('127.0.0.1:0', '127.0.0.1:0', {
      alive: () => true,
      ready: () => ({ ok: ready, detail: ready ? 'ok (leader)' : 'caches syncing' }),
      metrics: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'kubetune_leader 1\n' }),
    });
    try {
      assert.equal(servers.length, 1);
      const base = `http://${servers[0]!.address}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const before = await fetch(`${base}/readyz`);
      assert.equal(before.status, 503);
      assert.equal(await before.text(), 'caches syncing\n');
      ready = true;
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      assert.equal(await (await fetch(`${base}/metrics`)).text(), 'kubetune_leader 1\n');
      assert.equal((await fetch(`${base}/other`)).status, 404);
      assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 405);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('serves metrics and probes apart when the addresses differ, and neither when turned off', async () => {
    const sources = { alive: () => true, ready: () => ({ ok: true, detail: 'ok' }), metrics: async () => ({ contentType: 'text/plain', body: '' }) };
    const two = await serveEndpoints('127.0.0.1:0', '127.0.0.2:0', sources);
    try {
      assert.deepEqual(two.map((s) => s.endpoints), [['metrics'], ['healthz', 'readyz']]);
      assert.equal((await fetch(`http://${two[0]!.address}/healthz`)).status, 404);
    } finally {
      await Promise.all(two.map((s) => s.close()));
    }
    assert.deepEqual(await serveEndpoints('0', '0', sources), []);
  });
});
