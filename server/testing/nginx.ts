import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './freePort';
import { waitFor } from './wait';

/** The nginx configuration docs/deploy.md describes; the tests run this very file. */
export const NGINX_TEMPLATE = path.resolve(__dirname, '..', '..', 'deploy', 'nginx.conf.template');

/** The variables the template names (filled by envsubst in production). */
export interface NginxTemplateValues {
  THREADLINE_LISTEN: string;
  THREADLINE_SERVER_NAME: string;
  /** `server host:port …;` lines of the upstream. */
  THREADLINE_NODES: string;
  /** TLS directives (or an include of them); empty for plain HTTP. */
  THREADLINE_TLS: string;
  /** Where nginx keeps the reader pages it caches (proxy_cache_path). */
  THREADLINE_CACHE_DIR: string;
}

/** The template with its `${THREADLINE_*}` variables filled in, as `envsubst '${THREADLINE_LISTEN} …'` would. */
function renderNginxTemplate(values: NginxTemplateValues): string {
  const template = fs.readFileSync(NGINX_TEMPLATE, 'utf8');
  const rendered = template.replace(/\$\{(THREADLINE_[A-Z_]+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`${NGINX_TEMPLATE} uses \${${name}}, which the tests do not fill in`);
    return values[name as keyof NginxTemplateValues];
  });
  return rendered;
}

/** Where Debian's package puts nginx (NGINX_PATH overrides). A clear failure, never a skip, when it is missing. */
export function findNginx(): string {
  const candidates = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      `nginx is not installed (looked at ${candidates.join(', ')}). The deployment tests run a real nginx in front of two nodes: ` +
        'install Debian\'s package (apt-get install -y nginx; `npm test` does when run as root), or set NGINX_PATH.',
    );
  }
  return found;
}


export interface NginxProcess {
  /** `http(s)://127.0.0.1:<port>`: the one public address in front of the nodes. */
  url: string;
  /** With TLS: the self-signed certificate (PEM) clients must trust. */
  ca: string | undefined;
  child: ChildProcess;
  /** nginx's error log so far (for failure messages). */
  errorLog(): string;
  /** Stops nginx (fast shutdown) and removes its temporary prefix. */
  stop(): Promise<void>;
}

/**
 * nginx as a foreground child process with a prefix, configuration and logs in
 * a temporary directory of its own (no /etc/nginx, no system service), serving
 * deploy/nginx.conf.template in front of `nodes` (`http://host:port` each).
 * Resolves once a request through it reaches a node (`/healthz`).
 */
export async function startNginx(options: { nodes: string[]; tls?: boolean }): Promise<NginxProcess> {
  const binary = findNginx();
  // Another process may take the port between our check and nginx's bind: try again with another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, options.nodes, await freePort(), options.tls ?? false);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortTakenError)) throw err;
    }
  }
}

class PortTakenError extends Error {}

/** A self-signed certificate for 127.0.0.1 (openssl), as `certificate.pem` and `key.pem` in `dir`. */
function selfSignedCertificate(dir: string): { certificate: string; key: string } {
  const certificate = path.join(dir, 'certificate.pem');
  const key = path.join(dir, 'key.pem');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'];
  const result = spawnSync('openssl', [...args, '-keyout', key, '-out', certificate, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl could not make a test certificate (${result.error?.message ?? result.stderr})`);
  return { certificate, key };
}

/** GET `url`, trusting `ca` over TLS; the status, or undefined when nothing answered. */
function probe(url: string, ca: string | undefined): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = (url.startsWith('https:') ? https : http).get(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
  });
}

async function startOnce(binary: string, nodes: string[], port: number, tls: boolean): Promise<NginxProcess> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-nginx-'));
  // As root, nginx's workers run as `nobody`: they must be able to enter the prefix (nginx makes its temp dirs theirs).
  fs.chmodSync(prefix, 0o755);
  const errorLogPath = path.join(prefix, 'error.log');
  const pem = tls ? selfSignedCertificate(prefix) : undefined;
  const site = renderNginxTemplate({
    THREADLINE_LISTEN: `127.0.0.1:${port}${tls ? ' ssl' : ''}`,
    THREADLINE_SERVER_NAME: '127.0.0.1 localhost',
    THREADLINE_NODES: nodes.map((url) => `server ${new URL(url).host} max_fails=2 fail_timeout=10s;`).join('\n    '),
    // What docs/deploy.md's TLS snippet holds.
    THREADLINE_TLS: pem ? `ssl_certificate ${pem.certificate}; ssl_certificate_key ${pem.key}; ssl_protocols TLSv1.2 TLSv1.3;` : '',
    THREADLINE_CACHE_DIR: path.join(prefix, 'page_cache'),
  });
  const ca = pem ? fs.readFileSync(pem.certificate, 'utf8') : undefined;
  fs.writeFileSync(path.join(prefix, 'threadline.conf'), site);
  // The main configuration Debian's /etc/nginx/nginx.conf would be, reduced to what the site needs.
  const main = [
    'worker_processes 1;',
    `error_log ${errorLogPath} info;`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${path.join(prefix, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${path.join(prefix, `${kind}_temp`)};`),
    `  include ${path.join(prefix, 'threadline.conf')};`,
    '}',
    '',
  ].join('\n');
  const confPath = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(confPath, main);

  const child = spawn(binary, ['-p', prefix, '-c', confPath, '-e', errorLogPath, '-g', `daemon off; pid ${path.join(prefix, 'nginx.pid')};`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      output += `cannot run ${binary}: ${err.message}\n`;
      resolve(127);
    });
  });
  const errorLog = () => (fs.existsSync(errorLogPath) ? fs.readFileSync(errorLogPath, 'utf8') : '');
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(prefix, { recursive: true, force: true });
  };

  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const outcome = await waitFor(
    'nginx to pass a request to a node',
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) return 'exited';
      return (await probe(`${url}/healthz`, ca)) === 200 && 'serving';
    },
    { timeoutMs: 15_000, intervalMs: 25 },
  ).catch(async (err: unknown) => {
    const log = errorLog();
    await stop();
    throw new Error(`${(err as Error).message}\nnginx's error log:\n${log}`);
  });
  if (outcome === 'exited') {
    const why = `${output}${errorLog()}`;
    await stop();
    if (/Address already in use/.test(why)) throw new PortTakenError(why);
    throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}) before serving:\n${why}`);
  }
  return { url, ca, child, errorLog, stop };
}
