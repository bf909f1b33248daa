import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { recordChild } from './children.js'

const ROOT = resolve(import.meta.dirname, '../..')
const MAIN = join(ROOT, 'dist/server/main.js')

export interface TestServer {
  readonly url: string
  readonly wsUrl: string
  readonly port: number
  readonly dataDir: string
  /** The admin account generated on the first start of this data directory. */
  readonly admin: { readonly username: string; readonly password: string }
  readonly process: ChildProcess
  /** Everything the process wrote to stderr so far (logs). */
  stderr(): string
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>
  /** SIGKILL: a crash. */
  kill(): Promise<void>
  /** Starts the server again on the same port and data directory (after stop or kill). */
  restart(): Promise<TestServer>
  /** Stops the process if it runs and deletes the data directory. */
  dispose(): Promise<void>
}

export interface StartOptions {
  readonly env?: Readonly<Record<string, string>>
  /**
   * DATA_DIR to use instead of a fresh temporary one (e.g. on a small filesystem of the test's
   * own). The caller owns it: `dispose` stops the server but leaves the directory.
   */
  readonly dataDir?: string
  /** The admin account of a `dataDir` that already has one (a restored one): nothing is printed then. */
  readonly admin?: TestServer['admin']
}

/**
 * Starts the built server (`dist/server/main.js`) as a real process on 127.0.0.1 with a fresh
 * temporary DATA_DIR (or `options.dataDir`) and a free port, and waits until it listens.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'rancang-test-')))
  return launch(dataDir, 0, options.admin ?? null, options)
}

async function launch(dataDir: string, port: number, admin: TestServer['admin'] | null, options: StartOptions): Promise<TestServer> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SYNC_WRITES: 'true',
      ROOM_IDLE_MS: '200',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  recordChild(child, { signal: 'SIGKILL', paths: options.dataDir ? [] : [dataDir] })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /Rancang is running at (http:\/\/\S+)/.exec(stdout)
      if (match) {
        child.stdout!.off('data', onData)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', onData)
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${stderr}`)))
  })
  const generated = /created account "(\S+)" with password (\S+)/.exec(stdout)
  const account = admin ?? (generated ? { username: generated[1]!, password: generated[2]! } : null)
  if (!account) throw new Error('the server did not print the generated admin account')
  const actualPort = Number(new URL(url).port)

  const server: TestServer = {
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/collab`,
    port: actualPort,
    dataDir,
    admin: account,
    process: child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill('SIGTERM')
      return exited
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await exited
    },
    async restart() {
      await server.stop()
      return launch(dataDir, actualPort, account, options)
    },
    async dispose() {
      await server.kill()
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
  return server
}
