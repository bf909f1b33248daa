import { resolve } from 'node:path'
import type { CostLimits } from './limits/costLimiter.js'
import type { ArchiveLimits } from './import/docxArchive.js'
import { parseTrustedProxies, type TrustedProxies } from './clientAddress.js'

/** Everything the server reads from the environment; see docs/configuration.md. */
export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  /** `DATABASE_URL` (postgres://…): store everything in PostgreSQL instead of LevelDB in `dataDir`; null by default. */
  readonly databaseUrl: string | null
  /**
   * `NODE_URL` (http://host:port): with `databaseUrl`, this server joins the others on the same
   * database as the address they reach it at (SPEC S27); null for a server that is alone.
   */
  readonly nodeUrl: string | null
  /** Reverse proxies whose `X-Forwarded-For` gives the client address (`TRUST_PROXY`); none by default. */
  readonly trustedProxies: TrustedProxies
  /** Where the built client is served from. */
  readonly clientDir: string
  /** fsync each group-commit batch. */
  readonly syncWrites: boolean
  /**
   * Refuse client updates that break the schema (shared/model/firewall.ts). Only the benchmark turns
   * it off, to measure what it costs; the environment is the operator's, never a client's.
   */
  readonly schemaFirewall: boolean
  readonly sessionHours: number
  /** Automatic version when a document is edited this long after its last version; 0 disables. */
  readonly snapshotIntervalMinutes: number
  /** Audit entries older than this many days are removed (at start and daily). */
  readonly auditRetentionDays: number
  /** When set, `/metrics` also answers requests bearing it (`Authorization: Bearer …`), not only loopback peers. */
  readonly metricsToken: string | null
  readonly limits: Limits
  /**
   * Testing only: while a file exists at this path, every storage write fails (a failing disk,
   * injected beneath the storage interface). Unset in production.
   */
  readonly faultInjectionFile: string | null
  readonly rooms: {
    readonly idleUnloadMs: number
    readonly compactAfterUpdates: number
  }
}

export interface Limits {
  /** Largest WebSocket message accepted; larger ones close the connection with 1009. */
  readonly maxMessageBytes: number
  /** Largest HTTP request body. */
  readonly maxBodyBytes: number
  /** Largest Word file an admin may import. */
  readonly maxImportBytes: number
  /** Output queued to one client before it counts as stalled and is disconnected. */
  readonly maxBufferedBytes: number
  readonly maxAwarenessBytes: number
  readonly maxAwarenessClients: number
  readonly loginFailuresPerUsername: number
  readonly loginFailuresPerAddress: number
  readonly loginWindowMs: number
  /** Longest one update may take to validate before it is refused (the worker is replaced). */
  readonly validationTimeoutMs: number
  /** Heap of the validation worker; an update needing more is refused. */
  readonly validationMemoryMb: number
  /** Messages one connection may send per second (sustained; twice that in a burst). */
  readonly messagesPerSecond: number
  /** Bytes one connection may send per second (sustained; a single message up to maxMessageBytes). */
  readonly bytesPerSecond: number
  /** Open WebSockets per client address. */
  readonly connectionsPerAddress: number
  /** How long a shutdown waits for pending edits to be stored before giving up (ms). */
  readonly shutdownTimeoutMs: number
  /** Sync step 1 answers per connection per minute (each may be the whole document); beyond it, 1013. */
  readonly syncAnswersPerMinute: number
  /** Expensive requests: per account per minute (a few at once), and how many run at once across the server. */
  readonly exports: CostLimits
  readonly compares: CostLimits
  /** Imports run one at a time; `concurrent` is always 1. */
  readonly imports: CostLimits
  /** Word import: limits checked on the zip's directory before anything is inflated, then while inflating. */
  readonly importArchive: ArchiveLimits
}

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`)
  return value
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new Error(`${name} must be true or false, got "${raw}"`)
}

const MiB = 1024 * 1024

/** `DATABASE_URL`, checked for its scheme only; the message never repeats it (it may hold a password). */
function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL
  if (raw === undefined || raw === '') return null
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL')
  return raw
}

/** `NODE_URL`, an http(s) base address other servers reach this one at; only with DATABASE_URL. */
function nodeUrl(env: Env): string | null {
  const raw = env.NODE_URL
  if (raw === undefined || raw === '') return null
  if (!env.DATABASE_URL) throw new Error('NODE_URL needs DATABASE_URL: only servers sharing one PostgreSQL database work together')
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new Error(`NODE_URL must be an http:// address, got "${raw}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`NODE_URL must be an http:// address, got "${raw}"`)
  return url.origin
}

