/**
 * Whether a pg error means "the database cannot be reached or cannot write now" rather than a bug:
 * those become `StorageUnavailableError`, so a database that is down or full behaves like a failing
 * disk under LevelDB (writes are retried, never acknowledged; routes answer 503).
 */

/** SQLSTATE classes: connection exception, insufficient resources (disk full), operator intervention (shutdown), system error (I/O). */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58'])
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])
/** node-postgres reports a lost, refused or silent connection in plain errors without a code. */
const NETWORK_MESSAGES =
  /Connection terminated|connection error|timeout exceeded when trying to connect|Query read timeout|Client was closed|not queryable/i

export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true
    if (/^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_CLASSES.has(code.slice(0, 2))
  }
  return NETWORK_MESSAGES.test(error.message)
}
