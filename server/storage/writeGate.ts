import { readdir, stat, statfs } from 'node:fs/promises'
import { join } from 'node:path'
import { StorageUnavailableError } from './types.js'
import { log } from '../log.js'

/** What the gate needs of a database handle (an abstract-level database fits). */
export interface ReopenableDatabase {
  /** 'opening' | 'open' | 'closing' | 'closed' */
  readonly status: string
  open(): Promise<void>
  close(): Promise<void>
}

export interface WriteGateOptions {
  /** Whether a reopen has a chance now (e.g. the disk has room); checked before closing the handle. */
  readonly canReopen?: () => Promise<boolean>
  /** First delay before a reopen attempt, in ms, doubling up to `maxDelayMs`. Default 100. */
  readonly delayMs?: number
  /** Default 5000. */
  readonly maxDelayMs?: number
}

/**
 * Guards the writes to one LevelDB handle. LevelDB appends each batch to its write-ahead log; a
 * write that fails part-way (ENOSPC, EIO) leaves a torn record there, and LevelDB lets the next
 * write land after it, where recovery drops it ("checksum mismatch … dropping 32768 bytes"). So:
 *
 * - writes go through one at a time, so a failure is known before the next write is issued;
 * - after a failed write the handle is poisoned: writes are refused with `StorageUnavailableError`
 *   (callers retry or report "not saved") until the database was closed and opened again, which
 *   makes LevelDB recover the log, drop the torn tail and start a new log;
 * - the reopen is retried with backoff for as long as it fails (a full disk also fails the new
 *   MANIFEST); until `canReopen` says it may succeed, the poisoned handle stays open for reads.
 */
export class WriteGate {
  readonly #db: ReopenableDatabase
  readonly #options: WriteGateOptions
  #tail: Promise<unknown> = Promise.resolve()
  #recovery: Promise<void> | null = null
  #closed = false
  /** Cuts the wait between reopen attempts short (on close). */
  #wake: (() => void) | null = null

  constructor(db: ReopenableDatabase, options: WriteGateOptions = {}) {
    this.#db = db
    this.#options = options
  }

  /** False from a failed write until the database was reopened. */
  get writable(): boolean {
    return this.#recovery === null && !this.#closed
  }

  /** Runs `write` after every earlier one settled; refuses it while the handle is poisoned. */
  write<T>(write: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(async () => {
      if (!this.writable) throw new StorageUnavailableError()
      try {
        return await write()
      } catch (error) {
        this.#poison(error)
        throw error
      }
    })
    this.#tail = result.catch(() => {})
    return result
  }

  /**
   * Runs `operation` beside the writes, not behind them, where no write has to wait for it: an
   * fsync of what earlier writes put in the log (that is what relaying before the fsync gains), a
   * compaction of LevelDB's tables, or the deletion of log entries a stored state already holds.
   * Refused while the handle is poisoned; a failure poisons it as a failed write does, since the
   * log may have lost what it held, and LevelDB refuses every write after a failed compaction
   * anyway.
   */
  async beside(operation: () => Promise<void>): Promise<void> {
    if (!this.writable) throw new StorageUnavailableError()
    try {
      await operation()
    } catch (error) {
      this.#poison(error)
      throw error
    }
  }

  /** Throws `StorageUnavailableError` when the handle is closed for a reopen (reads would fail). */
  assertReadable() {
    if (this.#db.status === 'closed' || this.#db.status === 'closing') throw new StorageUnavailableError()
  }

  /** Stops recovering; resolves once no write or reopen touches the handle any more. */
  async close(): Promise<void> {
    this.#closed = true
    this.#wake?.()
    await this.#tail
    await this.#recovery
  }

  #poison(error: unknown) {
    if (this.#recovery || this.#closed) return
    log.error('storage write failed; no write goes to the database until it is reopened', { error })
    this.#recovery = this.#reopen().finally(() => (this.#recovery = null))
  }

  async #reopen() {
    const first = this.#options.delayMs ?? 100
    const max = this.#options.maxDelayMs ?? 5_000
    for (let delay = first, attempt = 1; !this.#closed; delay = Math.min(delay * 2, max), attempt++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay)
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.#wake = null
      if (this.#closed) return
      try {
        if (this.#db.status === 'open') {
          if (!(await (this.#options.canReopen?.() ?? true))) continue
          await this.#db.close()
        }
        await this.#db.open()
        log.info('database reopened after a failed write; writes resume', { attempt })
        return
      } catch (error) {
        log.warn('database reopen failed; retrying', { attempt, error })
      }
    }
  }
}

/** Room for a new MANIFEST, log and LOG beyond the write-ahead log that recovery turns into a table. */
const REOPEN_MARGIN_BYTES = 1024 * 1024

/**
 * Whether the filesystem holding the LevelDB database at `location` has room to recover it: its
 * write-ahead logs become a table on open, so at least their size plus a margin must be free.
 */
export async function hasRoomToRecover(location: string): Promise<boolean> {
  const [free, names] = await Promise.all([freeBytes(location), readdir(location)])
  const logs = await Promise.all(names.filter((name) => name.endsWith('.log')).map((name) => stat(join(location, name))))
  const needed = logs.reduce((sum, file) => sum + file.size, REOPEN_MARGIN_BYTES)
  return free >= needed
}

/** Bytes an unprivileged process may still write on the filesystem holding `location`. */
export async function freeBytes(location: string): Promise<number> {
  const space = await statfs(location)
  return space.bavail * space.bsize
}
