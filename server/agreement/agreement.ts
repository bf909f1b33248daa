import { canEdit, type User } from '../../shared/accounts.js'
import { KeyedQueue } from '../keyedQueue.js'
import { isPasalStatus, type StatusChange, type StatusRecord } from '../../shared/agreement.js'
import type { Author } from '../../shared/versions.js'
import type { StatusStorage } from '../storage/types.js'

/** A refused status change, with the HTTP status it maps to and a message for people. */
export class AgreementError extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message)
    this.name = 'AgreementError'
  }
}

/** Whether a Pasal exists in the live document. */
export type PasalExists = (docId: string, pasalId: string) => Promise<boolean>

const authorOf = (user: User): Author => ({ username: user.username, name: user.name, bidang: user.bidang })

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

  constructor(storage: StatusStorage, exists: PasalExists) {
    this.#storage = storage
    this.#exists = exists
  }

  onChange(listener: (record: StatusRecord) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  list(docId: string): Promise<StatusRecord[]> {
    return this.#storage.listStatuses(docId)
  }

  set(docId: string, pasalId: string, status: unknown, user: User): Promise<StatusRecord> {
    if (!canEdit(user.role)) throw new AgreementError(403, 'Hanya penyusun atau admin yang dapat mengubah status pasal.')
    if (!isPasalStatus(status)) throw new AgreementError(400, 'Status harus draf, dibahas, atau disepakati.')
    return this.#queue.run(docId, async () => {
      if (!(await this.#exists(docId, pasalId))) throw new AgreementError(404, 'Pasal tidak ditemukan.')
      return this.#record(docId, pasalId, { status, by: authorOf(user), at: new Date().toISOString() })
    })
  }

  /** After a stored change: agreed Pasal whose text changed go back to Dibahas. */
  textChanged(docId: string, pasalIds: ReadonlySet<string>, author: Author): Promise<void> {
    if (pasalIds.size === 0) return Promise.resolve()
    return this.#queue.run(docId, async () => {
      for (const pasalId of pasalIds) {
        const current = await this.#storage.getStatus(docId, pasalId)
        if (current?.status !== 'disepakati') continue
        await this.#record(docId, pasalId, { status: 'dibahas', by: author, at: new Date().toISOString(), reason: 'teks-diubah' })
      }
    })
  }

  async #record(docId: string, pasalId: string, change: StatusChange): Promise<StatusRecord> {
    const current = await this.#storage.getStatus(docId, pasalId)
    const record: StatusRecord = { docId, pasalId, status: change.status, history: [...(current?.history ?? []), change] }
    await this.#storage.putStatus(record)
    for (const listener of this.#listeners) listener(record)
    return record
  }
}
