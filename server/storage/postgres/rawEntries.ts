import type { ClientBase } from 'pg'
import type { RawEntry } from '../types.js'
import {
  auditKey,
  authorKey,
  deletedKey,
  formatVersionKey,
  logKey,
  metaKey,
  modifiedKey,
  notificationKey,
  parseClock,
  parseKey,
  revokedKey,
  settingKey,
  snapDataKey,
  snapMetaKey,
  stateKey,
  statusKey,
  suggestionKey,
  threadKey,
  userKey,
} from '../keys.js'
import { decodeDeletion, decodeState, encodeDeletion, encodeState, plain } from '../records.js'

/**
 * PostgreSQL rows as the raw entries of the storage interface: the keys and values LevelDB would
 * hold for them (server/storage/keys.ts, records.ts). Backups are the same file whichever storage
 * wrote them, and `migrate-storage` copies a LevelDB database row by row and compares both sides
 * entry by entry.
 */

type Row = Record<string, unknown>
const utf8 = new TextEncoder()
const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes)
const bytesOf = (value: unknown) => plain(value as Uint8Array)
const entry = (key: string, value: Uint8Array): RawEntry => ({ key: utf8.encode(key), value })

/** One key kind: how to read its rows in key order, and how to write a run of its entries. */
interface Kind {
  /** The rows in the order of their keys (document ids before '/' sort as the key does). */
  readonly select: string
  toEntry(row: Row): RawEntry
  /** Columns of one entry, in the order of `insert`'s unnest. */
  columns(parts: readonly string[], value: Uint8Array): unknown[]
  /** Writes the rows given as one array per column; returns how many rows it changed. */
  readonly insert: string
}

/** Order by document id as a key prefix: `a-b/` sorts before `a/`, as in LevelDB. */
const byDoc = `(doc_id || '/') COLLATE "C"`

function clockOf(parts: readonly string[]): number {
  const clock = parseClock(parts[1]!)
  if (Number.isNaN(clock)) throw new Error(`not a clock: ${parts[1]}`)
  return clock
}

function clientIdOf(parts: readonly string[]): number {
  if (!/^\d+$/.test(parts[1]!)) throw new Error(`not a Yjs client id: ${parts[1]}`)
  return Number(parts[1])
}

