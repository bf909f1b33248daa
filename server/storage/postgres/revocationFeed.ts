import type { Pool, PoolClient } from 'pg'
import { log } from '../../log.js'

/** The NOTIFY channel `putRevocation` announces a revocation on, in its own transaction. */
export const REVOCATION_CHANNEL = 'rancang_revocations'
/** Wait before listening again after the listening connection broke (the database restarts). */
const RELISTEN_MS = 1_000

export interface Revocation {
  readonly tokenId: string
  /** Seconds since the epoch. */
  readonly expiresAt: number
}

/** The NOTIFY payload for `revocation`, decoded by `decodeRevocation`. */
export const encodeRevocation = (revocation: Revocation): string => JSON.stringify(revocation)

export function decodeRevocation(payload: string | undefined): Revocation | null {
  try {
    const value: unknown = JSON.parse(payload ?? '')
    if (typeof value !== 'object' || value === null) return null
    const { tokenId, expiresAt } = value as Record<string, unknown>
    return typeof tokenId === 'string' && typeof expiresAt === 'number' ? { tokenId, expiresAt } : null
  } catch {
    return null
  }
}

/**
 * Revocations committed by any server on this database, delivered to `onRevoked` as they commit
 * (LISTEN on one pool connection held for it). A notification sent while this server was not
 * listening is lost, so every time listening (re)starts the stored revocations are read again
 * and delivered too: `onRevoked` must be idempotent. Resolves once listening; the result stops it.
 */
export async function watchRevocations(
  pool: Pool,
  list: () => Promise<Revocation[]>,
  onRevoked: (revocation: Revocation) => void,
): Promise<() => void> {
  let stopped = false
  let client: PoolClient | null = null
  let retry: NodeJS.Timeout | null = null

  const onNotification = (message: { channel: string; payload?: string }) => {
    if (message.channel !== REVOCATION_CHANNEL) return
    const revocation = decodeRevocation(message.payload)
    if (revocation) onRevoked(revocation)
    else log.warn('ignored a malformed revocation notification')
  }
  const relisten = (error: unknown) => {
    if (stopped) return
    log.warn('the revocation listener lost its connection; listening again', { error: error instanceof Error ? error.message : String(error) })
    client?.removeListener('notification', onNotification)
    client?.release(true)
    client = null
    retry ??= setTimeout(() => {
      retry = null
      listen().catch(relisten)
    }, RELISTEN_MS)
    retry.unref()
  }
  const listen = async () => {
    const connection = await pool.connect()
    client = connection
    connection.on('notification', onNotification)
    connection.once('error', relisten)
    await connection.query(`LISTEN ${REVOCATION_CHANNEL}`)
    // Listening first, then reading: a revocation committed in between is seen at least once.
    for (const revocation of await list()) onRevoked(revocation)
  }

  await listen()
  return () => {
    stopped = true
    if (retry) clearTimeout(retry)
    client?.removeListener('notification', onNotification)
    client?.release(true)
    client = null
  }
}
