import {
  DocumentExistsError,
  UnknownDocumentError,
  type Storage,
  type StoredDocument,
  type UpdateEntry,
  type UserRecord,
  type StoredAttribution,
} from './types.js'
import type { DocumentRecord, LastModified } from '../../shared/documents.js'
import type { Thread } from '../../shared/comments.js'
import type { Suggestion } from '../../shared/suggestions.js'
import type { Notification } from '../../shared/notifications.js'
import type { Author } from '../../shared/accounts.js'
import type { SnapshotMeta } from '../../shared/versions.js'
import type { StatusRecord } from '../../shared/agreement.js'
import type { AuditEntry, AuditEvent, AuditQuery } from '../../shared/audit.js'
import { AuditClock } from './auditClock.js'
import { matchesAudit } from './auditFilter.js'

interface MemoryDocument {
  record: DocumentRecord
  state: Uint8Array
  stateClock: number
  stateVector: Uint8Array | null
  log: Map<number, Uint8Array>
  authors: Map<number, Author>
  deletions: Array<{ author: Author; update: Uint8Array }>
  snapshots: Map<string, { meta: SnapshotMeta; data: Uint8Array }>
  modified?: LastModified
}

/** Storage held in memory: for room tests and the storage contract suite. Loses everything on exit. */
export class MemoryStorage implements Storage {
  readonly #docs = new Map<string, MemoryDocument>()
  readonly #settings = new Map<string, Uint8Array>()
  readonly #users = new Map<string, UserRecord>()
  readonly #revocations = new Map<string, number>()
  readonly #threads = new Map<string, Thread>()
  readonly #statuses = new Map<string, StatusRecord>()
  readonly #suggestions = new Map<string, Suggestion>()
  /** By account id, then notification id. */
  readonly #notifications = new Map<string, Map<string, Notification>>()
  /** Oldest first (times strictly increase). */
  #audit: AuditEntry[] = []
  readonly #auditClock: AuditClock

  /** `now`: the clock audit entries are stamped with (tests pass an old one to try retention). */
  constructor(options: { now?: () => number } = {}) {
    this.#auditClock = new AuditClock(options.now)
  }

