import { readdirSync, readFileSync } from 'node:fs'
import { startPostgres, type TestPostgres } from '../test/harness/postgres.js'
import { atCleanup, processCpuTicks } from './servers.js'
import { sleep } from './stats.js'

/**
 * PostgreSQL flushes a backend's statistics at most once a second, once it goes idle: wait this
 * long after a run before reading `pg_stat_database` and `pg_stat_wal`.
 */
const STATS_FLUSH_MS = 1500

/** What PostgreSQL counted so far in one database (and, for WAL, the whole cluster). */
export interface DatabaseCounters {
  /** Committed transactions (`xact_commit`), reads included. */
  readonly transactions: number
  readonly rowsInserted: number
  readonly rowsUpdated: number
  readonly rowsDeleted: number
  /** WAL written by the whole cluster (`pg_stat_wal.wal_bytes`); the bench is its only user. */
  readonly walBytes: number
}

/**
 * A PostgreSQL for the bench: Debian's, on a temporary cluster, with fsync on as in production
 * (the test harness's cluster, made durable), stopped by `dispose` or by the bench's `cleanup`.
 */
export class BenchPostgres {
  readonly #postgres: TestPostgres
  readonly #unregister: () => void
  #databases = 0

  private constructor(postgres: TestPostgres) {
    this.#postgres = postgres
    this.#unregister = atCleanup(() => postgres.dispose())
  }

  static async start(): Promise<BenchPostgres> {
    return new BenchPostgres(await startPostgres({ durable: true }))
  }

  /** A new empty database; returns its name (for `urlOf`, `counters`, `copy`). */
  async createDatabase(): Promise<string> {
    const name = this.#nextName()
    await this.#postgres.psql('postgres', `CREATE DATABASE ${name}`)
    return name
  }

  /** A copy of database `from` (nobody may be connected to it): the same stored state for every run. */
  async copy(from: string): Promise<string> {
    const name = this.#nextName()
    await this.#postgres.psql('postgres', `CREATE DATABASE ${name} TEMPLATE ${from}`)
    return name
  }

  /** Runs one SQL statement in `database`; returns psql's unaligned output. */
  sql(database: string, statement: string): Promise<string> {
    return this.#postgres.psql(database, statement)
  }

  urlOf(database: string): string {
    return this.#postgres.url(database)
  }

  async counters(database: string): Promise<DatabaseCounters> {
    await sleep(STATS_FLUSH_MS)
    const row = await this.#postgres.psql(
      database,
      'SELECT d.xact_commit, d.tup_inserted, d.tup_updated, d.tup_deleted, w.wal_bytes FROM pg_stat_database d, pg_stat_wal w WHERE d.datname = current_database()',
    )
    const [transactions, rowsInserted, rowsUpdated, rowsDeleted, walBytes] = row.split('|').map(Number)
    return { transactions: transactions!, rowsInserted: rowsInserted!, rowsUpdated: rowsUpdated!, rowsDeleted: rowsDeleted!, walBytes: walBytes! }
  }

  /**
   * CPU time used so far by the postmaster, every backend and worker now running, and those that
   * exited (the postmaster reaps them), in clock ticks.
   */
  cpuTicks(): number {
    const postmaster = this.#postgres.pid
    if (postmaster === undefined) return 0
    let ticks = processCpuTicks(postmaster, true)
    for (const pid of childrenOf(postmaster)) {
      try {
        ticks += processCpuTicks(pid)
      } catch {
        // A backend that exited between the listing and the read.
      }
    }
    return ticks
  }

  async dispose(): Promise<void> {
    await this.#postgres.dispose()
    this.#unregister()
  }

  #nextName() {
    return `bench_${process.pid}_${++this.#databases}`
  }
}

/** What PostgreSQL saw per stored keystroke between two readings. */
export function perKeystroke(before: DatabaseCounters, after: DatabaseCounters, keystrokes: number) {
  const per = (key: keyof DatabaseCounters) => (after[key] - before[key]) / keystrokes
  return {
    transactions: per('transactions'),
    rowsWritten: per('rowsInserted') + per('rowsUpdated') + per('rowsDeleted'),
    rowsInserted: per('rowsInserted'),
    walBytes: per('walBytes'),
  }
}

function childrenOf(parent: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) children.push(Number(entry))
    } catch {
      // Gone since the listing.
    }
  }
  return children
}
