import type { Role } from '../../shared/accounts.js'
import type { Thread } from '../../shared/comments.js'
import type { Suggestion } from '../../shared/suggestions.js'
import type { Author } from '../../shared/accounts.js'
import type { SnapshotMeta } from '../../shared/versions.js'
import type { StatusRecord } from '../../shared/agreement.js'
import type { DocumentRecord, LastModified } from '../../shared/documents.js'
import type { AuditEntry, AuditEvent, AuditQuery } from '../../shared/audit.js'
import type { Notification } from '../../shared/notifications.js'

/**
 * The storage contract. Rooms, HTTP routes and the CLI depend on these interfaces only; the LevelDB
 * adapter implements them for production and the memory adapter for room tests.
 *
 * Writes that make a change the audit log records take an optional `audit` event: the entry is
 * written in the same batch as the change, so one is never stored without the other (SPEC S17).
 */

/** The persisted form of one document: a merged state plus the updates stored after it. */
export interface StoredDocument {
  /** Yjs update (v1) holding everything up to and including `stateClock`; null for none. */
  readonly state: Uint8Array | null
  readonly stateClock: number
  /** Updates stored after the state, in clock order. */
  readonly updates: readonly Uint8Array[]
  /** Clock of the last stored update (or `stateClock` when there is none). */
  readonly lastClock: number
  /**
   * The state vector of `state`, kept with it so a join is answered without decoding the state
   * (whose decoding costs time in proportion to the history). Absent: this storage does not keep
   * state vectors. Null: it does, but none was stored with this state (a new document, or one
   * stored before they were kept).
   */
  readonly stateVector?: Uint8Array | null
}

export interface UpdateEntry {
  readonly docId: string
  /** Per-document sequence number, strictly increasing. */
  readonly clock: number
  readonly update: Uint8Array
  /** Who wrote it, recorded with it (same batch) for comparing versions. */
  readonly attribution?: UpdateAttribution
  /**
   * Who sent it and when: the last of a batch per document becomes the draft's `LastModified`
   * (one record per document, overwritten in the same batch, so it costs no write of its own).
   * A room gives it with a person's first update and then at most once a second while they type.
   */
  readonly modified?: LastModified
}

/** Who is behind an update: new Yjs client ids it introduces, and whether it deletes anything. */
export interface UpdateAttribution {
  /** Yjs client ids first seen in this update, with the account that sent them. */
  readonly newClients: ReadonlyArray<{ readonly clientId: number; readonly author: Author }>
  /** Set when the update deletes content: the update is kept (for its delete set) with its sender. */
  readonly deletedBy?: Author
}

/** Everything recorded about who wrote a document's content, for comparisons. */
export interface StoredAttribution {
  readonly authors: ReadonlyMap<number, Author>
  /** Updates that deleted content, with their senders, in order. */
  readonly deletions: ReadonlyArray<{ readonly author: Author; readonly update: Uint8Array }>
}

export interface DocumentStorage {
  listDocuments(): Promise<DocumentRecord[]>
  getDocument(id: string): Promise<DocumentRecord | undefined>
  /** Stores the record and its initial state atomically; rejects if the id exists. */
  createDocument(record: DocumentRecord, state: Uint8Array, audit?: AuditEvent): Promise<void>
  /** Replaces a document's record (its title and metadata); rejects with `UnknownDocumentError` for an id that does not exist. */
  updateDocument(record: DocumentRecord, audit?: AuditEvent): Promise<void>
  /** The last change of every document that has one, by document id (see `UpdateEntry.modified`). */
  listLastModified(): Promise<Map<string, LastModified>>
  /** Rejects with `UnknownDocumentError` for an id that does not exist. */
  loadDocument(id: string): Promise<StoredDocument>
  /** Stores all entries atomically and durably (one batch: group commit). */
  appendUpdates(entries: readonly UpdateEntry[]): Promise<void>
  /**
   * Where a storage can write before it syncs (LevelDB): like `appendUpdates`, but resolving once
   * the batch is written where a crash of the server process cannot lose it, not yet durable...
   */
  writeUpdates?(entries: readonly UpdateEntry[]): Promise<void>
  /** ...and making everything so written durable. Storages without them write durably each time (PostgreSQL's commit). */
  syncLog?(): Promise<void>
  /**
   * Replaces the state with `state` (which must hold every update up to `throughClock`) and drops
   * those updates, atomically: a crash leaves either the old or the new form, both complete.
   * `stateVector` is the state vector of `state`, kept with it where the storage keeps them.
   */
  compactDocument(id: string, state: Uint8Array, throughClock: number, stateVector?: Uint8Array): Promise<void>
  /**
   * Where what a compaction replaced lingers until the storage reclaims it in its own time
   * (LevelDB: the older states and the log's deletion markers, which every later open of the
   * document reads past): reclaims it now for one document, once it is closed here. Others keep
   * nothing of the kind.
   */
  tidyDocument?(id: string): Promise<void>
  /** Attribution recorded with the stored updates (never compacted away). */
  loadAttribution(id: string): Promise<StoredAttribution>
}

