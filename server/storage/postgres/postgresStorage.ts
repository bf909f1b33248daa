import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { ClientBase, Pool, QueryResultRow } from 'pg'
import {
  DocumentExistsError,
  StorageUnavailableError,
  UnknownDocumentError,
  type RawEntry,
  type RawStorage,
  type Storage,
  type StoredAttribution,
  type StoredDocument,
  type UpdateEntry,
  type UserRecord,
} from '../types.js'
import { withMeta, type DocumentRecord, type LastModified } from '../../../shared/documents.js'
import type { Notification } from '../../../shared/notifications.js'
import type { Thread } from '../../../shared/comments.js'
import type { Suggestion } from '../../../shared/suggestions.js'
import type { Author } from '../../../shared/accounts.js'
import type { SnapshotMeta } from '../../../shared/versions.js'
import type { StatusRecord } from '../../../shared/agreement.js'
import type { AuditEntry, AuditEvent, AuditQuery } from '../../../shared/audit.js'
import { AuditClock } from '../auditClock.js'
import { plain } from '../records.js'
import { log } from '../../log.js'
import { migrateSchema, readSchemaMigrations } from './schema.js'
import { isUnavailable } from './unavailable.js'
import { readEntries, writeEntries } from './rawEntries.js'
import { Leases } from './leases.js'
import { REVOCATION_CHANNEL, encodeRevocation, watchRevocations, type Revocation } from './revocationFeed.js'

export interface PostgresStorageOptions {
  /** The clock audit entries are stamped with (tests pass an old one to try retention). */
  readonly now?: () => number
  /** Connections in the pool (default 10): group commit uses one at a time, HTTP reads the rest. */
  readonly poolSize?: number
}

/** How long getting a connection may take before the write counts as failed (and is retried). */
const CONNECT_TIMEOUT_MS = 5_000
/**
 * How long one statement may go unanswered before it counts as failed: a stalled database (a
 * frozen host, a full network buffer) then shows as "not saved" instead of a silent wait. A write
 * that in fact committed is retried harmlessly (writes are puts).
 */
const QUERY_TIMEOUT_MS = 10_000
/**
 * A transaction left open this long by a stalled process (SIGSTOP between two statements) is ended
 * by PostgreSQL, so the owner rows it locked (see Leases.fence) do not hold up a takeover.
 */
export const IDLE_IN_TRANSACTION_MS = 3_000

type StoredRecord = Omit<DocumentRecord, 'meta'> & { meta?: unknown }

/**
 * Storage in PostgreSQL (`DATABASE_URL`), the same contract as LevelDB: every write is one
 * transaction, committed (durably, with PostgreSQL's default `synchronous_commit`) before it
 * resolves; a group-commit batch is one transaction. The only module that imports `pg`, with its
 * schema (./schema.ts, ./migrations/) and raw entries (./rawEntries.ts).
 *
 * A database that is down, unreachable or full fails operations with `StorageUnavailableError`;
 * the pool reconnects by itself once it is back, so callers just retry.
 */
export class PostgresStorage implements Storage, RawStorage {
  readonly #pool: Pool
  readonly #auditClock: AuditClock
  /** Raw reads whose snapshot is not taken yet: writes wait for them (see `entries`). */
  readonly #snapshotting = new Set<Promise<unknown>>()
  /** Set once this server joined others on this database: document writes are then fenced. */
  #leases: Leases | null = null

  private constructor(pool: Pool, auditClock: AuditClock) {
    this.#pool = pool
    this.#auditClock = auditClock
  }

