import { authorOf, canEdit, type Author, type User } from '../../shared/accounts.js'
import { KeyedQueue } from '../keyedQueue.js'
import { isPasalStatus, type StatusChange, type StatusRecord } from '../../shared/agreement.js'
import type { StatusStorage } from '../storage/types.js'
import { Refused } from '../refused.js'

/** Whether a Pasal exists in the live document. */
export type PasalExists = (docId: string, pasalId: string) => Promise<boolean>

/**
 * Agreement per Pasal (Draf → Dibahas → Disepakati), set by editors and admins, with its history.
 * When the text of an agreed Pasal changes, it goes back to Dibahas, recorded under whoever changed
 * it, and everyone is told. Changes to one document are serialised.
 */
export class Agreement {
  readonly #storage: StatusStorage
  readonly #exists: PasalExists
  readonly #listeners = new Set<(record: StatusRecord) => void>()
  readonly #queue = new KeyedQueue()
  readonly #cache = new Map<string, Map<string, StatusRecord>>()

  constructor(storage: StatusStorage, exists: PasalExists) {
    this.#storage = storage
    this.#exists = exists
  }

  onChange(listener: (record: StatusRecord) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async list(docId: string): Promise<StatusRecord[]> {
    return [...(await this.#statuses(docId)).values()].sort((a, b) => (a.pasalId < b.pasalId ? -1 : a.pasalId > b.pasalId ? 1 : 0))
  }

  set(docId: string, pasalId: string, status: unknown, user: User): Promise<StatusRecord> {
    if (!canEdit(user.role)) throw new Refused(403, 'Hanya penyusun atau admin yang dapat mengubah status pasal.')
    if (!isPasalStatus(status)) throw new Refused(400, 'Status harus draf, dibahas, atau disepakati.')
    return this.#queue.run(docId, async () => {
      if (!(await this.#exists(docId, pasalId))) throw new Refused(404, 'Pasal tidak ditemukan.')
      return this.#record(docId, pasalId, { status, by: authorOf(user), at: new Date().toISOString() })
    })
  }

  /** After a stored change: agreed Pasal whose text changed go back to Dibahas. */
  textChanged(docId: string, pasalIds: ReadonlySet<string>, author: Author): Promise<void> {
    if (pasalIds.size === 0) return Promise.resolve()
    const by = authorOf(author)
    return this.#queue.run(docId, async () => {
      const statuses = await this.#statuses(docId)
      for (const pasalId of pasalIds) {
        if (statuses.get(pasalId)?.status !== 'disepakati') continue
        await this.#record(docId, pasalId, { status: 'dibahas', by, at: new Date().toISOString(), reason: 'teks-diubah' })
      }
    })
  }

  async #record(docId: string, pasalId: string, change: StatusChange): Promise<StatusRecord> {
    const statuses = await this.#statuses(docId)
    const record: StatusRecord = { docId, pasalId, status: change.status, history: [...(statuses.get(pasalId)?.history ?? []), change] }
    await this.#storage.putStatus(record)
    statuses.set(pasalId, record)
    for (const listener of this.#listeners) listener(record)
    return record
  }

  /** The statuses of a document, read once and then kept current: every edit asks about them. */
  async #statuses(docId: string): Promise<Map<string, StatusRecord>> {
    let statuses = this.#cache.get(docId)
    if (!statuses) {
      statuses = new Map((await this.#storage.listStatuses(docId)).map((r) => [r.pasalId, r]))
      this.#cache.set(docId, statuses)
    }
    return statuses
  }
}
