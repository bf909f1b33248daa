import { OwnershipLostError, type UpdateEntry } from '../storage/types.js'
import { metrics } from '../metrics.js'
import { log } from '../log.js'

export interface GroupCommitOptions {
  /** Called when storage starts failing (false) and when it recovers (true). */
  readonly onHealthChange?: (healthy: boolean, error?: unknown) => void
  /** Delay before retrying a failed batch, in ms (doubles up to 10× this). Default 200. */
  readonly retryDelayMs?: number
}

interface Pending {
  readonly entry: UpdateEntry
  readonly onStored: () => void
  /** `performance.now()` when appended, for the store latency metric. */
  readonly since: number
}

/**
 * Group commit: updates arriving while a batch is being written are written together in the next
 * batch, so an idle server stores a keystroke at once and a busy one stores thousands per fsync.
 *
 * `append` calls back only once its entry is durably stored; failed batches are retried (never
 * dropped, never acknowledged). The callbacks of a batch run synchronously, one after another in
 * append order, in the turn the write completes: whatever a callback defers to a microtask (a
 * room's relay) runs once the whole batch is applied, with no further hop through the event loop.
 */
export class GroupCommit {
  readonly #write: (entries: readonly UpdateEntry[]) => Promise<void>
  readonly #options: GroupCommitOptions
  #queue: Pending[] = []
  #writing: Promise<void> | null = null
  #scheduled = false
  #healthy = true

  constructor(write: (entries: readonly UpdateEntry[]) => Promise<void>, options: GroupCommitOptions = {}) {
    this.#write = write
    this.#options = options
  }

  get healthy(): boolean {
    return this.#healthy
  }

  /** Calls `onStored` once `entry` is stored, after the callbacks of everything appended before it. */
  append(entry: UpdateEntry, onStored: () => void) {
    this.#queue.push({ entry, onStored, since: performance.now() })
    this.#schedule()
  }

  /** Resolves once everything appended so far is stored. */
  async drain(): Promise<void> {
    while (this.#writing || this.#queue.length > 0) {
      if (this.#writing) await this.#writing
      else this.#flush()
    }
  }

  #schedule() {
    if (this.#scheduled || this.#writing) return
    this.#scheduled = true
    // Let every message already read from the sockets join this batch.
    setImmediate(() => {
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
      if (batch.length > 0) {
        metrics.storeLatency.observe((performance.now() - batch[0]!.since) / 1000)
        metrics.updatesStored.inc(batch.length)
        metrics.storeBatches.inc()
      }
      for (const pending of batch) {
        // One failing callback must not keep the rest of the batch from being applied.
        try {
          pending.onStored()
        } catch (error) {
          log.error('applying a stored update failed', { doc: pending.entry.docId, clock: pending.entry.clock, error })
        }
      }
      if (this.#queue.length > 0) this.#schedule()
    })
  }

  /**
   * Writes `batch`, retrying until it is stored; returns what was stored. Entries of documents
   * another server owns now (SPEC S27) are dropped, never acknowledged: their room is being given
   * up, and its clients resend them to the new owner.
   */
  async #store(queued: readonly Pending[]): Promise<readonly Pending[]> {
    let batch = queued
    const baseDelay = this.#options.retryDelayMs ?? 200
    let delay = baseDelay
    for (;;) {
      try {
        const started = performance.now()
        if (batch.length > 0) await this.#write(batch.map((p) => p.entry))
        metrics.storeBatchWrite.observe((performance.now() - started) / 1000)
        this.#setHealth(true)
        return batch
      } catch (error) {
        if (error instanceof OwnershipLostError) {
          const lost = new Set(error.docIds)
          batch = batch.filter((p) => !lost.has(p.entry.docId))
          continue
        }
        this.#setHealth(false, error)
        await new Promise((resolve) => setTimeout(resolve, delay))
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