  /** Connects, brings the schema up to date (migrations/*.sql) and reads what the audit clock needs. */
  static async open(url: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      options: `-c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
    })
    // An idle connection that breaks (the database restarts) must not crash the process: the pool drops it.
    pool.on('error', (error) => log.warn('a PostgreSQL connection broke; the pool opens a new one when needed', { error: error.message }))
    // A checked-out connection the database ends (an idle-in-transaction timeout after a stall, a
    // restart) emits 'error' with no listener of the pool's: without this one the process dies. The
    // query that uses it next fails and is mapped like any outage.
    pool.on('connect', (client) => client.on('error', (error) => log.warn('a PostgreSQL connection in use broke', { error: error.message })))
    try {
      const applied = await migrateSchema(pool, await readSchemaMigrations())
      if (applied.length > 0) log.info('applied PostgreSQL schema migrations', { versions: applied })
      const { rows } = await pool.query<{ at: string }>('SELECT at FROM audit ORDER BY at DESC LIMIT 1')
      return new PostgresStorage(pool, new AuditClock(options.now, rows[0]?.at))
    } catch (error) {
      await pool.end()
      throw isUnavailable(error) ? new StorageUnavailableError() : error
    }
  }

  /**
   * Joins the servers sharing this database (SPEC S27) as `nodeUrl`: from now on, a document's
   * updates are stored only while this server owns it (`appendUpdates` and `compactDocument`
   * check the fencing epoch in their transaction).
   */
  async joinCluster(nodeUrl: string): Promise<Leases> {
    try {
      this.#leases = await Leases.join(this.#pool, nodeUrl)
    } catch (error) {
      throw this.#mapped(error)
    }
    return this.#leases
  }

  /**
   * The setting `name`, written as `candidate` if there is none yet: servers starting together on
   * one database all end up with the value of whichever wrote first (a shared secret).
   */
  async settleSetting(name: string, candidate: Uint8Array): Promise<Uint8Array> {
    await this.#upsert('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, candidate])
    return (await this.getSetting(name))!
  }

  async listDocuments(): Promise<DocumentRecord[]> {
    return (await this.#column<StoredRecord>('SELECT record AS v FROM documents ORDER BY id')).map(withMeta)
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    const [record] = await this.#column<StoredRecord>('SELECT record AS v FROM documents WHERE id = $1', [id])
    return record && withMeta(record)
  }

  async createDocument(record: DocumentRecord, state: Uint8Array, audit?: AuditEvent): Promise<void> {
    await this.#transaction(async (client) => {
      const { rowCount } = await client.query(
        'INSERT INTO documents (id, record, state, state_clock) VALUES ($1, $2, $3, 0) ON CONFLICT (id) DO NOTHING',
        [record.id, JSON.stringify(record), state],
      )
      if (rowCount === 0) throw new DocumentExistsError(record.id)
    }, audit)
  }

  async updateDocument(record: DocumentRecord, audit?: AuditEvent): Promise<void> {
    await this.#transaction(async (client) => {
      const { rowCount } = await client.query('UPDATE documents SET record = $2 WHERE id = $1', [record.id, JSON.stringify(record)])
      if (rowCount === 0) throw new UnknownDocumentError(record.id)
    }, audit)
  }

  async listLastModified(): Promise<Map<string, LastModified>> {
    const { rows } = await this.#query<{ doc_id: string; record: LastModified }>('SELECT doc_id, record FROM last_modified')
    return new Map(rows.map((row) => [row.doc_id, row.record]))
  }

  async loadDocument(id: string): Promise<StoredDocument> {
    // One statement, so one snapshot: a compaction between reading the state and the log cannot split them.
    const { rows } = await this.#query<{
      state: Buffer | null
      state_clock: string
      state_vector: Buffer | null
      clock: string | null
      update: Buffer | null
    }>(
      `SELECT d.state, d.state_clock, d.state_vector, u.clock, u."update"
         FROM documents d LEFT JOIN updates u ON u.doc_id = d.id AND u.clock > d.state_clock
        WHERE d.id = $1 ORDER BY u.clock`,
      [id],
    )
    const [first] = rows
    if (first === undefined) throw new UnknownDocumentError(id)
    const stateClock = Number(first.state_clock)
    const logged = rows.filter((row) => row.clock !== null)
    return {
      state: first.state === null ? null : plain(first.state),
      stateClock,
      updates: logged.map((row) => plain(row.update!)),
      lastClock: logged.length === 0 ? stateClock : Number(logged.at(-1)!.clock),
      stateVector: first.state !== null && first.state_vector !== null ? plain(first.state_vector) : null,
    }
  }

  async appendUpdates(entries: readonly UpdateEntry[]): Promise<void> {
    if (entries.length === 0) return
    // One unnest per table: a batch of any size is three statements in one transaction.
    const authors = new Map<string, { docId: string; clientId: number; author: Author }>()
    for (const entry of entries) {
      for (const { clientId, author } of entry.attribution?.newClients ?? [])
        authors.set(`${entry.docId}/${clientId}`, { docId: entry.docId, clientId, author })
    }
    const deletions = entries.filter((entry) => entry.attribution?.deletedBy)
    // The batch's last change per document, in the same transaction: the document list's "diubah oleh".
    const modified = new Map<string, LastModified>()
    for (const entry of entries) if (entry.modified) modified.set(entry.docId, entry.modified)
    await this.#transaction(async (client) => {
      await this.#leases?.fence(
        client,
        entries.map((e) => e.docId),
      )
      // A retried batch whose commit was in fact made writes the same rows again: a put, as in LevelDB.
      await client.query(
        `INSERT INTO updates (doc_id, clock, "update") SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])
         ON CONFLICT (doc_id, clock) DO UPDATE SET "update" = excluded."update"`,
        [entries.map((e) => e.docId), entries.map((e) => e.clock), entries.map((e) => e.update)],
      )
      if (authors.size > 0) {
        const rows = [...authors.values()]
        await client.query(
          `INSERT INTO authors (doc_id, client_id, author) SELECT * FROM unnest($1::text[], $2::bigint[], $3::json[])
           ON CONFLICT (doc_id, client_id) DO UPDATE SET author = excluded.author`,
          [rows.map((r) => r.docId), rows.map((r) => r.clientId), rows.map((r) => JSON.stringify(r.author))],
        )
      }
      if (deletions.length > 0) {
        await client.query(
          `INSERT INTO deletions (doc_id, clock, author, "update") SELECT * FROM unnest($1::text[], $2::bigint[], $3::json[], $4::bytea[])
           ON CONFLICT (doc_id, clock) DO UPDATE SET author = excluded.author, "update" = excluded."update"`,
          [
            deletions.map((e) => e.docId),
            deletions.map((e) => e.clock),
            deletions.map((e) => JSON.stringify(e.attribution!.deletedBy)),
            deletions.map((e) => e.update),
          ],
        )
      }
      if (modified.size > 0) {
        await client.query(
          `INSERT INTO last_modified (doc_id, record) SELECT * FROM unnest($1::text[], $2::json[])
           ON CONFLICT (doc_id) DO UPDATE SET record = excluded.record`,
          [[...modified.keys()], [...modified.values()].map((last) => JSON.stringify(last))],
        )
      }
    })
  }

  async listNotifications(userId: string, limit: number): Promise<Notification[]> {
    return this.#column<Notification>('SELECT record AS v FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2', [userId, limit])
  }

  async putNotifications(notifications: readonly Notification[]): Promise<void> {
    if (notifications.length === 0) return
    await this.#transaction(async (client) => {
      await client.query(
        `INSERT INTO notifications (user_id, id, record) SELECT * FROM unnest($1::text[], $2::text[], $3::json[])
         ON CONFLICT (user_id, id) DO UPDATE SET record = excluded.record`,
        [notifications.map((n) => n.userId), notifications.map((n) => n.id), notifications.map((n) => JSON.stringify(n))],
      )
    })
  }

  async compactDocument(id: string, state: Uint8Array, throughClock: number, stateVector?: Uint8Array): Promise<void> {
    await this.#transaction(async (client) => {
      await this.#leases?.fence(client, [id])
      await client.query('UPDATE documents SET state = $2, state_clock = $3, state_vector = $4 WHERE id = $1', [
        id,
        state,
        throughClock,
        stateVector ?? null,
      ])
      await client.query('DELETE FROM updates WHERE doc_id = $1 AND clock <= $2', [id, throughClock])
    })
  }

  async loadAttribution(id: string): Promise<StoredAttribution> {
    const authors = await this.#query<{ client_id: string; author: Author }>(
      'SELECT client_id, author FROM authors WHERE doc_id = $1 ORDER BY client_id',
      [id],
    )
    const deletions = await this.#query<{ author: Author; update: Buffer }>(
      'SELECT author, "update" FROM deletions WHERE doc_id = $1 ORDER BY clock',
      [id],
    )
    return {
      authors: new Map(authors.rows.map((row) => [Number(row.client_id), row.author])),
      deletions: deletions.rows.map((row) => ({ author: row.author, update: plain(row.update) })),
    }
  }

  listSnapshots(docId: string): Promise<SnapshotMeta[]> {
    return this.#column<SnapshotMeta>(
      'SELECT meta AS v FROM snapshots WHERE doc_id = $1 AND meta IS NOT NULL AND data IS NOT NULL ORDER BY id DESC',
      [docId],
    )
  }

  async getSnapshot(docId: string, snapshotId: string): Promise<{ meta: SnapshotMeta; data: Uint8Array } | undefined> {
    const { rows } = await this.#query<{ meta: SnapshotMeta | null; data: Buffer | null }>(
      'SELECT meta, data FROM snapshots WHERE doc_id = $1 AND id = $2',
      [docId, snapshotId],
    )
    const [row] = rows
    if (!row || row.meta === null || row.data === null) return undefined
    return { meta: row.meta, data: plain(row.data) }
  }

  async putSnapshot(meta: SnapshotMeta, data: Uint8Array, audit?: AuditEvent): Promise<void> {
    await this.#fencedUpsert(meta.docId, 'INSERT INTO snapshots (doc_id, id, meta, data) VALUES ($1, $2, $3, $4) ON CONFLICT (doc_id, id) DO UPDATE SET meta = excluded.meta, data = excluded.data', [meta.docId, meta.id, JSON.stringify(meta), data], audit) // prettier-ignore
  }

  async getSetting(name: string): Promise<Uint8Array | undefined> {
    const [value] = await this.#column<Buffer>('SELECT value AS v FROM settings WHERE name = $1', [name])
    return value === undefined ? undefined : plain(value)
  }

  async putSetting(name: string, value: Uint8Array): Promise<void> {
    await this.#upsert('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value])
  }

  async getUser(username: string): Promise<UserRecord | undefined> {
    return (await this.#column<UserRecord>('SELECT record AS v FROM users WHERE username = $1', [username]))[0]
  }

  listUsers(): Promise<UserRecord[]> {
    return this.#column<UserRecord>('SELECT record AS v FROM users ORDER BY username')
  }

  async putUser(record: UserRecord, audit?: AuditEvent): Promise<void> {
    await this.#upsert('INSERT INTO users (username, record) VALUES ($1, $2) ON CONFLICT (username) DO UPDATE SET record = excluded.record', [record.username, JSON.stringify(record)], audit) // prettier-ignore
  }

  async deleteUser(username: string, audit?: AuditEvent): Promise<void> {
    await this.#upsert('DELETE FROM users WHERE username = $1', [username], audit)
  }

  async putRevocation(tokenId: string, expiresAt: number, audit?: AuditEvent): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('INSERT INTO revocations (token_id, expires_at) VALUES ($1, $2) ON CONFLICT (token_id) DO UPDATE SET expires_at = excluded.expires_at', [tokenId, JSON.stringify(expiresAt)]) // prettier-ignore
      // Delivered at commit, to every server listening (`watchRevocations`): a logout ends the sign-in everywhere.
      await client.query('SELECT pg_notify($1, $2)', [REVOCATION_CHANNEL, encodeRevocation({ tokenId, expiresAt })])
    }, audit)
  }

  async isRevoked(tokenId: string): Promise<boolean> {
    return (await this.#query('SELECT 1 FROM revocations WHERE token_id = $1', [tokenId])).rows.length > 0
  }

  /** Every revocation committed by any server on this database, as it commits (see `watchRevocations`). */
  async watchRevocations(onRevoked: (revocation: Revocation) => void): Promise<() => void> {
    try {
      return await watchRevocations(this.#pool, () => this.listRevocations(), onRevoked)
    } catch (error) {
      throw this.#mapped(error)
    }
  }

  async listRevocations(): Promise<Array<{ tokenId: string; expiresAt: number }>> {
    const { rows } = await this.#query<{ token_id: string; expires_at: number }>('SELECT token_id, expires_at FROM revocations ORDER BY token_id')
    return rows.map((row) => ({ tokenId: row.token_id, expiresAt: row.expires_at }))
  }

  async deleteRevocation(tokenId: string): Promise<void> {
    await this.#upsert('DELETE FROM revocations WHERE token_id = $1', [tokenId])
  }

  listThreads(docId: string): Promise<Thread[]> {
    return this.#column<Thread>('SELECT record AS v FROM threads WHERE doc_id = $1 ORDER BY id', [docId])
  }

  async getThread(docId: string, threadId: string): Promise<Thread | undefined> {
    return (await this.#column<Thread>('SELECT record AS v FROM threads WHERE doc_id = $1 AND id = $2', [docId, threadId]))[0]
  }

  async putThread(thread: Thread, audit?: AuditEvent): Promise<void> {
    await this.#fencedUpsert(thread.docId, 'INSERT INTO threads (doc_id, id, record) VALUES ($1, $2, $3) ON CONFLICT (doc_id, id) DO UPDATE SET record = excluded.record', [thread.docId, thread.id, JSON.stringify(thread)], audit) // prettier-ignore
  }

  listSuggestions(docId: string): Promise<Suggestion[]> {
    return this.#column<Suggestion>('SELECT record AS v FROM suggestions WHERE doc_id = $1 ORDER BY id', [docId])
  }

  async getSuggestion(docId: string, suggestionId: string): Promise<Suggestion | undefined> {
    return (await this.#column<Suggestion>('SELECT record AS v FROM suggestions WHERE doc_id = $1 AND id = $2', [docId, suggestionId]))[0]
  }

  async putSuggestion(suggestion: Suggestion): Promise<void> {
    await this.#fencedUpsert(suggestion.docId, 'INSERT INTO suggestions (doc_id, id, record) VALUES ($1, $2, $3) ON CONFLICT (doc_id, id) DO UPDATE SET record = excluded.record', [suggestion.docId, suggestion.id, JSON.stringify(suggestion)]) // prettier-ignore
  }

  listStatuses(docId: string): Promise<StatusRecord[]> {
    return this.#column<StatusRecord>('SELECT record AS v FROM statuses WHERE doc_id = $1 ORDER BY pasal_id', [docId])
  }

  async getStatus(docId: string, pasalId: string): Promise<StatusRecord | undefined> {
    return (await this.#column<StatusRecord>('SELECT record AS v FROM statuses WHERE doc_id = $1 AND pasal_id = $2', [docId, pasalId]))[0]
  }

  async putStatus(record: StatusRecord, audit?: AuditEvent): Promise<void> {
    await this.#fencedUpsert(record.docId, 'INSERT INTO statuses (doc_id, pasal_id, record) VALUES ($1, $2, $3) ON CONFLICT (doc_id, pasal_id) DO UPDATE SET record = excluded.record', [record.docId, record.pasalId, JSON.stringify(record)], audit) // prettier-ignore
  }

  async appendAudit(event: AuditEvent): Promise<AuditEntry> {
    let entry: AuditEntry | undefined
    await this.#transaction(async (client) => {
      entry = await this.#insertAudit(client, event)
    })
    return entry!
  }

  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    if (query.limit <= 0) return []
    const upper = [query.before, query.to].filter((at): at is string => at !== undefined).sort()[0]
    return this.#column<AuditEntry>(
      `SELECT entry AS v FROM audit
        WHERE ($1::text IS NULL OR at >= $1) AND ($2::text IS NULL OR at < $2)
          AND ($3::text IS NULL OR entry->>'actor' = $3) AND ($4::text IS NULL OR entry->>'action' = $4)
        ORDER BY at DESC, nonce DESC LIMIT $5`,
      [query.from ?? null, upper ?? null, query.actor ?? null, query.action ?? null, query.limit],
    )
  }

  async pruneNotifications(userId: string, keep: number, before: string): Promise<number> {
    let pruned = 0
    await this.#transaction(async (client) => {
      const sql = `DELETE FROM notifications WHERE user_id = $1 AND id < $3
                     AND id NOT IN (SELECT id FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2)`
      pruned = (await client.query(sql, [userId, keep, before])).rowCount ?? 0
    })
    return pruned
  }

  async pruneAudit(cutoff: string): Promise<number> {
    let pruned = 0
    await this.#transaction(async (client) => {
      pruned = (await client.query('DELETE FROM audit WHERE at < $1', [cutoff])).rowCount ?? 0
    })
    return pruned
  }

  /**
   * Every record as the raw entry LevelDB would hold (./rawEntries.ts), in key order, from one
   * snapshot. The snapshot is taken before any write issued after this call runs (writes wait
   * for it), as LevelDB's iterator snapshot is. Iterate it to the end (or `return` it): it holds a
   * connection until then.
   */
  entries(): AsyncIterable<RawEntry> {
    const snapshot = (async () => {
      const client = await this.#connect()
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
        // The snapshot of a repeatable-read transaction is taken by its first statement.
        await client.query('SELECT 1')
        return client
      } catch (error) {
        client.release(true)
        throw this.#mapped(error)
      }
    })()
    this.#snapshotting.add(snapshot)
    const settled = () => this.#snapshotting.delete(snapshot)
    snapshot.then(settled, settled)
    const mapped = (error: unknown) => this.#mapped(error)
    return (async function* () {
      const client = await snapshot
      let broken = false
      try {
        yield* readEntries(client)
        await client.query('COMMIT')
      } catch (error) {
        broken = true
        throw mapped(error)
      } finally {
        client.release(broken)
      }
    })()
  }

  /**
   * Writes `entries` (raw, in key order) in one transaction: all or nothing. `verify` then reads the
   * copy back inside that transaction; if it throws, nothing is committed.
   */
  async importEntries(entries: AsyncIterable<RawEntry>, verify?: (copy: AsyncIterable<RawEntry>) => Promise<void>): Promise<number> {
    let count = 0
    await this.#transaction(async (client) => {
      count = await writeEntries(client, entries)
      await verify?.(readEntries(client))
    })
    return count
  }

  async isEmpty(): Promise<boolean> {
    const tables = ['documents', 'updates', 'authors', 'deletions', 'snapshots', 'threads', 'suggestions', 'statuses', 'users', 'revocations', 'settings', 'audit', 'storage_format'] // prettier-ignore
    const { rows } = await this.#query(tables.map((table) => `(SELECT 1 FROM ${table} LIMIT 1)`).join(' UNION ALL '))
    return rows.length === 0
  }

  async getFormatVersion(): Promise<number | undefined> {
    return (await this.#column<number>('SELECT version AS v FROM storage_format'))[0]
  }

  async putFormatVersion(version: number): Promise<void> {
    await this.#upsert('INSERT INTO storage_format (version) VALUES ($1) ON CONFLICT (one) DO UPDATE SET version = excluded.version', [
      JSON.stringify(version),
    ])
  }

  async close(): Promise<void> {
    await this.#leases?.leave().catch((error: unknown) => log.warn('could not leave the cluster; its leases expire instead', { error }))
    await this.#pool.end()
  }

  /** One statement and the audit entry describing it, in one transaction (SPEC S17). */
  #upsert(sql: string, params: unknown[], audit?: AuditEvent): Promise<void> {
    return this.#transaction(async (client) => {
      await client.query(sql, params)
    }, audit)
  }

  /** `#upsert` of one of document `docId`'s records, refused once another server owns it (`Leases.fenceRecord`). */
  #fencedUpsert(docId: string, sql: string, params: unknown[], audit?: AuditEvent): Promise<void> {
    return this.#transaction(async (client) => {
      await this.#leases?.fenceRecord(client, docId)
      await client.query(sql, params)
    }, audit)
  }

  /** Runs `work` in a transaction, with the audit entry when there is one; resolves once committed. */
  async #transaction(work: (client: ClientBase) => Promise<void>, audit?: AuditEvent): Promise<void> {
    if (this.#snapshotting.size > 0) await Promise.allSettled([...this.#snapshotting])
    const client = await this.#connect()
    let broken = false
    try {
      await client.query('BEGIN')
      await work(client)
      if (audit) await this.#insertAudit(client, audit)
      await client.query('COMMIT')
    } catch (error) {
      broken = isUnavailable(error)
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true))
      throw this.#mapped(error)
    } finally {
      // A connection that failed is dropped, not returned to the pool.
      client.release(broken)
    }
  }

  async #insertAudit(client: ClientBase, event: AuditEvent): Promise<AuditEntry> {
    const entry: AuditEntry = { at: this.#auditClock.next(), ...event }
    await client.query('INSERT INTO audit (at, nonce, entry) VALUES ($1, $2, $3)', [entry.at, randomBytes(4).toString('hex'), JSON.stringify(entry)])
    return entry
  }

  async #connect() {
    try {
      return await this.#pool.connect()
    } catch (error) {
      throw this.#mapped(error)
    }
  }

  async #query<R extends QueryResultRow>(sql: string, params: unknown[] = []) {
    try {
      return await this.#pool.query<R>(sql, params)
    } catch (error) {
      throw this.#mapped(error)
    }
  }

  /** The values of a one-column (`v`) result. */
  async #column<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.#query<{ v: T }>(sql, params)).rows.map((row) => row.v)
  }

  /** A database that cannot be reached or cannot write is "storage unavailable"; anything else is ours. */
  #mapped(error: unknown): unknown {
    if (!isUnavailable(error)) return error
    log.warn('PostgreSQL unavailable', { error: error instanceof Error ? error.message : String(error) })
    return new StorageUnavailableError()
  }
}
