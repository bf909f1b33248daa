import { spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { seedFloor } from './floorServer.js'
import { sleep } from './stats.js'

const ROOT = resolve(import.meta.dirname, '..')
const OURS_MAIN = join(ROOT, 'dist/server/main.js')
const BASELINE_MAIN = join(ROOT, 'node_modules/@y/websocket-server/src/server.js')
const FLOOR_MAIN = join(ROOT, 'bench/floorServer.ts')
const HOST = '127.0.0.1'

/**
 * What each server's main module imports, without running it: our `main.js` imports these and
 * starts the server; the stock `server.js` imports these (its `utils.js` opens LevelDB only when
 * YPERSISTENCE is set) and listens.
 */
export const SERVER_MODULES: Readonly<Record<'ours' | 'baseline', readonly string[]>> = {
  ours: ['dist/server/config.js', 'dist/server/app.js', 'dist/server/log.js'].map((path) => join(ROOT, path)),
  baseline: ['ws', 'node:http', 'lib0/number', join(ROOT, 'node_modules/@y/websocket-server/src/utils.js')],
}

export type ServerKind = 'ours' | 'baseline'
/** Any server the bench starts: the two columns, and the floor (bench/floorServer.ts) some rows compare ours with. */
export type ServerName = ServerKind | 'floor'
export const SERVER_KINDS: readonly ServerKind[] = ['ours', 'baseline']

/**
 * Limits raised so the load itself is not refused: all bench sockets come from one address and
 * the throughput writers send far above a person's typing rate.
 */
export const OURS_ENV: Readonly<Record<string, string>> = {
  LOG_LEVEL: 'warn',
  MAX_CONNECTIONS_PER_ADDRESS: '5000',
  MAX_MESSAGES_PER_SECOND: '1000000',
  MAX_BYTES_PER_SECOND: '1073741824',
}

/**
 * For the scenarios that measure a document after it unloads (memory, crowd join): 1 s instead of
 * the default 10 s. The others run with the default, as deployed: a room stays loaded while people
 * reconnect or the next group joins.
 */
export const UNLOAD_PROMPTLY: Readonly<Record<string, string>> = { ROOM_IDLE_MS: '1000' }

export interface StartOptions {
  /** Reuse this data directory (a restart or a copied snapshot) instead of a fresh one. */
  readonly dataDir?: string
  /** Extra node flags for our server, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[]
  /** Our server only: a token still valid for `dataDir` (its admin password is printed only once). */
  readonly token?: string
  /** Our server only: settings on top of OURS_ENV (e.g. SCHEMA_FIREWALL=false for the firewall's cost). */
  readonly env?: Readonly<Record<string, string>>
  /** Our server only: another build's `server/main.js`, to compare two builds in one run. */
  readonly main?: string
}

const live = new Set<BenchServer<ServerName>>()
const tempDirs = new Set<string>()
const disposers = new Set<() => Promise<void>>()

/**
 * Registers something else the bench started (a PostgreSQL) to stop in `cleanup`, after the
 * servers using it; returns the function that unregisters it once it was stopped normally.
 */
export function atCleanup(dispose: () => Promise<void>): () => void {
  disposers.add(dispose)
  return () => disposers.delete(dispose)
}

/** A fresh temporary directory, removed by `cleanup` if the bench stops early. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `rancang-bench-${prefix}-`))
  tempDirs.add(dir)
  return dir
}

export async function removeDir(dir: string) {
  await rm(dir, { recursive: true, force: true })
  tempDirs.delete(dir)
}

/** Copies a stopped server's data directory (to restart from the same state more than once). */
export async function copyDir(dir: string, prefix: string): Promise<string> {
  const copy = await tempDir(prefix)
  await cp(dir, copy, { recursive: true })
  return copy
}

/** CPU time the whole machine spent busy so far (all cores, clock ticks): to tell how much others used. */
export function machineBusyTicks(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  return user! + nice! + system! + irq! + softirq! + steal!
}

/**
 * CPU time process `pid` used so far (user + system, all threads), in clock ticks; with
 * `reaped`, also that of its children that exited and were waited for (PostgreSQL's backends).
 */
export function processCpuTicks(pid: number, reaped = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0)
}

/** Kills every server still running (by PID), stops what `atCleanup` registered, and deletes every temporary directory. */
export async function cleanup() {
  for (const server of live) server.process.kill('SIGKILL')
  live.clear()
  await Promise.all([...disposers].map((dispose) => dispose().catch(() => {})))
  disposers.clear()
  await Promise.all([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })))
  tempDirs.clear()
}

