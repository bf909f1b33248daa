import type { ChildProcess } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The directory where harness starts record their children, set by `test/harness/globalSetup.ts`
 * for the whole vitest run. Unset outside vitest (e.g. `npm run fuzz`): nothing is recorded then.
 */
export const CHILDREN_DIR_ENV = 'RANCANG_TEST_CHILDREN'

/** How long a recorded child gets to exit after its signal before it is killed with SIGKILL. */
const EXIT_GRACE_MS = 5_000

interface ChildRecord {
  readonly pid: number
  /** Its start time in clock ticks after boot (/proc/<pid>/stat): a PID reused later has another. */
  readonly started: string
  /** The signal that shuts the child down with its own children (a postmaster's backends, nginx's workers). */
  readonly signal: NodeJS.Signals
  /** Temporary directories the harness made for it, deleted after it is gone. */
  readonly paths: readonly string[]
}

/**
 * Records `child` for the run's teardown, which kills it if it still runs then: a test that times
 * out never reaches its `dispose`, and vitest ends the worker without running `process.on('exit')`.
 * The record disappears when the child exits, so a PID reused later is never touched.
 */
export function recordChild(child: ChildProcess, options: { signal: NodeJS.Signals; paths: readonly string[] }) {
  const dir = process.env[CHILDREN_DIR_ENV]
  if (!dir || child.pid === undefined) return
  const file = join(dir, `${child.pid}.json`)
  const started = processStat(child.pid)?.started
  if (started === undefined) return
  const record: ChildRecord = { pid: child.pid, started, signal: options.signal, paths: options.paths }
  writeFileSync(file, JSON.stringify(record))
  // force: the teardown may have removed the directory already (it kills before the workers end).
  child.once('exit', () => rmSync(file, { force: true }))
}

/** Signals every child recorded in `dir` that still runs, waits for it to go, and deletes its paths. */
export async function killRecordedChildren(dir: string): Promise<number[]> {
  const records: ChildRecord[] = await Promise.all(
    (await readdir(dir)).map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as ChildRecord),
  )
  const killed: number[] = []
  await Promise.all(
    records.map(async (record) => {
      if (isRunning(record)) {
        killed.push(record.pid)
        await stop(record)
      }
      await Promise.all(record.paths.map((path) => rm(path, { recursive: true, force: true })))
    }),
  )
  return killed
}

async function stop(record: ChildRecord) {
  process.kill(record.pid, record.signal)
  const deadline = Date.now() + EXIT_GRACE_MS
  while (isRunning(record)) {
    if (Date.now() > deadline) {
      process.kill(record.pid, 'SIGKILL')
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Alive and still the recorded process; a zombie waiting for its parent to reap it counts as gone. */
function isRunning(record: Pick<ChildRecord, 'pid' | 'started'>): boolean {
  const stat = processStat(record.pid)
  return stat !== undefined && stat.state !== 'Z' && stat.started === record.started
}

function processStat(pid: number): { state: string; started: string } | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The fields after the command name, which is in parentheses and may itself hold spaces:
  // state is field 3 of proc(5), starttime field 22.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return { state: fields[0]!, started: fields[19]! }
}
