import { OwnershipLostError, type UpdateEntry } from '../storage/types.js'
import { metrics } from '../metrics.js'
import { log } from '../log.js'
import { microtask } from './microtask.js'

/**
 * Relaying before the fsync (SPEC S1): a batch is first only written to the database's log, where a
 * crash of the server process cannot lose it, and counts as stored once `sync` made it durable.
 */
export interface LogSync {
  /** Makes everything written so far durable (LevelStorage: fdatasync of LevelDB's logs). */
  readonly sync: () => Promise<void>
  /**
   * Writes entries durably on their own: for batches whose sync failed, since a failed fsync may
   * have dropped what they wrote. Idempotent (the same keys again).
   */
  readonly writeDurably: (entries: readonly UpdateEntry[]) => Promise<void>
}

/**
 * The least time between the starts of two fsyncs of the update log (LevelDB). With a thousand
 * drafts of two typists each (2,000 keystrokes/s) syncs ran back to back, about 800 a second, and
 * the server used 0.71 cores against 0.55 with syncs 10 ms apart (medians of six interleaved
 * runs): an fsync costs CPU in the kernel, on the cores the event loop needs. Spacing delays only
 * the "stored" acknowledgement (S2), by at most this, and only under load: the relay never waits
 * for a sync (S1), and a sync after a pause waits only SYNC_DELAY_MS.
 */
export const SYNC_SPACING_MS = 10

/**
 * How long a sync waits, at least, after the write that made it due. An fsync started the moment a
 * keystroke is relayed runs in the kernel (the journal commit, the disk's interrupts) while the
 * clients read the relay, on the same cores: with 50 people in a draft, 5 of them typing, a sync
 * started 5 ms later instead of at once took the fan-out p99 from 5.7 to 5.4 ms and its max from
 * 9.2 to 7.2 ms (medians of 16 interleaved runs each). Only the "stored" acknowledgement waits;
 * under load the spacing above is the longer wait.
 */
export const SYNC_DELAY_MS = 5

/**
 * How long a sync that is due must still wait: until `spacingMs` after the last sync started and
 * `delayMs` after the oldest write it covers (times by `performance.now()`). The rule of
 * GroupCommit, and of the bench's floor server, which keeps the same promises.
 */
export function syncWaitMs(lastStarted: number, oldestWritten: number, spacingMs: number, delayMs: number): number {
  return Math.max(lastStarted + spacingMs, oldestWritten + delayMs) - performance.now()
}

export interface GroupCommitOptions {
  /** Called when storage starts failing (false) and when it recovers (true). */
  readonly onHealthChange?: (healthy: boolean, error?: unknown) => void
  /** Delay before retrying a failed batch, in ms (doubles up to 10× this). Default 200. */
  readonly retryDelayMs?: number
  /** Without it, each write is durable and a batch is written and stored at once. */
  readonly logSync?: LogSync
  /**
   * With `logSync`: the least time from the start of one sync to the start of the next, in ms
   * (default 0). A sync waits out the rest of it, gathering the batches written meanwhile.
   */
  readonly syncSpacingMs?: number
  /** With `logSync`: the least time from a write to the start of the sync it made due, in ms (default 0). */
  readonly syncDelayMs?: number
}

/** What a caller hears of its entry. */
export interface CommitCallbacks {
  /** Once the entry is written where a crash of the process cannot lose it: apply and relay it. */
  readonly written: () => void
  /** Once it is durable (fsynced): acknowledge it. Default: nothing. */
  readonly stored?: () => void
}

interface Pending {
  readonly entry: UpdateEntry
  readonly callbacks: CommitCallbacks
  /** `performance.now()` when appended, for the store latency metric. */
  readonly since: number
}

/**
 * Group commit: updates arriving while a batch is being written are written together in the next
 * batch, so an idle server stores a keystroke at once and a busy one stores thousands per fsync.
 *
 * `written` is called once the entry is written, `stored` once it is durable: the same moment
 * unless `logSync` is given, in which case batches are written without fsync and made durable by
 * syncs of their own, one at a time (at most one per `syncSpacingMs`, each `syncDelayMs` after the
 * write that made it due at the soonest), each covering every batch written before it started,
 * while the next batches are written. Failed writes and syncs are retried (never dropped, never
 * acknowledged). The callbacks of a batch run synchronously, one after another in append order,
 * in the turn the write (or sync) completes: whatever a callback defers to a microtask (a room's
 * relay) runs once the whole batch is applied, with no further hop through the event loop.
 */
export class GroupCommit {
  readonly #write: (entries: readonly UpdateEntry[]) => Promise<void>
  readonly #options: GroupCommitOptions
  #queue: Pending[] = []
  #writing: Promise<void> | null = null
  #scheduled = false
  /** Written, not yet durable, in write order (logSync only). */
  #unsynced: Pending[] = []
  #syncing: Promise<void> | null = null
  /** `performance.now()` when the last sync started (syncSpacingMs). */
  #syncStarted = -Infinity
  /** `performance.now()` when the oldest batch in `#unsynced` was written (syncDelayMs). */
  #unsyncedSince = 0
  #healthy = true

  constructor(write: (entries: readonly UpdateEntry[]) => Promise<void>, options: GroupCommitOptions = {}) {
    this.#write = write
    this.#options = options
  }

  get healthy(): boolean {
    return this.#healthy
  }

