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
  /** Syncs run one after another, so a file is never opened twice. */
  #last: Promise<void> = Promise.resolve()

  constructor(location: string) {
    this.#location = location
  }

  /** Resolves once everything written to LevelDB's logs before the call is on the disk. */
  sync(): Promise<void> {
    const run = this.#last.then(() => this.#syncAll())
    this.#last = run.catch(() => {})
    return run
  }

  async close(): Promise<void> {
    await this.#last
    const handles = [...this.#handles.values()]
    this.#handles.clear()
    await Promise.all(handles.map((handle) => handle.close()))
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
