import { describe, expect, it, vi } from 'vitest'
import type { UpdateEntry } from '../storage/types.js'
import { GroupCommit, type LogSync } from './groupCommit.js'

const entry = (clock: number): UpdateEntry => ({ docId: 'uji', clock, update: new Uint8Array([clock]) })

/** A promise with its resolve and reject at hand. */
function deferred() {
  let resolve!: () => void
  let reject!: (error: Error) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve))
}

/** A log whose syncs wait for the test: `pending` lists them, each resolved or failed by hand. */
function heldLog() {
  const syncs: Array<ReturnType<typeof deferred>> = []
  const rewritten: UpdateEntry[][] = []
  const written: UpdateEntry[][] = []
  const logSync: LogSync = {
    sync: () => {
      const held = deferred()
      syncs.push(held)
      return held.promise
    },
    writeDurably: async (entries) => {
      rewritten.push([...entries])
    },
  }
  const write = async (entries: readonly UpdateEntry[]) => {
    written.push([...entries])
  }
  return { logSync, write, syncs, rewritten, written }
}

describe('GroupCommit', () => {
  it('without a log sync, calls written and then stored for each batch in the turn its write completes', async () => {
    const events: string[] = []
    const commit = new GroupCommit(async () => {})
    for (const clock of [1, 2]) {
      commit.append(entry(clock), { written: () => events.push(`written ${clock}`), stored: () => events.push(`stored ${clock}`) })
    }
    await commit.drain()
    expect(events).toEqual(['written 1', 'written 2', 'stored 1', 'stored 2'])
  })

  it('relays before the fsync: an entry is written (applied, relayed) at once and stored only after the sync that covers it (S1)', async () => {
    const log = heldLog()
    const events: string[] = []
    const commit = new GroupCommit(log.write, { logSync: log.logSync })
    commit.append(entry(1), { written: () => events.push('written 1'), stored: () => events.push('stored 1') })
    await until(() => log.syncs.length === 1)
    expect(events).toEqual(['written 1'])

    // Writes go on while the sync is in flight; their own sync waits for the one before.
    commit.append(entry(2), { written: () => events.push('written 2'), stored: () => events.push('stored 2') })
    await until(() => events.includes('written 2'))
    expect(log.written.map((batch) => batch.map((e) => e.clock))).toEqual([[1], [2]])
    expect(log.syncs).toHaveLength(1)

    log.syncs[0]!.resolve()
    await until(() => log.syncs.length === 2)
    expect(events).toEqual(['written 1', 'written 2', 'stored 1'])
    log.syncs[1]!.resolve()
    await commit.drain()
    expect(events).toEqual(['written 1', 'written 2', 'stored 1', 'stored 2'])
    expect(log.rewritten).toEqual([])
  })

  it('spaces syncs syncSpacingMs apart and starts each syncDelayMs after the write that made it due, one sync covering every batch written meanwhile, and stores each entry only after a sync (S2)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      const spacing = 10
      const delay = 4
      const started: number[] = []
      const written: number[][] = []
      const writtenAt: number[] = []
      const stored: number[] = []
      const logSync: LogSync = {
        sync: async () => {
          started.push(performance.now())
        },
        writeDurably: async () => {},
      }
      const write = async (entries: readonly UpdateEntry[]) => {
        written.push(entries.map((e) => e.clock))
        writtenAt.push(performance.now())
      }
      const commit = new GroupCommit(write, { logSync, syncSpacingMs: spacing, syncDelayMs: delay })
      const append = (clock: number) => commit.append(entry(clock), { written: () => {}, stored: () => stored.push(clock) })
      const turns = async (count: number) => {
        for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve))
      }

      // The first sync starts the delay after its write, and not before.
      append(1)
      await turns(3)
      expect(written).toEqual([[1]])
      expect(started).toHaveLength(0)
      await vi.advanceTimersByTimeAsync(delay - 1)
      expect(started).toHaveLength(0)
      await vi.advanceTimersByTimeAsync(1)
      await until(() => stored.includes(1))
      expect(started[0]! - writtenAt[0]!).toBe(delay)
      // Batches written within the spacing wait for one sync at its end.
      append(2)
      await turns(3)
      append(3)
      await turns(3)
      expect(written).toEqual([[1], [2], [3]])
      expect(started).toHaveLength(1)
      expect(stored).toEqual([1])
      await vi.advanceTimersByTimeAsync(spacing)
      await until(() => stored.length === 3)
      expect(stored).toEqual([1, 2, 3])
      expect(started).toHaveLength(2)
      expect(started[1]! - started[0]!).toBe(spacing)

      // After a pause longer than the spacing, the delay alone: the sync starts the delay after the write.
      await vi.advanceTimersByTimeAsync(spacing * 3)
      append(4)
      await turns(3)
      expect(started).toHaveLength(2)
      await vi.advanceTimersByTimeAsync(delay)
      await until(() => stored.length === 4)
      expect(started[2]! - writtenAt[3]!).toBe(delay)
      expect(stored).toEqual([1, 2, 3, 4])
      await commit.drain()
    } finally {
      vi.useRealTimers()
    }
  })

  it('writes what one turn appended as one batch once that turn returns, and starts the sync only after what the written callbacks deferred (the relay)', async () => {
    const events: string[] = []
    const write = async (entries: readonly UpdateEntry[]) => {
      events.push(`write ${entries.map((e) => e.clock).join(',')}`)
    }
    const logSync: LogSync = {
      sync: async () => {
        events.push('sync')
      },
      writeDurably: async () => {},
    }
    const commit = new GroupCommit(write, { logSync })
    for (const clock of [1, 2]) {
      commit.append(entry(clock), { written: () => void Promise.resolve().then(() => events.push(`relay ${clock}`)) })
    }
    // An idle server does not keep a keystroke from the disk until the event loop's next turn.
    await Promise.resolve()
    expect(events).toEqual(['write 1,2'])
    await commit.drain()
    expect(events).toEqual(['write 1,2', 'relay 1', 'relay 2', 'sync'])
  })

  it('after a failed sync writes the batch again durably before it acknowledges it, and reports storage unhealthy meanwhile (S2)', async () => {
    const log = heldLog()
    const health: boolean[] = []
    const stored: number[] = []
    const commit = new GroupCommit(log.write, { logSync: log.logSync, retryDelayMs: 1, onHealthChange: (healthy) => health.push(healthy) })
    commit.append(entry(1), { written: () => {}, stored: () => stored.push(1) })
    commit.append(entry(2), { written: () => {}, stored: () => stored.push(2) })
    await until(() => log.syncs.length === 1)
    log.syncs[0]!.reject(new Error('EIO'))
    await commit.drain()
    // A failed fsync may have dropped what the log held: the batch is written again, durably.
    expect(log.rewritten.map((batch) => batch.map((e) => e.clock))).toEqual([[1, 2]])
    expect(log.syncs).toHaveLength(1)
    expect(stored).toEqual([1, 2])
    expect(health).toEqual([false, true])
  })

  it('drain waits for the sync of everything appended', async () => {
    const log = heldLog()
    const commit = new GroupCommit(log.write, { logSync: log.logSync })
    let stored = false
    commit.append(entry(1), { written: () => {}, stored: () => (stored = true) })
    let drained = false
    const draining = commit.drain().then(() => (drained = true))
    await until(() => log.syncs.length === 1)
    expect(drained).toBe(false)
    log.syncs[0]!.resolve()
    await draining
    expect(stored).toBe(true)
  })
})
