import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, connect as tcpConnect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { recordChild } from './children.js'
import { waitFor } from './clients.js'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
export const NGINX_SITE = join(ROOT, 'deploy/nginx/rancang.conf')
export const NGINX_LOCATIONS = join(ROOT, 'deploy/nginx/rancang-locations.conf')
/** Debian's nginx (installed by scripts/ensure-tools.mjs, as Chromium is). */
export const NGINX = '/usr/sbin/nginx'

export interface TestNginx {
  /** `https://127.0.0.1:<port>` */
  readonly url: string
  /** `http://127.0.0.1:<port>`: the plain-HTTP server, which redirects. */
  readonly httpUrl: string
  /** `wss://127.0.0.1:<port>/collab`, as `serverUrl` for y-websocket. */
  readonly wsUrl: string
  readonly httpsPort: number
  /** The throwaway self-signed certificate (for 127.0.0.1) to trust. */
  readonly ca: string
  readonly dir: string
  accessLog(): Promise<string>
  /** Stops nginx (by its PID) and deletes its directory. */
  stop(): Promise<void>
}

/** A port nothing listens on right now, on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A self-signed certificate for the IP address 127.0.0.1, valid one day. */
async function makeCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
  ]) // prettier-ignore
  return { cert, key }
}

/**
 * The shipped site (deploy/nginx/rancang.conf, which includes rancang-locations.conf) with only what
 * a test must change replaced: ports on 127.0.0.1, the certificate, log files and the include path.
 * Each replacement must find its text, so the test follows the real file or fails.
 */
export function testSite(
  site: string,
  values: { upstreamPort: number; httpPort: number; httpsPort: number; cert: string; key: string; dir: string },
) {
  const replacements: Array<[string, string]> = [
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${values.upstreamPort};`],
    ['listen 80;', `listen 127.0.0.1:${values.httpPort};`],
    ['listen [::]:80;', ''],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${values.httpsPort} ssl http2;`],
    ['listen [::]:443 ssl http2;', ''],
    ['/etc/ssl/rancang/fullchain.pem', values.cert],
    ['/etc/ssl/rancang/privkey.pem', values.key],
    ['/var/log/nginx/rancang.access.log', join(values.dir, 'access.log')],
    ['/var/log/nginx/rancang.error.log', join(values.dir, 'error.log')],
    ['/etc/nginx/snippets/rancang-locations.conf', NGINX_LOCATIONS],
  ]
  let out = site
  for (const [from, to] of replacements) {
    if (!out.includes(from)) throw new Error(`deploy/nginx/rancang.conf no longer contains "${from}"; update test/harness/nginx.ts`)
    out = out.replaceAll(from, to)
  }
  return out
}

/** The main nginx.conf around the site: in the foreground, everything in `dir`. */
function mainConfig(dir: string): string {
  // As root, nginx would hand the workers to "nobody", who cannot use the test's private directory.
  const user = process.getuid?.() === 0 ? 'user root;' : ''
  return `daemon off;
${user}
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'site.conf')};
}
`
}

/** Writes the test configuration into a new directory; `nginx -t` has to accept it. */
export async function prepareNginx(upstreamPort: number) {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: run "node scripts/ensure-tools.mjs" (as root) or "apt-get install -y nginx-light"`)
  const dir = await mkdtemp(join(tmpdir(), 'rancang-nginx-'))
  const { cert, key } = await makeCertificate(dir)
  const [httpPort, httpsPort] = [await freePort(), await freePort()]
  const site = testSite(await readFile(NGINX_SITE, 'utf8'), { upstreamPort, httpPort, httpsPort, cert, key, dir })
  await writeFile(join(dir, 'site.conf'), site)
  await writeFile(join(dir, 'nginx.conf'), mainConfig(dir))
  const args = ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')]
  return { dir, cert, httpPort, httpsPort, args }
}

/** `nginx -t` on the prepared configuration: its output (nginx writes it to stderr). */
export async function checkNginx(args: readonly string[]): Promise<string> {
  const { stderr } = await run(NGINX, ['-t', ...args])
  return stderr
}

/** Starts Debian's nginx in the foreground with the shipped site in front of `upstreamPort`. */
export async function startNginx(upstreamPort: number): Promise<TestNginx> {
  const { dir, cert, httpPort, httpsPort, args } = await prepareNginx(upstreamPort)
  const child: ChildProcess = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  // SIGTERM is nginx's fast shutdown, workers included (a SIGKILLed master would leave them serving).
  recordChild(child, { signal: 'SIGTERM', paths: [dir] })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let gone = false
  void exited.then(() => (gone = true))
  await waitFor(async () => {
    if (gone) throw new Error(`nginx exited at start:\n${stderr}${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`)
    return listening(httpsPort)
  }, 'nginx to listen')
  return {
    url: `https://127.0.0.1:${httpsPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    wsUrl: `wss://127.0.0.1:${httpsPort}/collab`,
    httpsPort,
    ca: await readFile(cert, 'utf8'),
    dir,
    accessLog: () => readFile(join(dir, 'access.log'), 'utf8'),
    async stop() {
      if (!gone && child.pid !== undefined) {
        // SIGQUIT: the master lets its worker finish, then exits.
        process.kill(child.pid, 'SIGQUIT')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