/** Server-wide flags and small values (first-start seeding, secrets). */
export interface SettingStorage {
  getSetting(name: string): Promise<Uint8Array | undefined>
  putSetting(name: string, value: Uint8Array): Promise<void>
}

/** An account as stored: the public `User` plus what only the server may see. */
export interface UserRecord {
  /**
   * Stable and random (see `User.id`). Accounts stored before ids existed get one at the next
   * start (`Accounts.assignMissingIds`).
   */
  readonly id: string
  readonly username: string
  readonly name: string
  readonly bidang: string
  readonly role: Role
  /** scrypt parameters, salt and hash (see server/auth/passwords.ts); never leaves the server. */
  readonly password: string
  /**
   * Random, replaced when the password changes or the account signs out of every device; tokens
   * carry it, so either (or removing the account and creating it again) ends every earlier session.
   */
  readonly sessionKey: string
  readonly createdAt: string
  readonly updatedAt: string
}

export interface UserStorage {
  getUser(username: string): Promise<UserRecord | undefined>
  listUsers(): Promise<UserRecord[]>
  putUser(record: UserRecord, audit?: AuditEvent): Promise<void>
  deleteUser(username: string, audit?: AuditEvent): Promise<void>
}

/**
 * Sign-ins ended by logging out (by session id; before session ids, by token id), kept until their
 * tokens would have expired anyway.
 */
export interface RevocationStorage {
  /** `expiresAt` in seconds since the epoch. */
  putRevocation(tokenId: string, expiresAt: number, audit?: AuditEvent): Promise<void>
  listRevocations(): Promise<Array<{ tokenId: string; expiresAt: number }>>
  deleteRevocation(tokenId: string): Promise<void>
}

/** Comment threads, one record per thread, per document. */
export interface CommentStorage {
  listThreads(docId: string): Promise<Thread[]>
  getThread(docId: string, threadId: string): Promise<Thread | undefined>
  putThread(thread: Thread, audit?: AuditEvent): Promise<void>
}

/** Suggestions ("usulan perubahan"), one record per suggestion, per document. */
export interface SuggestionStorage {
  listSuggestions(docId: string): Promise<Suggestion[]>
  getSuggestion(docId: string, suggestionId: string): Promise<Suggestion | undefined>
  putSuggestion(suggestion: Suggestion): Promise<void>
}

/** Named and automatic versions: metadata and the compressed Yjs state, per document. */
export interface SnapshotStorage {
  /** Newest first. */
  listSnapshots(docId: string): Promise<SnapshotMeta[]>
  getSnapshot(docId: string, snapshotId: string): Promise<{ meta: SnapshotMeta; data: Uint8Array } | undefined>
  putSnapshot(meta: SnapshotMeta, data: Uint8Array, audit?: AuditEvent): Promise<void>
}

/** Agreement status per Pasal, one record per Pasal, per document. */
export interface StatusStorage {
  listStatuses(docId: string): Promise<StatusRecord[]>
  getStatus(docId: string, pasalId: string): Promise<StatusRecord | undefined>
  putStatus(record: StatusRecord, audit?: AuditEvent): Promise<void>
}

/** Notifications (shared/notifications.ts), per account. */
export interface NotificationStorage {
  /** The newest `limit` notifications of account `userId`, newest first (by id). */
  listNotifications(userId: string, limit: number): Promise<Notification[]>
  /** Stores every one in one batch; one with the account and id of a stored one replaces it (marking it read). */
  putNotifications(notifications: readonly Notification[]): Promise<void>
  /**
   * Deletes account `userId`'s notifications that are neither among its newest `keep` (at least 1)
   * nor have an id sorting at or after `before`; returns how many it deleted.
   */
  pruneNotifications(userId: string, keep: number, before: string): Promise<number>
}