  /** Calls back for `entry` after the callbacks of everything appended before it (each kind in order). */
  append(entry: UpdateEntry, callbacks: CommitCallbacks) {
    this.#queue.push({ entry, callbacks, since: performance.now() })
    this.#schedule()
  }

  /** Resolves once everything appended so far is stored (durable). */
  async drain(): Promise<void> {
    while (this.#writing || this.#queue.length > 0 || this.#syncing || this.#unsynced.length > 0) {
      if (this.#writing) await this.#writing
      else if (this.#queue.length > 0) this.#flush()
      else if (this.#syncing) await this.#syncing
      else this.#startSync()
    }
  }

  #schedule() {
    if (this.#scheduled || this.#writing) return
    this.#scheduled = true
    // Everything appended in this turn joins the batch; while it is written, the next one gathers.
    // Not an immediate: on an idle server that kept the keystroke from LevelDB behind the rest of
    // the poll phase (0.06 ms at the median, 1.8 ms at p99 with 10 clients).
    microtask(() => {
      this.#scheduled = false
      this.#flush()
    })
  }

  #flush() {
    if (this.#writing || this.#queue.length === 0) return
    const queued = this.#queue
    this.#queue = []
    this.#writing = this.#store(queued).then((batch) => {
      this.#writing = null
      if (batch.length > 0) metrics.storeBatches.inc()
      each(batch, 'written')
      if (this.#options.logSync) {
        if (this.#unsynced.length === 0) this.#unsyncedSince = performance.now()
        this.#unsynced.push(...batch)
        // After the relays the callbacks queued: starting a sync (a directory listing, the fsyncs
        // handed to the thread pool) took 0.1 ms of the keystroke's way when it went first.
        microtask(() => this.#startSync())
      } else this.#stored(batch)
      if (this.#queue.length > 0) this.#schedule()
    })
  }

  #startSync() {
    if (this.#syncing || this.#unsynced.length === 0) return
    this.#syncing = this.#syncSpaced().then((batch) => {
      this.#syncing = null
      this.#stored(batch)
      this.#startSync()
    })
  }

  /**
   * Syncs what is written once `syncSpacingMs` passed since the last sync began and `syncDelayMs`
   * since the oldest of it was written; returns what it made durable.
   */
  async #syncSpaced(): Promise<readonly Pending[]> {
    const { syncSpacingMs = 0, syncDelayMs = 0 } = this.#options
    const wait = syncWaitMs(this.#syncStarted, this.#unsyncedSince, syncSpacingMs, syncDelayMs)
    if (wait > 0) await sleep(wait)
    this.#syncStarted = performance.now()
    const batch = this.#unsynced
    this.#unsynced = []
    await this.#sync(batch)
    return batch
  }

  #stored(batch: readonly Pending[]) {
    if (batch.length > 0) {
      metrics.updatesStored.inc(batch.length)
      metrics.storeLatency.observe((performance.now() - batch[0]!.since) / 1000)
    }
    each(batch, 'stored')
  }

  /**
   * Writes `batch`, retrying until it is written; returns what was written. Entries of documents
   * another server owns now (SPEC S27) are dropped, never acknowledged: their room is being given
   * up, and its clients resend them to the new owner.
   */
  async #store(queued: readonly Pending[]): Promise<readonly Pending[]> {
    let batch = queued
    return this.#retrying(async () => {
      try {
        const started = performance.now()
        if (batch.length > 0) await this.#write(batch.map((p) => p.entry))
        metrics.storeBatchWrite.observe((performance.now() - started) / 1000)
        return batch
      } catch (error) {
        if (!(error instanceof OwnershipLostError)) throw error
        const lost = new Set(error.docIds)
        batch = batch.filter((p) => !lost.has(p.entry.docId))
        return null
      }
    })
  }

  /** Makes `batch` durable: one sync, or, once a sync failed, the batch written again durably. */
  async #sync(batch: readonly Pending[]): Promise<void> {
    const { sync, writeDurably } = this.#options.logSync!
    let failed = false
    await this.#retrying(async () => {
      if (failed) await writeDurably(batch.map((p) => p.entry))
      else {
        failed = true
        await sync()
        failed = false
      }
      return true
    })
  }

  /** Runs `attempt` until it returns a result (null: run it again at once), backing off after failures. */
  async #retrying<T>(attempt: () => Promise<T | null>): Promise<T> {
    const baseDelay = this.#options.retryDelayMs ?? 200
    let delay = baseDelay
    for (;;) {
      try {
        const result = await attempt()
        if (result === null) continue
        this.#setHealth(true)
        return result
      } catch (error) {
        this.#setHealth(false, error)
        await sleep(delay)
        delay = Math.min(delay * 2, baseDelay * 10)
      }
    }
  }

  #setHealth(healthy: boolean, error?: unknown) {
    if (healthy === this.#healthy) return
    this.#healthy = healthy
    this.#options.onHealthChange?.(healthy, error)
  }
}

/** Runs one kind of callback of every entry in order; one failing must not keep the rest from running. */
function each(batch: readonly Pending[], kind: keyof CommitCallbacks) {
  for (const pending of batch) {
    try {
      pending.callbacks[kind]?.()
    } catch (error) {
      log.error('applying a stored update failed', { doc: pending.entry.docId, clock: pending.entry.clock, error })
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
