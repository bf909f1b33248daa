import { open, readdir, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * LevelDB's write-ahead logs (`NNNNNN.log`), made durable from outside LevelDB. A batch written
 * without `sync` is in the kernel once the write returns (LevelDB writes each record through), so a
 * crash of the process cannot lose it; `sync()` fdatasyncs every log file there is, so everything
 * written before it began is durable once it resolves.
 *
 * Why not a later `sync: true` write instead: LevelDB syncs only the log it writes to, and it closes
 * the previous log without an fsync when it switches memtables. Every log file is synced here, the
 * previous one included; one already gone was deleted after its memtable became a table, which
 * LevelDB fsyncs along with the manifest naming it before deleting the log.
 */
export class LevelLogs {
  readonly #location: string
  /** Open read-only handles, kept across syncs: an fdatasync needs any descriptor of the file. */
  readonly #handles = new Map<string, FileHandle>()
  /** The sync under way: one at a time, so a file is never opened twice. */
  #running: Promise<void> | null = null
  /** The sync that starts once the running one ends, for every caller meanwhile. */
  #queued: Promise<void> | null = null

  constructor(location: string) {
    this.#location = location
  }

  /**
   * Resolves once everything written to LevelDB's logs before the call is on the disk. Callers
   * that come while a sync runs share the next one (group commit, a compaction, a comment): each
   * sync covers everything written before it began, so one each would only add fsyncs for the
   * ones behind to wait for.
   */
  sync(): Promise<void> {
    if (this.#queued) return this.#queued
    if (!this.#running) return this.#begin()
    const queued = this.#running
      .catch(() => {})
      .then(() => {
        this.#queued = null
        return this.#begin()
      })
    this.#queued = queued
    return queued
  }

  async close(): Promise<void> {
    while (this.#queued ?? this.#running) await (this.#queued ?? this.#running)!.catch(() => {})
    const handles = [...this.#handles.values()]
    this.#handles.clear()
    await Promise.all(handles.map((handle) => handle.close()))
  }

  #begin(): Promise<void> {
    const run = this.#syncAll()
    this.#running = run
    const ended = () => {
      if (this.#running === run) this.#running = null
    }
    run.then(ended, ended)
    return run
  }

  async #syncAll(): Promise<void> {
    const names = (await readdir(this.#location)).filter((name) => /^\d+\.log$/.test(name))
    for (const [name, handle] of this.#handles) {
      if (names.includes(name)) continue
      this.#handles.delete(name)
      await handle.close()
    }
    await Promise.all(names.map(async (name) => (await this.#handle(name))?.datasync()))
  }

  async #handle(name: string): Promise<FileHandle | null> {
    const known = this.#handles.get(name)
    if (known) return known
    try {
      const handle = await open(join(this.#location, name), 'r')
      this.#handles.set(name, handle)
      return handle
    } catch (error) {
      // Deleted since the listing: its memtable is a table now, synced by LevelDB.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }
}
