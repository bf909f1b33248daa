import { authorOf, canEdit, type Author, type User } from '../../shared/accounts.js'
import { KeyedQueue } from '../keyedQueue.js'
import { isPasalStatus, type StatusChange, type StatusRecord } from '../../shared/agreement.js'
import { encodeStatus } from '../../shared/protocol/messages.js'
import type { StatusStorage } from '../storage/types.js'
import { audited, type AuditOrigin } from '../../shared/audit.js'
import type { Extension, RoomAccess, onUpdateStoredPayload } from '../rooms/hooks.js'
import { KeptWhileOpen } from '../rooms/keptWhileOpen.js'
import { describePasal } from '../documents/pasal.js'
import { Refusal } from '../refusal.js'

/**
 * Agreement per Pasal (Draf → Dibahas → Disepakati), set by editors and admins, with its history.
 * When the text of an agreed Pasal changes, it goes back to Dibahas, recorded under whoever changed
 * it, and everyone is told. Changes to one document are serialised.
 */
export class Agreement implements Extension {
  readonly name = 'agreement'
  readonly #storage: StatusStorage
  readonly #rooms: RoomAccess
  readonly #queue = new KeyedQueue()
  readonly #cache: KeptWhileOpen<Map<string, StatusRecord>>

  constructor(storage: StatusStorage, rooms: RoomAccess) {
    this.#storage = storage
    this.#rooms = rooms
    this.#cache = new KeptWhileOpen(rooms)
  }

  async list(docId: string): Promise<StatusRecord[]> {
    return [...(await this.#statuses(docId)).values()].sort((a, b) => (a.pasalId < b.pasalId ? -1 : a.pasalId > b.pasalId ? 1 : 0))
  }

  /** `origin`: who asked and from where, recorded in the audit log with the change. */
  set(docId: string, pasalId: string, status: unknown, user: User, origin?: AuditOrigin): Promise<StatusRecord> {
    if (!canEdit(user.role)) throw new Refusal('forbidden', 'Hanya penyusun atau admin yang dapat mengubah status pasal.')
    if (!isPasalStatus(status)) throw new Refusal('invalid', 'Status harus draf, dibahas, atau disepakati.')
    return this.#queue.run(docId, async () => {
      if (!(await this.#rooms.with(docId, (room) => describePasal(room.doc, pasalId) !== null)))
        throw new Refusal('not-found', 'Pasal tidak ditemukan.')
      return this.#record(docId, pasalId, { status, by: authorOf(user), at: new Date().toISOString() }, origin)
    })
  }

  onUpdateStored({ room, pasalIds, author }: onUpdateStoredPayload): Promise<void> {
    return this.textChanged(room.id, pasalIds, author)
  }

  onUnloaded(docId: string) {
    this.#cache.drop(docId)
  }

  /** After a stored change: agreed Pasal whose text changed go back to Dibahas. */
  textChanged(docId: string, pasalIds: ReadonlySet<string>, author: Author): Promise<void> {
    if (pasalIds.size === 0) return Promise.resolve()
    // Every keystroke asks: with the statuses known and no change of them pending, one that
    // touches no agreed Pasal needs no turn in the queue.
    const known = this.#queue.busy(docId) ? undefined : this.#cache.peek(docId)
    if (known && ![...pasalIds].some((id) => known.get(id)?.status === 'disepakati')) return Promise.resolve()
    const by = authorOf(author)
    return this.#queue.run(docId, async () => {
      const statuses = await this.#statuses(docId)
      for (const pasalId of pasalIds) {
        if (statuses.get(pasalId)?.status !== 'disepakati') continue
        // Recorded under whoever changed the text; the address is not known here (a WebSocket edit).
        const origin = { actor: by.username, ...(by.id ? { actorId: by.id } : {}), address: '' }
        await this.#record(docId, pasalId, { status: 'dibahas', by, at: new Date().toISOString(), reason: 'teks-diubah' }, origin)
      }
    })
  }

  async #record(docId: string, pasalId: string, change: StatusChange, origin?: AuditOrigin): Promise<StatusRecord> {
    const statuses = await this.#statuses(docId)
    const before = statuses.get(pasalId)?.status ?? 'draf'
    const record: StatusRecord = { docId, pasalId, status: change.status, history: [...(statuses.get(pasalId)?.history ?? []), change] }
    const detail = `${before} → ${change.status}${change.reason === 'teks-diubah' ? ' (teks diubah)' : ''}`
    await this.#storage.putStatus(record, audited(origin, 'status.changed', `${docId}/${pasalId}`, detail))
    // Into what is kept now, not the map read before the write: the document may have unloaded
    // during it (dropping that map) and been opened again, with statuses read before this one landed.
    ;(await this.#statuses(docId)).set(pasalId, record)
    this.#rooms.peek(docId)?.broadcastExtension(encodeStatus(record))
    return record
  }

  /** The statuses of a document, read once while it is open and then kept current: every edit asks about them. */
  #statuses(docId: string): Promise<Map<string, StatusRecord>> {
    return this.#cache.get(docId, async () => new Map((await this.#storage.listStatuses(docId)).map((r) => [r.pasalId, r])))
  }
}