/** Every kind, by the name `parseKey` gives it, in key order. */
export const KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  [
    'format',
    {
      select: 'SELECT version::text AS v FROM storage_format',
      toEntry: (row) => entry(formatVersionKey, utf8.encode(row.v as string)),
      columns: (_, value) => [text(value)],
      insert:
        'INSERT INTO storage_format (version) SELECT v FROM unnest($1::json[]) AS u(v) ON CONFLICT (one) DO UPDATE SET version = excluded.version',
    },
  ],
  [
    'audit',
    {
      select: 'SELECT at, nonce, entry::text AS v FROM audit ORDER BY at, nonce',
      toEntry: (row) => entry(auditKey(row.at as string, row.nonce as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], parts[1], text(value)],
      insert: 'INSERT INTO audit (at, nonce, entry) SELECT * FROM unnest($1::text[], $2::text[], $3::json[])',
    },
  ],
  [
    'author',
    {
      select: `SELECT doc_id, client_id, author::text AS v FROM authors ORDER BY ${byDoc}, client_id::text COLLATE "C"`,
      toEntry: (row) => entry(authorKey(row.doc_id as string, Number(row.client_id)), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], clientIdOf(parts), text(value)],
      insert: 'INSERT INTO authors (doc_id, client_id, author) SELECT * FROM unnest($1::text[], $2::bigint[], $3::json[])',
    },
  ],
  [
    'deleted',
    {
      select: `SELECT doc_id, clock, author::text AS a, "update" FROM deletions ORDER BY ${byDoc}, clock`,
      toEntry: (row) => entry(deletedKey(row.doc_id as string, Number(row.clock)), encodeDeletion(JSON.parse(row.a as string), bytesOf(row.update))),
      columns: (parts, value) => {
        const { author, update } = decodeDeletion(value)
        return [parts[0], clockOf(parts), JSON.stringify(author), update]
      },
      insert: 'INSERT INTO deletions (doc_id, clock, author, "update") SELECT * FROM unnest($1::text[], $2::bigint[], $3::json[], $4::bytea[])',
    },
  ],
  [
    'log',
    {
      select: `SELECT doc_id, clock, "update" FROM updates ORDER BY ${byDoc}, clock`,
      toEntry: (row) => entry(logKey(row.doc_id as string, Number(row.clock)), bytesOf(row.update)),
      columns: (parts, value) => [parts[0], clockOf(parts), value],
      insert: 'INSERT INTO updates (doc_id, clock, "update") SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])',
    },
  ],
  [
    'meta',
    {
      select: 'SELECT id, record::text AS v FROM documents ORDER BY id',
      toEntry: (row) => entry(metaKey(row.id as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], text(value)],
      insert: 'INSERT INTO documents (id, record) SELECT * FROM unnest($1::text[], $2::json[])',
    },
  ],
  [
    'modified',
    {
      select: 'SELECT doc_id, record::text AS v FROM last_modified ORDER BY doc_id',
      toEntry: (row) => entry(modifiedKey(row.doc_id as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], text(value)],
      insert: 'INSERT INTO last_modified (doc_id, record) SELECT * FROM unnest($1::text[], $2::json[])',
    },
  ],
  [
    'notification',
    {
      select: `SELECT user_id, id, record::text AS v FROM notifications ORDER BY (user_id || '/') COLLATE "C", id`,
      toEntry: (row) => entry(notificationKey(row.user_id as string, row.id as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], parts[1], text(value)],
      insert: 'INSERT INTO notifications (user_id, id, record) SELECT * FROM unnest($1::text[], $2::text[], $3::json[])',
    },
  ],
  [
    'revoked',
    {
      select: 'SELECT token_id, expires_at::text AS v FROM revocations ORDER BY token_id',
      toEntry: (row) => entry(revokedKey(row.token_id as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], text(value)],
      insert: 'INSERT INTO revocations (token_id, expires_at) SELECT * FROM unnest($1::text[], $2::json[])',
    },
  ],
  [
    'setting',
    {
      select: 'SELECT name, value FROM settings ORDER BY name',
      toEntry: (row) => entry(settingKey(row.name as string), bytesOf(row.value)),
      columns: (parts, value) => [parts[0], value],
      insert: 'INSERT INTO settings (name, value) SELECT * FROM unnest($1::text[], $2::bytea[])',
    },
  ],
  [
    'snapdata',
    {
      select: `SELECT doc_id, id, data FROM snapshots WHERE data IS NOT NULL ORDER BY ${byDoc}, id`,
      toEntry: (row) => entry(snapDataKey(row.doc_id as string, row.id as string), bytesOf(row.data)),
      columns: (parts, value) => [parts[0], parts[1], value],
      insert:
        'INSERT INTO snapshots (doc_id, id, data) SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[]) ON CONFLICT (doc_id, id) DO UPDATE SET data = excluded.data',
    },
  ],
  [
    'snapmeta',
    {
      select: `SELECT doc_id, id, meta::text AS v FROM snapshots WHERE meta IS NOT NULL ORDER BY ${byDoc}, id`,
      toEntry: (row) => entry(snapMetaKey(row.doc_id as string, row.id as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], parts[1], text(value)],
      insert:
        'INSERT INTO snapshots (doc_id, id, meta) SELECT * FROM unnest($1::text[], $2::text[], $3::json[]) ON CONFLICT (doc_id, id) DO UPDATE SET meta = excluded.meta',
    },
  ],
  [
    'state',
    {
      select: 'SELECT id, state_clock, state FROM documents WHERE state IS NOT NULL ORDER BY id',
      toEntry: (row) => entry(stateKey(row.id as string), encodeState(Number(row.state_clock), bytesOf(row.state))),
      columns: (parts, value) => {
        const { clock, state } = decodeState(value)
        return [parts[0], clock, state]
      },
      // Key order puts a document's record (meta) before its state, so the row exists by now.
      insert:
        'UPDATE documents d SET state_clock = u.clock, state = u.state, state_vector = NULL FROM unnest($1::text[], $2::bigint[], $3::bytea[]) AS u(id, clock, state) WHERE d.id = u.id',
    },
  ],
  [
    'status',
    {
      select: `SELECT doc_id, pasal_id, record::text AS v FROM statuses ORDER BY ${byDoc}, pasal_id`,
      toEntry: (row) => entry(statusKey(row.doc_id as string, row.pasal_id as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], parts[1], text(value)],
      insert: 'INSERT INTO statuses (doc_id, pasal_id, record) SELECT * FROM unnest($1::text[], $2::text[], $3::json[])',
    },
  ],
  [
    'suggestion',
    {
      select: `SELECT doc_id, id, record::text AS v FROM suggestions ORDER BY ${byDoc}, id`,
      toEntry: (row) => entry(suggestionKey(row.doc_id as string, row.id as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], parts[1], text(value)],
      insert: 'INSERT INTO suggestions (doc_id, id, record) SELECT * FROM unnest($1::text[], $2::text[], $3::json[])',
    },
  ],
  [
    'thread',
    {
      select: `SELECT doc_id, id, record::text AS v FROM threads ORDER BY ${byDoc}, id`,
      toEntry: (row) => entry(threadKey(row.doc_id as string, row.id as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], parts[1], text(value)],
      insert: 'INSERT INTO threads (doc_id, id, record) SELECT * FROM unnest($1::text[], $2::text[], $3::json[])',
    },
  ],
  [
    'user',
    {
      select: 'SELECT username, record::text AS v FROM users ORDER BY username',
      toEntry: (row) => entry(userKey(row.username as string), utf8.encode(row.v as string)),
      columns: (parts, value) => [parts[0], text(value)],
      insert: 'INSERT INTO users (username, record) SELECT * FROM unnest($1::text[], $2::json[])',
    },
  ],
])

