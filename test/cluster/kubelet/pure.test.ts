// The process-kubelet's pure pieces: Kubernetes' $(VAR) expansion, downward-API values,
// quantities, the command/args rules over the image table, and mount-path mapping.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expand, fieldValue, parseQuantity, resourceValue } from './downward.js';
import { containerArgv, lookupImage, type ImageRule } from './images.js';
import { containerPathMap, mapPaths } from './volumes.js';
import { type EnvContext, resolveArgv } from './env.js';

describe('expand', () => {
  test('replaces known $(VAR), keeps unknown references, and reads $$ as a literal $', () => {
    const vars = { A: 'x', B: '$(A)' };
    assert.equal(expand('$(A)/$(B)/$(C)', vars), 'x/$(A)/$(C)');
    assert.equal(expand('$$(A) costs $$5', vars), '$(A) costs $5');
  });
});

describe('fieldValue', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'n', uid: 'u', labels: { b: '2', a: 'x"y' }, annotations: { 'batch.kubernetes.io/job-completion-index': '3' } },
    spec: { nodeName: 'node-0' },
  };
  test('gives single labels and annotations, and whole maps in the volume-file format', () => {
    assert.equal(fieldValue(pod, "metadata.annotations['batch.kubernetes.io/job-completion-index']", '127.0.0.1'), '3');
    assert.equal(fieldValue(pod, "metadata.labels['missing']", '127.0.0.1'), '');
    assert.equal(fieldValue(pod, 'metadata.labels', '127.0.0.1'), 'a="x\\"y"\nb="2"');
    assert.equal(fieldValue(pod, 'status.podIP', '127.0.0.1'), '127.0.0.1');
  });
  test('refuses a path the apiserver would not have accepted', () => {
    assert.throws(() => fieldValue(pod, 'spec.containers', '127.0.0.1'), /unsupported fieldRef/);
  });
});

describe('quantities', () => {
  test('parse decimal and binary suffixes', () => {
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('1Gi'), 2 ** 30);
    assert.equal(parseQuantity('2k'), 2000);
    assert.throws(() => parseQuantity('1 GB'), /bad quantity/);
  });
  test('resourceFieldRef rounds up, treats divisor "0" as 1, and falls back to allocatable', () => {
    const c = { resources: { limits: { cpu: '1500m', memory: '1Gi' } } };
    assert.equal(resourceValue(c, 'limits.cpu', '0', {}), '2');
    assert.equal(resourceValue(c, 'limits.memory', '1Mi', {}), '1024');
    assert.equal(resourceValue({}, 'limits.cpu', undefined, { cpu: '8' }), '8');
  });
});

describe('image table', () => {
  const rules: ImageRule[] = [{ pattern: 'ghcr.io/acme/train:*', entry: { entrypoint: ['python3', 'train.py'], cmd: ['--epochs', '1'] } }];
  test('command replaces the entrypoint, args replace the default arguments', () => {
    const e = lookupImage(rules, 'ghcr.io/acme/train:v2');
    assert.deepEqual(containerArgv(e, undefined, undefined), ['python3', 'train.py', '--epochs', '1']);
    assert.deepEqual(containerArgv(e, undefined, ['--epochs', '5']), ['python3', 'train.py', '--epochs', '5']);
    assert.deepEqual(containerArgv(e, ['python3', '-c', 'pass'], undefined), ['python3', '-c', 'pass']);
  });
  test('an unknown image runs its command as given (args alone, as with no ENTRYPOINT), else nothing', () => {
    const e = lookupImage(rules, 'busybox:1.36');
    assert.deepEqual(containerArgv(e, ['sleep', '1'], undefined), ['sleep', '1']);
    assert.deepEqual(containerArgv(e, undefined, ['sleep', '1']), ['sleep', '1']);
    assert.equal(containerArgv(e, undefined, undefined), undefined);
  });
  test('`node` means the node running the kubelet', () => {
    assert.equal(containerArgv({}, ['node', '-v'], undefined)![0], process.execPath);
  });
});

describe('mapPaths', () => {
  const container = {
    volumeMounts: [
      { name: 'params', mountPath: '/etc/kubetune' },
      { name: 'params', mountPath: '/etc/kubetune/extra/', subPath: 'more' },
      { name: 'dev', mountPath: '/dev' },
    ],
  };
  const map = containerPathMap(container, new Map([['params', '/host/params'], ['dev', '/dev/shm/x']]));
  test('rewrites a mount path where a path starts, longest mount first, each place once', () => {
    assert.equal(mapPaths('/etc/kubetune/params.json', map), '/host/params/params.json');
    assert.equal(mapPaths('--params=/etc/kubetune/extra/p.json', map), '--params=/host/params/more/p.json');
    assert.equal(mapPaths('/dev/termination-log', map), '/dev/shm/x/termination-log');
    assert.equal(mapPaths('a:/etc/kubetune,/etc/kubetune', map), 'a:/host/params,/host/params');
  });
  test('leaves look-alikes and paths inside other words alone', () => {
    assert.equal(mapPaths('/etc/kubetunes/x', map), '/etc/kubetunes/x');
    assert.equal(mapPaths('/opt/etc/kubetune', map), '/opt/etc/kubetune');
    assert.equal(mapPaths("'/etc/kubetune'", map), "'/etc/kubetune'");
  });
});

describe('resolveArgv', () => {
  test('maps volume paths in the pod spec\'s args, never in the image table\'s entrypoint', () => {
    // A repository checked out under /tmp, and a pod with an emptyDir at /tmp.
    const ctx = {
      image: { entrypoint: ['/usr/bin/node', '/tmp/repo/trainer/main.ts'] },
      container: { name: 'c', args: ['--out', '/tmp/out', '$(MODE)'] },
      paths: [['/tmp', '/host/pod/tmp']],
    } as unknown as EnvContext;
    assert.deepEqual(resolveArgv(ctx, { MODE: 'fast' }), ['/usr/bin/node', '/tmp/repo/trainer/main.ts', '--out', '/host/pod/tmp/out', 'fast']);
    const withCommand = { ...ctx, container: { name: 'c', command: ['/tmp/bin/run'], args: ['/tmp/x'] } } as unknown as EnvContext;
    assert.deepEqual(resolveArgv(withCommand, {}), ['/host/pod/tmp/bin/run', '/host/pod/tmp/x']);
  });
});