/** One server process under test, on 127.0.0.1. */
export class BenchServer<K extends ServerName = ServerKind> {
  readonly kind: K
  readonly process: ChildProcess
  readonly port: number
  readonly dataDir: string
  /** Our server: an admin token for the API and the WebSocket. */
  readonly token: string
  readonly #exited: Promise<void>

  constructor(kind: K, child: ChildProcess, port: number, dataDir: string, token: string, exited: Promise<void>) {
    this.kind = kind
    this.process = child
    this.port = port
    this.dataDir = dataDir
    this.token = token
    this.#exited = exited
    live.add(this)
  }

  get pid(): number {
    return this.process.pid!
  }

  get httpUrl(): string {
    return `http://${HOST}:${this.port}`
  }

  /** The WebSocket address of a document (our server: authenticated; the baseline: any room name). */
  docUrl(docId: string): string {
    return this.kind === 'ours'
      ? `ws://${HOST}:${this.port}/collab/${encodeURIComponent(docId)}?token=${encodeURIComponent(this.token)}`
      : `ws://${HOST}:${this.port}/${encodeURIComponent(docId)}`
  }

  /** Resident set size in KiB, from /proc/<pid>/status. */
  rssKb(): number {
    return readRssKb(this.pid)
  }

  /** CPU time used so far (user + system, all threads), in clock ticks. */
  cpuTicks(): number {
    return processCpuTicks(this.pid)
  }

  /**
   * Waits until the process has been nearly idle (under 10% of a core) for `quietMs`: background
   * work such as the baseline's one-by-one LevelDB writes or our compaction has finished.
   */
  async waitIdle(quietMs = 400, timeoutMs = 120_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    let last = this.cpuTicks()
    let quietSince = Date.now()
    while (Date.now() < deadline) {
      await sleep(200)
      const now = this.cpuTicks()
      if (now - last > 2) quietSince = Date.now()
      last = now
      if (Date.now() - quietSince >= quietMs) return true
    }
    return false
  }

