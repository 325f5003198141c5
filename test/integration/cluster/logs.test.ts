// `kubectl logs` and the `pods/log` API reach a running pod's output through the real
// apiserver, which proxies to the process-kubelet's HTTPS port with its kubelet client cert.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ApiError, clusterOrSkip, nodeScriptPod, testNamespace, waitFor, waitForPod } from '../../cluster/testing.js';

const run = promisify(execFile);

test('kubectl logs returns a running pod\'s output', async (t) => {
  const c = await clusterOrSkip(t);
  if (!c) return;
  const ns = await testNamespace(t, c, 'logs');
  const rest = c.rest();
  t.after(() => rest.close());
  const script = `let i = 0; console.log('hello from ' + process.env.HOSTNAME); setInterval(() => console.log('line ' + i++), 100);
process.on('SIGTERM', () => { console.log('stopping'); process.exit(0); });`;
  await rest.create(`/api/v1/namespaces/${ns}/pods`, nodeScriptPod('talker', script));
  await waitForPod(rest, ns, 'talker', 'Running', (p) => p.status?.phase === 'Running');

  const kubectl = (...args: string[]) => run(c.kubectl, ['--kubeconfig', c.kubeconfigPath, '-n', ns, ...args]);
  const out = await waitFor('kubectl logs shows line 3', async () => {
    const { stdout } = await kubectl('logs', 'talker');
    return stdout.includes('line 3\n') ? stdout : undefined;
  });
  assert.ok(out.startsWith('hello from talker\nline 0\nline 1\n'), out.slice(0, 200));

  const tail = await rest.get<string>(`/api/v1/namespaces/${ns}/pods/talker/log?tailLines=2`);
  assert.match(tail, /^line \d+\nline \d+\n$/);
  const stamped = await rest.get<string>(`/api/v1/namespaces/${ns}/pods/talker/log?tailLines=1&timestamps=true`);
  assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line \d+\n$/);
  const limited = await rest.get<string>(`/api/v1/namespaces/${ns}/pods/talker/log?limitBytes=5`);
  assert.equal(limited, 'hello');

  // What the apiserver answers for a container the pod does not have.
  const missing = await rest.get(`/api/v1/namespaces/${ns}/pods/talker/log?container=nope`).catch((e: ApiError) => e);
  assert.ok(missing instanceof ApiError);
  assert.equal(missing.code, 400);
  assert.match(missing.status!.message!, /container nope is not valid for pod talker/);

  // A follow stream ends when the container does: delete the pod while following.
  const follow = spawn(c.kubectl, ['--kubeconfig', c.kubeconfigPath, '-n', ns, 'logs', '-f', 'talker']);
  let followed = '';
  follow.stdout.setEncoding('utf8').on('data', (d: string) => (followed += d));
  const ended = once(follow, 'exit');
  await waitFor('kubectl logs -f streaming', () => followed.includes('line '));
  await rest.delete(`/api/v1/namespaces/${ns}/pods/talker`);
  const [code] = await ended;
  assert.equal(code, 0);
  assert.match(followed, /line \d+\nstopping\n$/);
});
