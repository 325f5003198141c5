/**
 * The cluster's certificates and keys, made with the openssl CLI (no hand-written crypto).
 *
 * One self-made CA signs: the apiserver's serving certificate, the client certificate the
 * apiserver presents to kubelets (for `pods/log`), and the process-kubelet's serving
 * certificate. A separate RSA key pair signs and verifies service-account tokens. Everything is
 * valid for loopback only, lives under the cluster's tmpfs state directory and dies with it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  /** Presented by the apiserver when it calls a kubelet (logs). */
  kubeletClientCert: string;
  kubeletClientKey: string;
  /** Served by the process-kubelet on its port. */
  kubeletServingCert: string;
  kubeletServingKey: string;
  saKey: string;
  saPub: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Signs a new key's certificate with the CA; `san` is an openssl subjectAltName value. */
function issue(dir: string, name: string, subject: string, usage: 'server' | 'client', san?: string): void {
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  const ext = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    ...(san ? [`subjectAltName=${san}`] : []),
  ];
  writeFileSync(join(dir, `${name}.ext`), ext.join('\n') + '\n');
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '30', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`],
    dir,
  );
}

export function createPki(dir: string, serviceIp: string): Pki {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-days', '30', '-subj', '/CN=kubetune-test-ca', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'], dir);
  issue(dir, 'apiserver', '/CN=kube-apiserver', 'server',
    `IP:127.0.0.1,IP:${serviceIp},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,` +
      'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local');
  // O=system:masters is what kubeadm gives this identity; the process-kubelet only checks the CA.
  issue(dir, 'apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', 'client');
  issue(dir, 'kubelet', '/CN=process-kubelet', 'server', 'IP:127.0.0.1,DNS:localhost');
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const p = (f: string) => join(dir, f);
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    kubeletClientCert: p('apiserver-kubelet-client.crt'),
    kubeletClientKey: p('apiserver-kubelet-client.key'),
    kubeletServingCert: p('kubelet.crt'),
    kubeletServingKey: p('kubelet.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
}

export function readPem(path: string): string {
  return readFileSync(path, 'utf8');
}