/** Reads the configuration; throws with the variable's name when a value is invalid. */
export function readConfig(env: Env = process.env, root = process.cwd()): Config {
  return {
    port: integer(env, 'PORT', 8080),
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(root, env.DATA_DIR || './data'),
    databaseUrl: databaseUrl(env),
    nodeUrl: nodeUrl(env),
    trustedProxies: parseTrustedProxies(env.TRUST_PROXY),
    clientDir: resolve(root, env.CLIENT_DIR || './dist/client'),
    syncWrites: flag(env, 'SYNC_WRITES', true),
    schemaFirewall: flag(env, 'SCHEMA_FIREWALL', true),
    sessionHours: integer(env, 'SESSION_HOURS', 12, 1),
    snapshotIntervalMinutes: integer(env, 'SNAPSHOT_INTERVAL_MINUTES', 30),
    // Two years: a regulation's drafting, harmonisation and enactment, with room to spare.
    auditRetentionDays: integer(env, 'AUDIT_RETENTION_DAYS', 730, 1),
    metricsToken: env.METRICS_TOKEN || null,
    limits: {
      maxMessageBytes: integer(env, 'MAX_MESSAGE_BYTES', 16 * MiB, 1024),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1 * MiB, 1024),
      maxImportBytes: integer(env, 'MAX_IMPORT_BYTES', 10 * MiB, 1024),
      maxBufferedBytes: integer(env, 'MAX_BUFFERED_BYTES', 64 * MiB, 1024),
      maxAwarenessBytes: integer(env, 'MAX_AWARENESS_BYTES', 16 * 1024, 256),
      maxAwarenessClients: integer(env, 'MAX_AWARENESS_CLIENTS', 8, 1),
      loginFailuresPerUsername: integer(env, 'LOGIN_FAILURES_PER_USERNAME', 5, 1),
      loginFailuresPerAddress: integer(env, 'LOGIN_FAILURES_PER_ADDRESS', 20, 1),
      loginWindowMs: integer(env, 'LOGIN_WINDOW_SECONDS', 15 * 60, 1) * 1000,
      validationTimeoutMs: integer(env, 'VALIDATION_TIMEOUT_MS', 2000, 10),
      validationMemoryMb: integer(env, 'VALIDATION_MEMORY_MB', 256, 16),
      messagesPerSecond: integer(env, 'MAX_MESSAGES_PER_SECOND', 300, 1),
      bytesPerSecond: integer(env, 'MAX_BYTES_PER_SECOND', 8 * MiB, 1024),
      connectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', 100, 1),
      shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100),
      syncAnswersPerMinute: integer(env, 'MAX_SYNC_ANSWERS_PER_MINUTE', 6, 1),
      exports: {
        perMinute: integer(env, 'EXPORTS_PER_MINUTE', 10, 1),
        // Word, AKN and print HTML one after another; each export holds the event loop a while.
        burst: integer(env, 'EXPORTS_BURST', 3, 1),
        concurrent: integer(env, 'CONCURRENT_EXPORTS', 2, 1),
        busyRetrySeconds: 2,
      },
      compares: {
        perMinute: integer(env, 'COMPARES_PER_MINUTE', 30, 1),
        burst: 10,
        concurrent: integer(env, 'CONCURRENT_COMPARES', 2, 1),
        busyRetrySeconds: 2,
      },
      imports: {
        perMinute: integer(env, 'IMPORTS_PER_MINUTE', 5, 1),
        burst: integer(env, 'IMPORTS_BURST', 5, 1),
        concurrent: 1,
        busyRetrySeconds: 10,
      },
      importArchive: {
        maxEntries: integer(env, 'MAX_IMPORT_ENTRIES', 1000, 1),
        maxInflatedBytes: integer(env, 'MAX_IMPORT_INFLATED_BYTES', 64 * MiB, 1024),
        maxRatio: integer(env, 'MAX_IMPORT_RATIO', 100, 2),
      },
    },
    faultInjectionFile: env.FAULT_INJECTION_FILE ? resolve(root, env.FAULT_INJECTION_FILE) : null,
    rooms: {
      idleUnloadMs: integer(env, 'ROOM_IDLE_MS', 10_000),
      compactAfterUpdates: integer(env, 'COMPACT_AFTER_UPDATES', 500, 1),
    },
  }
}