/** One stored record as raw bytes: the unit of a backup, whatever kind of record it is. */
export interface RawEntry {
  readonly key: Uint8Array
  readonly value: Uint8Array
}

/**
 * The whole database as raw records, for backups, and its storage format version, for migrations
 * (server/storage/migrations.ts). Only the LevelDB adapter has them: they see every key, including
 * kinds this interface knows nothing of.
 */
export interface RawStorage {
  /**
   * Every record in key order, read from one snapshot of the database taken when this is called
   * (not when iteration starts): writes made meanwhile are not in it, and an atomic batch is in
   * it whole or not at all.
   */
  entries(): AsyncIterable<RawEntry>
  /** True when the database holds no record at all (created just now). */
  isEmpty(): Promise<boolean>
  /** The recorded storage format version; undefined when none is recorded. */
  getFormatVersion(): Promise<number | undefined>
  putFormatVersion(version: number): Promise<void>
}

/**
 * The audit log: append-only. Entries of actions that write nothing else (a failed sign-in, an
 * export) are appended on their own; the others ride along with their change (see above).
 */
export interface AuditStorage {
  /** Stores one entry, stamped with a time later than every stored entry's; returns it. */
  appendAudit(event: AuditEvent): Promise<AuditEntry>
  /** Newest first, filtered; reads one key range. */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>
  /** Retention, run by the server only: deletes every entry older than `cutoff` (ISO); returns how many. */
  pruneAudit(cutoff: string): Promise<number>
}

export interface Storage
  extends
    DocumentStorage,
    SettingStorage,
    UserStorage,
    RevocationStorage,
    CommentStorage,
    SnapshotStorage,
    StatusStorage,
    SuggestionStorage,
    NotificationStorage,
    AuditStorage {
  close(): Promise<void>
}

export class UnknownDocumentError extends Error {
  constructor(readonly docId: string) {
    super(`unknown document: ${docId}`)
    this.name = 'UnknownDocumentError'
  }
}

export class DocumentExistsError extends Error {
  constructor(readonly docId: string) {
    super(`document already exists: ${docId}`)
    this.name = 'DocumentExistsError'
  }
}

/**
 * Storage refuses writes for now: a write failed (a full or failing disk) and the database is being
 * reopened. Nothing was written; callers retry or report "not saved".
 */
export class StorageUnavailableError extends Error {
  constructor() {
    super('storage unavailable: reopening the database after a failed write')
    this.name = 'StorageUnavailableError'
  }
}

/**
 * A write of a document this server no longer owns (SPEC S27): another server claimed it, with a
 * higher fencing epoch, while this one was stalled or cut off. Nothing was written; the server
 * gives those documents up and their clients reconnect to the new owner.
 */
export class OwnershipLostError extends Error {
  constructor(readonly docIds: readonly string[]) {
    super(`no longer the owner of ${docIds.join(', ')}`)
    this.name = 'OwnershipLostError'
  }
}

/** The document is owned by another live server, reachable at `ownerUrl` (its NODE_URL). */
export class OwnedElsewhereError extends Error {
  constructor(
    readonly docId: string,
    readonly ownerUrl: string,
  ) {
    super(`document ${docId} is owned by ${ownerUrl}`)
    this.name = 'OwnedElsewhereError'
  }
}

/**
 * Which server stores and relays each document, when several share one database (PostgreSQL with
 * NODE_URL). A single server has none: it owns everything.
 */
export interface DocumentOwnership {
  /** Makes this server the owner when nobody (alive) is; rejects with `OwnedElsewhereError` otherwise. */
  claim(docId: string): Promise<void>
  /** Gives the document up (after everything is stored), so any server may claim it at once. */
  release(docId: string): Promise<void>
  /** The NODE_URL of the live server owning `docId`, or null when it is this one or nobody. */
  ownerElsewhere(docId: string): Promise<string | null>
  /** Called with documents this server found it no longer owns (a write was fenced, or a heartbeat saw it). */
  onLost(listener: (docIds: readonly string[]) => void): void
}
