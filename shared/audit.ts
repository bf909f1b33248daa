/**
 * The audit log: who did what, to what, from which address, and when. Entries are append-only
 * (no route changes or deletes one) and, where the action writes something, recorded in the same
 * storage batch as that write (SPEC S17). Action ids are stable English; the client shows them in
 * Indonesian.
 */
export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'login.throttled',
  'logout',
  'logout.all',
  'account.created',
  'account.changed',
  'account.password',
  'account.removed',
  'document.created',
  'document.imported',
  'document.renamed',
  'document.archived',
  'document.unarchived',
  'snapshot.created',
  'snapshot.restored',
  'status.changed',
  'export',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** Each action as the "Log aktivitas" page and the CSV file name it. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  'login.succeeded': 'Masuk',
  'login.failed': 'Gagal masuk',
  'login.throttled': 'Masuk ditolak (terlalu banyak percobaan)',
  logout: 'Keluar',
  'logout.all': 'Keluar dari semua perangkat',
  'account.created': 'Akun dibuat',
  'account.changed': 'Akun diubah',
  'account.password': 'Kata sandi diganti',
  'account.removed': 'Akun dihapus',
  'document.created': 'Rancangan dibuat',
  'document.imported': 'Rancangan diimpor',
  'document.renamed': 'Rancangan diganti namanya',
  'document.archived': 'Rancangan diarsipkan',
  'document.unarchived': 'Rancangan dikeluarkan dari arsip',
  'snapshot.created': 'Versi disimpan',
  'snapshot.restored': 'Versi dipulihkan',
  'status.changed': 'Status pasal diubah',
  export: 'Ekspor',
}

export const isAuditAction = (value: unknown): value is AuditAction =>
  typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value)

/** Who did something and from where: what every entry records besides the action and its target. */
export interface AuditOrigin {
  /** Username, as typed for a failed sign-in (which names no account). */
  readonly actor: string
  /** The account's id, when the actor is an account; absent for failed sign-ins and the server itself. */
  readonly actorId?: string
  /** The client's address as the server determined it (behind a trusted proxy, the forwarded one). */
  readonly address: string
}

/** An entry before storage stamps its time. */
export interface AuditEvent extends AuditOrigin {
  readonly action: AuditAction
  /** What it was done to: an account's username, `<doc id>`, `<doc id>/<pasal id>`, `<doc id> (<format>)`. */
  readonly target: string
  /** What changed, for people: e.g. `peran: editor → admin`, `dibahas → disepakati`, a version's name. */
  readonly detail?: string
}

/** One stored entry, as `GET /api/audit` returns it. */
export interface AuditEntry extends AuditEvent {
  /**
   * ISO 8601 time, unique within the log (storage keeps it strictly increasing), so
   * `?before=<at>` pages without skipping or repeating an entry.
   */
  readonly at: string
}

/** Filters for reading the log; every one optional. Newest first. */
export interface AuditQuery {
  /** At most this many entries. */
  readonly limit: number
  /** Entries strictly older than this `at` (the last one of the previous page). */
  readonly before?: string
  /** Entries at or after this time (ISO 8601). */
  readonly from?: string
  /** Entries before this time (ISO 8601, exclusive). */
  readonly to?: string
  /** Exact username. */
  readonly actor?: string
  readonly action?: AuditAction
}

/**
 * The audit event of a change asked for from `origin`, or none when nobody asked (a migration, the
 * first admin): what the storage writes that make changes take, to write it in the same batch.
 */
export const audited = (origin: AuditOrigin | undefined, action: AuditAction, target: string, detail?: string): AuditEvent | undefined =>
  origin && { ...origin, action, target, ...(detail ? { detail } : {}) }

/** The origin of a request made by a signed-in account from `address`. */
export const originOf = (user: { readonly id: string; readonly username: string }, address: string): AuditOrigin => ({
  actor: user.username,
  actorId: user.id,
  address,
})

/** The actor of changes made with `npm run users` on the server itself. */
export const CLI_ORIGIN: AuditOrigin = { actor: 'cli', address: 'local' }