  async listNotifications(userId: string, limit: number): Promise<Notification[]> {
    const stored = [...(this.#notifications.get(userId)?.values() ?? [])]
    return stored.sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, limit)
  }

  async putNotifications(notifications: readonly Notification[]): Promise<void> {
    for (const notification of notifications) {
      const mine = this.#notifications.get(notification.userId) ?? new Map<string, Notification>()
      mine.set(notification.id, notification)
      this.#notifications.set(notification.userId, mine)
    }
  }

  async pruneNotifications(userId: string, keep: number, before: string): Promise<number> {
    const mine = this.#notifications.get(userId)
    const pruned = [...(mine?.keys() ?? [])]
      .sort()
      .reverse()
      .slice(keep)
      .filter((id) => id < before)
    for (const id of pruned) mine!.delete(id)
    return pruned.length
  }

  async listDocuments(): Promise<DocumentRecord[]> {
    return [...this.#docs.values()].map((d) => d.record).sort((a, b) => (a.id < b.id ? -1 : 1))
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    return this.#docs.get(id)?.record
  }

  async createDocument(record: DocumentRecord, state: Uint8Array, audit?: AuditEvent): Promise<void> {
    if (this.#docs.has(record.id)) throw new DocumentExistsError(record.id)
    this.#record(audit)
    this.#docs.set(record.id, {
      record,
      state,
      stateClock: 0,
      stateVector: null,
      log: new Map(),
      authors: new Map(),
      deletions: [],
      snapshots: new Map(),
    })
  }

  async updateDocument(record: DocumentRecord, audit?: AuditEvent): Promise<void> {
    this.#get(record.id).record = record
    this.#record(audit)
  }

  async listLastModified(): Promise<Map<string, LastModified>> {
    const modified = new Map<string, LastModified>()
    for (const [id, doc] of this.#docs) if (doc.modified) modified.set(id, doc.modified)
    return modified
  }

  async loadDocument(id: string): Promise<StoredDocument> {
    const doc = this.#get(id)
    const clocks = [...doc.log.keys()].sort((a, b) => a - b)
    return {
      state: doc.state,
      stateClock: doc.stateClock,
      updates: clocks.map((c) => doc.log.get(c)!),
      lastClock: clocks.at(-1) ?? doc.stateClock,
      stateVector: doc.stateVector,
    }
  }

  async appendUpdates(entries: readonly UpdateEntry[]): Promise<void> {
    for (const entry of entries) this.#get(entry.docId)
    for (const entry of entries) {
      const doc = this.#get(entry.docId)
      doc.log.set(entry.clock, entry.update)
      for (const { clientId, author } of entry.attribution?.newClients ?? []) doc.authors.set(clientId, author)
      if (entry.attribution?.deletedBy) doc.deletions.push({ author: entry.attribution.deletedBy, update: entry.update })
      if (entry.modified) doc.modified = entry.modified
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

  async putSnapshot(meta: SnapshotMeta, data: Uint8Array, audit?: AuditEvent): Promise<void> {
    this.#get(meta.docId).snapshots.set(meta.id, { meta, data })
    this.#record(audit)
  }

  async compactDocument(id: string, state: Uint8Array, throughClock: number, stateVector?: Uint8Array): Promise<void> {
    const doc = this.#get(id)
    doc.state = state
    doc.stateClock = throughClock
    doc.stateVector = stateVector ?? null
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

  async putUser(record: UserRecord, audit?: AuditEvent): Promise<void> {
    this.#users.set(record.username, record)
    this.#record(audit)
  }

  async deleteUser(username: string, audit?: AuditEvent): Promise<void> {
    this.#users.delete(username)
    this.#record(audit)
  }

  async putRevocation(tokenId: string, expiresAt: number, audit?: AuditEvent): Promise<void> {
    this.#revocations.set(tokenId, expiresAt)
    this.#record(audit)
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

  async putThread(thread: Thread, audit?: AuditEvent): Promise<void> {
    this.#threads.set(`${thread.docId}/${thread.id}`, thread)
    this.#record(audit)
  }

  async listSuggestions(docId: string): Promise<Suggestion[]> {
    return [...this.#suggestions.values()].filter((s) => s.docId === docId).sort((a, b) => (a.id < b.id ? -1 : 1))
  }

  async getSuggestion(docId: string, suggestionId: string): Promise<Suggestion | undefined> {
    return this.#suggestions.get(`${docId}/${suggestionId}`)
  }

  async putSuggestion(suggestion: Suggestion): Promise<void> {
    this.#suggestions.set(`${suggestion.docId}/${suggestion.id}`, suggestion)
  }

  async listStatuses(docId: string): Promise<StatusRecord[]> {
    return [...this.#statuses.values()].filter((r) => r.docId === docId)
  }

  async getStatus(docId: string, pasalId: string): Promise<StatusRecord | undefined> {
    return this.#statuses.get(`${docId}/${pasalId}`)
  }

  async putStatus(record: StatusRecord, audit?: AuditEvent): Promise<void> {
    this.#statuses.set(`${record.docId}/${record.pasalId}`, record)
    this.#record(audit)
  }

  async appendAudit(event: AuditEvent): Promise<AuditEntry> {
    return this.#record(event)
  }

  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    const inRange = (e: AuditEntry) =>
      (query.from === undefined || e.at >= query.from) &&
      (query.before === undefined || e.at < query.before) &&
      (query.to === undefined || e.at < query.to)
    return this.#audit
      .filter((e) => inRange(e) && matchesAudit(e, query))
      .reverse()
      .slice(0, Math.max(0, query.limit))
  }

  async pruneAudit(cutoff: string): Promise<number> {
    const before = this.#audit.length
    this.#audit = this.#audit.filter((e) => e.at >= cutoff)
    return before - this.#audit.length
  }

  async close(): Promise<void> {}

  #record(event: AuditEvent): AuditEntry
  #record(event: AuditEvent | undefined): AuditEntry | undefined
  #record(event: AuditEvent | undefined): AuditEntry | undefined {
    if (!event) return undefined
    const entry: AuditEntry = { at: this.#auditClock.next(), ...event }
    this.#audit.push(entry)
    return entry
  }

  #get(id: string): MemoryDocument {
    const doc = this.#docs.get(id)
    if (!doc) throw new UnknownDocumentError(id)
    return doc
  }
}
