import {
  DocumentExistsError,
  UnknownDocumentError,
  type Storage,
  type StoredDocument,
  type UpdateEntry,
  type UserRecord,
  type StoredAttribution,
} from './types.js'
import type { DocumentRecord } from '../../shared/documents.js'
import type { Thread } from '../../shared/comments.js'
import type { Author } from '../../shared/accounts.js'
import type { SnapshotMeta } from '../../shared/versions.js'
import type { StatusRecord } from '../../shared/agreement.js'

interface MemoryDocument {
  record: DocumentRecord
  state: Uint8Array
  stateClock: number
  log: Map<number, Uint8Array>
  authors: Map<number, Author>
  deletions: Array<{ author: Author; update: Uint8Array }>
  snapshots: Map<string, { meta: SnapshotMeta; data: Uint8Array }>
}

/** Storage held in memory: for room tests and the storage contract suite. Loses everything on exit. */
export class MemoryStorage implements Storage {
  readonly #docs = new Map<string, MemoryDocument>()
  readonly #settings = new Map<string, Uint8Array>()
  readonly #users = new Map<string, UserRecord>()
  readonly #revocations = new Map<string, number>()
  readonly #threads = new Map<string, Thread>()
  readonly #statuses = new Map<string, StatusRecord>()

  async listDocuments(): Promise<DocumentRecord[]> {
    return [...this.#docs.values()].map((d) => d.record).sort((a, b) => (a.id < b.id ? -1 : 1))
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    return this.#docs.get(id)?.record
  }

  async createDocument(record: DocumentRecord, state: Uint8Array): Promise<void> {
    if (this.#docs.has(record.id)) throw new DocumentExistsError(record.id)
    this.#docs.set(record.id, { record, state, stateClock: 0, log: new Map(), authors: new Map(), deletions: [], snapshots: new Map() })
  }

  async updateDocument(record: DocumentRecord): Promise<void> {
    this.#get(record.id).record = record
  }

  async loadDocument(id: string): Promise<StoredDocument> {
    const doc = this.#get(id)
    const clocks = [...doc.log.keys()].sort((a, b) => a - b)
    return {
      state: doc.state,
      stateClock: doc.stateClock,
      updates: clocks.map((c) => doc.log.get(c)!),
      lastClock: clocks.at(-1) ?? doc.stateClock,
    }
  }

  async appendUpdates(entries: readonly UpdateEntry[]): Promise<void> {
    for (const entry of entries) this.#get(entry.docId)
    for (const entry of entries) {
      const doc = this.#get(entry.docId)
      doc.log.set(entry.clock, entry.update)
      for (const { clientId, author } of entry.attribution?.newClients ?? []) doc.authors.set(clientId, author)
      if (entry.attribution?.deletedBy) doc.deletions.push({ author: entry.attribution.deletedBy, update: entry.update })
    }
  }

  async loadAttribution(id: string): Promise<StoredAttribution> {
    const doc = this.#get(id)
    return { authors: new Map(doc.authors), deletions: [...doc.deletions] }
  }

  async listSnapshots(docId: string): Promise<SnapshotMeta[]> {
    const snapshots = this.#docs.get(docId)?.snapshots
    return snapshots ? [...snapshots.values()].map((s) => s.meta).sort((a, b) => (a.id < b.id ? 1 : -1)) : []
  }

  async getSnapshot(docId: string, snapshotId: string): Promise<{ meta: SnapshotMeta; data: Uint8Array } | undefined> {
    return this.#docs.get(docId)?.snapshots.get(snapshotId)
  }

  async putSnapshot(meta: SnapshotMeta, data: Uint8Array): Promise<void> {
    this.#get(meta.docId).snapshots.set(meta.id, { meta, data })
  }

  async compactDocument(id: string, state: Uint8Array, throughClock: number): Promise<void> {
    const doc = this.#get(id)
    doc.state = state
    doc.stateClock = throughClock
    for (const clock of doc.log.keys()) if (clock <= throughClock) doc.log.delete(clock)
  }

  async getSetting(name: string): Promise<Uint8Array | undefined> {
    return this.#settings.get(name)
  }

  async putSetting(name: string, value: Uint8Array): Promise<void> {
    this.#settings.set(name, value)
  }

  async getUser(username: string): Promise<UserRecord | undefined> {
    return this.#users.get(username)
  }

  async listUsers(): Promise<UserRecord[]> {
    return [...this.#users.values()].sort((a, b) => (a.username < b.username ? -1 : 1))
  }

  async putUser(record: UserRecord): Promise<void> {
    this.#users.set(record.username, record)
  }

  async deleteUser(username: string): Promise<void> {
    this.#users.delete(username)
  }

  async putRevocation(tokenId: string, expiresAt: number): Promise<void> {
    this.#revocations.set(tokenId, expiresAt)
  }

  async listRevocations(): Promise<Array<{ tokenId: string; expiresAt: number }>> {
    return [...this.#revocations].map(([tokenId, expiresAt]) => ({ tokenId, expiresAt }))
  }

  async deleteRevocation(tokenId: string): Promise<void> {
    this.#revocations.delete(tokenId)
  }

  async listThreads(docId: string): Promise<Thread[]> {
    return [...this.#threads.values()].filter((t) => t.docId === docId).sort((a, b) => (a.id < b.id ? -1 : 1))
  }

  async getThread(docId: string, threadId: string): Promise<Thread | undefined> {
    return this.#threads.get(`${docId}/${threadId}`)
  }

  async putThread(thread: Thread): Promise<void> {
    this.#threads.set(`${thread.docId}/${thread.id}`, thread)
  }

  async listStatuses(docId: string): Promise<StatusRecord[]> {
    return [...this.#statuses.values()].filter((r) => r.docId === docId)
  }

  async getStatus(docId: string, pasalId: string): Promise<StatusRecord | undefined> {
    return this.#statuses.get(`${docId}/${pasalId}`)
  }

  async putStatus(record: StatusRecord): Promise<void> {
    this.#statuses.set(`${record.docId}/${record.pasalId}`, record)
  }

  async close(): Promise<void> {}

  #get(id: string): MemoryDocument {
    const doc = this.#docs.get(id)
    if (!doc) throw new UnknownDocumentError(id)
    return doc
  }
}
