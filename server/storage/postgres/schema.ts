import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Pool } from 'pg'

/** The SQL files that build the schema, `NNN_name.sql`, applied in order (the build copies them to dist/). */
export const SCHEMA_DIR = fileURLToPath(new URL('migrations/', import.meta.url))

const FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/

/** Any constant both servers agree on: starting servers apply migrations one after another. */
const MIGRATION_LOCK = 0x52414e47 // "RANG"

export interface SchemaMigration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Every migration file in `dir`, by version; refuses a gap or a stray file, which would be a broken release. */
export async function readSchemaMigrations(dir = SCHEMA_DIR): Promise<SchemaMigration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort()
  const migrations: SchemaMigration[] = []
  for (const name of names) {
    const match = FILE.exec(name)
    if (!match) throw new Error(`schema migration ${name} is not named NNN_name.sql`)
    const version = Number(match[1])
    if (version !== migrations.length + 1) throw new Error(`schema migration ${name}: expected version ${migrations.length + 1}`)
    migrations.push({ version, name: match[2]!, sql: await readFile(`${dir}/${name}`, 'utf8') })
  }
  return migrations
}

/** The database's schema is newer than this Rancang knows: it would misread it. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`the PostgreSQL database has schema version ${found}, but this Rancang knows versions up to ${known}: run the newer Rancang`)
    this.name = 'SchemaTooNewError'
  }
}

/**
 * Brings the database's schema up to date at start: every migration not yet recorded in
 * `schema_migrations` is applied and recorded, all in one transaction (PostgreSQL's DDL is
 * transactional, so a failed start changes nothing), under an advisory lock so servers starting
 * together apply each migration once. Returns the versions applied.
 */
export async function migrateSchema(pool: Pool, migrations: readonly SchemaMigration[]): Promise<number[]> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    )
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations')
    const applied = new Set(rows.map((row) => row.version))
    const known = migrations.at(-1)?.version ?? 0
    const newest = Math.max(0, ...applied)
    if (newest > known) throw new SchemaTooNewError(newest, known)
    const pending = migrations.filter((migration) => !applied.has(migration.version))
    for (const migration of pending) {
      await client.query(migration.sql)
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name])
    }
    await client.query('COMMIT')
    return pending.map((migration) => migration.version)
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
