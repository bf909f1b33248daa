import type { RoomAccess } from './hooks.js'

/**
 * What a feature keeps in memory per document (its statuses, its suggestions), read once from
 * storage: kept only while the document is open on this server, and dropped when it unloads
 * (`Extension.onUnloaded`). While it is open every change to it passes through this server (on
 * several servers, through its owner), so what is kept stays current; once it unloads another server
 * may own it next, and what was kept here would be stale the next time this server opened it. So a
 * server that has seen a thousand drafts does not keep the records of a thousand drafts either.
 */
export class KeptWhileOpen<V> {
  readonly #rooms: Pick<RoomAccess, 'peek'>
  readonly #kept = new Map<string, V>()

  constructor(rooms: Pick<RoomAccess, 'peek'>) {
    this.#rooms = rooms
  }

  /** What is kept for `docId`, without reading anything. */
  peek(docId: string): V | undefined {
    return this.#kept.get(docId)
  }

  /** What is kept for `docId`, or what `read` returns, kept from then on if the document is open here. */
  async get(docId: string, read: () => Promise<V>): Promise<V> {
    const kept = this.#kept.get(docId)
    if (kept !== undefined) return kept
    const value = await read()
    // A read that overlapped another keeps the first one's value: changes may have gone into it since.
    const first = this.#kept.get(docId)
    if (first !== undefined) return first
    if (this.#rooms.peek(docId)) this.#kept.set(docId, value)
    return value
  }

  /** Forgets `docId` (it unloaded). */
  drop(docId: string) {
    this.#kept.delete(docId)
  }
}