  /** Our server: creates a draft from the template through the API; returns its id. */
  async createDocument(nama: string): Promise<string> {
    const response = await fetch(`${this.httpUrl}/api/docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ nama }),
    })
    if (response.status !== 201) throw new Error(`POST /api/docs: ${response.status} ${await response.text()}`)
    return ((await response.json()) as { id: string }).id
  }

  /** Our server: how many documents are loaded (GET /healthz). */
  async documentsOpen(): Promise<number> {
    const response = await fetch(`${this.httpUrl}/healthz`)
    return ((await response.json()) as { documentsOpen: number }).documentsOpen
  }

  /** SIGTERM and wait for the exit (our server stores and compacts first; the baseline just dies). */
  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGTERM')
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 30_000)
      await this.#exited
      clearTimeout(timer)
    }
    live.delete(this)
  }

  /** Stops the process and deletes its data directory. */
  async dispose(): Promise<void> {
    await this.stop()
    await removeDir(this.dataDir)
  }
}

/** Starts `dist/server/main.js` (the production build) with a temporary DATA_DIR on a free port. */
export async function startOurs(options: StartOptions = {}): Promise<BenchServer> {
  const dataDir = options.dataDir ?? (await tempDir('ours'))
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.main ?? OURS_MAIN], {
    cwd: ROOT,
    // options.env may set PORT (a cluster's servers need theirs known for NODE_URL) and DATABASE_URL.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...OURS_ENV, HOST, PORT: '0', DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const { stdout, exited } = watch(child)
  const match = await waitForOutput(child, stdout, /Rancang is running at http:\/\/[^:]+:(\d+)/, exited)
  const port = Number(match[1])
  let token = options.token
  if (!token) {
    const admin = /created account "(\S+)" with password (\S+)/.exec(stdout.text)
    if (!admin) throw new Error('our server did not print the generated admin account')
    token = await login(port, admin[1]!, admin[2]!)
  }
  return new BenchServer('ours', child, port, dataDir, token, exited)
}

/** Starts the stock `@y/websocket-server` with y-leveldb persistence (YPERSISTENCE) on a free port. */
export async function startBaseline(options: StartOptions = {}): Promise<BenchServer> {
  const dataDir = options.dataDir ?? (await tempDir('baseline'))
  const port = await freePort()
  const child = spawn(process.execPath, [BASELINE_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST, PORT: String(port), YPERSISTENCE: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const { stdout, exited } = watch(child)
  await waitForOutput(child, stdout, /running at/, exited)
  return new BenchServer('baseline', child, port, dataDir, '', exited)
}

/** Starts bench/floorServer.ts on a free port, on a fresh data directory holding `documents`. */
export async function startFloor(documents: ReadonlyArray<{ readonly name: string; readonly state: Uint8Array }>): Promise<BenchServer<'floor'>> {
  const dataDir = await tempDir('floor')
  await seedFloor(dataDir, documents)
  // execArgv carries tsx's loader, so the child runs the TypeScript file as the bench does.
  const child = spawn(process.execPath, [...process.execArgv, FLOOR_MAIN, dataDir], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const { stdout, exited } = watch(child)
  const match = await waitForOutput(child, stdout, /floor server on (\d+)/, exited)
  return new BenchServer('floor', child, Number(match[1]), dataDir, '', exited)
}

/**
 * The floor under any server's cold open: a bare WebSocket server (no storage engine, no protocol)
 * that reads `message` from its file the moment a client connects and sends it: reading the stored
 * bytes is the least any server does for a document it has not loaded, and on a virtual machine
 * whose page faults are slow the fresh memory they land in costs as much as sending them. A client
 * at `/warm-up` gets `warmUp` instead, as servers are warmed up with a small document.
 * Returns its URL and a stop function.
 */
export async function startBareSender(
  message: Uint8Array,
  warmUp: Uint8Array,
): Promise<{ url: string; warmUpUrl: string; stop: () => Promise<void> }> {
  const dir = await tempDir('bare')
  await writeFile(join(dir, 'message'), message)
  await writeFile(join(dir, 'warm-up'), warmUp)
  const script = [
    "import { WebSocketServer } from 'ws'",
    "import { readFileSync } from 'node:fs'",
    "import { join } from 'node:path'",
    `const wss = new WebSocketServer({ host: '${HOST}', port: 0, perMessageDeflate: false })`,
    "wss.on('listening', () => console.log('bare sender on ' + wss.address().port))",
    "wss.on('connection', (ws, request) => {",
    "  ws.on('message', () => {})",
    "  ws.send(readFileSync(join(process.env.BARE_DIR, request.url === '/warm-up' ? 'warm-up' : 'message')))",
    '})',
  ].join('\n')
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', BARE_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const { stdout, exited } = watch(child)
  const match = await waitForOutput(child, stdout, /bare sender on (\d+)/, exited)
  return {
    url: `ws://${HOST}:${match[1]}/`,
    warmUpUrl: `ws://${HOST}:${match[1]}/warm-up`,
    stop: async () => {
      child.kill('SIGKILL')
      await exited
      await removeDir(dir)
    },
  }
}

/**
 * A node process that only imports `modules` (resolved from the repository) and then waits: no
 * listener, no storage. With none, a bare node. The floor under a server's idle memory: what its
 * code costs before it does anything. Its `rssKb` reads VmRSS like `BenchServer.rssKb`.
 */
export async function startModulesOnly(modules: readonly string[]): Promise<{ rssKb: () => number; stop: () => Promise<void> }> {
  const script = [
    ...modules.map((module) => `await import(${JSON.stringify(module)})`),
    "console.log('imported')",
    'setInterval(() => {}, 1 << 30)',
  ].join('\n')
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const { stdout, exited } = watch(child)
  await waitForOutput(child, stdout, /imported/, exited)
  return {
    rssKb: () => readRssKb(child.pid!),
    stop: async () => {
      child.kill('SIGKILL')
      await exited
    },
  }
}

/** Resident set size of process `pid` in KiB, from /proc/<pid>/status. */
function readRssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) : NaN
}

export const startServer = (kind: ServerKind, options: StartOptions = {}) => (kind === 'ours' ? startOurs(options) : startBaseline(options))

function watch(child: ChildProcess) {
  const stdout = { text: '' }
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout.text += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    if (stderr.length > 100_000) stderr = stderr.slice(-50_000)
  })
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && code !== null && signal === null)
        process.stderr.write(`[bench] server ${child.pid} exited with ${code}:\n${stderr.slice(-4000)}\n`)
      resolve()
    }),
  )
  return { stdout, exited }
}

async function waitForOutput(child: ChildProcess, stdout: { text: string }, pattern: RegExp, exited: Promise<void>): Promise<RegExpExecArray> {
  let gone = false
  void exited.then(() => (gone = true))
  const deadline = Date.now() + 30_000
  for (;;) {
    const match = pattern.exec(stdout.text)
    if (match) return match
    if (gone) throw new Error(`server ${child.pid} exited before listening`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server ${child.pid} did not start within 30 s`)
    }
    await sleep(20)
  }
}

async function login(port: number, username: string, password: string): Promise<string> {
  const response = await fetch(`http://${HOST}:${port}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`)
  return ((await response.json()) as { token: string }).token
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))))
    })
  })
}
