import { encodeStorageStatus } from '../../shared/protocol/messages.js'
import { UnknownDocumentError, type DocumentOwnership, type DocumentStorage } from '../storage/types.js'
import { GroupCommit, SYNC_DELAY_MS, SYNC_SPACING_MS, type LogSync } from './groupCommit.js'
import { Room, type RoomOptions } from './room.js'
import type { Extension, onUpdateStoredPayload } from './hooks.js'
import { log } from '../log.js'

export interface RoomsOptions extends RoomOptions {
  /** How long an unused document stays loaded, for quick reconnects (ms). */
  readonly idleUnloadMs: number
  /**
   * Several servers on one database: a document is loaded only once this server owns it, and
   * dropped when another one takes it over. Absent for a single server.
   */
  readonly ownership?: DocumentOwnership
}

interface Entry {
  readonly loading: Promise<Room>
  room: Room | null
  users: number
  idleTimer: NodeJS.Timeout | null
  /** Set once unloading began; a new user then waits for it and loads afresh. */
  closing: Promise<void> | null
}

/**
 * The open documents. A document is loaded from storage when its first user (a connection or a
 * server task) acquires it and unloaded, after everything is stored, once the last one released it.
 * Features plug in as `extensions` (hooks.ts), whose hooks run in the order given.
 */
export class Rooms {
  readonly #storage: DocumentStorage
  readonly #options: RoomsOptions
  readonly #entries = new Map<string, Entry>()
  readonly #extensions: readonly Extension[]
  readonly commit: GroupCommit

  constructor(storage: DocumentStorage, options: RoomsOptions, extensions: readonly Extension[] = []) {
    this.#storage = storage
    this.#extensions = extensions
    this.#options = { ...options, onUpdateStored: (payload) => this.#onUpdateStored(payload) }
    const logSync = logSyncOf(storage)
    this.commit = new GroupCommit((entries) => (logSync ? storage.writeUpdates!(entries) : storage.appendUpdates(entries)), {
      logSync,
      syncSpacingMs: SYNC_SPACING_MS,
      syncDelayMs: SYNC_DELAY_MS,
      onHealthChange: (healthy, error) => {
        if (healthy) log.info('storage recovered; pending edits stored')
        else log.error('storage write failed; edits are held and retried', { error })
        const message = encodeStorageStatus(healthy)
        for (const entry of this.#entries.values()) entry.room?.broadcastExtension(message)
      },
    })
    options.ownership?.onLost((ids) => {
      for (const id of ids) this.#abandon(id)
    })
  }

  /** Number of documents currently in memory. */
  get loadedCount(): number {
    return this.#entries.size
  }

  /**
   * Loads (or reuses) a document and counts one more user. Rejects with UnknownDocumentError, and
   * with OwnedElsewhereError when another server owns it.
   */
  async acquire(id: string): Promise<Room> {
    for (;;) {
      const existing = this.#entries.get(id)
      if (existing?.closing) {
        await existing.closing
        continue
      }
      const entry = existing ?? this.#load(id)
      entry.users += 1
      if (entry.idleTimer) {
        clearTimeout(entry.idleTimer)
        entry.idleTimer = null
      }
      let room: Room
      try {
        room = await entry.loading
      } catch (error) {
        entry.users -= 1
        throw error
      }
      if (this.#entries.get(id) === entry || entry.closing) return room
      // Abandoned while it loaded: another server owns it now, so claim (or find the owner) again.
      entry.users -= 1
    }
  }

  /** Counts one user less; the last one schedules the unload. */
  release(room: Room) {
    const entry = this.#entries.get(room.id)
    if (!entry || entry.room !== room) return
    entry.users -= 1
    if (entry.users > 0) return
    entry.idleTimer = setTimeout(() => void this.#unload(room.id, entry), this.#options.idleUnloadMs)
  }

  /** Runs `task` with the document loaded, releasing it afterwards. */
  async with<T>(id: string, task: (room: Room) => Promise<T> | T): Promise<T> {
    const room = await this.acquire(id)
    try {
      return await task(room)
    } finally {
      this.release(room)
    }
  }

  /** The loaded room for `id`, if any (for notifications; does not load). */
  peek(id: string): Room | undefined {
    return this.#entries.get(id)?.room ?? undefined
  }

  loaded(): Room[] {
    return [...this.#entries.values()].flatMap((e) => (e.room ? [e.room] : []))
  }

  /** Stores everything and unloads every document (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#entries.entries()].map(([id, entry]) => this.#unload(id, entry)))
    await this.commit.drain()
  }

  #onUpdateStored(payload: onUpdateStoredPayload) {
    this.#runHook('onUpdateStored', payload.room.id, (extension) => extension.onUpdateStored?.(payload))
  }

  /** The document is no longer open here, unloaded or given up to another server. */
  #onUnloaded(id: string) {
    this.#runHook('onUnloaded', id, (extension) => extension.onUnloaded?.(id))
  }

  /** Runs one hook on every extension in order; what one throws or rejects is logged and the next still runs. */
  #runHook(hook: string, doc: string, run: (extension: Extension) => void | Promise<void>) {
    for (const extension of this.#extensions) {
      const failed = (error: unknown) => log.error('extension failed', { extension: extension.name, hook, doc, error })
      try {
        const result = run(extension)
        if (result instanceof Promise) result.catch(failed)
      } catch (error) {
        failed(error)
      }
    }
  }

  #load(id: string): Entry {
    const ownership = this.#options.ownership
    const entry: Entry = {
      loading: (async () => {
        await ownership?.claim(id)
        try {
          const record = await this.#storage.getDocument(id)
          if (!record) throw new UnknownDocumentError(id)
          return await Room.load(record, this.#storage, this.commit, this.#options)
        } catch (error) {
          await ownership?.release(id)
          throw error
        }
      })(),
      room: null,
      users: 0,
      idleTimer: null,
      closing: null,
    }
    this.#entries.set(id, entry)
    entry.loading.then(
      (room) => {
        entry.room = room
        // Abandoned while it loaded (another server took it over): nobody may join it.
        if (this.#entries.get(id) !== entry && !entry.closing) room.abandon()
      },
      () => {
        if (this.#entries.get(id) === entry) this.#entries.delete(id)
      },
    )
    return entry
  }

  /** Another server owns `id` now: drop it at once, storing nothing (Room.abandon). */
  #abandon(id: string) {
    const entry = this.#entries.get(id)
    if (!entry) return
    this.#entries.delete(id)
    if (entry.idleTimer) clearTimeout(entry.idleTimer)
    entry.room?.abandon()
    this.#onUnloaded(id)
  }

  #unload(id: string, entry: Entry): Promise<void> {
    if (entry.closing) return entry.closing
    if (entry.idleTimer) clearTimeout(entry.idleTimer)
    entry.closing = entry.loading
      .then(async (room) => {
        await room.close()
        await this.#options.ownership?.release(id)
      })
      .catch((error: unknown) => log.error('unloading document failed', { doc: id, error }))
      .finally(() => {
        if (this.#entries.get(id) === entry) this.#entries.delete(id)
        this.#onUnloaded(id)
      })
    return entry.closing
  }
}

/** Relaying before the fsync, where the storage can write before it syncs (LevelDB; SPEC S1). */
function logSyncOf(storage: DocumentStorage): LogSync | undefined {
  if (!storage.writeUpdates || !storage.syncLog) return undefined
  return { sync: () => storage.syncLog!(), writeDurably: (entries) => storage.appendUpdates(entries) }
}
