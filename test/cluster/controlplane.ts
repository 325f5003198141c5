/**
 * Starts and stops the real control plane: etcd, kube-apiserver, kube-controller-manager and
 * kube-scheduler, each a process group of its own, on free loopback ports, with state on tmpfs.
 *
 * Authentication: a static token file holds an admin token (group system:masters) and one token
 * each for the controller manager and the scheduler, under the user names the bootstrap RBAC
 * policy already grants their rights to. Authorization is Node,RBAC; PodSecurity admission is
 * on (it is in the default plugin set; we list it anyway so the intent is visible). Service
 * account tokens are signed with the cluster's own key, so `TokenRequest` works for tests.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { binaryPath } from './binaries.js';
import { createPki, type Pki } from './pki.js';
import { GroupProcess } from './processes.js';
import { Rest } from './rest.js';
import { freePort, waitFor } from './util.js';

export interface ControlPlaneOptions {
  /** State directory (certs, etcd data, logs, kubeconfig); on tmpfs for speed. */
  dir: string;
  /** Extra kube-apiserver flags, e.g. `--feature-gates=...`. */
  apiserverArgs?: string[];
  /** Limit for each component to become ready. */
  readyTimeoutMs?: number;
}

export interface ControlPlane {
  dir: string;
  server: string;
  apiserverPort: number;
  caPem: string;
  adminToken: string;
  kubeconfigPath: string;
  pki: Pki;
  logDir: string;
  stop(): Promise<void>;
}

const SERVICE_CIDR = '10.0.0.0/24';
const SERVICE_IP = '10.0.0.1'; // first address of SERVICE_CIDR: the `kubernetes` Service

function token(): string {
  return randomBytes(24).toString('hex');
}

