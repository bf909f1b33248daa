import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { recordChild } from './children.js'
import { waitFor } from './clients.js'

const run = promisify(execFile)
/** Debian's PostgreSQL, its newest major version (installed by scripts/ensure-tools.mjs, as Chromium is). */
export const POSTGRES_BIN = `/usr/lib/postgresql/${
  readdirSync('/usr/lib/postgresql')
    .map(Number)
    .sort((a, b) => b - a)[0]
}/bin`
/** PostgreSQL refuses to run as root; tests do, so the cluster belongs to Debian's `postgres` user. */
const CLUSTER_USER = 'postgres'

export interface TestPostgres {
  readonly port: number
  /** `postgres://postgres@127.0.0.1:<port>/<name>`. */
  url(database: string): string
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>
  /** Runs one SQL statement in `database` through psql; returns its unaligned output. */
  psql(database: string, sql: string): Promise<string>
  /** Stops the server (fast shutdown: connections are cut), keeping the cluster: a database outage. */
  stop(): Promise<void>
  /** Starts the stopped server again on the same port and data directory. */
  start(): Promise<void>
  /** SIGSTOP to the server and every backend: a stalled database that still holds its connections. */
  pause(): Promise<void>
  /** SIGCONT to what `pause` stopped. */
  resume(): Promise<void>
  /** The postmaster's PID while it runs (its backends are its children): for CPU accounting. */
  readonly pid: number | undefined
  /** Stops the server if it runs (by its PID) and deletes the cluster. */
  dispose(): Promise<void>
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The uid and gid to run the cluster as: `postgres` when we are root, else ourselves. */
async function clusterOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (userInfo().uid !== 0) return undefined
  const [uid, gid] = await Promise.all([run('id', ['-u', CLUSTER_USER]), run('id', ['-g', CLUSTER_USER])])
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

let databases = 0

export interface PostgresOptions {
  /**
   * Keep PostgreSQL's durable defaults (`fsync`, `full_page_writes`) as production does: for the
   * bench, which compares it with LevelDB syncing every batch. Default false: tests crash Rancang,
   * never the database's machine, so they skip the syncs.
   */
  readonly durable?: boolean
}

/**
 * A throwaway PostgreSQL cluster: `initdb` on a temporary directory, `postgres` on 127.0.0.1 at a
 * free port (trust authentication, no fsync unless `durable`), stopped by its PID. One per test
 * file; `createDatabase` gives each test its own database.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<TestPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'rancang-pg-'))
  const data = join(dir, 'data')
  await mkdir(data)
  const owner = await clusterOwner()
  if (owner) for (const path of [dir, data]) await chown(path, owner.uid, owner.gid)
  await run(join(POSTGRES_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...owner, cwd: dir })
  const port = await freePort()
  let child: ChildProcess | null = null
  let output = ''

  const start = async () => {
    const args = [
      '-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'max_connections=200',
      ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off']),
    ] // prettier-ignore
    const started = spawn(join(POSTGRES_BIN, 'postgres'), args, { ...owner, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
    // SIGQUIT is PostgreSQL's immediate shutdown: the postmaster takes its backends with it.
    recordChild(started, { signal: 'SIGQUIT', paths: [dir] })
    started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child = started
    await waitFor(
      async () => {
        if (started.exitCode !== null) throw new Error(`postgres exited with ${started.exitCode}: ${output}`)
        try {
          await run(join(POSTGRES_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'])
          return true
        } catch {
          return false
        }
      },
      'postgres accepting connections',
      30_000,
    )
  }

  const stop = async () => {
    const running = child
    child = null
    if (!running || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    // SIGINT is PostgreSQL's fast shutdown: connections are cut, nothing half-written.
    running.kill('SIGINT')
    await exited
  }

  /** The postmaster and its children (backends, background workers), by PID. */
  const processes = async () => {
    const postmaster = child?.pid
    if (postmaster === undefined) throw new Error('postgres is not running')
    const { stdout } = await run('pgrep', ['-P', String(postmaster)]).catch(() => ({ stdout: '' }))
    return [postmaster, ...stdout.split('\n').filter(Boolean).map(Number)]
  }
  let paused: number[] = []

  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
  const psql = async (database: string, sql: string) => {
    const { stdout } = await run(join(POSTGRES_BIN, 'psql'), ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url(database), '-c', sql])
    return stdout.trim()
  }

  await start()
  return {
    port,
    get pid() {
      return child?.pid
    },
    url,
    psql,
    async createDatabase(name) {
      const database = `${name.replace(/[^a-z0-9_]/g, '_')}_${process.pid}_${++databases}`
      await psql('postgres', `CREATE DATABASE ${database}`)
      return url(database)
    },
    stop,
    start,
    async pause() {
      paused = await processes()
      for (const pid of paused) process.kill(pid, 'SIGSTOP')
    },
    async resume() {
      for (const pid of paused.splice(0)) process.kill(pid, 'SIGCONT')
    },
    async dispose() {
      if (paused.length > 0) for (const pid of paused.splice(0)) process.kill(pid, 'SIGCONT')
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