/** Rows fetched per round trip while reading, and written per statement while copying. */
const BATCH = 500

/** Every row as a raw entry, kind by kind in key order, read through `client` (inside its snapshot). */
export async function* readEntries(client: ClientBase): AsyncGenerator<RawEntry> {
  for (const [name, kind] of KINDS) {
    const cursor = `raw_${name}`
    await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${kind.select}`)
    for (;;) {
      const { rows } = await client.query<Row>(`FETCH ${BATCH} FROM ${cursor}`)
      for (const row of rows) yield kind.toEntry(row)
      if (rows.length < BATCH) break
    }
    await client.query(`CLOSE ${cursor}`)
  }
}

/**
 * Writes `entries` (in key order, as `RawStorage.entries` gives them) as rows through `client`,
 * inside the caller's transaction; refuses a key no kind knows, so nothing is dropped unseen.
 * Returns how many entries it wrote.
 */
export async function writeEntries(client: ClientBase, entries: AsyncIterable<RawEntry>): Promise<number> {
  /** The current run of one kind's rows, written as one statement when it ends or fills up. */
  const run: { name: string; kind: Kind | undefined; rows: unknown[][] } = { name: '', kind: undefined, rows: [] }
  const flush = async () => {
    if (!run.kind || run.rows.length === 0) return
    const columns = run.rows[0]!.map((_, i) => run.rows.map((row) => row[i]))
    const { rowCount } = await client.query(run.kind.insert, columns)
    if (rowCount !== run.rows.length)
      throw new Error(`copying ${run.name} records: wrote ${rowCount} of ${run.rows.length} (a state without its document?)`)
    run.rows = []
  }
  let count = 0
  for await (const { key, value } of entries) {
    const name = text(key)
    const parsed = parseKey(name)
    const kind = parsed && KINDS.get(parsed.kind)
    if (!parsed || !kind) throw new Error(`unknown record kind in key ${JSON.stringify(name)}: nothing copied`)
    if (run.name !== parsed.kind || run.rows.length >= BATCH) {
      await flush()
      Object.assign(run, { name: parsed.kind, kind })
    }
    run.rows.push(kind.columns(parsed.parts, plain(value)))
    count++
  }
  await flush()
  return count
}