export function kubeconfigYaml(server: string, caPem: string, user: string, tok: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: kubetune-test
  cluster:
    server: ${server}
    certificate-authority-data: ${ca}
users:
- name: ${user}
  user:
    token: ${tok}
contexts:
- name: kubetune-test
  context:
    cluster: kubetune-test
    user: ${user}
current-context: kubetune-test
`;
}

/** GET over HTTPS without verifying the peer: kcm and scheduler serve self-signed health. */
function healthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpsGet({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

function mustBeRunning(p: GroupProcess, name: string, log: string): () => void {
  return () => {
    if (!p.running) {
      const tail = readTail(log);
      throw new Error(`${name} exited before it was ready (${p.spawnError?.message ?? 'see log'}); ${log}:\n${tail}`);
    }
  };
}

function readTail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const { dir } = opts;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const logDir = join(dir, 'logs');
  const pkiDir = join(dir, 'pki');
  for (const d of [logDir, pkiDir, join(dir, 'etcd')]) mkdirSync(d, { recursive: true });
  const pki = createPki(pkiDir, SERVICE_IP);
  const caPem = readFileSync(pki.caCert, 'utf8');

  const [etcdPort, peerPort, apiPort, kcmPort, schedPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const tokens = { admin: token(), kcm: token(), scheduler: token() };
  writeFileSync(
    join(pkiDir, 'tokens.csv'),
    [
      `${tokens.admin},kubetune-admin,kubetune-admin,"system:masters"`,
      `${tokens.kcm},system:kube-controller-manager,system:kube-controller-manager`,
      `${tokens.scheduler},system:kube-scheduler,system:kube-scheduler`,
    ].join('\n') + '\n',
  );
  const server = `https://127.0.0.1:${apiPort}`;
  const kubeconfigPath = join(dir, 'admin.kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigYaml(server, caPem, 'kubetune-admin', tokens.admin));
  const kcmKubeconfig = join(dir, 'controller-manager.kubeconfig');
  writeFileSync(kcmKubeconfig, kubeconfigYaml(server, caPem, 'system:kube-controller-manager', tokens.kcm));
  const schedKubeconfig = join(dir, 'scheduler.kubeconfig');
  writeFileSync(schedKubeconfig, kubeconfigYaml(server, caPem, 'system:kube-scheduler', tokens.scheduler));

  const procs: GroupProcess[] = [];
  const stop = async () => {
    // Reverse order: clients first, etcd last, so nothing logs a storm of connection errors.
    for (const p of procs.reverse()) await p.stop(5000);
    procs.length = 0;
  };

  try {
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const etcdLog = join(logDir, 'etcd.log');
    const etcd = new GroupProcess(binaryPath('etcd'), [
      '--name=default',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--unsafe-no-fsync', // the data dir is tmpfs and dies with the run
      '--log-level=warn',
    ], { logFile: etcdLog });
    procs.push(etcd);

    const apiLog = join(logDir, 'kube-apiserver.log');
    const apiserver = new GroupProcess(binaryPath('kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${pki.apiserverCert}`,
      `--tls-private-key-file=${pki.apiserverKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${join(pkiDir, 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction,PodSecurity',
      '--allow-privileged=true', // so a privileged pod is refused by PodSecurity, not by this flag
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      `--kubelet-client-certificate=${pki.kubeletClientCert}`,
      `--kubelet-client-key=${pki.kubeletClientKey}`,
      `--kubelet-certificate-authority=${pki.caCert}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--profiling=false',
      '--v=1',
      ...(opts.apiserverArgs ?? []),
    ], { logFile: apiLog });
    procs.push(apiserver);

    const rest = new Rest({ server, caPem, token: tokens.admin });
    try {
      await waitFor('kube-apiserver /readyz', async () => (await rest.get<string>('/readyz')) === 'ok', {
        timeoutMs: readyTimeoutMs,
        check: () => {
          mustBeRunning(etcd, 'etcd', etcdLog)();
          mustBeRunning(apiserver, 'kube-apiserver', apiLog)();
        },
      });

      const kcmLog = join(logDir, 'kube-controller-manager.log');
      const kcm = new GroupProcess(binaryPath('kube-controller-manager'), [
        `--kubeconfig=${kcmKubeconfig}`,
        `--authentication-kubeconfig=${kcmKubeconfig}`,
        `--authorization-kubeconfig=${kcmKubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${kcmPort}`,
        `--cert-dir=${join(dir, 'kcm-certs')}`,
        '--leader-elect=false',
        '--controllers=*', // every default controller: job, garbagecollector, namespace, serviceaccount-token, nodelifecycle...
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pki.saKey}`,
        `--root-ca-file=${pki.caCert}`,
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--v=1',
      ], { logFile: kcmLog });
      procs.push(kcm);

      const schedLog = join(logDir, 'kube-scheduler.log');
      const scheduler = new GroupProcess(binaryPath('kube-scheduler'), [
        `--kubeconfig=${schedKubeconfig}`,
        `--authentication-kubeconfig=${schedKubeconfig}`,
        `--authorization-kubeconfig=${schedKubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${schedPort}`,
        `--cert-dir=${join(dir, 'scheduler-certs')}`,
        '--leader-elect=false',
        '--v=1',
      ], { logFile: schedLog });
      procs.push(scheduler);

      await Promise.all([
        waitFor('kube-controller-manager /healthz', () => healthz(kcmPort), {
          timeoutMs: readyTimeoutMs,
          check: mustBeRunning(kcm, 'kube-controller-manager', kcmLog),
        }),
        waitFor('kube-scheduler /healthz', () => healthz(schedPort), {
          timeoutMs: readyTimeoutMs,
          check: mustBeRunning(scheduler, 'kube-scheduler', schedLog),
        }),
        // The serviceaccount controller has run once the default namespace has its account;
        // before that, pods are refused by the ServiceAccount admission plugin.
        waitFor('ServiceAccount default/default', () => rest.find('/api/v1/namespaces/default/serviceaccounts/default'), {
          timeoutMs: readyTimeoutMs,
          check: mustBeRunning(kcm, 'kube-controller-manager', kcmLog),
        }),
      ]);
    } finally {
      rest.close();
    }
  } catch (e) {
    await stop();
    throw e;
  }

  return { dir, server, apiserverPort: apiPort, caPem, adminToken: tokens.admin, kubeconfigPath, pki, logDir, stop };
}
