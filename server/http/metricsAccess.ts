import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * The addresses a client on this machine connects from: 127.0.0.1 and ::1 (also written as an
 * IPv6-mapped address). Stricter than all of 127.0.0.0/8 on purpose: a Prometheus on the same host
 * uses these, and other 127.x addresses are what containers and test rigs hand out to other parties.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

export const isLoopback = (address: string): boolean => LOOPBACK.has(address)

const digest = (text: string) => createHash('sha256').update(text).digest()

/**
 * Who may read `/metrics` (THREAT_MODEL P29): a client on this machine (its address, as the server
 * determined it, is loopback) or, when `token` is set, a request bearing it. The token is compared
 * in constant time (as digests, so its length does not leak either).
 */
export function mayReadMetrics(address: string, bearer: string | null, token: string | null): boolean {
  if (isLoopback(address)) return true
  return token !== null && bearer !== null && timingSafeEqual(digest(bearer), digest(token))
}
