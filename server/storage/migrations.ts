import type { RawStorage, Storage } from './types.js'

/** One step of the storage format: from format `version - 1` to `version`. */
export interface Migration {
  readonly version: number
  /** What the step changes, for the log. */
  readonly description: string
  /** Rewrites the records of the previous format; the runner records `version` after it. */
  apply(storage: Storage & RawStorage): Promise<void>
}

/** Databases written before formats were recorded hold this format, and no `format` key. */
export const UNRECORDED_FORMAT_VERSION = 1

/**
 * Every format step, oldest first. Add a step with the next version to change how records are
 * stored; a server refuses databases newer than its last step (SPEC S16).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 2,
    description: 'the database records its storage format version',
    // Format 2 is format 1 plus the `format` key, which the runner writes after every step.
    apply: async () => {},
  },
]

export const CURRENT_FORMAT_VERSION = MIGRATIONS.at(-1)?.version ?? UNRECORDED_FORMAT_VERSION

/** The database was written by a newer Rancang; this one would misread it. */
export class FormatTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the database is in storage format ${found}, but this Rancang reads formats up to ${known}: ` +
        'run the newer Rancang that wrote it, or restore a backup made by this version',
    )
    this.name = 'FormatTooNewError'
  }
}

/**
 * The format the stored records are in: the recorded one; with none recorded, the current format
 * for an empty (new) database and format 1 for one written before formats were recorded.
 */
export async function storedFormatVersion(storage: RawStorage, current = CURRENT_FORMAT_VERSION): Promise<number> {
  const recorded = await storage.getFormatVersion()
  if (recorded === undefined) return (await storage.isEmpty()) ? current : UNRECORDED_FORMAT_VERSION
  if (!Number.isSafeInteger(recorded) || recorded < UNRECORDED_FORMAT_VERSION) {
    throw new Error(`the database records an unreadable storage format version: ${JSON.stringify(recorded)}`)
  }
  return recorded
}

export interface MigrationOptions {
  /**
   * Runs once before the first step, while the database is still in format `from` (to write a
   * backup beside it); throwing stops the start with nothing changed.
   */
  readonly beforeMigrating: (from: number, to: number) => Promise<void>
  /** Defaults to `MIGRATIONS`. */
  readonly migrations?: readonly Migration[]
}

/**
 * Brings the database to the newest format at start: records the format of a new database,
 * migrates an older one step by step (each step recorded as it completes, so an interrupted
 * migration resumes where it stopped), and refuses a newer one with `FormatTooNewError`.
 */
export async function migrateStorage(
  storage: Storage & RawStorage,
  options: MigrationOptions,
): Promise<{ readonly from: number; readonly to: number; readonly applied: readonly Migration[] }> {
  const migrations = options.migrations ?? MIGRATIONS
  const current = migrations.at(-1)?.version ?? UNRECORDED_FORMAT_VERSION
  const from = await storedFormatVersion(storage, current)
  if (from > current) throw new FormatTooNewError(from, current)
  const pending = migrations.filter((migration) => migration.version > from)
  if (pending.length > 0) await options.beforeMigrating(from, current)
  for (const migration of pending) {
    await migration.apply(storage)
    await storage.putFormatVersion(migration.version)
  }
  if ((await storage.getFormatVersion()) === undefined) await storage.putFormatVersion(current)
  return { from, to: current, applied: pending }
}
